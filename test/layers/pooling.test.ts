// MaxPooling1D, AveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling1D: Keras's shape rules
// (compute_pooling_output_shape, base_global_pooling) and errors, and numbers against tfjs's
// maxPool / avgPool (as 2-D pools of width 1; tfjs, like TensorFlow and Keras, leaves the padding
// out of a `same` average) and tf.max / tf.mean. Keras 3.15's own numbers:
// test/fixtures/keras/*pooling1d*.json.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, paramCountOf, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const layer = (type: string, options: Record<string, unknown> = {}, shape: readonly (number | null)[] = [7, 3]) => build(spec([{ name: 'pool', type, ...options }], { x: { shape } }));

describe('MaxPooling1D and AveragePooling1D shape rule', () => {
  it.each([
    [{}, '(batch, 3, 3)'],
    [{ pool_size: 3 }, '(batch, 2, 3)'],
    [{ pool_size: [3], strides: [1] }, '(batch, 5, 3)'],
    [{ pool_size: 3, strides: 2 }, '(batch, 3, 3)'],
    [{ padding: 'same' }, '(batch, 4, 3)'],
    [{ pool_size: 3, strides: 2, padding: 'same' }, '(batch, 4, 3)'],
    [{ pool_size: 3, strides: 1, padding: 'same' }, '(batch, 7, 3)'],
    [{ pool_size: 7 }, '(batch, 1, 3)'],
    [{ pool_size: 2, strides: null }, '(batch, 3, 3)'],
  ])('%j on (batch, 7, 3) -> %s', (options, expected) => {
    for (const type of ['MaxPooling1D', 'AveragePooling1D']) {
      const result = layer(type, options);
      expect(codesOf(result)).toEqual([]);
      expect(shapeOf(result, 'pool')).toBe(expected);
      expect(paramCountOf(result, 'pool')).toBe(0);
    }
  });

  it('MC4001: a 2-D input', () => {
    const e = errorOf(layer('MaxPooling1D', {}, [7]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('MaxPooling1D layer "pool" expects a 3-D input (batch, steps, channels). Received: a 2-D input of shape (batch, 7).');
  });

  it('MC4018: fewer steps than pool_size with padding valid', () => {
    const e = errorOf(layer('AveragePooling1D', { pool_size: 8 }));
    expect(e.code).toBe('MC4018');
    expect(e.message).toBe('AveragePooling1D layer "pool" expects at least 8 steps, the span of its window (pool_size=8), with padding "valid". Received: an input of shape (batch, 7, 3).');
    expect(codesOf(layer('AveragePooling1D', { pool_size: 8, padding: 'same' }))).toEqual([]);
  });

  it('schema errors: causal padding (Conv1D only), zero strides', () => {
    expect(codesOf(layer('MaxPooling1D', { padding: 'causal' }))).toEqual(['MC2006']);
    expect(codesOf(layer('MaxPooling1D', { strides: 0 }))).toEqual(['MC2005']);
  });
});

describe('GlobalMaxPooling1D and GlobalAveragePooling1D shape rule', () => {
  it.each([
    ['GlobalMaxPooling1D', {}, '(batch, 3)'],
    ['GlobalMaxPooling1D', { keepdims: true }, '(batch, 1, 3)'],
    ['GlobalAveragePooling1D', {}, '(batch, 3)'],
    ['GlobalAveragePooling1D', { keepdims: true }, '(batch, 1, 3)'],
  ])('%s %j on (batch, 7, 3) -> %s', (type, options, expected) => {
    expect(shapeOf(layer(type, options), 'pool')).toBe(expected);
  });

  it('MC4001: a 4-D input', () => {
    expect(errorOf(layer('GlobalAveragePooling1D', {}, [7, 3, 2])).message).toBe(
      'GlobalAveragePooling1D layer "pool" expects a 3-D input (batch, steps, channels). Received: a 4-D input of shape (batch, 7, 3, 2).',
    );
  });
});

describe('pooling numbers against tfjs', () => {
  it.each([
    [2, null, 'valid'],
    [3, 1, 'valid'],
    [3, 2, 'valid'],
    [2, null, 'same'],
    [3, 2, 'same'],
    [4, 1, 'same'],
    [5, 3, 'same'],
    [4, 4, 'same'],
  ] as const)('pool_size %i, strides %s, padding %s on (3, 9, 4)', async (size, strides, padding) => {
    for (const [type, pool] of [['MaxPooling1D', tf.maxPool], ['AveragePooling1D', tf.avgPool]] as const) {
      const { inputs, outputs } = await run(spec([{ name: 'pool', type, pool_size: size, strides, padding }], { x: { shape: [9, 4] } }), 3);
      const s = strides ?? size;
      const expected = tf.tidy(() => pool(tf.tensor4d(inputs.x!, [3, 9, 1, 4]), [size, 1], [s, 1], padding).dataSync());
      expect(maxAbsDiff(outputs.pool!, expected), type).toBeLessThanOrEqual(1e-6);
    }
  });

  it('global max and mean over the steps', async () => {
    for (const [type, reduce] of [['GlobalMaxPooling1D', tf.max], ['GlobalAveragePooling1D', tf.mean]] as const) {
      for (const keepdims of [false, true]) {
        const { inputs, outputs } = await run(spec([{ name: 'pool', type, keepdims }], { x: { shape: [9, 4] } }), 3);
        const expected = tf.tidy(() => reduce(tf.tensor3d(inputs.x!, [3, 9, 4]), 1, keepdims).dataSync());
        expect(maxAbsDiff(outputs.pool!, expected), type).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('GlobalAveragePooling1D averages only the steps an upstream mask keeps (Masking)', async () => {
    const text = spec([{ type: 'Masking', mask_value: 0 }, { name: 'pool', type: 'GlobalAveragePooling1D' }], { x: { shape: [4, 2] } });
    const { module } = await run(text, 1);
    // Steps 1 and 3 are all zeros: masked. The mean is over steps 0 and 2 only.
    const x = Float32Array.from([1, 2, 0, 0, 3, 6, 0, 0]);
    const out = module.predict({ x }, module.initWeights()).pool!;
    expect([...out]).toEqual([2, 4]);
  });
});
