// Activation, Dropout and SpatialDropout1D: shape rules, errors, numbers against tfjs's
// activations, the identity at inference, inverted dropout in training, and the mask passed on as Keras passes it (these three
// and the normalization layers support masking; Flatten and Conv1D drop it). Keras 3.15's own
// numbers: test/fixtures/keras/{activation_layer,dropout_inference}.json.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const layer = (type: string, options: Record<string, unknown>, shape: readonly number[] = [4, 3], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'l', type, ...options }], { x: { shape, ...extra } }));

describe('Activation', () => {
  it('keeps the shape, on any rank', () => {
    expect(shapeOf(layer('Activation', { activation: 'relu' }, [5]), 'l')).toBe('(batch, 5)');
    expect(shapeOf(layer('Activation', { activation: 'softmax' }, [2, 4, 3]), 'l')).toBe('(batch, 2, 4, 3)');
  });

  it('errors: no activation (MC2001), an unknown one (MC2006), an int32 input (MC4004)', () => {
    expect(codesOf(build(spec([{ type: 'Activation' }])))).toEqual(['MC2001']);
    expect(codesOf(layer('Activation', { activation: 'relu7' }))).toEqual(['MC2006']);
    expect(codesOf(layer('Activation', { activation: 'relu' }, [3], { dtype: 'int32' }))).toEqual(['MC4004']);
  });

  it.each([
    ['relu', (x: tf.Tensor) => tf.relu(x)],
    ['sigmoid', (x: tf.Tensor) => tf.sigmoid(x)],
    ['tanh', (x: tf.Tensor) => tf.tanh(x)],
    ['elu', (x: tf.Tensor) => tf.elu(x)],
    ['selu', (x: tf.Tensor) => tf.selu(x)],
    ['softplus', (x: tf.Tensor) => tf.softplus(x)],
    ['exponential', (x: tf.Tensor) => tf.exp(x)],
    ['linear', (x: tf.Tensor) => x],
    ['softmax', (x: tf.Tensor) => tf.softmax(x)],
    ['log_softmax', (x: tf.Tensor) => tf.logSoftmax(x)],
  ])('%s matches tfjs (softmax over the last axis)', async (activation, oracle) => {
    const { inputs, outputs } = await run(spec([{ name: 'l', type: 'Activation', activation }], { x: { shape: [2, 4, 3] } }), 3);
    const expected = tf.tidy(() => oracle(tf.tensor(inputs.x!, [3, 2, 4, 3])).dataSync());
    expect(maxAbsDiff(outputs.l!, expected)).toBeLessThanOrEqual(1e-6);
  });

  it('null is the identity', async () => {
    const { inputs, outputs } = await run(spec([{ name: 'l', type: 'Activation', activation: null }]));
    expect([...outputs.l!]).toEqual([...inputs.x!]);
  });
});

describe('Dropout and SpatialDropout1D', () => {
  it('are the identity at inference, whatever the rate', async () => {
    for (const [type, rate] of [['Dropout', 0], ['Dropout', 0.5], ['Dropout', 1], ['SpatialDropout1D', 0.3]] as const) {
      const { inputs, outputs } = await run(spec([{ name: 'l', type, rate, seed: 3 }]));
      expect([...outputs.l!], `${type} ${rate}`).toEqual([...inputs.x!]);
    }
  });

  it('Dropout takes any rank and noise_shape; SpatialDropout1D needs (batch, steps, channels)', () => {
    expect(shapeOf(layer('Dropout', { rate: 0.2, noise_shape: [null, 1, 4, 1] }, [2, 4, 3]), 'l')).toBe('(batch, 2, 4, 3)');
    expect(shapeOf(layer('SpatialDropout1D', { rate: 0.2 }), 'l')).toBe('(batch, 4, 3)');
    expect(errorOf(layer('SpatialDropout1D', { rate: 0.2 }, [3])).message).toBe(
      'SpatialDropout1D layer "l" expects a 3-D input (batch, steps, channels). Received: a 2-D input of shape (batch, 3).',
    );
  });

  it('errors: a rate outside [0, 1] (MC2005), no rate (MC2001), noise_shape on SpatialDropout1D (MC2002)', () => {
    expect(codesOf(layer('Dropout', { rate: 1.5 }))).toEqual(['MC2005']);
    expect(codesOf(layer('Dropout', {}))).toEqual(['MC2001']);
    expect(codesOf(layer('SpatialDropout1D', { rate: 0.1, noise_shape: [1, 1, 3] }))).toEqual(['MC2002']);
  });
});

describe('Dropout and SpatialDropout1D in training (predict with { training: true })', () => {
  type Predict = (inputs: Record<string, Float32Array>, weights: unknown, options?: { training?: boolean; seed?: number }) => Record<string, Float32Array>;
  const ones = (n: number) => new Float32Array(n).fill(1);

  it('Dropout zeroes about `rate` of the elements and scales the rest by 1 / (1 - rate); inference stays the identity', async () => {
    const { module } = await run(spec([{ name: 'l', type: 'Dropout', rate: 0.25 }], { x: { shape: [50, 40] } }), 1);
    const predict = module.predict as unknown as Predict;
    const out = predict({ x: ones(2000) }, {}, { training: true, seed: 7 }).l!;
    const kept = out.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 2000 - 0.75)).toBeLessThan(0.03);
    expect([...predict({ x: ones(2000) }, {}, { training: true, seed: 7 }).l!]).toEqual([...out]);
    expect([...predict({ x: ones(2000) }, {}).l!]).toEqual([...ones(2000)]);
  });

  it('noise_shape shares one draw along its 1 axes; SpatialDropout1D drops whole channels', async () => {
    for (const layer of [{ type: 'Dropout', rate: 0.5, noise_shape: [null, 1, null] }, { type: 'SpatialDropout1D', rate: 0.5 }]) {
      const { module } = await run(spec([{ name: 'l', ...layer }], { x: { shape: [6, 20] } }), 2);
      const out = (module.predict as unknown as Predict)({ x: ones(2 * 6 * 20) }, {}, { training: true, seed: 3 }).l!;
      for (let b = 0; b < 2; b++) {
        for (let c = 0; c < 20; c++) {
          const column = Array.from({ length: 6 }, (_, t) => out[(b * 6 + t) * 20 + c]!);
          expect(new Set(column).size, `${layer.type} sample ${b} channel ${c}`).toBe(1);
          expect([0, 2]).toContain(column[0]);
        }
      }
    }
  });

  it('MC4017: a noise_shape that does not broadcast to the input', () => {
    const e = errorOf(layer('Dropout', { rate: 0.5, noise_shape: [null, 2, 3] }));
    expect(e.code).toBe('MC4017');
    expect(e.message).toBe('Dropout layer "l" expects a noise_shape that broadcasts to its input: 3 entries, each null, 1 or the input\'s dimension. Received: noise_shape=(null, 2, 3) for an input of shape (batch, 4, 3).');
  });
});

describe('masks', () => {
  // Masking marks steps 1 and 3 (all zeros); GlobalAveragePooling1D then averages steps 0 and 2.
  const x = Float32Array.from([1, 2, 0, 0, 3, 6, 0, 0]);
  const pooled = async (middle: Record<string, unknown>[]) => {
    const text = spec([{ type: 'Masking' }, ...middle, { name: 'pool', type: 'GlobalAveragePooling1D' }], { x: { shape: [4, 2] } });
    const { module } = await run(text, 1);
    return [...module.predict({ x }, module.initWeights()).pool!];
  };

  it('Dropout, SpatialDropout1D and Activation pass the mask on', async () => {
    expect(await pooled([{ type: 'Dropout', rate: 0.5 }])).toEqual([2, 4]);
    expect(await pooled([{ type: 'SpatialDropout1D', rate: 0.5 }])).toEqual([2, 4]);
    expect(await pooled([{ type: 'Activation', activation: 'linear' }])).toEqual([2, 4]);
  });

  it('Conv1D drops it, as in Keras (which warns that the layer destroys the mask)', async () => {
    const out = await pooled([{ type: 'Conv1D', filters: 2, kernel_size: 1, use_bias: false, kernel_initializer: 'ones' }]);
    // Unmasked: the mean over all four steps of (x0 + x1) per filter: (3 + 0 + 9 + 0) / 4.
    expect(out).toEqual([3, 3]);
  });
});
