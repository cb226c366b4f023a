// Real-Keras fixtures (test/fixtures/keras/<case>.json, scripts/keras) for layer tests: read one,
// compile its spec (or a variant of it), run every call on one model and measure the largest
// error against Keras's outputs (absolute below 1, relative above, as test/keras/fixtures.test.ts).
import { readFileSync } from 'node:fs';
import { compile } from '../../src/compile.ts';
import { graphParams, paramCount } from '../../src/ir/params.ts';
import { loadGeneratedModule, type GeneratedInputs } from '../../src/load-module.ts';
import { shapeToJson } from '../../src/shapes/dim.ts';

export interface FixtureSpec {
  readonly name: string;
  readonly inputs: Record<string, { shape: (number | null)[]; dtype?: string; batch_size?: number }>;
  readonly layers: readonly Record<string, unknown>[];
}

interface Call {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

export interface KerasFixture {
  readonly case: string;
  readonly spec: FixtureSpec;
  readonly weights: unknown;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly calls?: readonly (Call | 'reset_states')[];
  readonly summary: { readonly layers: readonly { name: string; type: string; output_shape: unknown; params: number }[]; readonly total_params: number };
}

export function kerasFixture(name: string): KerasFixture {
  return JSON.parse(readFileSync(`test/fixtures/keras/${name}.json`, 'utf8')) as KerasFixture;
}

const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value as number]);

/** The largest error of `spec` (default the fixture's own) against Keras's outputs, over every call, on `engine`. */
export async function fixtureError(fixture: KerasFixture, spec: FixtureSpec = fixture.spec, engine: 'js' | 'wasm' = 'js'): Promise<number> {
  const result = compile(JSON.stringify(spec), `${fixture.case}.json`);
  if (!result.output) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  const mod = await loadGeneratedModule(result.output.text);
  const model = new mod.Model(mod.loadWeights(fixture.weights), { engine });
  let worst = 0;
  for (const call of fixture.calls ?? [{ inputs: fixture.inputs!, outputs: fixture.outputs! }]) {
    if (call === 'reset_states') {
      model.resetStates!();
      continue;
    }
    const inputs: GeneratedInputs = Object.fromEntries(Object.entries(call.inputs).map(([k, v]) => [k, Float32Array.from(flat(v))]));
    const outputs = model.predict(inputs, { batch: (Object.values(call.inputs)[0] as unknown[]).length });
    for (const [k, expected] of Object.entries(call.outputs)) {
      const e = flat(expected);
      const got = outputs[k]!;
      if (got.length !== e.length) throw new Error(`${fixture.case}: output ${k} has ${got.length} values, Keras ${e.length}`);
      e.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[i]! - v) / Math.max(1, Math.abs(v)))));
    }
  }
  return worst;
}

/** The fixture's spec with input `x`'s axis `axis` (0 = the first after the batch) known only at run time. */
export function withRunTimeAxis(fixture: KerasFixture, axis = 0): FixtureSpec {
  const x = fixture.spec.inputs.x!;
  return { ...fixture.spec, inputs: { ...fixture.spec.inputs, x: { ...x, shape: x.shape.map((d, i) => (i === axis ? null : d)) } } };
}

/** modelc's summary rows of the fixture's spec, in Keras's `model.summary()` form. */
export function summaryOf(fixture: KerasFixture): { layers: { name: string; type: string; output_shape: unknown; params: number }[]; total_params: number } {
  const result = compile(JSON.stringify(fixture.spec), `${fixture.case}.json`);
  const params = graphParams(result.graph!, result.types!);
  const layers = fixture.spec.layers.map((_, i) => {
    const { layer, params: list } = params.find((p) => p.layer.pointer === `/layers/${i}`)!;
    const shapes = result.types!.get(layer.name)!.map((t) => shapeToJson(t.shape));
    return { name: layer.name, type: layer.type, output_shape: shapes.length === 1 ? shapes[0] : shapes, params: paramCount(list) };
  });
  return { layers, total_params: layers.reduce((s, l) => s + l.params, 0) };
}
