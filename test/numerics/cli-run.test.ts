// The foundation's acceptance check: `modelc run` on the seed's return_state model, with a weights
// file and an input file, prints outputs that match Keras's computation through tfjs (cpu backend,
// recurrentActivation 'sigmoid' as in Keras 3) to 1e-5.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { maxAbsDiff, nest, randomArray, setLayerWeights, tf } from './helpers.ts';

const TOLERANCE = 1e-5;
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

describe('modelc run models/seed_lstm_state.yaml', () => {
  it('matches tfjs to 1e-5 on every output (sequence, h, c, TimeDistributed head)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-run-'));
    const weights = {
      lstm: { kernel: randomArray(80, 1, 0.5), recurrent_kernel: randomArray(1600, 2, 0.5), bias: randomArray(80, 3, 0.5) },
      head: { kernel: randomArray(200, 4, 0.5), bias: randomArray(10, 5, 0.5) },
    };
    const x = randomArray(32 * 25, 6);
    writeFileSync(join(dir, 'weights.json'), JSON.stringify({
      lstm: { kernel: nest(weights.lstm.kernel, [1, 80]), recurrent_kernel: nest(weights.lstm.recurrent_kernel, [20, 80]), bias: Array.from(weights.lstm.bias) },
      head: { kernel: nest(weights.head.kernel, [20, 10]), bias: Array.from(weights.head.bias) },
    }));
    writeFileSync(join(dir, 'input.json'), JSON.stringify({ x: nest(x, [32, 25, 1]) }));
    let out = '';
    const code = await main(['run', resolve('models/seed_lstm_state.yaml'), '--input', 'input.json', '--weights', 'weights.json'], { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, color: false });
    expect(code, out).toBe(0);
    const result = JSON.parse(out) as Record<string, unknown>;

    // The same model in tfjs, with the same weights.
    const input = tf.input({ batchShape: [32, 25, 1] });
    const lstm = tf.layers.lstm({ units: 20, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' });
    const [sequence, h, c] = lstm.apply(input) as tf.SymbolicTensor[];
    const head = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 10 }) });
    const model = tf.model({ inputs: input, outputs: [sequence!, h!, c!, head.apply(sequence!) as tf.SymbolicTensor] });
    setLayerWeights(lstm, [{ data: weights.lstm.kernel, shape: [1, 80] }, { data: weights.lstm.recurrent_kernel, shape: [20, 80] }, { data: weights.lstm.bias, shape: [80] }]);
    setLayerWeights(head, [{ data: weights.head.kernel, shape: [20, 10] }, { data: weights.head.bias, shape: [10] }]);
    const expected = tf.tidy(() => (model.predict(tf.tensor3d(x, [32, 25, 1])) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array));

    const names = ['lstm', 'lstm_h', 'lstm_c', 'head'];
    expect(Object.keys(result)).toEqual(names);
    names.forEach((name, i) => expect(maxAbsDiff(flat(result[name]), expected[i]!), name).toBeLessThanOrEqual(TOLERANCE));
  });
});
