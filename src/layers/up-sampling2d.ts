// UpSampling2D: keras.layers.UpSampling2D (keras/src/layers/reshaping/up_sampling2d.py):
// (batch, rows, cols, channels) -> (batch, rows · sy, cols · sx, channels), `size` an integer for
// both axes or [sy, sx] (default 2 × 2). `nearest` repeats each pixel sy × sx times (Keras's
// ops.repeat); `bilinear` interpolates as jax.image.resize does (half-pixel centres, the edge
// pixels repeated: runtime/resize.ts). A run-time size stays one (`rows * 2`). Like Keras, no mask.
// Divergence: interpolation bicubic, lanczos3 and lanczos5 are not options (MC2006 lists the two that are).
import { add, call, constVar, forRange, method, mul, stmt, withComment } from '../kernel/build.js';
import { mulDims, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { oneOf } from './options/option.js';
import { dataFormat2dSchema, sizeSchema, sizesOf } from './options/window.js';

export const upSampling2d = defineLayer({
  type: 'UpSampling2D',
  description: 'Upsamples each image by `size` along its rows and columns: nearest (repeats pixels) or bilinear.',
  options: {
    size: sizeSchema('Upsampling factors: an integer for both axes, or [rows, cols].', 2, 2),
    data_format: dataFormat2dSchema,
    interpolation: oneOf(['nearest', 'bilinear'], 'nearest: each pixel repeated; bilinear: interpolated between the nearest 2 × 2 pixels.', 'nearest'),
  },
  arity: { min: 1, max: 1 },
  stepwise: (c) => sizesOf(c.size, 2)[0] === 1,
  outputNames: () => ['output'],
  describe: (c) => `UpSampling2D(size=(${sizesOf(c.size, 2).join(', ')})${c.interpolation === 'nearest' ? '' : `, interpolation=${c.interpolation}`})`,

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 4, 4, '(batch, rows, cols, channels)') || !expectDType(ctx, input!, 'float32')) return undefined;
    const [batch, rows, cols, channels] = input!.type.shape as [Dim, Dim, Dim, Dim];
    const [sy, sx] = sizesOf(c.size, 2) as [number, number];
    return [{ dtype: 'float32', shape: [batch, mulDims(rows, sy), mulDims(cols, sx), channels] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!.buffer;
    const out = io.outputs[0]!.buffer;
    const [, rows, cols, channels] = io.inputs[0]!.type.shape.map((d) => ctx.dim(d));
    const [, outRows, outCols] = io.outputs[0]!.type.shape.map((d) => ctx.dim(d));
    if (c.interpolation === 'bilinear') {
      const resize = stmt(call(ctx.runtime('resizeBilinear'), input, io.rows, rows!, cols!, channels!, outRows!, outCols!, out));
      return [withComment(resize, `${out}[b, row, col, :] = bilinear interpolation of ${input} at ((row + 0.5) / ${sizesOf(c.size, 2)[0]} − 0.5, (col + 0.5) / ${sizesOf(c.size, 2)[1]} − 0.5), clamped into the image`)];
    }
    const [sy, sx] = sizesOf(c.size, 2) as [number, number];
    // Loop indices and temporaries are names the allocator reserves (emit/names.ts): row, col, i, j, v.
    const pixel = mul(add(mul(add(mul('b', rows!), 'row'), cols!), 'col'), channels!);
    const target = mul(add(mul(add(mul('b', rows!, sy), mul('row', sy), 'i'), cols!, sx), mul('col', sx), 'j'), channels!);
    const copies = forRange('i', 0, sy, [forRange('j', 0, sx, [stmt(method(out, 'set', 'v', target))])]);
    const loops = forRange('b', 0, io.rows, [forRange('row', 0, rows!, [forRange('col', 0, cols!, [constVar('v', method(input, 'subarray', pixel, add(pixel, channels!))), copies])])]);
    return [withComment(loops, `${out}[b, row · ${sy} + i, col · ${sx} + j, :] = ${input}[b, row, col, :] for i < ${sy}, j < ${sx}`)];
  },
});
