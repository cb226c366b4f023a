// LSTM, Dense and TimeDistributed options compiled in memory and compared with tfjs on the same
// random weights and inputs. Tolerance everywhere: max |modelc - tfjs| <= 1e-5 (TOL), element-wise
// over every output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { GeneratedModule } from '../../src/load-module.ts';
import {
  compileModule, maxAbs, maxAbsDiff, nest, printSummary, randomArray, randomWeights, record, setLayerWeights, sizeOf, tf, tfAct, tfParamOrder, tfPredict,
} from './helpers.ts';

const TOL = 1e-5;
const FILE = 'lstm-options';

type Weights = Record<string, Record<string, Float32Array>>;
type LstmArgs = Parameters<typeof tf.layers.lstm>[0];

interface Oracle {
  readonly model: tf.LayersModel;
  /** modelc layer name (weights key) -> tfjs layer holding the same parameters. */
  readonly layers: Readonly<Record<string, tf.layers.Layer>>;
  /** modelc output names, in the order of the tfjs model's outputs. */
  readonly outputs: readonly string[];
}

interface Case {
  readonly label: string;
  /** The spec as a JS object, compiled as YAML text. */
  readonly spec: Record<string, unknown>;
  readonly oracle: () => Oracle;
  /** Batch rows to run (must equal batch_size when the spec fixes it). */
  readonly batch: number;
  readonly inputScale?: number;
  readonly weightScale?: number;
  readonly seed?: number;
  /** Weights to use instead of random ones (e.g. from loadWeights), and the module already compiled. */
  readonly weights?: Weights;
  readonly module?: GeneratedModule;
  /** Only measure (Run.diffs); the caller asserts. */
  readonly deferAsserts?: boolean;
  /** How to run modelc (default: the module's predict function). */
  readonly run?: (inputs: Record<string, Float32Array>, weights: Weights) => Record<string, Float32Array>;
}

interface Run {
  readonly module: GeneratedModule;
  readonly weights: Weights;
  readonly x: Float32Array;
  readonly ours: Record<string, Float32Array>;
  readonly theirs: Record<string, { data: Float32Array; shape: number[] }>;
  readonly maxDiff: number;
  /** max |modelc - tfjs| per output. */
  readonly diffs: Record<string, number>;
}

/** modelc's LSTM options (snake_case) as tfjs LSTM arguments; tfjs defaults replaced by Keras 3's. */
function tfLstmArgs(o: Record<string, unknown>): LstmArgs {
  return {
    units: o.units as number,
    activation: tfAct(o.activation === undefined ? 'tanh' : (o.activation as string | null)),
    // tfjs defaults to Keras 2's hardSigmoid; Keras 3 and modelc default to sigmoid.
    recurrentActivation: tfAct(o.recurrent_activation === undefined ? 'sigmoid' : (o.recurrent_activation as string | null)),
    useBias: (o.use_bias as boolean | undefined) ?? true,
    returnSequences: (o.return_sequences as boolean | undefined) ?? false,
    returnState: (o.return_state as boolean | undefined) ?? false,
    goBackwards: (o.go_backwards as boolean | undefined) ?? false,
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
  };
}

/** Compile, draw weights, run both implementations and compare every output (<= TOL). */
async function runCase(c: Case): Promise<Run> {
  const module = c.module ?? (await compileModule(stringify(c.spec))).module;
  const seed = c.seed ?? 1;
  const weights = c.weights ?? randomWeights(module.weightShapes, seed, c.weightScale ?? 0.5);
  const oracle = c.oracle();
  expect(Object.keys(oracle.layers).sort(), 'layers with weights').toEqual(Object.keys(module.weightShapes).sort());
  for (const [layer, shapes] of Object.entries(module.weightShapes)) {
    setLayerWeights(
      oracle.layers[layer]!,
      tfParamOrder(Object.keys(shapes)).map((n) => ({ data: weights[layer]![n]!, shape: shapes[n]! })),
    );
  }
  const [inputName, rawShape] = Object.entries(module.inputShapes)[0]!;
  const shape = rawShape.map((d, i) => (i === 0 ? c.batch : (d as number)));
  if (rawShape[0] !== null) expect(rawShape[0]).toBe(c.batch);
  const x = randomArray(sizeOf(shape), seed + 7, c.inputScale ?? 1);
  const ours = c.run ? c.run({ [inputName]: x }, weights) : module.predict({ [inputName]: x }, weights);
  // The WebAssembly engine on the same case (module.predict above is the TypeScript path).
  const wasmModel = c.run ? undefined : new module.Model(weights, { engine: 'wasm' });
  const oursWasm = wasmModel?.predict({ [inputName]: x }, { batch: c.batch });
  const list = tfPredict(oracle.model, x, shape);
  oracle.model.dispose();
  const theirs: Run['theirs'] = {};
  expect(Object.keys(ours).sort()).toEqual([...oracle.outputs].sort());
  let worst = 0;
  const diffs: Record<string, number> = {};
  oracle.outputs.forEach((name, i) => {
    const t = list[i]!;
    theirs[name] = t;
    expect(t.shape, `${name} shape`).toEqual(module.outputShapes[name]!.map((d, k) => (k === 0 ? c.batch : d)));
    const d = (diffs[name] = maxAbsDiff(ours[name]!, t.data));
    record(FILE, `${c.label} → ${name}`, d, maxAbs(t.data), TOL);
    if (oursWasm) expect(maxAbsDiff(oursWasm[name]!, t.data), `${c.label}: ${name}: max |modelc wasm - tfjs|`).toBeLessThanOrEqual(TOL);
    if (!c.deferAsserts) {
      expect(d, `${c.label}: ${name}: max |modelc - tfjs|`).toBeLessThanOrEqual(TOL);
      expect(maxAbs(t.data), `${c.label}: ${name} is not trivially small`).toBeGreaterThan(1e-3);
    }
    worst = Math.max(worst, d);
  });
  return { module, weights, x, ours, theirs, maxDiff: worst, diffs };
}

interface LstmShape {
  readonly timesteps: number;
  readonly features: number;
  /** The spec's batch_size; null: none (any batch). */
  readonly batchSize: number | null;
  /** Rows to run. */
  readonly batch: number;
}

/** One LSTM on input x; return_state adds the outputs lstm.h and lstm.c. */
function lstmCase(label: string, s: LstmShape, options: Record<string, unknown>, extra: Partial<Case> = {}): Case {
  const input: Record<string, unknown> = { shape: [s.timesteps, s.features] };
  if (s.batchSize !== null) input.batch_size = s.batchSize;
  const returnState = options.return_state === true;
  return {
    label,
    batch: s.batch,
    spec: {
      name: 'inline_lstm',
      inputs: { x: input },
      layers: [{ name: 'lstm', type: 'LSTM', ...options }],
      ...(returnState ? { outputs: ['lstm', 'lstm.h', 'lstm.c'] } : {}),
    },
    oracle() {
      const x = tf.input({ shape: [s.timesteps, s.features] });
      const lstm = tf.layers.lstm(tfLstmArgs(options));
      const y = lstm.apply(x) as tf.SymbolicTensor | tf.SymbolicTensor[];
      const outputs = Array.isArray(y) ? y : [y];
      return { model: tf.model({ inputs: x, outputs }), layers: { lstm }, outputs: returnState ? ['lstm', 'lstm_h', 'lstm_c'] : ['lstm'] };
    },
    ...extra,
  };
}

const fixed = (timesteps: number, features: number, batch: number): LstmShape => ({ timesteps, features, batchSize: batch, batch });

/** A float64 LSTM written from Keras 3's equations, for activations tfjs lacks (Keras 3 hard_sigmoid). */
function referenceLstm(
  x: Float32Array, B: number, T: number, F: number, U: number, w: Record<string, Float32Array>,
  act: (v: number) => number, rec: (v: number) => number,
): { h: Float64Array; c: Float64Array } {
  const h = new Float64Array(B * U);
  const c = new Float64Array(B * U);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const z = new Float64Array(4 * U);
      for (let g = 0; g < 4 * U; g++) {
        let s = w.bias ? w.bias[g]! : 0;
        for (let f = 0; f < F; f++) s += x[(b * T + t) * F + f]! * w.kernel![f * 4 * U + g]!;
        for (let u = 0; u < U; u++) s += h[b * U + u]! * w.recurrent_kernel![u * 4 * U + g]!;
        z[g] = s;
      }
      for (let u = 0; u < U; u++) {
        const i = rec(z[u]!), f = rec(z[U + u]!), g = act(z[2 * U + u]!), o = rec(z[3 * U + u]!);
        c[b * U + u] = f * c[b * U + u]! + i * g;
        h[b * U + u] = o * act(c[b * U + u]!);
      }
    }
  }
  return { h, c };
}

afterAll(() => printSummary(FILE));

describe('LSTM options vs tfjs (max abs diff <= 1e-5)', () => {
  describe('go_backwards', () => {
    it('return_sequences false: the last state after reading the input backwards (tol 1e-5)', async () => {
      await runCase(lstmCase('go_backwards', fixed(9, 3, 4), { units: 6, go_backwards: true }));
    });

    it('return_sequences true: the sequence in processing (reversed) order, as in Keras 3 and tfjs (tol 1e-5)', async () => {
      const T = 8, F = 3, U = 5, B = 3;
      const run = await runCase(
        lstmCase('go_backwards + return_sequences + return_state', fixed(T, F, B), { units: U, go_backwards: true, return_sequences: true, return_state: true }),
      );
      // tfjs itself: goBackwards(x) must equal a forward run on x reversed in time, step for step
      // (processing order), not that sequence flipped back.
      const forward = lstmCase('forward on reversed input', fixed(T, F, B), { units: U, return_sequences: true }, { weights: run.weights });
      const xr = new Float32Array(run.x.length);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) xr[(b * T + t) * F + f] = run.x[(b * T + (T - 1 - t)) * F + f]!;
      const oracle = forward.oracle();
      for (const [layer, shapes] of Object.entries(run.module.weightShapes)) {
        setLayerWeights(oracle.layers[layer]!, tfParamOrder(Object.keys(shapes)).map((n) => ({ data: run.weights[layer]![n]!, shape: shapes[n]! })));
      }
      const [tfForwardOnReversed] = tfPredict(oracle.model, xr, [B, T, F]);
      oracle.model.dispose();
      const tfBackwards = run.theirs.lstm!.data;
      expect(maxAbsDiff(tfBackwards, tfForwardOnReversed!.data), 'tfjs goBackwards = forward on reversed input').toBeLessThanOrEqual(1e-6);
      const flipped = new Float32Array(tfBackwards.length);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let u = 0; u < U; u++) flipped[(b * T + t) * U + u] = tfForwardOnReversed!.data[(b * T + (T - 1 - t)) * U + u]!;
      expect(maxAbsDiff(tfBackwards, flipped), 'the time order matters in this test').toBeGreaterThan(1e-3);
      // In processing order the last timestep of the sequence is the final state h.
      for (let b = 0; b < B; b++) {
        const last = run.ours.lstm!.subarray((b * T + T - 1) * U, (b * T + T) * U);
        expect(maxAbsDiff(last, run.ours.lstm_h!.subarray(b * U, (b + 1) * U))).toBe(0);
      }
    });
  });

  it('use_bias: false (tol 1e-5)', async () => {
    const run = await runCase(lstmCase('use_bias false', fixed(7, 4, 3), { units: 5, use_bias: false, return_sequences: true }));
    expect(Object.keys(run.module.weightShapes.lstm!).sort()).toEqual(['kernel', 'recurrent_kernel']);
  });

  describe('activation', () => {
    for (const activation of ['relu', 'sigmoid', null] as const) {
      it(`activation ${String(activation)} (tol 1e-5)`, async () => {
        await runCase(lstmCase(`activation ${String(activation)}`, fixed(6, 3, 2), { units: 4, activation, return_sequences: true, return_state: true }, { weightScale: 0.4 }));
      });
    }
  });

  describe('recurrent_activation', () => {
    for (const recurrent_activation of ['tanh', 'hard_sigmoid_keras2'] as const) {
      it(`recurrent_activation ${recurrent_activation} (tol 1e-5)`, async () => {
        await runCase(lstmCase(`recurrent_activation ${recurrent_activation}`, fixed(8, 2, 3), { units: 5, recurrent_activation, return_sequences: true, return_state: true }, { inputScale: 3, weightScale: 1 }));
      });
    }

    it('hard_sigmoid is Keras 3 relu6(x + 3) / 6, not tfjs hardSigmoid (float64 reference, tol 1e-5)', async () => {
      const T = 8, F = 2, U = 5, B = 3;
      const run = await runCase(
        lstmCase('recurrent_activation hard_sigmoid_keras2 (for the reference)', fixed(T, F, B), { units: U, recurrent_activation: 'hard_sigmoid_keras2', return_state: true }, { inputScale: 3, weightScale: 1, seed: 5 }),
      );
      const keras2 = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5));
      const keras3 = (v: number) => Math.min(6, Math.max(0, v + 3)) / 6;
      // The reference agrees with tfjs where both exist...
      const ref2 = referenceLstm(run.x, B, T, F, U, run.weights.lstm!, Math.tanh, keras2);
      expect(maxAbsDiff(ref2.h, run.theirs.lstm_h!.data), 'reference vs tfjs hardSigmoid').toBeLessThanOrEqual(TOL);
      // ...and gives Keras 3's hard_sigmoid, which modelc must follow.
      const { module } = await compileModule(stringify(lstmCase('', fixed(T, F, B), { units: U, recurrent_activation: 'hard_sigmoid', return_state: true }).spec));
      const ours = module.predict({ x: run.x }, run.weights);
      const ref3 = referenceLstm(run.x, B, T, F, U, run.weights.lstm!, Math.tanh, keras3);
      const d = Math.max(maxAbsDiff(ours.lstm_h!, ref3.h), maxAbsDiff(ours.lstm_c!, ref3.c));
      record(FILE, 'recurrent_activation hard_sigmoid vs float64 reference → lstm_h, lstm_c', d, maxAbs(ref3.c), TOL);
      expect(d).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(ours.lstm_h!, run.theirs.lstm_h!.data), 'Keras 3 and Keras 2 hard sigmoids differ here').toBeGreaterThan(1e-3);
    });
  });

  describe('sizes', () => {
    const sizes: [units: number, features: number, timesteps: number, batch: number][] = [
      [1, 1, 1, 1],
      [3, 5, 7, 1],
      [16, 4, 10, 3],
      [33, 2, 5, 2],
      [8, 11, 30, 2],
    ];
    for (const [U, F, T, B] of sizes) {
      it(`units ${U}, features ${F}, timesteps ${T}, batch ${B} (tol 1e-5)`, async () => {
        await runCase(lstmCase(`U${U} F${F} T${T} B${B}`, fixed(T, F, B), { units: U, return_sequences: true, return_state: true }, { weightScale: 1 / Math.sqrt(U) }));
      });
    }

    it('no batch_size: one module runs any number of rows (tol 1e-5)', async () => {
      const spec = lstmCase('dynamic batch', { timesteps: 6, features: 3, batchSize: null, batch: 1 }, { units: 4, return_sequences: true, return_state: true });
      const { module } = await compileModule(stringify(spec.spec));
      expect(module.inputShapes.x).toEqual([null, 6, 3]);
      expect(module.outputShapes.lstm).toEqual([null, 6, 4]);
      for (const batch of [1, 4, 9]) {
        await runCase({ ...spec, label: `dynamic batch, ${batch} rows`, batch, module, seed: batch });
      }
      const weights = randomWeights(module.weightShapes, 1);
      expect(() => module.predict({ x: new Float32Array(6 * 3 * 2 + 1) }, weights)).toThrow(RangeError);
      expect(() => module.predict({ x: new Float32Array(0) }, weights)).toThrow(RangeError);
    });

    it('a fixed batch_size rejects another number of rows', async () => {
      const { module } = await compileModule(stringify(lstmCase('', fixed(4, 2, 3), { units: 2 }).spec));
      expect(() => module.predict({ x: new Float32Array(2 * 4 * 2) }, randomWeights(module.weightShapes, 1))).toThrow(RangeError);
    });
  });

  it('stacked LSTM(return_sequences) -> LSTM (tol 1e-5)', async () => {
    await runCase({
      label: 'stacked LSTM',
      batch: 3,
      spec: {
        name: 'stacked',
        inputs: { x: { shape: [9, 3], batch_size: 3 } },
        layers: [
          { name: 'enc', type: 'LSTM', units: 7, return_sequences: true },
          { name: 'dec', type: 'LSTM', units: 4 },
        ],
      },
      oracle() {
        const enc = tf.layers.lstm(tfLstmArgs({ units: 7, return_sequences: true }));
        const dec = tf.layers.lstm(tfLstmArgs({ units: 4 }));
        const x = tf.input({ shape: [9, 3] });
        const y = dec.apply(enc.apply(x)) as tf.SymbolicTensor;
        return { model: tf.model({ inputs: x, outputs: y }), layers: { enc, dec }, outputs: ['dec'] };
      },
    });
  });
});

describe('Dense and TimeDistributed vs tfjs (max abs diff <= 1e-5)', () => {
  const activations = ['relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'silu', 'mish', 'gelu', 'hard_sigmoid_keras2', 'softmax', 'log_softmax', 'linear', null] as const;

  const denseCase = (label: string, shape: number[], units: number, options: Record<string, unknown>): Case => ({
    label,
    batch: 3,
    inputScale: 4, // reaches the saturated and the negative branches
    spec: { name: 'dense_case', inputs: { x: { shape } }, layers: [{ name: 'dense', type: 'Dense', units, ...options }] },
    oracle() {
      const dense = tf.layers.dense({
        units,
        activation: tfAct((options.activation ?? null) as string | null),
        useBias: (options.use_bias as boolean | undefined) ?? true,
        kernelInitializer: 'zeros',
      });
      const x = tf.input({ shape });
      return { model: tf.model({ inputs: x, outputs: dense.apply(x) as tf.SymbolicTensor }), layers: { dense }, outputs: ['dense'] };
    },
  });

  // One module per input rank with one Dense per activation, all on the input (compiling is the
  // slow part); each activation is then its own test.
  const layerName = (a: string | null) => `dense_${String(a)}`;
  const denseFan = (label: string, shape: number[]): Case => ({
    label,
    batch: 3,
    inputScale: 4, // reaches the saturated and the negative branches
    deferAsserts: true,
    spec: {
      name: 'dense_fan',
      inputs: { x: { shape } },
      layers: activations.map((activation) => ({ name: layerName(activation), type: 'Dense', units: 5, activation, input: 'x' })),
      outputs: activations.map(layerName),
    },
    oracle() {
      const x = tf.input({ shape });
      const layers: Record<string, tf.layers.Layer> = {};
      const outputs = activations.map((a) => {
        const d = (layers[layerName(a)] = tf.layers.dense({ units: 5, activation: tfAct(a), kernelInitializer: 'zeros' }));
        return d.apply(x) as tf.SymbolicTensor;
      });
      return { model: tf.model({ inputs: x, outputs }), layers, outputs: activations.map(layerName) };
    },
  });
  const fans: Record<string, Run> = {};
  beforeAll(async () => {
    fans['2-D'] = await runCase(denseFan('Dense, 2-D input', [6]));
    fans['3-D'] = await runCase(denseFan('Dense, 3-D input', [4, 6]));
  });
  for (const activation of activations) {
    it(`Dense activation ${String(activation)} on 2-D and 3-D inputs (tol 1e-5)`, () => {
      for (const rank of ['2-D', '3-D']) {
        const run = fans[rank]!;
        const name = layerName(activation);
        expect(run.diffs[name], `${rank}: ${name}: max |modelc - tfjs|`).toBeLessThanOrEqual(TOL);
        expect(maxAbs(run.theirs[name]!.data), `${rank}: ${name} is not trivially small`).toBeGreaterThan(1e-3);
      }
    });
  }

  it('Dense use_bias: false (tol 1e-5)', async () => {
    await runCase(denseCase('Dense use_bias false, 3-D', [4, 6], 5, { use_bias: false, activation: 'tanh' }));
  });

  for (const activation of ['relu', 'elu', 'sigmoid', 'softmax'] as const) {
    it(`LSTM(return_sequences) -> TimeDistributed(Dense(${activation})) (tol 1e-5)`, async () => {
      await runCase({
        label: `TimeDistributed(Dense ${activation})`,
        batch: 2,
        weightScale: 1,
        spec: {
          name: 'td',
          inputs: { x: { shape: [7, 3], batch_size: 2 } },
          layers: [
            { name: 'lstm', type: 'LSTM', units: 6, return_sequences: true },
            { name: 'head', type: 'TimeDistributed', layer: { type: 'Dense', units: 4, activation } },
          ],
        },
        oracle() {
          const lstm = tf.layers.lstm(tfLstmArgs({ units: 6, return_sequences: true }));
          const head = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4, activation: tfAct(activation), kernelInitializer: 'zeros' }) });
          const x = tf.input({ shape: [7, 3] });
          return { model: tf.model({ inputs: x, outputs: head.apply(lstm.apply(x)) as tf.SymbolicTensor }), layers: { lstm, head }, outputs: ['head'] };
        },
      });
    });
  }
});

describe('more graphs a Keras user would write, vs tfjs (max abs diff <= 1e-5)', () => {
  it('encoder-decoder: initial_state [enc.h, enc.c] (tol 1e-5)', async () => {
    await runCase({
      label: 'initial_state from another LSTM',
      batch: 3,
      spec: {
        name: 'enc_dec',
        inputs: { x: { shape: [6, 3] } },
        layers: [
          { name: 'enc', type: 'LSTM', units: 5, return_state: true },
          { name: 'dec', type: 'LSTM', units: 5, input: 'x', go_backwards: true, return_sequences: true, initial_state: ['enc.h', 'enc.c'] },
        ],
      },
      oracle() {
        const enc = tf.layers.lstm(tfLstmArgs({ units: 5, return_state: true }));
        const dec = tf.layers.lstm(tfLstmArgs({ units: 5, go_backwards: true, return_sequences: true }));
        const x = tf.input({ shape: [6, 3] });
        const [, h, c] = enc.apply(x) as tf.SymbolicTensor[];
        const y = dec.apply(x, { initialState: [h!, c!] }) as tf.SymbolicTensor;
        return { model: tf.model({ inputs: x, outputs: y }), layers: { enc, dec }, outputs: ['dec'] };
      },
    });
  });

  it('Dense on the cell state lstm.c, outputs as a map (tol 1e-5)', async () => {
    await runCase({
      label: 'Dense on lstm.c',
      batch: 2,
      spec: {
        name: 'on_c',
        inputs: { x: { shape: [5, 2] } },
        layers: [
          { name: 'lstm', type: 'LSTM', units: 4, return_sequences: true, return_state: true },
          { name: 'head', type: 'Dense', units: 3, activation: 'tanh', input: 'lstm.c' },
        ],
        outputs: { seq: 'lstm', cell_head: 'head' },
      },
      oracle() {
        const lstm = tf.layers.lstm(tfLstmArgs({ units: 4, return_sequences: true, return_state: true }));
        const head = tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: 'zeros' });
        const x = tf.input({ shape: [5, 2] });
        const [seq, , c] = lstm.apply(x) as tf.SymbolicTensor[];
        return { model: tf.model({ inputs: x, outputs: [seq!, head.apply(c!) as tf.SymbolicTensor] }), layers: { lstm, head }, outputs: ['seq', 'cell_head'] };
      },
    });
  });

  it('Dense and TimeDistributed(Dense) on a 4-D input (tol 1e-5)', async () => {
    const make = (wrapped: boolean): Case => ({
      label: wrapped ? 'TimeDistributed(Dense relu), 4-D' : 'Dense relu, 4-D',
      batch: 2,
      inputScale: 2,
      spec: {
        name: 'four_d',
        inputs: { x: { shape: [3, 4, 5] } },
        layers: [wrapped ? { name: 'd', type: 'TimeDistributed', layer: { type: 'Dense', units: 3, activation: 'relu' } } : { name: 'd', type: 'Dense', units: 3, activation: 'relu' }],
      },
      oracle() {
        const inner = tf.layers.dense({ units: 3, activation: 'relu', kernelInitializer: 'zeros' });
        const d = wrapped ? tf.layers.timeDistributed({ layer: inner }) : inner;
        const x = tf.input({ shape: [3, 4, 5] });
        return { model: tf.model({ inputs: x, outputs: d.apply(x) as tf.SymbolicTensor }), layers: { d }, outputs: ['d'] };
      },
    });
    await runCase(make(false));
    await runCase(make(true));
  });

  // A wrapped LSTM runs on batch × outer-time rows: its states must be sized by those rows
  // (a regression test: they once were sized by the batch alone and read past their end).
  it('TimeDistributed(LSTM) on (batch, outer time, inner time, features) (tol 1e-5)', async () => {
    await runCase({
      label: 'TimeDistributed(LSTM)',
      batch: 2,
      spec: {
        name: 'td_lstm',
        inputs: { x: { shape: [3, 4, 2] } },
        layers: [{ name: 'td', type: 'TimeDistributed', layer: { type: 'LSTM', units: 3, return_sequences: true } }],
      },
      oracle() {
        const td = tf.layers.timeDistributed({ layer: tf.layers.lstm(tfLstmArgs({ units: 3, return_sequences: true })) });
        const x = tf.input({ shape: [3, 4, 2] });
        return { model: tf.model({ inputs: x, outputs: td.apply(x) as tf.SymbolicTensor }), layers: { td }, outputs: ['td'] };
      },
    });
  });
});

describe('the generated Model class', () => {
  it('one instance, batch sizes 2, 5, 2, 1: the numbers of tfjs (tol 1e-5) and of predict()', async () => {
    const spec = {
      name: 'model_class',
      inputs: { x: { shape: [6, 3] } },
      layers: [
        { name: 'lstm', type: 'LSTM', units: 5, return_sequences: true, return_state: true },
        { name: 'head', type: 'TimeDistributed', layer: { type: 'Dense', units: 4, activation: 'softmax' } },
      ],
      outputs: ['head', 'lstm.h', 'lstm.c'],
    };
    const { module } = await compileModule(stringify(spec));
    const weights = randomWeights(module.weightShapes, 21);
    const model = new module.Model(weights);
    for (const [k, batch] of [2, 5, 2, 1].entries()) {
      const copy = (o: Record<string, Float32Array>) => Object.fromEntries(Object.entries(o).map(([n, a]) => [n, Float32Array.from(a)]));
      const run = await runCase({
        label: `Model.predict, call ${k + 1}, ${batch} rows`,
        spec,
        module,
        weights,
        batch,
        seed: 30 + k,
        run: (inputs) => copy(model.predict(inputs)),
        oracle() {
          const lstm = tf.layers.lstm(tfLstmArgs({ units: 5, return_sequences: true, return_state: true }));
          const head = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: 'zeros' }) });
          const x = tf.input({ shape: [6, 3] });
          const [seq, h, c] = lstm.apply(x) as tf.SymbolicTensor[];
          return { model: tf.model({ inputs: x, outputs: [head.apply(seq!) as tf.SymbolicTensor, h!, c!] }), layers: { lstm, head }, outputs: ['head', 'lstm_h', 'lstm_c'] };
        },
      });
      // States restart on every call: the same numbers as the predict() function (tol 1e-6).
      const direct = module.predict({ x: run.x }, weights);
      for (const name of Object.keys(direct)) expect(maxAbsDiff(run.ours[name]!, direct[name]!), name).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('loadWeights from nested arrays', () => {
  const spec = {
    name: 'load_case',
    inputs: { x: { shape: [5, 3], batch_size: 2 } },
    layers: [
      { name: 'lstm', type: 'LSTM', units: 4, return_sequences: true },
      { name: 'head', type: 'TimeDistributed', layer: { type: 'Dense', units: 2 } },
    ],
  };
  const oracle = (): Oracle => {
    const lstm = tf.layers.lstm(tfLstmArgs({ units: 4, return_sequences: true }));
    const head = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, kernelInitializer: 'zeros' }) });
    const x = tf.input({ shape: [5, 3] });
    return { model: tf.model({ inputs: x, outputs: head.apply(lstm.apply(x)) as tf.SymbolicTensor }), layers: { lstm, head }, outputs: ['head'] };
  };
  const toJson = (module: GeneratedModule, w: Weights) =>
    Object.fromEntries(Object.entries(module.weightShapes).map(([layer, shapes]) => [layer, Object.fromEntries(Object.entries(shapes).map(([p, s]) => [p, nest(w[layer]![p]!, s)]))])) as Record<string, Record<string, unknown>>;

  it('loaded weights equal the flat ones and give tfjs\'s numbers (tol 1e-5)', async () => {
    const { module } = await compileModule(stringify(spec));
    const flat = randomWeights(module.weightShapes, 3);
    const loaded = module.loadWeights(JSON.parse(JSON.stringify(toJson(module, flat)))) as Weights;
    for (const [layer, params] of Object.entries(flat)) {
      for (const [p, data] of Object.entries(params)) {
        expect(loaded[layer]![p], `${layer}.${p}`).toBeInstanceOf(Float32Array);
        expect(Array.from(loaded[layer]![p]!), `${layer}.${p}`).toEqual(Array.from(data));
      }
    }
    await runCase({ label: 'weights through loadWeights', spec, oracle, batch: 2, module, weights: loaded });
  });

  it('throws on a wrong shape, a missing parameter, an extra parameter or layer, a non-number', async () => {
    const { module } = await compileModule(stringify(spec));
    const good = () => toJson(module, randomWeights(module.weightShapes, 4));
    expect(() => module.loadWeights(good())).not.toThrow();

    const wrongRows = good();
    wrongRows.lstm!.kernel = (wrongRows.lstm!.kernel as unknown[]).slice(1); // (2, 16) instead of (3, 16)
    expect(() => module.loadWeights(wrongRows)).toThrow(/lstm.*kernel[\s\S]*3, 16/);

    const wrongCols = good();
    wrongCols.head!.kernel = (wrongCols.head!.kernel as number[][]).map((row) => [...row, 0]); // (4, 3) instead of (4, 2)
    expect(() => module.loadWeights(wrongCols)).toThrow(/head.*kernel[\s\S]*4, 2/);

    const wrongBias = good();
    wrongBias.lstm!.bias = [...(wrongBias.lstm!.bias as number[]), 0];
    expect(() => module.loadWeights(wrongBias)).toThrow(/lstm.*bias[\s\S]*16/);

    const transposed = good();
    transposed.lstm!.recurrent_kernel = nest(new Float32Array(16 * 4), [16, 4]);
    expect(() => module.loadWeights(transposed)).toThrow(/recurrent_kernel/);

    const missing = good();
    delete missing.lstm!.bias;
    expect(() => module.loadWeights(missing)).toThrow(/lstm[\s\S]*bias/);

    const missingLayer = good();
    delete missingLayer.head;
    expect(() => module.loadWeights(missingLayer)).toThrow(/head/);

    const extra = good();
    extra.head!.gamma = [1, 2];
    expect(() => module.loadWeights(extra)).toThrow(/head[\s\S]*gamma/);

    const extraLayer = good();
    extraLayer.dense = { kernel: [[1]] };
    expect(() => module.loadWeights(extraLayer)).toThrow(/dense/);

    const notNumber = good();
    (notNumber.head!.bias as unknown[])[1] = 'x';
    expect(() => module.loadWeights(notNumber)).toThrow(/head.*bias/);
  });
});

describe('identifiers from the spec', () => {
  // The spec allows any layer name of letters, digits, `_` and `-`. A layer called like a global the
  // generated predict() uses (Math, Float32Array) must not change the numbers.
  // The name allocator (src/emit/names.ts) reserves those globals, so no buffer shadows them.
  // `Mathematics` is the control: a name that shadows nothing.
  for (const name of ['Mathematics', 'Math', 'Float32Array']) {
    it(`a layer named ${name} gives tfjs's numbers (tol 1e-5)`, async () => {
      const c = lstmCase(`layer named ${name}`, fixed(4, 2, 2), { units: 3 });
      await runCase({
        ...c,
        spec: { ...c.spec, layers: [{ name, type: 'LSTM', units: 3 }] },
        oracle() {
          const o = c.oracle();
          return { ...o, layers: { [name]: o.layers.lstm! }, outputs: [name] };
        },
      });
    });
  }
});
