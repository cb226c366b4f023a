// Conv2D: keras.layers.Conv2D (keras/src/layers/convolutional/conv2d.py and base_conv.py).
//   out[b, y, x, f] = activation(bias[f] + Σky Σkx Σc in[b, y·sh − top + ky·dh, x·sw − left + kx·dw, g·cg + c] · kernel[ky, kx, c, f])
// a cross-correlation over the rows and columns of a channels-last (batch, rows, cols, channels)
// image. `groups` splits the channels into groups of cg = channels / groups convolved separately,
// so the kernel is (kernel rows, kernel cols, channels / groups, filters), exactly as Keras stores
// it. Each spatial axis has its own window (kernel_size, strides, dilation_rate: an integer or a
// pair); the output size and the padding per axis come from the one window formula
// (shapes/conv.ts): `valid` none, `same` centred with the odd element after. Options, checks and
// parameters are Conv1D's (conv-nd.ts); a run-time number of rows or columns becomes a formula
// (`rows - 2`), except with `same` padding and strides > 1 on that axis (MC6003).
// Divergence: data_format is channels_last only; regularizers and constraints (training only)
// are not options.
import { call, nullLiteral, stmt, withComment } from '../kernel/build.js';
import { padBefore, perAxis, windowStepwise, type Window } from '../shapes/conv.js';
import { defineLayer } from './layer.js';
import { activateRows } from './options/activations.js';
import { convOptions, convParams, convShape, convWindows, describeConv, type ConvAxes } from './conv-nd.js';

const axes: ConvAxes = { rank: 2, meaning: '(batch, rows, cols, channels)', kernelAxes: 'kernel rows × kernel columns', kernelText: 'Height and width of the convolution window: an integer for both, or [rows, cols].' };

export const conv2d = defineLayer({
  type: 'Conv2D',
  description: 'Spatial convolution over (batch, rows, cols, channels) images: activation(conv(input, kernel) + bias), with padding valid or same.',
  options: convOptions(axes, ['valid', 'same'], 'valid: no padding; same: output size ceil(size / strides) on each axis, zeros around the image.'),

  required: ['filters', 'kernel_size'],
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: (c) => windowStepwise(convWindows(c, 2)),
  describe: (c) => describeConv('Conv2D', c, convWindows(c, 2)),
  inferShapes: (ctx, [input], c) => convShape(ctx, input!, c, axes),
  params: (_layer, [input], c) => convParams(input!, c, axes),

  emit(ctx, io, c) {
    const [wy, wx] = convWindows(c, 2) as [Window, Window];
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [, rows, cols, channels] = input.type.shape;
    const [, outRows, outCols] = out.type.shape;
    const [top, left] = [padBefore(rows!, wy), padBefore(cols!, wx)];
    const conv = stmt(
      call(
        ctx.runtime('convolve2d'), input.buffer, io.rows, ctx.dim(rows!), ctx.dim(cols!), ctx.dim(channels!),
        io.weight('kernel'), wy.size, wx.size, c.filters, c.groups, wy.stride, wx.stride, wy.dilation, wx.dilation, top, left,
        ctx.dim(outRows!), ctx.dim(outCols!), c.use_bias ? io.weight('bias') : nullLiteral(), out.buffer,
      ),
    );
    const geometry = [
      `${perAxis([wy.size, wx.size])} taps`,
      wy.dilation > 1 || wx.dilation > 1 ? `${perAxis([wy.dilation, wx.dilation])} apart` : '',
      wy.stride > 1 || wx.stride > 1 ? `strides ${perAxis([wy.stride, wx.stride])}` : '',
      top + left > 0 ? `${top} zero rows of padding above, ${left} zero columns on the left` : '',
    ].filter((g) => g !== '').join(', ');
    const taps = c.groups > 1 ? 'kernel[ky, kx] (each filter over the channels of its group)' : 'kernel[ky, kx]';
    return [
      withComment(conv, `${out.buffer}[b, row, col, :] = Σky Σkx ${input.buffer}[b, ${position('row', 'ky', wy, top)}, ${position('col', 'kx', wx, left)}, :] · ${taps}${c.use_bias ? ' + bias' : ''} (${geometry})`),
      ...activateRows(ctx, c.activation, out.buffer, out.buffer, [io.rows, ctx.dim(outRows!), ctx.dim(outCols!)], c.filters),
    ];
  },
});

/** The input position a tap reads along one axis, for the comment: `row·2 − 1 + ky`. */
function position(index: string, tap: string, w: Window, pad: number): string {
  return [w.stride > 1 ? `${index}·${w.stride}` : index, pad > 0 ? ` − ${pad}` : '', w.dilation > 1 ? ` + ${tap}·${w.dilation}` : ` + ${tap}`].join('');
}
