// SeparableConv1D: keras.layers.SeparableConv1D (keras/src/layers/convolutional/separable_conv1d.py
// and base_separable_conv.py): a depthwise convolution (as DepthwiseConv1D, without its bias) then
// a pointwise one, a product by the (1, channels·depth_multiplier, filters) pointwise kernel at every
// step, then bias and activation:
//   d[b, t, c·m + j] = Σk x[b, t·strides − pad + k·dilation_rate, c] · depthwise_kernel[k, c, j]
//   out[b, t, f] = activation(bias[f] + Σi d[b, t, i] · pointwise_kernel[0, i, f])
// Padding valid or same; strides and dilation_rate may both exceed 1 (Keras's JAX backend allows it).
// Divergence: data_format is channels_last only; regularizers and constraints (training only)
// are not options.
import { call, mul, nullLiteral, stmt, withComment } from '../kernel/build.js';
import { defineLayer } from './layer.js';
import { boolean, integer, type ConfigOf } from './options/option.js';
import { activateRows, activationSchema } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { pointwiseWindow, convolvedShape, windowOf, windowOptions } from './conv1d-window.js';
import { depthwiseConvolution, depthwiseDescription } from './depthwise-conv1d.js';

const separableOptions = {
  filters: integer('Number of output channels (of the pointwise convolution).'),
  ...windowOptions('depthwise convolution'),
  depth_multiplier: integer('Channels of the depthwise output per input channel.', { default: 1 }),
  activation: activationSchema(null, 'Activation applied to the output; null is linear.', { overLastAxis: true }),
  use_bias: boolean('Whether the layer adds a bias vector (after the pointwise convolution).', true),
  depthwise_initializer: initializerSchema('glorot_uniform', 'Initializer of the depthwise kernel (kernel_size, channels, depth_multiplier).'),
  pointwise_initializer: initializerSchema('glorot_uniform', 'Initializer of the pointwise kernel (1, channels · depth_multiplier, filters).'),
  bias_initializer: initializerSchema('zeros', 'Initializer of the bias (filters).'),
};

type SeparableConfig = ConfigOf<typeof separableOptions>;

export const separableConv1d = defineLayer({
  type: 'SeparableConv1D',
  description: 'Depthwise separable temporal convolution over (batch, steps, channels): a depthwise convolution, then a pointwise one (1 tap), bias and activation.',
  options: separableOptions,
  required: ['filters', 'kernel_size'],
  arity: { min: 1, max: 1 },
  outputNames: () => ['output'],
  stepwise: pointwiseWindow,

  describe(c: SeparableConfig) {
    return `SeparableConv1D(${[String(c.filters), ...depthwiseDescription(c)].join(', ')})`;
  },

  inferShapes(ctx, [input], c) {
    return convolvedShape(ctx, input!, windowOf(c), () => c.filters);
  },

  params(_layer, [input], c) {
    const channels = input!.shape[2] as number;
    const m = c.depth_multiplier;
    return [
      { name: 'depthwise_kernel', shape: [windowOf(c).size, channels, m], initializer: initializerOf(c.depthwise_initializer), layout: `kernel taps × input channels × depth_multiplier (depthwise channel c·${m} + j)` },
      { name: 'pointwise_kernel', shape: [1, channels * m, c.filters], initializer: initializerOf(c.pointwise_initializer), layout: '1 tap × depthwise channels × filters' },
      ...(c.use_bias ? [{ name: 'bias', shape: [c.filters], initializer: initializerOf(c.bias_initializer), layout: 'filters' }] : []),
    ];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [, steps, channels] = input.type.shape;
    const outSteps = out.type.shape[1]!;
    const width = (channels as number) * c.depth_multiplier;
    const depthwise = io.scratch('depthwise', mul(io.rows, ctx.dim(outSteps), width));
    const pointwise = stmt(call(ctx.runtime('matmulBias'), depthwise, mul(io.rows, ctx.dim(outSteps)), width, io.weight('pointwise_kernel'), c.filters, c.use_bias ? io.weight('bias') : nullLiteral(), out.buffer));
    return [
      depthwiseConvolution(ctx, { input: input.buffer, rows: io.rows, steps: steps!, channels: channels as number, outSteps, kernel: io.weight('depthwise_kernel'), bias: null, out: depthwise, c }),
      withComment(pointwise, `${out.buffer}[b, t, :] = ${depthwise}[b, t, :] · pointwise_kernel[0]${c.use_bias ? ' + bias' : ''} (the pointwise convolution)`),
      ...activateRows(ctx, c.activation, out.buffer, out.buffer, [io.rows, ctx.dim(outSteps)], c.filters),
    ];
  },
});
