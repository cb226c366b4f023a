// The example models/transformer_timeseries.yaml (keras.io's Transformer time-series classifier,
// small) against real Keras: test/fixtures/keras/transformer_timeseries.json holds the same spec
// (with batch_size 3), Keras 3.15.1's weights, inputs and outputs. The committed module
// generated/transformer_timeseries.ts itself is run here, on both engines, with Keras's weights.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadGeneratedModule } from '../../src/load-module.ts';

const fixture = JSON.parse(readFileSync('test/fixtures/keras/transformer_timeseries.json', 'utf8')) as {
  spec: { inputs: { series: Record<string, unknown> }; layers: unknown[] };
  weights: unknown;
  inputs: { series: number[][][] };
  outputs: { classes: number[][] };
};
const model = parse(readFileSync('models/transformer_timeseries.yaml', 'utf8')) as { inputs: { series: Record<string, unknown> }; layers: unknown[] };

describe('models/transformer_timeseries.yaml against Keras', () => {
  it('is the architecture of the Keras fixture', () => {
    expect(fixture.spec.layers).toEqual(model.layers);
    expect(fixture.spec.inputs.series).toEqual({ ...model.inputs.series, batch_size: 3 });
  });

  it.each(['wasm', 'js'] as const)('generated/transformer_timeseries.ts gives Keras\'s class probabilities to 1e-5 (engine %s)', async (engine) => {
    const mod = await loadGeneratedModule(readFileSync('generated/transformer_timeseries.ts', 'utf8'));
    const net = new mod.Model(mod.loadWeights(fixture.weights), { engine });
    const { classes } = net.predict({ series: Float32Array.from(fixture.inputs.series.flat(2)) });
    const expected = fixture.outputs.classes.flat();
    expect(classes!.length).toBe(expected.length);
    expected.forEach((p, i) => expect(Math.abs(classes![i]! - p)).toBeLessThan(1e-5));
  });
});
