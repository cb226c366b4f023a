// Conv1DTranspose: keras.layers.Conv1DTranspose (keras/src/layers/convolutional/conv1d_transpose.py
// and base_conv_transpose.py), the transposed ("deconvolution") counterpart of Conv1D: every input
// step scatters its taps into the output,
//   out[b, i·strides + k·dilation_rate − offset, f] += x[b, i, c] · kernel[k, f, c]
// then bias and activation, with Keras's kernel (kernel_size, filters, channels) and the output
// length and offset of the padding JAX applies (shapes/conv-transpose.ts): valid (L − 1)·strides
// + max(span, strides), same L·strides, or set by output_padding (< strides, as Keras requires).
// Divergence: data_format is channels_last only; regularizers and constraints (training only)
// are not options.
import { call, nullLiteral, stmt, withComment } from '../kernel/build.js';
import { transposedOffset, transposedOutputLength, type TransposedWindow } from '../shapes/conv-transpose.js';
import { expectStridesOrDilation, single } from '../shapes/conv.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, integer, option, type ConfigOf } from './options/option.js';
import { activateRows, activationSchema, isLinear } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { expectChannelsLast, pointwiseWindow, windowDescription, windowOf, windowOptions } from './conv1d-window.js';

const transposeOptions = {
  filters: integer('Number of output channels.'),
  ...windowOptions('transposed convolution'),
  output_padding: option<number | readonly [number] | null>({
    description: 'Extra steps at the end of the output, less than strides; null: valid gives (steps − 1)·strides + max(span, strides), same steps·strides.',
    default: null,
    anyOf: [{ type: 'integer', minimum: 0 }, { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, maxItems: 1 }, { type: 'null' }],
  }),
  activation: activationSchema(null, 'Activation applied to the output; null is linear.', { overLastAxis: true }),
  use_bias: boolean('Whether the layer adds a bias vector.', true),
  kernel_initializer: initializerSchema('glorot_uniform', 'Initializer of the kernel (kernel_size, filters, channels).'),
  bias_initializer: initializerSchema('zeros', 'Initializer of the bias (filters).'),
};

type TransposeConfig = ConfigOf<typeof transposeOptions>;

function transposedWindowOf(c: TransposeConfig): TransposedWindow {
  return { ...windowOf(c), outputPadding: c.output_padding === null ? null : single(c.output_padding) };
}

export const conv1dTranspose = defineLayer({
  type: 'Conv1DTranspose',
  description: 'Transposed temporal convolution over (batch, steps, channels): each step scatters kernel taps into a longer output (strides), then bias and activation.',
  options: transposeOptions,
  required: ['filters', 'kernel_size'],
  arity: { min: 1, max: 1 },
  outputNames: () => ['output'],
  stepwise: pointwiseWindow,

  describe(c) {
    const w = transposedWindowOf(c);
    const extras = [w.outputPadding !== null ? `output_padding=${w.outputPadding}` : '', isLinear(c.activation) ? '' : `activation=${String(c.activation)}`, c.use_bias ? '' : 'use_bias=false'];
    return `Conv1DTranspose(${[String(c.filters), ...windowDescription(w), ...extras.filter((e) => e !== '')].join(', ')})`;
  },

  inferShapes(ctx, [input], c) {
    const w = transposedWindowOf(c);
    const title = layerTitle(ctx);
    let ok = expectStridesOrDilation(ctx, [w]);
    if (w.outputPadding !== null && w.outputPadding >= w.stride) {
      ctx.error('MC4062', { layer: title, outputPadding: w.outputPadding, stride: w.stride }, {
        pointer: `${ctx.layer.pointer}/output_padding`,
        hint: `use an output_padding below ${w.stride}, or null for Keras's default length.`,
      });
      ok = false;
    }
    const shape = expectChannelsLast(ctx, input!, 3, '(batch, steps, channels)');
    if (!shape || !ok) return undefined;
    const length = transposedOutputLength(shape[1]!, w);
    if (isKnown(length) && length <= 0) {
      ctx.error('MC4063', { layer: title, window: windowDescription(w).join(', '), shape: formatShape(input!.type.shape) }, {
        related: [ctx.definedHere(input!.producer)],
        hint: 'give output_padding a value of 1 or more, use an odd kernel_size, or a longer input.',
      });
      return undefined;
    }
    return [{ dtype: 'float32', shape: [shape[0]!, length, c.filters] }];
  },

  params(_layer, [input], c) {
    const channels = input!.shape[2] as number;
    return [
      { name: 'kernel', shape: [windowOf(c).size, c.filters, channels], initializer: initializerOf(c.kernel_initializer), layout: 'kernel taps × filters × input channels' },
      ...(c.use_bias ? [{ name: 'bias', shape: [c.filters], initializer: initializerOf(c.bias_initializer), layout: 'filters' }] : []),
    ];
  },

  emit(ctx, io, c) {
    const w = transposedWindowOf(c);
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [, steps, channels] = input.type.shape;
    const outSteps = out.type.shape[1]!;
    const offset = transposedOffset(w);
    const conv = stmt(
      call(ctx.runtime('transposeConvolve1d'), input.buffer, io.rows, ctx.dim(steps!), channels as number, io.weight('kernel'), w.size, c.filters, w.stride, w.dilation, offset, ctx.dim(outSteps), c.use_bias ? io.weight('bias') : nullLiteral(), out.buffer),
    );
    const target = [w.stride > 1 ? `i·${w.stride}` : 'i', w.dilation > 1 ? ` + k·${w.dilation}` : ' + k', offset > 0 ? ` − ${offset}` : ''].join('');
    return [
      withComment(conv, `${out.buffer}[b, ${target}, :] += ${input.buffer}[b, i, :] · kernel[k]ᵀ${c.use_bias ? ', after bias' : ''} (${w.size} taps; steps outside the output are dropped)`),
      ...activateRows(ctx, c.activation, out.buffer, out.buffer, [io.rows, ctx.dim(outSteps)], c.filters),
    ];
  },
});
