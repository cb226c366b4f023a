// Dropout in training mode, with Keras 3's semantics: inference is the identity; with
// `predict(inputs, { training: true, seed })`, inverted dropout with one mask per sequence, reused
// at every timestep. The masks' values are drawn by modelc's own generator, so they are checked
// by their properties: with one input feature and dropout 0.5, each sequence is either all
// dropped (the layer sees zeros) or all kept and scaled by 2, at every timestep (tolerance 1e-6).
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';

type Out = Record<string, Float32Array>;
interface Trainable {
  initWeights(seed?: number): unknown;
  predict(inputs: Record<string, Float32Array>, weights: unknown, options?: { training?: boolean; seed?: number }): Out;
}

async function load(type: string, options: string, time = 6): Promise<Trainable> {
  const spec = `name: m\ninputs:\n  x: { shape: [${time}, 1], batch_size: 16 }\nlayers:\n  - type: ${type}\n    units: 4\n    return_sequences: true\n${options}`;
  const result = compile(spec, 'inline.yaml');
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (await loadGeneratedModule(result.output!.text)) as unknown as Trainable;
}

const x = Float32Array.from({ length: 16 * 6 }, (_, i) => Math.sin(i * 0.7) + 0.1);
const key = (o: Out) => Object.keys(o)[0]!;
const rowDiff = (a: Float32Array, b: Float32Array, row: number, size: number) => Math.max(...Array.from({ length: size }, (_, i) => Math.abs(a[row * size + i]! - b[row * size + i]!)));

describe.each(['LSTM', 'GRU', 'SimpleRNN'])('%s dropout', (type) => {
  it('is the identity at inference, and deterministic per seed in training', async () => {
    const mod = await load(type, '    dropout: 0.5\n');
    const plain = await load(type, '');
    const w = mod.initWeights(4);
    const inference = mod.predict({ x }, w);
    expect(Array.from(inference[key(inference)]!)).toEqual(Array.from(plain.predict({ x }, w)[key(inference)]!));
    const a = mod.predict({ x }, w, { training: true, seed: 1 })[key(inference)]!;
    const b = mod.predict({ x }, w, { training: true, seed: 1 })[key(inference)]!;
    const c = mod.predict({ x }, w, { training: true, seed: 2 })[key(inference)]!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('drops or keeps (×2) each whole sequence: one input mask reused at every timestep', async () => {
    const mod = await load(type, '    dropout: 0.5\n');
    const w = mod.initWeights(4);
    const dropped = mod.predict({ x: new Float32Array(x.length) }, w);
    const doubled = mod.predict({ x: x.map((v) => 2 * v) }, w);
    const k = key(dropped);
    const trained = mod.predict({ x }, w, { training: true, seed: 7 })[k]!;
    const size = 6 * 4;
    let kept = 0;
    let lost = 0;
    for (let row = 0; row < 16; row++) {
      const toDropped = rowDiff(trained, dropped[k]!, row, size);
      const toDoubled = rowDiff(trained, doubled[k]!, row, size);
      expect(Math.min(toDropped, toDoubled), `sequence ${row}`).toBeLessThanOrEqual(1e-6);
      if (toDoubled <= 1e-6) kept++;
      else lost++;
    }
    // 16 fair draws: both outcomes occur (the chance that one never does is 2^-15).
    expect(kept).toBeGreaterThan(0);
    expect(lost).toBeGreaterThan(0);
  });

  it('recurrent_dropout changes the training output only, and needs a generator only in training', async () => {
    const mod = await load(type, '    recurrent_dropout: 0.5\n');
    const plain = await load(type, '');
    const w = mod.initWeights(5);
    const inference = mod.predict({ x }, w);
    const k = key(inference);
    expect(Array.from(inference[k]!)).toEqual(Array.from(plain.predict({ x }, w)[k]!));
    const trained = mod.predict({ x }, w, { training: true, seed: 3 })[k]!;
    // The first timestep reads h = 0, which no mask changes: it equals inference.
    for (let row = 0; row < 16; row++) for (let j = 0; j < 4; j++) expect(Math.abs(trained[row * 24 + j]! - inference[k]![row * 24 + j]!)).toBeLessThanOrEqual(1e-6);
    expect(Array.from(trained)).not.toEqual(Array.from(inference[k]!));
  });
});
