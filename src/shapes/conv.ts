// The one sliding-window formula, shared by the convolution and pooling layers (1-D and 2-D): Keras's output length
// (keras/src/ops/operation_utils.py, compute_conv_output_shape and compute_pooling_output_shape)
// and the padding its backends apply (XLA's and TensorFlow's SAME: the extra element goes after).
import type { ShapeContext, ShapeInput } from '../layers/layer.js';
import { addDims, divDim, formatShape, isKnown, type Dim } from './dim.js';
import { layerTitle } from './rules.js';

export type Padding = 'valid' | 'same' | 'causal';

/** A window sliding over one axis: `size` taps `dilation` apart, moved `stride` at a time. */
export interface Window {
  readonly size: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: Padding;
}

/** The span the window covers: dilation·(size − 1) + 1. */
export function windowSpan(w: Window): number {
  return w.dilation * (w.size - 1) + 1;
}

/**
 * Keras's output length: `valid`: floor((L − span) / stride) + 1; `same` and `causal`:
 * floor((L − 1) / stride) + 1. Zero or less means the input is shorter than the window (Keras's
 * "Computed output size would be zero or negative"). A length known only at run time gives a
 * symbol: the same one when the length is kept, else the formula (`time - 2`, `ceil(time / 2)`).
 */
export function windowOutputLength(length: Dim, w: Window): Dim {
  if (isKnown(length)) return w.padding === 'valid' ? Math.floor((length - windowSpan(w)) / w.stride) + 1 : Math.floor((length - 1) / w.stride) + 1;
  if (w.padding !== 'valid') return divDim(length, w.stride, 'ceil');
  return addDims(divDim(addDims(length, -windowSpan(w)), w.stride, 'floor'), 1);
}

/**
 * Zero (or, for max pooling, −∞) elements before the first input element: `valid` none; `causal`
 * span − 1 (Keras's Conv1D pads the left by dilation·(kernel_size − 1)); `same` half of
 * max((out − 1)·stride + span − L, 0), rounded down, the rest going after the last element. A
 * length known only at run time comes with stride 1 (see expectStaticDims), where that is span − 1.
 */
export function padBefore(length: Dim, w: Window): number {
  if (w.padding === 'valid') return 0;
  if (w.padding === 'causal') return windowSpan(w) - 1;
  // With stride 1 the total is span − 1 whatever the length, so a run-time length needs no formula.
  if (!isKnown(length)) return Math.floor((windowSpan(w) - 1) / 2);
  const out = windowOutputLength(length, w) as number;
  return Math.floor(Math.max((out - 1) * w.stride + windowSpan(w) - length, 0) / 2);
}

/** The names of the spatial axes of a channels-last input of `rank` of them, for messages. */
const axisNames: Readonly<Record<number, readonly string[]>> = { 1: ['steps'], 2: ['rows', 'columns'] };

/**
 * The output length of a window sliding over each spatial axis, those being axes firstAxis..
 * of a channels-last input (1 for a convolution, 2 under ConvLSTM's time axis), or undefined once
 * a window longer than its axis with `valid` padding (MC4018 for steps, MC4040 for rows or columns)
 * or a run-time length it cannot pad (MC6003) is reported. `window` and `hint` describe the
 * layer's window for those messages.
 */
export function windowLengths(ctx: ShapeContext, input: ShapeInput, windows: readonly Window[], window: string, hint: string, firstAxis = 1): Dim[] | undefined {
  const shape = input.type.shape;
  const lengths = windows.map((w, axis) => windowOutputLength(shape[axis + firstAxis]!, w));
  const short = lengths.findIndex((l) => isKnown(l) && l <= 0);
  if (short >= 0) {
    const span = windowSpan(windows[short]!);
    const options = { related: [ctx.definedHere(input.producer)], hint };
    if (windows.length === 1) ctx.error('MC4018', { layer: layerTitle(ctx), span, window, shape: formatShape(shape) }, options);
    else ctx.error('MC4040', { layer: layerTitle(ctx), span, axis: axisNames[windows.length]![short]!, window, shape: formatShape(shape) }, options);
    return undefined;
  }
  if (!windows.every((w, axis) => expectPaddingKnown(ctx, shape[axis + firstAxis]!, w, input))) return undefined;
  return lengths;
}

/** The shape after the windows slide over axes 1.. of a channels-last input: [batch, ...output lengths] (see windowLengths). */
export function windowedShape(ctx: ShapeContext, input: ShapeInput, windows: readonly Window[], window: string, hint: string): Dim[] | undefined {
  const lengths = windowLengths(ctx, input, windows, window, hint);
  return lengths && [input.type.shape[0]!, ...lengths];
}

/** `kernel_size=3, dilation_rate=2` or `kernel_size=(3, 3), dilation_rate=(1, 1)`: a window in the MC4018/MC4040 messages. */
export function windowText(windows: readonly Window[]): string {
  return `kernel_size=${perAxis(windows.map((w) => w.size))}, dilation_rate=${perAxis(windows.map((w) => w.dilation))}`;
}

/** Keras's "`strides > 1` not supported in conjunction with `dilation_rate > 1`", on any axes: MC2008 at dilation_rate. */
export function expectStridesOrDilation(ctx: ShapeContext, windows: readonly Window[]): boolean {
  if (!windows.some((w) => w.stride > 1) || !windows.some((w) => w.dilation > 1)) return true;
  const [strides, dilations] = [perAxis(windows.map((w) => w.stride)), perAxis(windows.map((w) => w.dilation))];
  ctx.error('MC2008', `${layerTitle(ctx)} cannot combine strides > 1 with dilation_rate > 1 (Keras does not support it). Received: strides=${strides}, dilation_rate=${dilations}.`, {
    pointer: `${ctx.layer.pointer}/dilation_rate`,
    hint: 'set one of them to 1.',
  });
  return false;
}

/** The channels (last axis) of a channels-last input, which size a kernel: known at compile time, else MC4010. */
export function knownChannels(ctx: ShapeContext, input: ShapeInput): number | undefined {
  const shape = input.type.shape;
  const channels = shape[shape.length - 1]!;
  if (isKnown(channels)) return channels;
  ctx.error('MC4010', { layer: layerTitle(ctx), axis: 'the channels axis', reason: '', shape: formatShape(shape) }, { related: [ctx.definedHere(input.producer)] });
  return undefined;
}

/** Step t of axis 1 depends on step t only: a window of one tap moved one step at a time. */
export function windowStepwise(windows: readonly Window[]): boolean {
  return windows[0]!.size === 1 && windows[0]!.stride === 1;
}

/** One number per axis as Keras prints it: `3` for one axis, `(3, 3)` for two. */
export function perAxis(values: readonly number[]): string {
  return values.length === 1 ? String(values[0]) : formatShape(values);
}

/** `3`, or `[3]` as Keras serializes a 1-D tuple: the schema accepts both. */
export function single(value: unknown): number {
  return Array.isArray(value) ? (value[0] as number) : (value as number);
}

/**
 * A run-time length flows through every window (its output length a formula of it), but with
 * `same` padding and strides > 1 the zeros before the first element depend on the length itself,
 * which this version computes at compile time only: report MC6003 for that one case.
 */
export function expectPaddingKnown(ctx: ShapeContext, length: Dim, w: Window, input: ShapeInput): boolean {
  if (isKnown(length) || w.padding !== 'same' || w.stride === 1) return true;
  ctx.error('MC6003', { layer: layerTitle(ctx), length: String(length), stride: w.stride, shape: formatShape(input.type.shape) }, {
    related: [ctx.definedHere(input.producer)],
    hint: 'give the input a fixed length, or use `padding: valid` (or `causal`), or strides 1.',
  });
  return false;
}
