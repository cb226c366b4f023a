// The generated module at run time, given hostile values (issue 14, items 6 and the past findings),
// on both engines: NaN and ±Infinity propagate as IEEE-754 does (as Keras and tfjs compute them:
// checked against tfjs, row by row, NaN for NaN); batch 10,000 gives the rows that batch-1 calls
// give; a run-time length too short for a Conv1D or pooling window is a RangeError naming the
// layer; setStates with a state of the wrong size names it and changes no state. And through the
// command line: an int32 input given a fraction or an infinity, and the summary of an Embedding of
// 2^40 × 2^20 (the exact figure, refused by the size limit, never an inexact integer).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { compileModule, randomArray, randomWeights, setLayerWeights, tf, tfParamOrder, tfPredict } from '../numerics/helpers.ts';

type AnyModel = {
  predict(inputs: Record<string, unknown>, options?: { batch?: number }): Record<string, Float32Array>;
  step?(inputs: Record<string, unknown>): Record<string, Float32Array>;
  getStates?(): Record<string, Record<string, Float32Array>>;
  setStates?(states: unknown): void;
};
type ModelClass = new (weights?: unknown, options?: { engine: 'js' | 'wasm' }) => AnyModel;
const engines = ['js', 'wasm'] as const;

describe('NaN and Infinity propagate as IEEE-754 does (tfjs as the oracle)', () => {
  const spec = 'name: m\ninputs:\n  x: { shape: [4, 3] }\nlayers:\n  - { name: d1, type: Dense, units: 5, activation: tanh }\n  - { name: lstm, type: LSTM, units: 4, return_sequences: true }\n  - { name: d2, type: Dense, units: 2, activation: sigmoid }\n';
  const T = 4, F = 3, B = 5;
  // Row 0 finite; row 1 NaN at t = 1; rows 2, 3 +Infinity and -Infinity (tanh absorbs them); row 4 +Infinity in two features (Inf - Inf = NaN).
  const x = randomArray(B * T * F, 61);
  x[1 * T * F + 1 * F + 0] = NaN;
  x[2 * T * F + 2 * F + 0] = Infinity;
  x[3 * T * F + 0 * F + 1] = -Infinity;
  x[4 * T * F + 3 * F + 0] = Infinity;
  x[4 * T * F + 3 * F + 2] = -Infinity;

  it.each(engines)('engine %s: the same NaN positions and the same finite values (1e-5) as tfjs', async (engine) => {
    const { module: mod } = await compileModule(spec);
    const weights = randomWeights(mod.weightShapes as Record<string, Record<string, number[]>>, 8);
    const model = new (mod.Model as unknown as ModelClass)(weights, { engine });
    const ours = model.predict({ x }).d2!;
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [T, F] }),
        tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }),
        tf.layers.dense({ units: 2, activation: 'sigmoid' }),
      ],
    });
    tfModel.layers.forEach((layer, i) => {
      const name = ['d1', 'lstm', 'd2'][i]!;
      const shapes = (mod.weightShapes as Record<string, Record<string, number[]>>)[name]!;
      setLayerWeights(layer, tfParamOrder(Object.keys(shapes)).map((p) => ({ data: weights[name]![p]!, shape: shapes[p]! })));
    });
    const [theirs] = tfPredict(tfModel, x, [B, T, F]);
    let nans = 0;
    let finite = 0;
    for (let i = 0; i < ours.length; i++) {
      expect(Number.isNaN(ours[i]!), `value ${i}`).toBe(Number.isNaN(theirs!.data[i]!));
      if (Number.isNaN(ours[i]!)) nans++;
      else {
        finite++;
        expect(Math.abs(ours[i]! - theirs!.data[i]!), `value ${i}`).toBeLessThanOrEqual(1e-5);
      }
    }
    // Row 0 and the first timestep of row 1 are finite, the rest of row 1 NaN; rows 2 and 3 finite; row 4 NaN from its last step.
    const row = T * 2;
    expect(ours.slice(0, row).every(Number.isFinite)).toBe(true);
    expect(ours.slice(row, row + 2).every(Number.isFinite)).toBe(true);
    expect(ours.slice(row + 2, 2 * row).every(Number.isNaN)).toBe(true);
    expect(ours.slice(2 * row, 4 * row).every(Number.isFinite)).toBe(true);
    expect(ours.slice(4 * row + 6, 5 * row).every(Number.isNaN)).toBe(true);
    expect(nans).toBeGreaterThan(0);
    expect(finite).toBeGreaterThan(0);
    tfModel.dispose();
  });
});

describe('batch 10,000', () => {
  const spec = 'name: big\ninputs:\n  x: { shape: [6, 3] }\nlayers:\n  - { type: Conv1D, filters: 4, kernel_size: 3, padding: same, activation: relu }\n  - { type: LSTM, units: 8, return_sequences: true }\n  - { type: GRU, units: 5 }\n  - { name: head, type: Dense, units: 2 }\n';
  it.each(engines)('engine %s: every row equals the same row run at batch 1', async (engine) => {
    const { module: mod } = await compileModule(spec);
    const model = new (mod.Model as unknown as ModelClass)(mod.initWeights(3), { engine });
    const B = 10_000, row = 6 * 3;
    const x = randomArray(B * row, 7);
    const started = performance.now();
    const all = model.predict({ x }).head!.slice();
    const ms = performance.now() - started;
    expect(all.length).toBe(B * 2);
    let worst = 0;
    for (let b = 0; b < B; b++) {
      const one = model.predict({ x: x.subarray(b * row, (b + 1) * row) }).head!;
      worst = Math.max(worst, Math.abs(one[0]! - all[2 * b]!), Math.abs(one[1]! - all[2 * b + 1]!));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
    console.log(`batch 10,000 on ${engine}: ${ms.toFixed(0)} ms, largest difference from batch-1 rows ${worst}`);
  }, 120_000);
});

describe('run-time lengths too short for a window', () => {
  const spec = 'name: m\ninputs:\n  x: { shape: [null, 2], batch_size: 1 }\nlayers:\n  - { name: conv, type: Conv1D, filters: 2, kernel_size: 3 }\n  - { name: pool, type: MaxPooling1D, pool_size: 2 }\n  - { type: GlobalAveragePooling1D }\n';
  it.each(engines)('engine %s: a RangeError naming the layer, the formula and the length', async (engine) => {
    const { module: mod } = await compileModule(spec);
    const model = new (mod.Model as unknown as ModelClass)(undefined, { engine });
    const run = (t: number) => () => model.predict({ x: new Float32Array(t * 2).fill(1) });
    expect(run(4)().global_average_pooling1d!.every(Number.isFinite)).toBe(true);
    expect(run(3)).toThrow(new RangeError('MaxPooling1D layer "pool" would output floor((time - 4) / 2) + 1 = 0 steps for time = 3: the input is too short for its window'));
    expect(run(2)).toThrow(new RangeError('Conv1D layer "conv" would output time - 2 = 0 steps for time = 2: the input is too short for its window'));
    expect(run(0)).toThrow(/input "x" has 0 values/);
    // A good length still works after the errors.
    expect(run(5)().global_average_pooling1d!.length).toBe(2);
  });
});

describe('setStates with a state of the wrong size', () => {
  const spec = (batch: string) => `name: s\ninputs:\n  x: { shape: [3, 2]${batch} }\nlayers:\n  - { name: rnn, type: LSTM, units: 2, return_sequences: true }\n  - { name: head, type: Dense, units: 1 }\n`;
  for (const batch of [', batch_size: 2', ''])
    it.each(engines)(`engine %s${batch ? ', fixed batch' : ', open batch'}: names the state and leaves the carried states as they were`, async (engine) => {
      const { module: mod } = await compileModule(spec(batch));
      const model = new (mod.Model as unknown as ModelClass)(mod.initWeights(1), { engine });
      model.step!({ x: randomArray(2 * 2, 3) });
      const before = model.getStates!();
      const good = new Float32Array(4).fill(0.5);
      expect(() => model.setStates!({ rnn: { h: new Float32Array(3), c: good } })).toThrow(new RangeError(`states.rnn.h has 3 values; expected ${batch ? '2 × 2' : 'a positive multiple of 2'} (batch × units)`));
      expect(model.getStates!()).toEqual(before);
      // h right and c wrong: h is not replaced either.
      expect(() => model.setStates!({ rnn: { h: good, c: new Float32Array(6) } })).toThrow(new RangeError('states.rnn.c has 6 values; expected 2 × 2 (batch × units)'));
      expect(model.getStates!()).toEqual(before);
      model.setStates!({ rnn: { h: good, c: good } });
      expect(Array.from(model.getStates!().rnn!.h!)).toEqual([0.5, 0.5, 0.5, 0.5]);
    });
});

async function cli(args: string[], files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-run-time-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  let out = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, color: false });
  return { code, out };
}

describe('through the command line', () => {
  const ids = 'name: e\ninputs:\n  ids: { shape: [2], dtype: int32 }\nlayers:\n  - { type: Embedding, input_dim: 4, output_dim: 2 }\n';
  it.each([
    ['1.5', 'ids[0][1] must be an integer, got 1.5.'],
    ['1e999', 'ids[0][1] must be an integer, got Infinity.'],
    ['-1e999', 'ids[0][1] must be an integer, got -Infinity.'],
  ])('modelc run: an int32 id of %s is refused, naming where', async (value, message) => {
    const { code, out } = await cli(['run', 'e.yaml', '--input', 'in.json'], { 'e.yaml': ids, 'in.json': `{"ids": [[1, ${value}]]}` });
    expect(code).toBe(1);
    expect(out).toContain(message);
  });

  it('modelc summary of an Embedding of 2^40 × 2^20: the exact figure, refused by the size limit', async () => {
    const spec = 'name: e\ninputs:\n  ids: { shape: [4], dtype: int32 }\nlayers:\n  - { name: e, type: Embedding, input_dim: 1099511627776, output_dim: 1048576 }\n';
    for (const format of [[], ['--format', 'json']]) {
      const { code, out } = await cli(['summary', 'e.yaml', ...format], { 'e.yaml': spec });
      expect(code).toBe(1);
      expect(out).toContain('error MC4021: Embedding layer "e" has a parameter "embeddings" of shape (1099511627776, 1048576): 1,152,921,504,606,846,976 values (4 EiB)');
      // 2^60 as a double prints 1152921504606847000: no such figure appears.
      expect(out).not.toMatch(/1152921504606847000|1\.15\d*e\+?18/);
    }
  });
});
