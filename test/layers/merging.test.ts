// Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum: Keras's shape rules and errors
// (merging/base_merge.py, concatenate.py, subtract.py) and numbers against tfjs's concat, add,
// sub, mul, maximum, minimum (which broadcast as NumPy, as Keras's merges do). Keras 3.15's own
// numbers: test/fixtures/keras/{concatenate,concatenate_axis1,concatenate_lstm_states,add,add_three}.json.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const merge = (type: string, shapes: readonly (readonly (number | null)[])[], options: Record<string, unknown> = {}) =>
  build(spec([{ name: 'm', type, inputs: shapes.map((_, i) => `x${i}`), ...options }], Object.fromEntries(shapes.map((shape, i) => [`x${i}`, { shape }]))));

describe('Concatenate shape rule', () => {
  it.each([
    [[[4, 3], [4, 2]], {}, '(batch, 4, 5)'],
    [[[4, 3], [2, 3]], { axis: 1 }, '(batch, 6, 3)'],
    [[[4, 3], [2, 3]], { axis: -2 }, '(batch, 6, 3)'],
    [[[3], [2], [1]], {}, '(batch, 6)'],
    [[[2, 3, 4], [2, 1, 4]], { axis: 2 }, '(batch, 2, 4, 4)'],
    [[[5]], {}, '(batch, 5)'],
  ])('%j %j -> %s', (shapes, options, expected) => {
    const result = merge('Concatenate', shapes, options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'm')).toBe(expected);
  });

  it('MC4013: shapes that differ off the concatenation axis', () => {
    const e = errorOf(merge('Concatenate', [[4, 3], [5, 2]]));
    expect(e.code).toBe('MC4013');
    expect(e.message).toBe('Concatenate layer "m" expects inputs with matching shapes except along the concatenation axis -1. Received: inputs of shape (batch, 4, 3), (batch, 5, 2), which differ on axis 1 (4 vs 5).');
    expect(e.hint).toBe('make axis 1 equal, or join along axis 1 instead.');
  });

  it('MC4001: inputs of different ranks, or an axis they do not have', () => {
    expect(errorOf(merge('Concatenate', [[4, 3], [3]])).message).toBe('Concatenate layer "m" expects inputs of one rank. Received: inputs of shape (batch, 4, 3), (batch, 3).');
    expect(errorOf(merge('Concatenate', [[4, 3], [4, 3]], { axis: 3 })).message).toBe('Concatenate layer "m" joins along axis 3, which 3-D inputs do not have. Received: inputs of shape (batch, 4, 3), (batch, 4, 3).');
  });

  it('MC4012: the batch axis', () => {
    expect(errorOf(merge('Concatenate', [[4, 3], [4, 3]], { axis: 0 })).code).toBe('MC4012');
  });

  it('MC4004: inputs of different dtypes', () => {
    const result = build(spec([{ name: 'm', type: 'Concatenate', inputs: ['a', 'b'] }], { a: { shape: [3] }, b: { shape: [3], dtype: 'int32' } }));
    expect(codesOf(result)).toEqual(['MC4004']);
  });
});

describe('element-wise merges: shape rule', () => {
  const kinds = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'];

  it.each([
    [[[4, 3], [4, 3]], '(batch, 4, 3)'],
    [[[4, 3], [1, 3]], '(batch, 4, 3)'],
    [[[4, 3], [3]], '(batch, 4, 3)'],
    [[[4, 1], [1, 3]], '(batch, 4, 3)'],
    [[[1], [4, 3]], '(batch, 4, 3)'],
  ])('%j -> %s (NumPy broadcasting over the axes after the batch, as Keras)', (shapes, expected) => {
    for (const type of kinds) expect(shapeOf(merge(type, shapes), 'm'), type).toBe(expected);
  });

  it('takes any number of inputs, but Subtract exactly two (MC3006)', () => {
    expect(shapeOf(merge('Add', [[3], [3], [3], [3]]), 'm')).toBe('(batch, 3)');
    expect(codesOf(merge('Subtract', [[3], [3], [3]]))).toEqual(['MC3006']);
    expect(errorOf(merge('Subtract', [[3], [3], [3]])).message).toBe('Subtract layer "m" takes 2 inputs. Received: 3 (x0, x1, x2).');
  });

  it('MC4015: shapes that do not broadcast', () => {
    const e = errorOf(merge('Add', [[4, 3], [4, 2]]));
    expect(e.code).toBe('MC4015');
    expect(e.message).toBe('Add layer "m" expects inputs of one shape, or shapes that broadcast (each dimension equal or 1). Received: inputs of shape (batch, 4, 3), (batch, 4, 2), which differ on axis -1 (3 vs 2).');
    expect(errorOf(merge('Multiply', [[4, 3], [5, 3]])).message).toContain('which differ on axis -2 (4 vs 5)');
  });

  it('MC3012: inputs with different fixed batch sizes (refused for the whole model, before the shape rule)', () => {
    const result = build(spec([{ name: 'm', type: 'Add', inputs: ['a', 'b'] }], { a: { shape: [3], batch_size: 2 }, b: { shape: [3], batch_size: 3 } }));
    expect(codesOf(result)).toEqual(['MC3012']);
    expect(errorOf(result).message).toBe('Input "b" has batch_size 3, but input "a" has batch_size 2: every input of a model carries the same batch.');
  });

  it('MC4004: an int32 input', () => {
    const result = build(spec([{ name: 'm', type: 'Maximum', inputs: ['a', 'b'] }], { a: { shape: [3] }, b: { shape: [3], dtype: 'int32' } }));
    expect(codesOf(result)).toEqual(['MC4004']);
  });
});

describe('merge numbers against tfjs', () => {
  const oracles: Record<string, (xs: tf.Tensor[]) => tf.Tensor> = {
    Add: (xs) => xs.reduce((a, b) => tf.add(a, b)),
    Subtract: ([a, b]) => tf.sub(a!, b!),
    Multiply: (xs) => xs.reduce((a, b) => tf.mul(a, b)),
    Average: (xs) => tf.div(xs.reduce((a, b) => tf.add(a, b)), xs.length),
    Maximum: (xs) => xs.reduce((a, b) => tf.maximum(a, b)),
    Minimum: (xs) => xs.reduce((a, b) => tf.minimum(a, b)),
  };

  /** Shapes padded with leading 1s after the batch, as Keras's merge call expands them. */
  const asTensor = (data: Float32Array, shape: readonly number[], rank: number) => tf.tensor(data, [3, ...Array<number>(rank - shape.length).fill(1), ...shape]);

  it.each([
    [[[4, 3], [4, 3]]],
    [[[4, 3], [4, 3], [4, 3]]],
    [[[4, 3], [1, 3]]],
    [[[4, 3], [3]]],
    [[[2, 4, 1], [3], [4, 1]]],
  ])('%j', async (shapes) => {
    for (const [type, oracle] of Object.entries(oracles)) {
      if (type === 'Subtract' && shapes.length !== 2) continue;
      const text = spec([{ name: 'm', type, inputs: shapes.map((_, i) => `x${i}`) }], Object.fromEntries(shapes.map((shape, i) => [`x${i}`, { shape }])));
      const { inputs, outputs } = await run(text, 3);
      const rank = Math.max(...shapes.map((s) => s.length));
      const expected = tf.tidy(() => oracle(shapes.map((s, i) => asTensor(inputs[`x${i}`]!, s, rank))).dataSync());
      expect(maxAbsDiff(outputs.m!, expected), type).toBeLessThanOrEqual(1e-6);
    }
  });

  it.each([
    [[[4, 3], [4, 2]], -1],
    [[[4, 3], [2, 3], [1, 3]], 1],
    [[[2, 3, 4], [2, 1, 4]], 2],
    [[[2, 3, 4], [2, 3, 1]], -1],
  ])('Concatenate %j along axis %i matches tf.concat', async (shapes, axis) => {
    const text = spec([{ name: 'm', type: 'Concatenate', axis, inputs: shapes.map((_, i) => `x${i}`) }], Object.fromEntries(shapes.map((shape, i) => [`x${i}`, { shape }])));
    const { inputs, outputs } = await run(text, 3);
    const expected = tf.tidy(() => tf.concat(shapes.map((s, i) => tf.tensor(inputs[`x${i}`]!, [3, ...s])), axis).dataSync());
    expect([...outputs.m!]).toEqual([...expected]);
  });
});
