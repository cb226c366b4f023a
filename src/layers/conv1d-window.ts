// What the relatives of Conv1D share (DepthwiseConv1D, SeparableConv1D, Conv1DTranspose, and the
// input convolution of ConvLSTM1D): the options of the window, the Window they give, its part of
// a layer's description, and the shape checks of a (batch, steps, channels) input.
import type { ShapeContext, ShapeInput } from './layer.js';
import { knownChannels, single, windowedShape, windowStepwise, windowText, type Window } from '../shapes/conv.js';
import type { Dim, TensorType } from '../shapes/dim.js';
import { expectDType, expectRank } from '../shapes/rules.js';
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
  return windowStepwise([windowOf(c)]);
}

/** `kernel_size=3, strides=2, padding=same`: the options that differ from Keras's defaults. */
export function windowDescription(w: Window): string[] {
  return [`kernel_size=${w.size}`, w.stride !== 1 ? `strides=${w.stride}` : '', w.padding !== 'valid' ? `padding=${w.padding}` : '', w.dilation !== 1 ? `dilation_rate=${w.dilation}` : ''].filter((e) => e !== '');
}

/**
 * A float32 input of rank `rank` whose last axis (the channels) is known at compile time; its
 * shape, or undefined after an error.
 */
export function expectChannelsLast(ctx: ShapeContext, input: ShapeInput, rank: number, meaning: string): readonly Dim[] | undefined {
  if (!expectRank(ctx, input, rank, rank, meaning) || !expectDType(ctx, input, 'float32')) return undefined;
  return knownChannels(ctx, input) === undefined ? undefined : input.type.shape;
}

/** What MC4018 suggests for these layers, which have no `causal` padding. */
export const shortInputHint = 'use `padding: same`, a smaller kernel_size or dilation_rate, or a longer input.';

/** The (batch, output length, channels out) of a window over a (batch, steps, channels) input, or undefined after an error. */
export function convolvedShape(ctx: ShapeContext, input: ShapeInput, w: Window, channelsOut: (channels: number) => number): readonly TensorType[] | undefined {
  const shape = expectChannelsLast(ctx, input, 3, '(batch, steps, channels)');
  const spatial = shape && windowedShape(ctx, input, [w], windowText([w]), shortInputHint);
  return spatial && [{ dtype: 'float32', shape: [...spatial, channelsOut(shape![2] as number)] }];
}
