// DepthwiseConv1D: keras.layers.DepthwiseConv1D (keras/src/layers/convolutional/depthwise_conv1d.py
// and base_depthwise_conv.py). Each input channel c is convolved with its own depth_multiplier
// filters: out[b, t, c·m + j] = activation(bias[c·m + j] + Σk x[b, t·strides − pad + k·dilation_rate, c] · kernel[k, c, j])
// with m = depth_multiplier. That is Conv1D with groups = channels and channels·m filters, and
// Keras's kernel (kernel_size, channels, m) is laid out as that Conv1D's (kernel_size, 1,
// channels·m), so the layer runs Conv1D's kernel on it as it is. Padding valid or same (Keras has
// no causal here); strides and dilation_rate may both exceed 1, as Keras's JAX backend allows.
// Divergence: data_format is channels_last only; regularizers and constraints (training only)
// are not options.
import { call, nullLiteral, stmt, withComment, type Ex } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import { padBefore } from '../shapes/conv.js';
import { defineLayer, type EmitContext } from './layer.js';
import { boolean, integer, type ConfigOf } from './options/option.js';
import { activateRows, activationSchema, isLinear } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { pointwiseWindow, windowDescription, convolvedShape, windowOf, windowOptions } from './conv1d-window.js';
import type { Dim } from '../shapes/dim.js';

const depthwiseOptions = {
  ...windowOptions('depthwise convolution'),
  depth_multiplier: integer('Output channels per input channel.', { default: 1 }),
  activation: activationSchema(null, 'Activation applied to the output; null is linear.', { overLastAxis: true }),
  use_bias: boolean('Whether the layer adds a bias vector.', true),
  depthwise_initializer: initializerSchema('glorot_uniform', 'Initializer of the kernel (kernel_size, channels, depth_multiplier).'),
  bias_initializer: initializerSchema('zeros', 'Initializer of the bias (channels · depth_multiplier).'),
};

export type DepthwiseConfig = ConfigOf<typeof depthwiseOptions>;

/** The one description of a depthwise window, shared with SeparableConv1D. */
export function depthwiseDescription(c: Pick<DepthwiseConfig, 'kernel_size' | 'strides' | 'dilation_rate' | 'padding' | 'depth_multiplier' | 'activation' | 'use_bias'>): string[] {
  return [...windowDescription(windowOf(c)), c.depth_multiplier !== 1 ? `depth_multiplier=${c.depth_multiplier}` : '', isLinear(c.activation) ? '' : `activation=${String(c.activation)}`, c.use_bias ? '' : 'use_bias=false'].filter((e) => e !== '');
}

interface DepthwiseCall {
  readonly input: string;
  readonly rows: Ex;
  readonly steps: Dim;
  readonly channels: number;
  readonly outSteps: Dim;
  readonly kernel: Expr;
  readonly bias: Expr | null;
  readonly out: string;
  readonly c: Pick<DepthwiseConfig, 'kernel_size' | 'strides' | 'dilation_rate' | 'padding' | 'depth_multiplier'>;
}

/**
 * The depthwise convolution as Conv1D's kernel call (groups = channels), into `out`, with the
 * comment that says what it computes.
 */
export function depthwiseConvolution(ctx: EmitContext, o: DepthwiseCall): Stmt {
  const w = windowOf(o.c);
  const m = o.c.depth_multiplier;
  const pad = padBefore(o.steps, w);
  const conv = stmt(call(ctx.runtime('convolve1d'), o.input, o.rows, ctx.dim(o.steps), o.channels, o.kernel, w.size, o.channels * m, o.channels, w.stride, w.dilation, pad, ctx.dim(o.outSteps), o.bias ?? nullLiteral(), o.out));
  const tap = [w.stride > 1 ? `t·${w.stride}` : 't', pad > 0 ? ` − ${pad}` : '', w.dilation > 1 ? ` + k·${w.dilation}` : ' + k'].join('');
  return withComment(conv, `${o.out}[b, t, c·${m} + j] = Σk ${o.input}[b, ${tap}, c] · kernel[k, c, j]${o.bias ? ' + bias' : ''} (each channel with its own ${m} filter${m > 1 ? 's' : ''}, ${w.size} taps)`);
}

export const depthwiseConv1d = defineLayer({
  type: 'DepthwiseConv1D',
  description: 'Depthwise temporal convolution over (batch, steps, channels): each channel convolved with its own depth_multiplier filters, then bias and activation.',
  options: depthwiseOptions,
  required: ['kernel_size'],
  arity: { min: 1, max: 1 },
  outputNames: () => ['output'],
  stepwise: pointwiseWindow,

  describe(c) {
    return `DepthwiseConv1D(${depthwiseDescription(c).join(', ')})`;
  },

  inferShapes(ctx, [input], c) {
    return convolvedShape(ctx, input!, windowOf(c), (channels) => channels * c.depth_multiplier);
  },

  params(_layer, [input], c) {
    const channels = input!.shape[2] as number;
    return [
      { name: 'kernel', shape: [windowOf(c).size, channels, c.depth_multiplier], initializer: initializerOf(c.depthwise_initializer), layout: `kernel taps × input channels × depth_multiplier (output channel c·${c.depth_multiplier} + j)` },
      ...(c.use_bias ? [{ name: 'bias', shape: [channels * c.depth_multiplier], initializer: initializerOf(c.bias_initializer), layout: 'output channels (input channel c, multiplier j at c·depth_multiplier + j)' }] : []),
    ];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [, steps, channels] = input.type.shape;
    const outSteps = out.type.shape[1]!;
    const conv = depthwiseConvolution(ctx, { input: input.buffer, rows: io.rows, steps: steps!, channels: channels as number, outSteps, kernel: io.weight('kernel'), bias: c.use_bias ? io.weight('bias') : null, out: out.buffer, c });
    return [conv, ...activateRows(ctx, c.activation, out.buffer, out.buffer, [io.rows, ctx.dim(outSteps)], (channels as number) * c.depth_multiplier)];
  },
});

