// Conv1D: Keras's shape rule (compute_conv_output_shape) and errors, parameters in Keras's layout,
// and numbers against tfjs's conv1d as the oracle. tfjs has no causal padding and no groups, so
// causal is checked as tfjs on the input padded by hand with dilation·(kernel_size − 1) zeros
// before (what Keras's Conv1D.call does), and groups as one tfjs convolution per group, concatenated.
// Keras 3.15's own numbers for every padding, stride, dilation and groups case are in
// test/fixtures/keras/conv1d_*.json (run by test/keras/fixtures.test.ts).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, paramCountOf, paramsOf, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const conv = (options: Record<string, unknown>, shape: readonly (number | null)[] = [7, 4], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'conv', type: 'Conv1D', filters: 3, kernel_size: 3, ...options }], { x: { shape, ...extra } }));

describe('Conv1D shape rule', () => {
  it.each([
    [{}, '(batch, 5, 3)'],
    [{ kernel_size: [3] }, '(batch, 5, 3)'],
    [{ padding: 'same' }, '(batch, 7, 3)'],
    [{ padding: 'causal' }, '(batch, 7, 3)'],
    [{ strides: 2 }, '(batch, 3, 3)'],
    [{ strides: [2], padding: 'same' }, '(batch, 4, 3)'],
    [{ strides: 2, padding: 'causal' }, '(batch, 4, 3)'],
    [{ kernel_size: 4, strides: 2, padding: 'same' }, '(batch, 4, 3)'],
    [{ kernel_size: 2, strides: 3 }, '(batch, 2, 3)'],
    [{ dilation_rate: 2 }, '(batch, 3, 3)'],
    [{ dilation_rate: 3 }, '(batch, 1, 3)'],
    [{ dilation_rate: 2, padding: 'same' }, '(batch, 7, 3)'],
    [{ kernel_size: 7 }, '(batch, 1, 3)'],
    [{ kernel_size: 1, filters: 5 }, '(batch, 7, 5)'],
    [{ filters: 6, groups: 2 }, '(batch, 5, 6)'],
    [{ filters: 4, groups: 4 }, '(batch, 5, 4)'],
  ])('%j on (batch, 7, 4) -> %s', (options, expected) => {
    const result = conv(options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'conv')).toBe(expected);
  });

  it('keeps a fixed batch size', () => {
    expect(shapeOf(conv({}, [7, 4], { batch_size: 4 }), 'conv')).toBe('(4, 5, 3)');
  });

  it('keeps a run-time length with padding same or causal and strides 1', () => {
    expect(shapeOf(conv({ padding: 'same' }, [null, 4], { batch_size: 2 }), 'conv')).toBe('(2, time, 3)');
    expect(shapeOf(conv({ padding: 'causal', dilation_rate: 2 }, [null, 4], { batch_size: 2 }), 'conv')).toBe('(2, time, 3)');
  });

  it('changes a run-time length by the window formula (valid padding, strides)', () => {
    expect(shapeOf(conv({}, [null, 4], { batch_size: 2 }), 'conv')).toBe('(2, time - 2, 3)');
    expect(shapeOf(conv({ strides: 2, padding: 'causal' }, [null, 4], { batch_size: 2 }), 'conv')).toBe('(2, ceil(time / 2), 3)');
    expect(shapeOf(conv({ strides: 2 }, [null, 4], { batch_size: 2 }), 'conv')).toBe('(2, floor((time - 3) / 2) + 1, 3)');
  });
});

describe('Conv1D errors', () => {
  it('MC4001: a 2-D input', () => {
    const e = errorOf(conv({}, [4]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('Conv1D layer "conv" expects a 3-D input (batch, steps, channels). Received: a 2-D input of shape (batch, 4).');
  });

  it('MC4018: an input shorter than the window with padding valid', () => {
    const e = errorOf(conv({ kernel_size: 3, dilation_rate: 4 }));
    expect(e.code).toBe('MC4018');
    expect(e.message).toBe('Conv1D layer "conv" expects at least 9 steps, the span of its window (kernel_size=3, dilation_rate=4), with padding "valid". Received: an input of shape (batch, 7, 4).');
    expect(e.hint).toContain('padding: same');
  });

  it('MC4019: input channels not divisible by groups', () => {
    const e = errorOf(conv({ filters: 6, groups: 3 }));
    expect(e.code).toBe('MC4019');
    expect(e.message).toBe('Conv1D layer "conv" expects input channels divisible by groups=3. Received: 4 channels, in an input of shape (batch, 7, 4).');
  });

  it('MC2008: filters not divisible by groups (Keras rejects the config)', () => {
    const e = errorOf(conv({ filters: 5, groups: 2 }));
    expect(e.code).toBe('MC2008');
    expect(e.message).toBe('Conv1D layer "conv" expects filters divisible by groups. Received: filters=5, groups=2.');
  });

  it('MC2008: strides > 1 with dilation_rate > 1', () => {
    expect(codesOf(conv({ strides: 2, dilation_rate: 2 }))).toEqual(['MC2008']);
  });

  it('schema errors: an unknown padding, a zero kernel_size, a missing filters', () => {
    expect(codesOf(conv({ padding: 'full' }))).toEqual(['MC2006']);
    expect(codesOf(conv({ kernel_size: 0 }))).toEqual(['MC2005']);
    expect(codesOf(build(spec([{ type: 'Conv1D', kernel_size: 3 }])))).toEqual(['MC2001']);
    expect(codesOf(conv({ data_format: 'channels_first' }))).toEqual(['MC2006']);
  });

  it('MC4004: an int32 input', () => {
    expect(codesOf(conv({}, [7, 4], { dtype: 'int32' }))).toEqual(['MC4004']);
  });
});

describe('Conv1D parameters', () => {
  it("kernel (kernel_size, channels, filters) and bias (filters), Keras's layout", () => {
    const result = conv({ filters: 5, kernel_size: 3 });
    expect(paramsOf(result, 'conv')).toEqual({ kernel: [3, 4, 5], bias: [5] });
    expect(paramCountOf(result, 'conv')).toBe(65);
  });

  it('with groups, kernel (kernel_size, channels / groups, filters)', () => {
    const result = conv({ filters: 6, groups: 2 });
    expect(paramsOf(result, 'conv')).toEqual({ kernel: [3, 2, 6], bias: [6] });
    expect(paramCountOf(result, 'conv')).toBe(42); // Keras's summary of conv1d_groups2
  });

  it('no bias with use_bias: false', () => {
    expect(paramsOf(conv({ use_bias: false }), 'conv')).toEqual({ kernel: [3, 4, 3] });
  });
});

/** tfjs's conv1d, with the causal padding and the groups it lacks done around it. */
function oracle(x: Float32Array, shape: [number, number, number], kernel: Float32Array, bias: Float32Array | undefined, o: { k: number; filters: number; stride: number; dilation: number; padding: string; groups: number }): Float32Array {
  return tf.tidy(() => {
    const [batch, , channels] = shape;
    let input = tf.tensor3d(x, shape);
    let padding: 'valid' | 'same' = o.padding === 'same' ? 'same' : 'valid';
    if (o.padding === 'causal') {
      input = input.pad([[0, 0], [o.dilation * (o.k - 1), 0], [0, 0]]);
      padding = 'valid';
    }
    const cg = channels / o.groups;
    const fg = o.filters / o.groups;
    const w = tf.tensor3d(kernel, [o.k, cg, o.filters]);
    const parts = Array.from({ length: o.groups }, (_, g) =>
      tf.conv1d(input.slice([0, 0, g * cg], [batch, -1, cg]) as tf.Tensor3D, w.slice([0, 0, g * fg], [o.k, cg, fg]) as tf.Tensor3D, o.stride, padding, 'NWC', o.dilation),
    );
    let y = parts.length === 1 ? parts[0]! : tf.concat(parts, 2);
    if (bias) y = y.add(tf.tensor1d(bias));
    return y.dataSync() as Float32Array;
  });
}

describe('Conv1D numbers against tfjs', () => {
  it.each([
    { k: 3, filters: 5, stride: 1, dilation: 1, padding: 'valid', groups: 1 },
    { k: 3, filters: 5, stride: 1, dilation: 1, padding: 'same', groups: 1 },
    { k: 4, filters: 3, stride: 1, dilation: 1, padding: 'same', groups: 1 },
    { k: 4, filters: 3, stride: 2, dilation: 1, padding: 'same', groups: 1 },
    { k: 3, filters: 3, stride: 3, dilation: 1, padding: 'valid', groups: 1 },
    { k: 3, filters: 4, stride: 1, dilation: 2, padding: 'valid', groups: 1 },
    { k: 3, filters: 4, stride: 1, dilation: 3, padding: 'same', groups: 1 },
    { k: 3, filters: 4, stride: 1, dilation: 1, padding: 'causal', groups: 1 },
    { k: 2, filters: 4, stride: 1, dilation: 4, padding: 'causal', groups: 1 },
    { k: 3, filters: 4, stride: 2, dilation: 1, padding: 'causal', groups: 1 },
    { k: 3, filters: 6, stride: 1, dilation: 1, padding: 'valid', groups: 2 },
    { k: 2, filters: 8, stride: 2, dilation: 1, padding: 'same', groups: 4 },
    { k: 3, filters: 4, stride: 1, dilation: 2, padding: 'causal', groups: 4 },
  ])('%j on (3, 11, 4)', async (o) => {
    const text = spec([{ name: 'conv', type: 'Conv1D', filters: o.filters, kernel_size: o.k, strides: o.stride, dilation_rate: o.dilation, padding: o.padding, groups: o.groups }], { x: { shape: [11, 4] } });
    const { inputs, weights, outputs } = await run(text, 3);
    const expected = oracle(inputs.x!, [3, 11, 4], weights.conv!.kernel!, weights.conv!.bias, o);
    expect(outputs.conv!.length).toBe(expected.length);
    expect(maxAbsDiff(outputs.conv!, expected)).toBeLessThanOrEqual(1e-5);
  });

  it('applies the activation after the bias (relu, softmax over the filters)', async () => {
    for (const activation of ['relu', 'softmax'] as const) {
      const text = spec([{ name: 'conv', type: 'Conv1D', filters: 5, kernel_size: 3, activation }]);
      const { inputs, weights, outputs } = await run(text, 2);
      const linear = tf.tensor3d(oracle(inputs.x!, [2, 7, 4], weights.conv!.kernel!, weights.conv!.bias, { k: 3, filters: 5, stride: 1, dilation: 1, padding: 'valid', groups: 1 }), [2, 5, 5]);
      const expected = (activation === 'relu' ? tf.relu(linear) : tf.softmax(linear)).dataSync();
      expect(maxAbsDiff(outputs.conv!, expected)).toBeLessThanOrEqual(1e-6);
    }
  });
});
