// Conv2D: Keras's shape rule (compute_conv_output_shape on each spatial axis), its config and
// input errors, and its parameters in Keras's layout. Keras 3.15's numbers for every padding,
// stride, dilation, groups and activation case are in test/fixtures/keras/conv2d_*.json (run on
// both engines by test/keras/fixtures.test.ts); here tfjs's conv2d is a second oracle on a
// larger random case.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, paramCountOf, paramsOf, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const conv = (options: Record<string, unknown>, shape: readonly (number | null)[] = [7, 6, 2], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'conv', type: 'Conv2D', filters: 3, kernel_size: 3, ...options }], { x: { shape, ...extra } }));

describe('Conv2D shape rule', () => {
  it.each([
    [{}, '(batch, 5, 4, 3)'],
    [{ kernel_size: [3, 2] }, '(batch, 5, 5, 3)'],
    [{ padding: 'same' }, '(batch, 7, 6, 3)'],
    [{ strides: 2 }, '(batch, 3, 2, 3)'],
    [{ strides: [2, 1], padding: 'same' }, '(batch, 4, 6, 3)'],
    [{ kernel_size: 4, strides: 2, padding: 'same' }, '(batch, 4, 3, 3)'],
    [{ dilation_rate: 2 }, '(batch, 3, 2, 3)'],
    [{ dilation_rate: [1, 2], padding: 'same' }, '(batch, 7, 6, 3)'],
    [{ kernel_size: [7, 6] }, '(batch, 1, 1, 3)'],
    [{ kernel_size: 1, filters: 5 }, '(batch, 7, 6, 5)'],
    [{ filters: 4, groups: 2 }, '(batch, 5, 4, 4)'],
  ])('%j on (batch, 7, 6, 2) -> %s', (options, expected) => {
    const result = conv(options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'conv')).toBe(expected);
  });

  it('keeps a fixed batch size', () => {
    expect(shapeOf(conv({}, [7, 6, 2], { batch_size: 4 }), 'conv')).toBe('(4, 5, 4, 3)');
  });

  it('turns a run-time number of rows into a formula (valid, same with strides 1, strides)', () => {
    expect(shapeOf(conv({}, [null, 6, 2], { batch_size: 2 }), 'conv')).toBe('(2, time - 2, 4, 3)');
    expect(shapeOf(conv({ padding: 'same' }, [null, 6, 2], { batch_size: 2 }), 'conv')).toBe('(2, time, 6, 3)');
    expect(shapeOf(conv({ strides: 2 }, [null, 6, 2], { batch_size: 2 }), 'conv')).toBe('(2, floor((time - 3) / 2) + 1, 2, 3)');
    expect(shapeOf(conv({ strides: [1, 2] }, [7, null, 2], { batch_size: 2 }), 'conv')).toBe('(2, 5, floor((dim2 - 3) / 2) + 1, 3)');
  });

  it('is stepwise (streams with an LSTM after it) only for one-row kernels moved one row at a time', () => {
    const def = build(spec([{ type: 'Conv2D', filters: 1, kernel_size: 1 }], { x: { shape: [4, 4, 1] } })).graph!.layers[0]!.def;
    expect(def.stepwise({ filters: 1, kernel_size: [1, 3], strides: 1, padding: 'valid', dilation_rate: 1, groups: 1 }, [])).toBe(true);
    expect(def.stepwise({ filters: 1, kernel_size: 3, strides: 1, padding: 'valid', dilation_rate: 1, groups: 1 }, [])).toBe(false);
  });
});

describe('Conv2D errors', () => {
  it('MC4001: a 3-D input (no channels axis)', () => {
    const e = errorOf(conv({}, [7, 6]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('Conv2D layer "conv" expects a 4-D input (batch, rows, cols, channels). Received: a 3-D input of shape (batch, 7, 6).');
  });

  it('MC4001: frames of images without TimeDistributed', () => {
    expect(errorOf(conv({}, [8, 7, 6, 2])).message).toBe('Conv2D layer "conv" expects a 4-D input (batch, rows, cols, channels). Received: a 5-D input of shape (batch, 8, 7, 6, 2).');
  });

  it('MC4040: an image smaller than the window with padding valid, naming the axis', () => {
    const rows = errorOf(conv({ kernel_size: 3, dilation_rate: 4 }));
    expect(rows.code).toBe('MC4040');
    expect(rows.message).toBe('Conv2D layer "conv" expects at least 9 rows, the span of its window along them (kernel_size=(3, 3), dilation_rate=(4, 4)), with padding "valid". Received: an input of shape (batch, 7, 6, 2).');
    expect(rows.hint).toContain('padding: same');
    expect(errorOf(conv({ kernel_size: [2, 7] })).message).toContain('expects at least 7 columns');
  });

  it('MC4019: input channels not divisible by groups', () => {
    expect(errorOf(conv({ filters: 6, groups: 3 }, [7, 6, 4])).message).toBe('Conv2D layer "conv" expects input channels divisible by groups=3. Received: 4 channels, in an input of shape (batch, 7, 6, 4).');
  });

  it('MC2008: filters not divisible by groups; strides > 1 with dilation_rate > 1 on any axes', () => {
    expect(errorOf(conv({ filters: 5, groups: 2 }, [7, 6, 4])).message).toBe('Conv2D layer "conv" expects filters divisible by groups. Received: filters=5, groups=2.');
    expect(errorOf(conv({ strides: [2, 1], dilation_rate: [1, 2] })).message).toBe('Conv2D layer "conv" cannot combine strides > 1 with dilation_rate > 1 (Keras does not support it). Received: strides=(2, 1), dilation_rate=(1, 2).');
  });

  it('MC4010: channels known only at run time', () => {
    expect(codesOf(conv({}, [7, 6, null], { batch_size: 2 }))).toEqual(['MC4010']);
  });

  it('MC6003: same padding with strides > 1 over a run-time number of rows', () => {
    const e = errorOf(conv({ padding: 'same', strides: 2 }, [null, 6, 2], { batch_size: 2 }));
    expect(e.code).toBe('MC6003');
    expect(e.message).toContain('Conv2D layer "conv" pads a run-time length time with `padding: same` and strides 2');
  });

  it('schema errors: causal padding (Conv1D only), three sizes, a zero kernel_size, channels_first, a missing filters', () => {
    expect(codesOf(conv({ padding: 'causal' }))).toEqual(['MC2006']);
    expect(codesOf(conv({ kernel_size: [3, 3, 3] }))).not.toEqual([]);
    expect(codesOf(conv({ kernel_size: 0 }))).toEqual(['MC2005']);
    expect(codesOf(conv({ data_format: 'channels_first' }))).toEqual(['MC2006']);
    expect(codesOf(build(spec([{ type: 'Conv2D', kernel_size: 3 }], { x: { shape: [7, 6, 2] } })))).toEqual(['MC2001']);
  });

  it('MC4004: an int32 input', () => {
    expect(codesOf(conv({}, [7, 6, 2], { dtype: 'int32' }))).toEqual(['MC4004']);
  });
});

describe('Conv2D parameters', () => {
  it("kernel (rows, cols, channels, filters) and bias (filters), Keras's layout", () => {
    const result = conv({ filters: 5, kernel_size: [3, 2] });
    expect(paramsOf(result, 'conv')).toEqual({ kernel: [3, 2, 2, 5], bias: [5] });
    expect(paramCountOf(result, 'conv')).toBe(65);
  });

  it('with groups, kernel (rows, cols, channels / groups, filters); no bias with use_bias: false', () => {
    expect(paramsOf(conv({ filters: 6, groups: 2 }, [7, 6, 4]), 'conv')).toEqual({ kernel: [3, 3, 2, 6], bias: [6] });
    expect(paramsOf(conv({ use_bias: false }), 'conv')).toEqual({ kernel: [3, 3, 2, 3] });
  });
});

describe('Conv2D numbers against tfjs', () => {
  it.each([
    [{ padding: 'valid' }],
    [{ padding: 'same', strides: 2 }],
    [{ padding: 'same', kernel_size: [4, 3], strides: [2, 1] }],
    [{ padding: 'valid', dilation_rate: [2, 1] }],
  ])('%j on (3, 9, 8, 3) within 1e-5', async (options) => {
    const { inputs, weights, outputs } = await run(spec([{ name: 'conv', type: 'Conv2D', filters: 4, kernel_size: 3, ...options }], { x: { shape: [9, 8, 3] } }), 3);
    const o = options as { padding: 'valid' | 'same'; kernel_size?: number | number[]; strides?: number | number[]; dilation_rate?: number | number[] };
    const pair = (v: number | number[] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]);
    const [kh, kw] = pair(o.kernel_size, 3);
    const expected = tf.tidy(() => {
      const y = tf.conv2d(tf.tensor4d(inputs.x!, [3, 9, 8, 3]), tf.tensor4d(weights.conv!.kernel!, [kh, kw, 3, 4]), pair(o.strides, 1), o.padding, 'NHWC', pair(o.dilation_rate, 1));
      return tf.add(y, tf.tensor1d(weights.conv!.bias!)).dataSync() as Float32Array;
    });
    expect(maxAbsDiff(outputs.conv!, expected)).toBeLessThan(1e-5);
  });
});
