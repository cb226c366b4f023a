// Conv1D: keras.layers.Conv1D (keras/src/layers/convolutional/conv1d.py and base_conv.py).
//   out[b, t, f] = activation(bias[f] + Σk Σc x[b, t·strides − pad + k·dilation_rate, g·cg + c] · kernel[k, c, f])
// a cross-correlation over the steps axis of a channels-last (batch, steps, channels) input.
// `groups` splits the channels into groups of cg = channels / groups convolved separately (filter
// f belongs to group g = floor(f / (filters / groups))), so the kernel is (kernel_size,
// channels / groups, filters), exactly as Keras stores it. The output length and the padding come
// from the one window formula (shapes/conv.ts): `valid` none, `same` centred (the odd element
// after), `causal` dilation_rate·(kernel_size − 1) zeros before, so output t sees steps <= t only.
// Divergence: data_format is channels_last only; regularizers and constraints (training only)
// are not options.
import type { Stmt } from '../kernel/ir.js';
import { call, nullLiteral, stmt, withComment } from '../kernel/build.js';
import { expectPaddingKnown, padBefore, single, windowOutputLength, windowSpan, type Window } from '../shapes/conv.js';
import { formatShape, isKnown, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, integer, type ConfigOf } from './options/option.js';
import { activateRows, activationSchema, isLinear } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { dataFormatSchema, paddingSchema, sizeSchema } from './options/window.js';

const conv1dOptions = {
  filters: integer('Number of output channels.'),
  kernel_size: sizeSchema('Length of the convolution window.'),
  strides: sizeSchema('Step between windows.', 1),
  padding: paddingSchema(['valid', 'same', 'causal'], 'valid: no padding; same: output length ceil(steps / strides); causal: zeros before, so step t sees only steps <= t.'),
  data_format: dataFormatSchema,
  dilation_rate: sizeSchema('Spacing between the taps of the window; > 1 cannot be combined with strides > 1.', 1),
  groups: integer('Channel groups convolved separately; must divide the input channels and filters.', { default: 1 }),
  activation: activationSchema(null, 'Activation applied to the output; null is linear.', { overLastAxis: true }),
  use_bias: boolean('Whether the layer adds a bias vector.', true),
  kernel_initializer: initializerSchema('glorot_uniform', 'Initializer of the kernel (kernel_size, channels / groups, filters).'),
  bias_initializer: initializerSchema('zeros', 'Initializer of the bias (filters).'),
};

type Conv1DConfig = ConfigOf<typeof conv1dOptions>;

/** The window over the steps axis. */
function windowOf(c: Conv1DConfig): Window {
  return { size: single(c.kernel_size), stride: single(c.strides), dilation: single(c.dilation_rate), padding: c.padding };
}

export const conv1d = defineLayer({
  type: 'Conv1D',
  description: 'Temporal convolution over (batch, steps, channels): activation(conv(input, kernel) + bias), with padding valid, same or causal.',
  options: conv1dOptions,

  required: ['filters', 'kernel_size'],
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise(c) {
    const w = windowOf(c);
    return w.size === 1 && w.stride === 1;
  },

  describe(c) {
    const w = windowOf(c);
    const extras = [
      w.stride !== 1 ? `strides=${w.stride}` : '',
      c.padding !== 'valid' ? `padding=${c.padding}` : '',
      w.dilation !== 1 ? `dilation_rate=${w.dilation}` : '',
      c.groups !== 1 ? `groups=${c.groups}` : '',
      isLinear(c.activation) ? '' : `activation=${String(c.activation)}`,
      c.use_bias ? '' : 'use_bias=false',
    ].filter((e) => e !== '');
    return `Conv1D(${[String(c.filters), `kernel_size=${w.size}`, ...extras].join(', ')})`;
  },

  inferShapes(ctx, [input], c) {
    const w = windowOf(c);
    const title = layerTitle(ctx);
    let ok = true;
    if (c.filters % c.groups !== 0) {
      ctx.error('MC2008', `${title} expects filters divisible by groups. Received: filters=${c.filters}, groups=${c.groups}.`, {
        pointer: `${ctx.layer.pointer}/groups`,
        hint: `use a number of groups that divides ${c.filters}, or a multiple of ${c.groups} filters.`,
      });
      ok = false;
    }
    if (w.stride > 1 && w.dilation > 1) {
      ctx.error('MC2008', `${title} cannot combine strides > 1 with dilation_rate > 1 (Keras does not support it). Received: strides=${w.stride}, dilation_rate=${w.dilation}.`, {
        pointer: `${ctx.layer.pointer}/dilation_rate`,
        hint: 'set one of them to 1.',
      });
      ok = false;
    }
    if (!expectRank(ctx, input!, 3, 3, '(batch, steps, channels)') || !expectDType(ctx, input!, 'float32') || !ok) return undefined;
    const [batch, steps, channels] = input!.type.shape as [Dim, Dim, Dim];
    if (!isKnown(channels)) {
      ctx.error('MC4010', { layer: title, axis: 'the channels axis', reason: '', shape: formatShape(input!.type.shape) }, { related: [ctx.definedHere(input!.producer)] });
      return undefined;
    }
    if (channels % c.groups !== 0) {
      ctx.error('MC4019', { layer: title, groups: c.groups, channels, shape: formatShape(input!.type.shape) }, {
        pointer: `${ctx.layer.pointer}/groups`,
        related: [ctx.definedHere(input!.producer)],
        hint: `use a number of groups that divides ${channels}.`,
      });
      return undefined;
    }
    const length = windowOutputLength(steps, w);
    if (isKnown(length) && length <= 0) {
      ctx.error('MC4018', { layer: title, span: windowSpan(w), window: `kernel_size=${w.size}, dilation_rate=${w.dilation}`, shape: formatShape(input!.type.shape) }, {
        related: [ctx.definedHere(input!.producer)],
        hint: 'use `padding: same` or `padding: causal`, a smaller kernel_size or dilation_rate, or a longer input.',
      });
      return undefined;
    }
    const shape = [batch, length, c.filters];
    if (!expectPaddingKnown(ctx, steps, w, input!)) return undefined;
    return [{ dtype: 'float32', shape }];
  },

  params(_layer, [input], c) {
    const channels = input!.shape[2] as number;
    const perGroup = channels / c.groups;
    return [
      {
        name: 'kernel',
        shape: [single(c.kernel_size), perGroup, c.filters],
        initializer: initializerOf(c.kernel_initializer),
        layout: c.groups === 1 ? 'kernel taps × input channels × filters' : `kernel taps × input channels of a group (${perGroup}) × filters (${c.filters / c.groups} per group)`,
      },
      ...(c.use_bias ? [{ name: 'bias', shape: [c.filters], initializer: initializerOf(c.bias_initializer), layout: 'filters' }] : []),
    ];
  },

  emit(ctx, io, c) {
    const w = windowOf(c);
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [, steps, channels] = input.type.shape;
    const outSteps = out.type.shape[1]!;
    const pad = padBefore(steps!, w);
    const conv = stmt(
      call(ctx.runtime('convolve1d'), input.buffer, io.rows, ctx.dim(steps!), ctx.dim(channels!), io.weight('kernel'), w.size, c.filters, c.groups, w.stride, w.dilation, pad, ctx.dim(outSteps), c.use_bias ? io.weight('bias') : nullLiteral(), out.buffer),
    );
    const geometry = [`${w.size} taps`, w.dilation > 1 ? `${w.dilation} apart` : '', w.stride > 1 ? `stride ${w.stride}` : '', pad > 0 ? `${pad} zero${pad > 1 ? 's' : ''} of padding before` : ''].filter((g) => g !== '').join(', ');
    const step = [w.stride > 1 ? `t·${w.stride}` : 't', pad > 0 ? ` − ${pad}` : '', w.dilation > 1 ? ` + k·${w.dilation}` : ' + k'].join('');
    const taps = c.groups > 1 ? `kernel[k] (each filter over the channels of its group)` : 'kernel[k]';
    const statements: Stmt[] = [withComment(conv, `${out.buffer}[b, t, :] = Σk ${input.buffer}[b, ${step}, :] · ${taps}${c.use_bias ? ' + bias' : ''} (${geometry})`)];
    statements.push(...activateRows(ctx, c.activation, out.buffer, out.buffer, [io.rows, ctx.dim(outSteps)], c.filters));
    return statements;
  },
});
