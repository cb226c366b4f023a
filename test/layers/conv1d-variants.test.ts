// Conv1DTranspose, DepthwiseConv1D and SeparableConv1D: the shape rules (Keras's
// compute_conv_transpose_output_shape and compute_conv_output_shape, run-time lengths as
// formulas), errors, parameters in Keras's layout, and numbers against Keras 3.15 (the fixtures
// conv1d_transpose_*, depthwise_conv1d_*, separable_conv1d_*, from scripts/keras/cases_conv1d.py),
// also with the steps axis known only at run time, and summaries equal to Keras's model.summary().
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, paramCountOf, paramsOf, shapeOf, spec } from './helpers.ts';
import { fixtureError, kerasFixture, summaryOf, withRunTimeAxis } from './keras-fixture.ts';

const layer = (type: string, options: Record<string, unknown>, shape: readonly (number | null)[] = [7, 4], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'conv', type, ...options }], { x: { shape, ...extra } }));
const transpose = (options: Record<string, unknown>, shape?: readonly (number | null)[]) => layer('Conv1DTranspose', { filters: 3, kernel_size: 3, ...options }, shape);
const depthwise = (options: Record<string, unknown>, shape?: readonly (number | null)[]) => layer('DepthwiseConv1D', { kernel_size: 3, ...options }, shape);
const separable = (options: Record<string, unknown>, shape?: readonly (number | null)[]) => layer('SeparableConv1D', { filters: 5, kernel_size: 3, ...options }, shape);

const cases = {
  Conv1DTranspose: ['valid', 'same', 'strides2', 'strides2_same', 'strides3_k2', 'output_padding', 'output_padding_same', 'output_padding_0_same_k4', 'k4_strides2_same', 'dilation2', 'dilation2_same', 'relu_no_bias'].map((c) => `conv1d_transpose_${c}`),
  DepthwiseConv1D: ['valid', 'same_dm2', 'strides2_dm3', 'dilation2_same', 'relu_no_bias'].map((c) => `depthwise_conv1d_${c}`),
  SeparableConv1D: ['valid', 'same_dm2', 'strides2_same', 'dilation2', 'relu_no_bias', 'lstm'].map((c) => `separable_conv1d_${c}`),
};
const all = Object.values(cases).flat();

describe('Conv1DTranspose shape rule', () => {
  it.each([
    [{}, '(batch, 9, 3)'],
    [{ padding: 'same' }, '(batch, 7, 3)'],
    [{ strides: 2 }, '(batch, 15, 3)'],
    [{ strides: [2], padding: 'same' }, '(batch, 14, 3)'],
    [{ kernel_size: 2, strides: 3 }, '(batch, 21, 3)'],
    [{ strides: 2, output_padding: 1 }, '(batch, 16, 3)'],
    [{ strides: 3, output_padding: 2, padding: 'same' }, '(batch, 21, 3)'],
    [{ kernel_size: 4, strides: 2, output_padding: 0, padding: 'same' }, '(batch, 12, 3)'],
    [{ dilation_rate: 2 }, '(batch, 11, 3)'],
  ])('%j on (batch, 7, 4) -> %s', (options, expected) => {
    const result = transpose(options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'conv')).toBe(expected);
  });

  it('gives a run-time length as a formula of it', () => {
    expect(shapeOf(transpose({}, [null, 4]), 'conv')).toBe('(batch, time + 2, 3)');
    expect(shapeOf(transpose({ strides: 2, padding: 'same' }, [null, 4]), 'conv')).toBe('(batch, time * 2, 3)');
    expect(shapeOf(transpose({ strides: 2, output_padding: 1 }, [null, 4]), 'conv')).toBe('(batch, time * 2 + 2, 3)');
  });
});

describe('DepthwiseConv1D and SeparableConv1D shape rules', () => {
  it.each([
    ['DepthwiseConv1D', {}, '(batch, 5, 4)'],
    ['DepthwiseConv1D', { depth_multiplier: 2, padding: 'same' }, '(batch, 7, 8)'],
    ['DepthwiseConv1D', { strides: 2, dilation_rate: 2 }, '(batch, 2, 4)'],
    ['SeparableConv1D', {}, '(batch, 5, 5)'],
    ['SeparableConv1D', { strides: 2, padding: 'same', depth_multiplier: 3 }, '(batch, 4, 5)'],
  ])('%s %j on (batch, 7, 4) -> %s', (type, options, expected) => {
    const result = type === 'DepthwiseConv1D' ? depthwise(options) : separable(options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'conv')).toBe(expected);
  });

  it('gives a run-time length as a formula of it', () => {
    expect(shapeOf(depthwise({}, [null, 4]), 'conv')).toBe('(batch, time - 2, 4)');
    expect(shapeOf(separable({ padding: 'same' }, [null, 4]), 'conv')).toBe('(batch, time, 5)');
  });
});

describe('errors', () => {
  it('MC4062: output_padding not less than strides (Keras rejects it)', () => {
    const e = errorOf(transpose({ strides: 2, output_padding: 2 }));
    expect(e.code).toBe('MC4062');
    expect(e.message).toBe('Conv1DTranspose layer "conv" expects output_padding less than strides, as Keras requires. Received: output_padding=2, strides=2.');
  });

  it('MC4063: an output of no steps (an even kernel, same padding, output_padding 0, one step)', () => {
    const e = errorOf(transpose({ kernel_size: 2, strides: 2, padding: 'same', output_padding: 0 }, [1, 4]));
    expect(e.code).toBe('MC4063');
    expect(e.message).toBe('Conv1DTranspose layer "conv" (kernel_size=2, strides=2, padding=same) gives an output of no steps for an input of one step. Received: an input of shape (batch, 1, 4).');
  });

  it('MC2008: Conv1DTranspose with strides > 1 and dilation_rate > 1; the depthwise layers allow it, as Keras', () => {
    expect(codesOf(transpose({ strides: 2, dilation_rate: 2 }))).toEqual(['MC2008']);
    expect(codesOf(depthwise({ strides: 2, dilation_rate: 2 }))).toEqual([]);
    expect(codesOf(separable({ strides: 2, dilation_rate: 2 }))).toEqual([]);
  });

  it('MC4018: a depthwise window longer than the input with padding valid', () => {
    const e = errorOf(depthwise({ kernel_size: 4, dilation_rate: 3 }));
    expect(e.code).toBe('MC4018');
    expect(e.message).toBe('DepthwiseConv1D layer "conv" expects at least 10 steps, the span of its window (kernel_size=4, dilation_rate=3), with padding "valid". Received: an input of shape (batch, 7, 4).');
    expect(e.hint).toContain('padding: same');
  });

  it('schema errors: causal padding (Keras has none here), a missing filters, depth_multiplier 0', () => {
    expect(codesOf(transpose({ padding: 'causal' }))).toEqual(['MC2006']);
    expect(codesOf(depthwise({ padding: 'causal' }))).toEqual(['MC2006']);
    expect(codesOf(build(spec([{ type: 'SeparableConv1D', kernel_size: 3 }])))).toEqual(['MC2001']);
    expect(codesOf(depthwise({ depth_multiplier: 0 }))).toEqual(['MC2005']);
  });

  it('MC4001: a 2-D input; MC4010: channels known only at run time', () => {
    expect(errorOf(separable({}, [4])).code).toBe('MC4001');
    expect(codesOf(transpose({}, [7, null]))).toEqual(['MC4010']);
  });
});

describe('parameters in Keras layout', () => {
  it('Conv1DTranspose: kernel (kernel_size, filters, channels), bias (filters)', () => {
    expect(paramsOf(transpose({}), 'conv')).toEqual({ kernel: [3, 3, 4], bias: [3] });
  });

  it('DepthwiseConv1D: kernel (kernel_size, channels, depth_multiplier), bias (channels · depth_multiplier)', () => {
    expect(paramsOf(depthwise({ depth_multiplier: 2 }), 'conv')).toEqual({ kernel: [3, 4, 2], bias: [8] });
    expect(paramCountOf(depthwise({ depth_multiplier: 2 }), 'conv')).toBe(32);
  });

  it('SeparableConv1D: depthwise_kernel, pointwise_kernel (1, channels · depth_multiplier, filters), bias (filters)', () => {
    expect(paramsOf(separable({ depth_multiplier: 2 }), 'conv')).toEqual({ depthwise_kernel: [3, 4, 2], pointwise_kernel: [1, 8, 5], bias: [5] });
    expect(paramsOf(separable({ use_bias: false }), 'conv')).toEqual({ depthwise_kernel: [3, 4, 1], pointwise_kernel: [1, 4, 5] });
  });
});

describe('numbers against Keras 3.15', () => {
  it.each(all)('%s matches Keras to 1e-5 (js and wasm engines)', async (name) => {
    const fixture = kerasFixture(name);
    expect(await fixtureError(fixture)).toBeLessThanOrEqual(1e-5);
    expect(await fixtureError(fixture, fixture.spec, 'wasm')).toBeLessThanOrEqual(1e-5);
  });

  // A run-time length goes through every layer here except same padding with strides > 1 (MC6003).
  it.each(all.filter((n) => !/strides2_same|strides2_dm3|lstm/.test(n)))('%s with the steps axis known only at run time', async (name) => {
    const fixture = kerasFixture(name);
    expect(await fixtureError(fixture, withRunTimeAxis(fixture))).toBeLessThanOrEqual(1e-5);
  });

  it('MC6003 for a depthwise window with padding same and strides 2 over a run-time length', () => {
    expect(codesOf(separable({ padding: 'same', strides: 2 }, [null, 4]))).toEqual(['MC6003']);
  });
});

describe('the WebAssembly engine', () => {
  // The convolution kernels have no WebAssembly version yet: those layers stay in TypeScript on
  // the engine's buffers (the numbers above ran on both engines), and the module says why.
  it('leaves the convolutions in TypeScript and says why, per layer', () => {
    const result = build(JSON.stringify(kerasFixture('separable_conv1d_lstm').spec));
    const text = result.output!.text;
    expect(text).toContain('1 of 3 kernel functions printed to WebAssembly; in TypeScript:');
    expect(text).toContain('forward_separable_conv1d: the runtime kernel convolve1d has no WebAssembly version');
    expect(text).toContain('forward_conv1d_transpose: the runtime kernel transposeConvolve1d has no WebAssembly version');
  });
});

describe("summaries equal Keras's model.summary()", () => {
  it.each(all)('%s', (name) => {
    const fixture = kerasFixture(name);
    expect(summaryOf(fixture)).toEqual(fixture.summary);
  });
});
