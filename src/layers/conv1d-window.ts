// What the relatives of Conv1D share (DepthwiseConv1D, SeparableConv1D, Conv1DTranspose, and the
// input convolution of ConvLSTM1D): the options of the window, the Window they give, its part of
// a layer's description, and the shape checks of a (batch, steps, channels) input.
import type { ShapeContext, ShapeInput } from './layer.js';
import { expectPaddingKnown, single, windowOutputLength, windowSpan, type Window } from '../shapes/conv.js';
import { formatShape, isKnown, type Dim, type TensorType } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { dataFormatSchema, paddingSchema, sizeSchema } from './options/window.js';

/** kernel_size, strides, padding (valid or same), data_format and dilation_rate, as Keras orders them. */
export function windowOptions(what: string) {
  return {
    kernel_size: sizeSchema(`Length of the ${what} window.`),
    strides: sizeSchema('Step between windows.', 1),
    padding: paddingSchema(['valid', 'same'], 'valid: no padding; same: zeros around the input so that the output has ceil(steps / strides) steps.'),
    data_format: dataFormatSchema,
    dilation_rate: sizeSchema('Spacing between the taps of the window.', 1),
  };
}

interface WindowConfig {
  // A size is `3` or `[3]`, as the schema accepts (read by `single`).
  readonly kernel_size: unknown;
  readonly strides: unknown;
  readonly dilation_rate: unknown;
  readonly padding: 'valid' | 'same';
}

export function windowOf(c: WindowConfig): Window {
  return { size: single(c.kernel_size), stride: single(c.strides), dilation: single(c.dilation_rate), padding: c.padding };
}

/** Whether step t of the output depends on step t only (a layer's `stepwise`): one tap, stride 1. */
export function pointwiseWindow(c: WindowConfig): boolean {
  const w = windowOf(c);
  return w.size === 1 && w.stride === 1;
}

/** `kernel_size=3, strides=2, padding=same`: the options that differ from Keras's defaults. */
export function windowDescription(w: Window): string[] {
  return [`kernel_size=${w.size}`, w.stride !== 1 ? `strides=${w.stride}` : '', w.padding !== 'valid' ? `padding=${w.padding}` : '', w.dilation !== 1 ? `dilation_rate=${w.dilation}` : ''].filter((e) => e !== '');
}

/** Keras's "`strides > 1` not supported in conjunction with `dilation_rate > 1`" (Conv1DTranspose, ConvLSTM1D): MC2008 at dilation_rate. */
export function expectStridesOrDilation(ctx: ShapeContext, w: Window): boolean {
  if (w.stride === 1 || w.dilation === 1) return true;
  ctx.error('MC2008', `${layerTitle(ctx)} cannot combine strides > 1 with dilation_rate > 1 (Keras does not support it). Received: strides=${w.stride}, dilation_rate=${w.dilation}.`, {
    pointer: `${ctx.layer.pointer}/dilation_rate`,
    hint: 'set one of them to 1.',
  });
  return false;
}

/**
 * A float32 input of rank `rank` whose last axis (the channels) is known at compile time; its
 * shape, or undefined after an error.
 */
export function expectChannelsLast(ctx: ShapeContext, input: ShapeInput, rank: number, meaning: string): readonly Dim[] | undefined {
  if (!expectRank(ctx, input, rank, rank, meaning) || !expectDType(ctx, input, 'float32')) return undefined;
  const shape = input.type.shape;
  if (isKnown(shape[rank - 1]!)) return shape;
  ctx.error('MC4010', { layer: layerTitle(ctx), axis: 'the channels axis', reason: '', shape: formatShape(shape) }, { related: [ctx.definedHere(input.producer)] });
  return undefined;
}

/** The output length of the window over `steps` (axis 1 of `input`), or undefined after MC4018 or MC6003. */
export function windowLength(ctx: ShapeContext, input: ShapeInput, steps: Dim, w: Window): Dim | undefined {
  const length = windowOutputLength(steps, w);
  if (isKnown(length) && length <= 0) {
    ctx.error('MC4018', { layer: layerTitle(ctx), span: windowSpan(w), window: `kernel_size=${w.size}, dilation_rate=${w.dilation}`, shape: formatShape(input.type.shape) }, {
      related: [ctx.definedHere(input.producer)],
      hint: 'use `padding: same`, a smaller kernel_size or dilation_rate, or a longer input.',
    });
    return undefined;
  }
  return expectPaddingKnown(ctx, steps, w, input) ? length : undefined;
}

/** The (batch, output length, channels out) of a window over a (batch, steps, channels) input, or undefined after an error. */
export function convolvedShape(ctx: ShapeContext, input: ShapeInput, w: Window, channelsOut: (channels: number) => number): readonly TensorType[] | undefined {
  const shape = expectChannelsLast(ctx, input, 3, '(batch, steps, channels)');
  const length = shape && windowLength(ctx, input, shape[1]!, w);
  return length === undefined ? undefined : [{ dtype: 'float32', shape: [shape![0]!, length, channelsOut(shape![2] as number)] }];
}
