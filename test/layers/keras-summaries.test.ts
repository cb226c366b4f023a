// `modelc summary` against Keras's model.summary() for every Keras 3.15 fixture that uses a layer
// of this group: the output shape and the parameter count of every layer, as Keras printed them
// (test/fixtures/keras/<case>.json, `summary`). The numbers of the same cases are checked by
// test/keras/fixtures.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { summaryRows } from '../../src/commands/summary.ts';
import { shapeToJson } from '../../src/shapes/dim.ts';

const kinds = new Set([
  'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalMaxPooling1D', 'GlobalAveragePooling1D', 'Flatten', 'Reshape', 'Permute', 'RepeatVector',
  'Activation', 'Dropout', 'SpatialDropout1D', 'Concatenate', 'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'LayerNormalization', 'BatchNormalization',
  'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax', 'Identity', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization', 'UnitNormalization',
  'Rescaling', 'Normalization', 'CategoryEncoding', 'ZeroPadding1D', 'Cropping1D', 'UpSampling1D', 'SpatialDropout2D', 'Dot', 'Attention', 'AdditiveAttention',
  'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAveragePooling2D', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'TimeDistributed',
  'MultiHeadAttention',
]);

/**
 * Where Keras's summary prints a symbolic shape that is not what Keras computes (documented in the layer's file):
 * MultiHeadAttention's compute_output_spec gives the scores (batch, heads, Tq, Tq) even when the value has Tv steps.
 * Returns the row with the shape Keras computes, after checking that Keras printed exactly that symbolic shape.
 */
function computedShapes(keras: { name: string; type: string; output_shape: unknown; params: number }, ours: { output_shape: unknown }) {
  if (keras.type !== 'MultiHeadAttention' || !Array.isArray(ours.output_shape) || !Array.isArray(ours.output_shape[1])) return keras;
  const [output, scores] = ours.output_shape as [unknown, (number | null)[]];
  expect(keras.output_shape).toEqual([output, [...scores.slice(0, 3), scores[2]]]);
  return { ...keras, output_shape: [output, scores] };
}

interface Fixture {
  readonly case: string;
  readonly spec: { readonly layers: readonly { readonly type: string }[] };
  readonly summary?: { readonly layers: readonly { name: string; type: string; output_shape: unknown; params: number }[]; readonly total_params: number };
}

const dir = 'test/fixtures/keras';
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Fixture)
  .filter((f) => f.summary && f.spec?.layers.some((l) => kinds.has(l.type)));

describe("summaries match Keras's", () => {
  it('has cases', () => expect(fixtures.length).toBeGreaterThanOrEqual(35));

  it.each(fixtures.map((f) => [f.case, f] as const))('%s', (_name, fixture) => {
    const result = compile(JSON.stringify(fixture.spec), `${fixture.case}.json`);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // One row per layer object: a shared layer once, with the output shape of its last call.
    const ours = summaryRows(result.graph!, result.types!).map((r) => ({ name: r.layer.name, type: r.layer.type, output_shape: r.shapes.length === 1 ? shapeToJson(r.shapes[0]!) : r.shapes.map(shapeToJson), params: r.count }));
    expect(ours).toEqual(fixture.summary!.layers.map((l, i) => computedShapes(l, ours[i]!)));
    expect(ours.reduce((s, l) => s + l.params, 0)).toBe(fixture.summary!.total_params);
  });
});
