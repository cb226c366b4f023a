// Every committed seed model (generated/seed_*.ts) against the same model built in tfjs with the
// same weights (the module's own initWeights, in Keras layout) on seeded random inputs.
// Tolerance: max |modelc - tfjs| <= 1e-5 on every element of every output.
import { afterAll, describe, expect, it } from 'vitest';
import * as seedLstm from '../../generated/seed_lstm.ts';
import * as seedLstmDense from '../../generated/seed_lstm_dense.ts';
import * as seedLstmSequences from '../../generated/seed_lstm_sequences.ts';
import * as seedLstmSequencesDense from '../../generated/seed_lstm_sequences_dense.ts';
import * as seedLstmState from '../../generated/seed_lstm_state.ts';
import * as seedLstmTimeDistributed from '../../generated/seed_lstm_time_distributed.ts';
import * as seedLstmUnrolled from '../../generated/seed_lstm_unrolled.ts';
import { maxAbs, maxAbsDiff, printSummary, randomArray, record, setLayerWeights, sizeOf, tf, tfParamOrder, tfPredict } from './helpers.ts';

const TOL = 1e-5;
const FILE = 'seed-models';

/** What the test needs of a generated module, loosely typed so all seven fit. */
interface SeedModule {
  readonly inputShapes: { readonly x: readonly number[] };
  readonly outputShapes: Readonly<Record<string, readonly number[]>>;
  readonly weightShapes: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  initWeights(seed?: number): unknown;
  predict(inputs: never, weights: never): unknown;
  readonly Model: new (weights: never, options: { engine: 'wasm' | 'js' }) => { predict(inputs: never): Record<string, Float32Array> };
}

// The tfjs layers take zeros initializers: every weight is overwritten, and tfjs's orthogonal
// initializer would only cost time.
const lstmLayer = (units: number, extra: Partial<Parameters<typeof tf.layers.lstm>[0]> = {}) =>
  tf.layers.lstm({ units, recurrentActivation: 'sigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros', ...extra });
const denseLayer = (units: number) => tf.layers.dense({ units, kernelInitializer: 'zeros' });

interface Oracle {
  readonly model: tf.LayersModel;
  /** modelc weight key (layer name) -> the tfjs layer that holds those parameters. */
  readonly layers: Readonly<Record<string, tf.layers.Layer>>;
  /** modelc output names in the order of the tfjs model's outputs. */
  readonly outputs: readonly string[];
}

interface SeedCase {
  readonly name: string;
  readonly module: SeedModule;
  readonly oracle: () => Oracle;
}

const cases: SeedCase[] = [
  {
    name: 'seed_lstm',
    module: seedLstm as unknown as SeedModule,
    oracle() {
      const lstm = lstmLayer(20, { inputShape: [25, 1] });
      const model = tf.sequential({ layers: [lstm] });
      return { model, layers: { lstm }, outputs: ['lstm'] };
    },
  },
  {
    name: 'seed_lstm_dense',
    module: seedLstmDense as unknown as SeedModule,
    oracle() {
      const lstm = lstmLayer(20, { inputShape: [25, 1] });
      const dense = denseLayer(10);
      return { model: tf.sequential({ layers: [lstm, dense] }), layers: { lstm, dense }, outputs: ['dense'] };
    },
  },
  {
    name: 'seed_lstm_sequences',
    module: seedLstmSequences as unknown as SeedModule,
    oracle() {
      const lstm = lstmLayer(20, { inputShape: [25, 1], returnSequences: true });
      return { model: tf.sequential({ layers: [lstm] }), layers: { lstm }, outputs: ['lstm'] };
    },
  },
  {
    name: 'seed_lstm_sequences_dense',
    module: seedLstmSequencesDense as unknown as SeedModule,
    oracle() {
      const lstm = lstmLayer(20, { inputShape: [25, 1], returnSequences: true });
      const dense = denseLayer(10); // Dense on a 3-D input acts on the last axis
      return { model: tf.sequential({ layers: [lstm, dense] }), layers: { lstm, dense }, outputs: ['dense'] };
    },
  },
  {
    name: 'seed_lstm_state',
    module: seedLstmState as unknown as SeedModule,
    oracle() {
      const x = tf.input({ shape: [25, 1] });
      const lstm = lstmLayer(20, { returnSequences: true, returnState: true });
      const [seq, h, c] = lstm.apply(x) as tf.SymbolicTensor[];
      const head = tf.layers.timeDistributed({ layer: denseLayer(10) });
      const y = head.apply(seq!) as tf.SymbolicTensor;
      return { model: tf.model({ inputs: x, outputs: [seq!, h!, c!, y] }), layers: { lstm, head }, outputs: ['lstm', 'lstm_h', 'lstm_c', 'head'] };
    },
  },
  {
    name: 'seed_lstm_time_distributed',
    module: seedLstmTimeDistributed as unknown as SeedModule,
    oracle() {
      const lstm = lstmLayer(20, { inputShape: [25, 3], returnSequences: true });
      const td = tf.layers.timeDistributed({ layer: denseLayer(10) });
      return { model: tf.sequential({ layers: [lstm, td] }), layers: { lstm, time_distributed: td }, outputs: ['time_distributed'] };
    },
  },
  {
    name: 'seed_lstm_unrolled',
    module: seedLstmUnrolled as unknown as SeedModule,
    oracle() {
      // tfjs's imperative backend ignores unroll (and warns); the numbers must be those of the loop.
      const lstm = lstmLayer(20, { inputShape: [25, 1] });
      const dense = denseLayer(10);
      return { model: tf.sequential({ layers: [lstm, dense] }), layers: { lstm, dense }, outputs: ['dense'] };
    },
  },
];

describe('seed models vs tfjs (same weights, max abs diff <= 1e-5)', () => {
  afterAll(() => printSummary(FILE));

  it('covers every committed seed module', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(new URL('../../generated/', import.meta.url)).filter((f) => /^seed_.*\.ts$/.test(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  for (const c of cases) {
    for (const seed of [0, 12345]) {
      it(`${c.name}, initWeights(${seed})`, () => {
        const weights = c.module.initWeights(seed) as Record<string, Record<string, Float32Array>>;
        const oracle = c.oracle();
        expect(Object.keys(oracle.layers).sort()).toEqual(Object.keys(c.module.weightShapes).sort());
        for (const [layerName, shapes] of Object.entries(c.module.weightShapes)) {
          const names = tfParamOrder(Object.keys(shapes));
          for (const n of names) expect(weights[layerName]![n]!.length, `${layerName}.${n}`).toBe(sizeOf(shapes[n]!));
          setLayerWeights(
            oracle.layers[layerName]!,
            names.map((n) => ({ data: weights[layerName]![n]!, shape: shapes[n]! })),
          );
        }

        const inputShape = c.module.inputShapes.x;
        const x = randomArray(sizeOf(inputShape), 1000 + seed, 2);
        const ours = c.module.predict({ x } as never, weights as never) as Record<string, Float32Array>;
        // ... and the WebAssembly engine of the same module (module.predict is the TypeScript path)
        const oursWasm = new c.module.Model(weights as never, { engine: 'wasm' }).predict({ x } as never);
        const theirs = tfPredict(oracle.model, x, inputShape);
        oracle.model.dispose();

        expect(Object.keys(ours).sort()).toEqual([...oracle.outputs].sort());
        oracle.outputs.forEach((name, i) => {
          expect(theirs[i]!.shape, `${name} shape`).toEqual([...c.module.outputShapes[name]!]);
          const d = maxAbsDiff(ours[name]!, theirs[i]!.data);
          record(FILE, `${c.name}.${name} (seed ${seed})`, d, maxAbs(theirs[i]!.data), TOL);
          expect(d, `${c.name}.${name}: max |modelc - tfjs|`).toBeLessThanOrEqual(TOL);
          expect(maxAbsDiff(oursWasm[name]!, theirs[i]!.data), `${c.name}.${name}: max |modelc wasm - tfjs|`).toBeLessThanOrEqual(TOL);
          // The outputs are not trivially small, so the tolerance is meaningful.
          expect(maxAbs(theirs[i]!.data)).toBeGreaterThan(1e-2);
        });
      });
    }
  }
});
