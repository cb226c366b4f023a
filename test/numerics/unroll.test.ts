// `unroll: true` emits straight-line code per timestep; `unroll: false` a loop. Same spec, same
// weights, same inputs: the outputs must agree to max |unrolled - looped| <= 1e-6 (TOL), and the
// unrolled text must have no timestep loop while the looped one has one.
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileModule, maxAbs, maxAbsDiff, printSummary, randomArray, randomWeights, record, sizeOf } from './helpers.ts';

const TOL = 1e-6;
const FILE = 'unroll';
const TIMESTEP_LOOP = /for \(let step\w* = 0;/;

const spec = (unroll: boolean, lstm: Record<string, unknown>, outputs?: string[]) =>
  stringify({
    name: unroll ? 'unrolled' : 'looped',
    inputs: { x: { shape: [7, 3], batch_size: 4 } },
    layers: [
      { name: 'lstm', type: 'LSTM', units: 5, unroll, ...lstm },
      { name: 'head', type: 'Dense', units: 3, activation: 'tanh' },
    ],
    ...(outputs ? { outputs } : {}),
  });

const cases: { label: string; lstm: Record<string, unknown>; outputs?: string[] }[] = [
  { label: 'plain', lstm: {} },
  { label: 'go_backwards', lstm: { go_backwards: true } },
  { label: 'go_backwards + return_sequences', lstm: { go_backwards: true, return_sequences: true }, outputs: ['lstm', 'head'] },
  { label: 'return_sequences + return_state', lstm: { return_sequences: true, return_state: true }, outputs: ['lstm', 'lstm.h', 'lstm.c', 'head'] },
];

afterAll(() => printSummary(FILE));

describe('unroll: true vs unroll: false (max abs diff <= 1e-6)', () => {
  for (const c of cases) {
    it(`${c.label}: same outputs, and only the looped text has a timestep loop`, async () => {
      const looped = await compileModule(spec(false, c.lstm, c.outputs));
      const unrolled = await compileModule(spec(true, c.lstm, c.outputs));

      expect(looped.text).toMatch(TIMESTEP_LOOP);
      expect(unrolled.text).not.toMatch(TIMESTEP_LOOP);
      expect(unrolled.module.weightShapes).toEqual(looped.module.weightShapes);
      expect(unrolled.module.outputShapes).toEqual(looped.module.outputShapes);

      const weights = randomWeights(looped.module.weightShapes, 11);
      const x = randomArray(sizeOf(looped.module.inputShapes.x as number[]), 12, 2);
      const a = looped.module.predict({ x }, weights);
      const b = unrolled.module.predict({ x }, weights);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const name of Object.keys(a)) {
        const d = maxAbsDiff(a[name]!, b[name]!);
        record(FILE, `${c.label} → ${name}`, d, maxAbs(a[name]!), TOL);
        expect(d, `${c.label}: ${name}: max |unrolled - looped|`).toBeLessThanOrEqual(TOL);
        expect(maxAbs(a[name]!)).toBeGreaterThan(1e-3);
      }
    });
  }

  it('the initial weights drawn from a seed do not depend on unroll', async () => {
    const looped = await compileModule(spec(false, {}));
    const unrolled = await compileModule(spec(true, {}));
    const wa = looped.module.initWeights(3) as Record<string, Record<string, Float32Array>>;
    const wb = unrolled.module.initWeights(3) as Record<string, Record<string, Float32Array>>;
    for (const layer of Object.keys(wa)) for (const p of Object.keys(wa[layer]!)) expect(Array.from(wb[layer]![p]!)).toEqual(Array.from(wa[layer]![p]!));
  });
});
