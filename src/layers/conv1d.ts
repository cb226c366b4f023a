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
import { padBefore, windowStepwise, type Window } from '../shapes/conv.js';
import { defineLayer } from './layer.js';
import { activateRows } from './options/activations.js';
import { convOptions, convParams, convShape, convWindows, describeConv, type ConvAxes } from './conv-nd.js';

const axes: ConvAxes = { rank: 1, meaning: '(batch, steps, channels)', kernelAxes: 'kernel taps', kernelText: 'Length of the convolution window.' };

const conv1dOptions = convOptions(axes, ['valid', 'same', 'causal'], 'valid: no padding; same: output length ceil(steps / strides); causal: zeros before, so step t sees only steps <= t.');

export const conv1d = defineLayer({
  type: 'Conv1D',
  description: 'Temporal convolution over (batch, steps, channels): activation(conv(input, kernel) + bias), with padding valid, same or causal.',
  options: conv1dOptions,

  required: ['filters', 'kernel_size'],
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: (c) => windowStepwise(convWindows(c, 1)),
  describe: (c) => describeConv('Conv1D', c, convWindows(c, 1)),
  inferShapes: (ctx, [input], c) => convShape(ctx, input!, c, axes),
  params: (_layer, [input], c) => convParams(input!, c, axes),

  emit(ctx, io, c) {
    const [w] = convWindows(c, 1) as [Window];
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
