// ConvLSTM1D and ConvLSTM2D on the recurrent base: the shape rules over (batch, time, steps,
// channels) and (batch, time, rows, cols, channels), errors, parameters in Keras's layout, and
// numbers against Keras 3.15 (the fixtures conv_lstm1d_*, conv_lstm2d_* and
// time_distributed_conv_lstm1d from scripts/keras/cases_conv1d.py: padding, strides, dilation,
// even kernels, return_sequences / return_state / go_backwards / stateful with calls and a
// reset), also with the time axis known only at run time, and summaries equal to Keras's.
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, paramsOf, shapeOf, spec } from './helpers.ts';
import { fixtureError, kerasFixture, summaryOf, withRunTimeAxis } from './keras-fixture.ts';

const convLstm = (options: Record<string, unknown>, shape: readonly (number | null)[] = [4, 6, 3], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'cl', type: 'ConvLSTM1D', filters: 2, kernel_size: 3, ...options }], { x: { shape, batch_size: 2, ...extra } }));

const fixtures = [
  ...['default', 'same_sequences', 'state_strides2', 'dilation2_backwards', 'k4_same_no_bias', 'stateful'].map((c) => `conv_lstm1d_${c}`),
  ...['default', 'same_sequences_23', 'state_strides', 'dilation', 'stateful'].map((c) => `conv_lstm2d_${c}`),
];
const convLstm2d = (options: Record<string, unknown>, shape: readonly (number | null)[] = [3, 5, 6, 2]) =>
  build(spec([{ name: 'cl', type: 'ConvLSTM2D', filters: 2, kernel_size: 3, ...options }], { x: { shape, batch_size: 2 } }));

describe('ConvLSTM1D shape rule', () => {
  it.each([
    [{}, '(2, 4, 2)'],
    [{ padding: 'same', return_sequences: true }, '(2, 4, 6, 2)'],
    [{ kernel_size: 2, strides: 2, return_state: true }, '(2, 3, 2), (2, 3, 2), (2, 3, 2)'],
    [{ dilation_rate: 2, return_sequences: true }, '(2, 4, 2, 2)'],
  ])('%j on (2, 4, 6, 3) -> %s', (options, expected) => {
    const result = convLstm(options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'cl')).toBe(expected);
  });

  it('keeps a run-time time axis', () => {
    expect(shapeOf(convLstm({ return_sequences: true }, [null, 6, 3]), 'cl')).toBe('(2, time, 4, 2)');
  });
});

describe('ConvLSTM2D shape rule, errors and parameters', () => {
  it.each([
    [{}, '(2, 3, 4, 2)'],
    [{ kernel_size: [2, 3], padding: 'same', return_sequences: true }, '(2, 3, 5, 6, 2)'],
    [{ kernel_size: 2, strides: [2, 1], return_state: true }, '(2, 2, 5, 2), (2, 2, 5, 2), (2, 2, 5, 2)'],
    [{ kernel_size: 2, dilation_rate: [1, 2] }, '(2, 4, 4, 2)'],
  ])('%j on (2, 3, 5, 6, 2) -> %s', (options, expected) => {
    const result = convLstm2d(options);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'cl')).toBe(expected);
  });

  it("kernel (rows, cols, channels, 4·filters), recurrent_kernel (rows, cols, filters, 4·filters), bias (4·filters): Keras's layout", () => {
    expect(paramsOf(convLstm2d({ kernel_size: [2, 3] }), 'cl')).toEqual({ kernel: [2, 3, 2, 8], recurrent_kernel: [2, 3, 2, 8], bias: [8] });
  });

  it('MC4001 on a 4-D input; MC4010 on rows known only at run time; MC2008 strides with dilation; MC2008 a kernel_size of three values', () => {
    expect(errorOf(convLstm2d({}, [3, 5, 6])).message).toBe('ConvLSTM2D layer "cl" expects a 5-D input (batch, time, rows, cols, channels). Received: a 4-D input of shape (2, 3, 5, 6).');
    expect(errorOf(convLstm2d({}, [3, null, 6, 2])).message).toContain('needs the rows axis known at compile time (it sizes the states)');
    expect(codesOf(convLstm2d({ strides: [2, 1], dilation_rate: [1, 2] }))).toEqual(['MC2008']);
    expect(codesOf(convLstm2d({ kernel_size: [3, 3, 3] }))).toEqual(['MC2008']);
  });
});

describe('ConvLSTM1D errors', () => {
  it('MC4001: a 3-D input, which an LSTM would take', () => {
    const e = errorOf(convLstm({}, [4, 6]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('ConvLSTM1D layer "cl" expects a 4-D input (batch, time, steps, channels). Received: a 3-D input of shape (2, 4, 6).');
  });

  it('MC4010: the steps axis known only at run time (it sizes the states)', () => {
    const e = errorOf(convLstm({}, [4, null, 3]));
    expect(e.code).toBe('MC4010');
    expect(e.message).toBe('ConvLSTM1D layer "cl" needs the steps axis known at compile time (it sizes the states). Received: (2, 4, dim2, 3).');
  });

  it('MC4018: a window longer than the steps; MC2008: strides > 1 with dilation_rate > 1 (Keras refuses it)', () => {
    expect(codesOf(convLstm({ kernel_size: 7 }))).toEqual(['MC4018']);
    expect(codesOf(convLstm({ strides: 2, dilation_rate: 2 }))).toEqual(['MC2008']);
  });

  it('MC4061: a mask, which Keras 3.15 cannot apply to ConvLSTM1D', () => {
    const result = build(spec([{ name: 'cl', type: 'ConvLSTM1D', filters: 2, kernel_size: 3, input: 'x', mask: 'm' }], { x: { shape: [4, 6, 3], batch_size: 2 }, m: { shape: [4], dtype: 'bool', batch_size: 2 } }));
    const e = errorOf(result);
    expect(e.code).toBe('MC4061');
    expect(e.message).toContain('Keras 3 cannot apply one to a convolutional recurrence');
  });

  it('MC4007: an initial state of the wrong shape; states of (batch, steps, filters) are taken', () => {
    const inputs = { x: { shape: [4, 6, 3], batch_size: 2 }, h: { shape: [4, 2], batch_size: 2 }, c: { shape: [4, 2], batch_size: 2 }, h3: { shape: [4, 3], batch_size: 2 } };
    const layers = (h: string) => [{ name: 'cl', type: 'ConvLSTM1D', filters: 2, kernel_size: 3, input: 'x', initial_state: [h, 'c'] }];
    expect(codesOf(build(spec(layers('h'), inputs)))).toEqual([]);
    const e = errorOf(build(spec(layers('h3'), inputs)));
    expect(e.code).toBe('MC4007');
    expect(e.message).toBe('ConvLSTM1D layer "cl" needs initial state h of shape (2, 4, 2). Received: (2, 4, 3).');
  });

  it('MC6011: Bidirectional over ConvLSTM1D, which this version does not emit', () => {
    const e = errorOf(build(spec([{ name: 'bi', type: 'Bidirectional', layer: { type: 'ConvLSTM1D', filters: 2, kernel_size: 3 } }], { x: { shape: [4, 6, 3], batch_size: 2 } })));
    expect(e.code).toBe('MC6011');
  });
});

describe('ConvLSTM1D parameters', () => {
  it("kernel (kernel_size, channels, 4·filters), recurrent_kernel (kernel_size, filters, 4·filters), bias (4·filters): Keras's layout", () => {
    expect(paramsOf(convLstm({}), 'cl')).toEqual({ kernel: [3, 3, 8], recurrent_kernel: [3, 2, 8], bias: [8] });
    expect(paramsOf(convLstm({ use_bias: false }), 'cl')).toEqual({ kernel: [3, 3, 8], recurrent_kernel: [3, 2, 8] });
  });
});

describe('ConvLSTM1D numbers against Keras 3.15', () => {
  it.each([...fixtures, 'time_distributed_conv_lstm1d'])('%s matches Keras to 1e-5 (js and wasm engines)', async (name) => {
    const fixture = kerasFixture(name);
    expect(await fixtureError(fixture)).toBeLessThanOrEqual(1e-5);
    expect(await fixtureError(fixture, fixture.spec, 'wasm')).toBeLessThanOrEqual(1e-5);
  });

  it.each(fixtures.filter((n) => !n.endsWith('stateful')))('%s with the time axis known only at run time', async (name) => {
    const fixture = kerasFixture(name);
    expect(await fixtureError(fixture, withRunTimeAxis(fixture))).toBeLessThanOrEqual(1e-5);
  });

  it('unroll gives the same numbers as the loop', async () => {
    const fixture = kerasFixture('conv_lstm1d_dilation2_backwards');
    const layers = fixture.spec.layers.map((l) => ({ ...l, unroll: true }));
    expect(await fixtureError(fixture, { ...fixture.spec, layers })).toBeLessThanOrEqual(1e-5);
  });
});

describe('the WebAssembly engine', () => {
  it.each(['conv_lstm1d_state_strides2', 'conv_lstm2d_same_sequences_23'])('%s runs whole: its convolutions are window rows and matrix products', (name) => {
    const text = build(JSON.stringify(kerasFixture(name).spec)).output!.text;
    expect(text).toContain('1 of 1 kernel functions printed to WebAssembly.');
    expect(text).not.toContain('convolve1d(');
  });
});

describe("summaries equal Keras's model.summary()", () => {
  it.each([...fixtures, 'time_distributed_conv_lstm1d', 'time_distributed_lstm_stateful', 'time_distributed_gru_stateful_sequences'])('%s', (name) => {
    const fixture = kerasFixture(name);
    expect(summaryOf(fixture)).toEqual(fixture.summary);
  });
});
