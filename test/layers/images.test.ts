// The other 2-D layers: MaxPooling2D, AveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling2D,
// ZeroPadding2D, Cropping2D, UpSampling2D: their shape rules (Keras's, with run-time rows as
// formulas), errors and summaries' descriptions. Keras 3.15's numbers for each are in
// test/fixtures/keras/{max,average}_pooling2d*.json, global_*2d*.json, zero_padding2d*.json,
// cropping2d*.json and up_sampling2d*.json (run on both engines by test/keras/fixtures.test.ts).
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, shapeOf, spec } from './helpers.ts';

const layer = (type: string, options: Record<string, unknown> = {}, shape: readonly (number | null)[] = [7, 5, 3], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'l', type, ...options }], { x: { shape, ...extra } }));

describe('2-D pooling shape rules', () => {
  it.each([
    ['MaxPooling2D', {}, '(batch, 3, 2, 3)'],
    ['MaxPooling2D', { padding: 'same' }, '(batch, 4, 3, 3)'],
    ['MaxPooling2D', { pool_size: 3, strides: 1, padding: 'same' }, '(batch, 7, 5, 3)'],
    ['MaxPooling2D', { pool_size: [3, 2], strides: [2, 1] }, '(batch, 3, 4, 3)'],
    ['AveragePooling2D', { pool_size: 2 }, '(batch, 3, 2, 3)'],
    ['AveragePooling2D', { pool_size: [7, 5] }, '(batch, 1, 1, 3)'],
    ['GlobalMaxPooling2D', {}, '(batch, 3)'],
    ['GlobalAveragePooling2D', { keepdims: true }, '(batch, 1, 1, 3)'],
  ])('%s %j on (batch, 7, 5, 3) -> %s', (type, options, expected) => {
    const result = layer(type, options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'l')).toBe(expected);
  });

  it('run-time rows: a formula with valid padding, reduced away by global pooling', () => {
    expect(shapeOf(layer('MaxPooling2D', {}, [null, 5, 3], { batch_size: 2 }), 'l')).toBe('(2, floor((time - 2) / 2) + 1, 2, 3)');
    expect(shapeOf(layer('GlobalAveragePooling2D', {}, [null, 5, 3], { batch_size: 2 }), 'l')).toBe('(2, 3)');
  });

  it('MC6003: pooling with padding same and strides > 1 over run-time rows', () => {
    expect(codesOf(layer('AveragePooling2D', { pool_size: 2, padding: 'same' }, [null, 5, 3], { batch_size: 2 }))).toEqual(['MC6003']);
  });

  it('MC4040: a window larger than the image with padding valid', () => {
    const e = errorOf(layer('MaxPooling2D', { pool_size: [2, 6] }));
    expect(e.message).toBe('MaxPooling2D layer "l" expects at least 6 columns, the span of its window along them (pool_size=(2, 6)), with padding "valid". Received: an input of shape (batch, 7, 5, 3).');
    expect(e.hint).toBe('use `padding: same`, a smaller pool_size, or a longer input.');
  });

  it('MC2001: AveragePooling2D needs pool_size, as in Keras 3 (MaxPooling2D defaults to 2 × 2)', () => {
    expect(codesOf(layer('AveragePooling2D'))).toEqual(['MC2001']);
  });

  it('MC4001: a sequence where an image is expected, with the expected axes', () => {
    expect(errorOf(layer('GlobalMaxPooling2D', {}, [7, 3])).message).toBe('GlobalMaxPooling2D layer "l" expects a 4-D input (batch, rows, cols, channels). Received: a 3-D input of shape (batch, 7, 3).');
  });
});

describe('ZeroPadding2D, Cropping2D, UpSampling2D shape rules', () => {
  it.each([
    ['ZeroPadding2D', {}, '(batch, 9, 7, 3)'],
    ['ZeroPadding2D', { padding: 2 }, '(batch, 11, 9, 3)'],
    ['ZeroPadding2D', { padding: [2, 1] }, '(batch, 11, 7, 3)'],
    ['ZeroPadding2D', { padding: [[1, 2], [0, 3]] }, '(batch, 10, 8, 3)'],
    ['ZeroPadding2D', { padding: [1, [0, 3]] }, '(batch, 9, 8, 3)'],
    ['Cropping2D', {}, '(batch, 7, 5, 3)'],
    ['Cropping2D', { cropping: 1 }, '(batch, 5, 3, 3)'],
    ['Cropping2D', { cropping: [[1, 0], [2, 1]] }, '(batch, 6, 2, 3)'],
    ['UpSampling2D', {}, '(batch, 14, 10, 3)'],
    ['UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }, '(batch, 14, 15, 3)'],
  ])('%s %j on (batch, 7, 5, 3) -> %s', (type, options, expected) => {
    const result = layer(type, options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'l')).toBe(expected);
  });

  it('keep run-time rows as formulas', () => {
    expect(shapeOf(layer('ZeroPadding2D', {}, [null, 5, 3], { batch_size: 2 }), 'l')).toBe('(2, time + 2, 7, 3)');
    expect(shapeOf(layer('Cropping2D', { cropping: 1 }, [null, 5, 3], { batch_size: 2 }), 'l')).toBe('(2, time - 2, 3, 3)');
    expect(shapeOf(layer('UpSampling2D', {}, [null, 5, 3], { batch_size: 2 }), 'l')).toBe('(2, time * 2, 10, 3)');
  });

  it('MC4041: a crop that leaves no column', () => {
    const e = errorOf(layer('Cropping2D', { cropping: [[0, 0], [3, 2]] }));
    expect(e.code).toBe('MC4041');
    expect(e.message).toBe('Cropping2D layer "l" crops 5 columns from an input of 5 columns, which leaves none. Received: an input of shape (batch, 7, 5, 3).');
    expect(e.hint).toBe('crop fewer than 5 columns in all.');
  });

  it("MC2006: an interpolation Keras has but modelc does not (bicubic, lanczos), listing the two it has", () => {
    const e = errorOf(layer('UpSampling2D', { interpolation: 'bicubic' }));
    expect(e.code).toBe('MC2006');
    expect(e.message).toContain('nearest');
    expect(e.message).toContain('bilinear');
  });

  it('schema errors: a negative padding, three entries', () => {
    expect(codesOf(layer('ZeroPadding2D', { padding: -1 }))).not.toEqual([]);
    expect(codesOf(layer('Cropping2D', { cropping: [1, 1, 1] }))).not.toEqual([]);
  });
});

describe('descriptions (generated comments, plot)', () => {
  it.each([
    ['Conv2D', { filters: 8, kernel_size: 3, strides: [2, 1], padding: 'same', activation: 'relu' }, 'Conv2D(8, kernel_size=(3, 3), strides=(2, 1), padding=same, activation=relu)'],
    ['MaxPooling2D', { pool_size: 3, strides: 1 }, 'MaxPooling2D(pool_size=(3, 3), strides=(1, 1))'],
    ['ZeroPadding2D', { padding: [2, 1] }, 'ZeroPadding2D(padding=((2, 2), (1, 1)))'],
    ['UpSampling2D', { interpolation: 'bilinear' }, 'UpSampling2D(size=(2, 2), interpolation=bilinear)'],
  ])('%s %j', (type, options, expected) => {
    const result = layer(type, options);
    const node = result.graph!.layers[0]!;
    expect(node.def.describe(node.config)).toBe(expected);
  });
});
