// ZeroPadding2D: keras.layers.ZeroPadding2D (keras/src/layers/reshaping/zero_padding2d.py):
// (batch, rows, cols, channels) -> (batch, top + rows + bottom, left + cols + right, channels),
// zeros around each image. `padding` is an integer (all sides), [rows, cols] (symmetric) or
// [[top, bottom], [left, right]]; default 1 on every side. channels_last; a run-time size stays
// one (`rows + 2`). Any dtype.
import { method, stmt, withComment } from '../kernel/build.js';
import { addDims, type Dim } from '../shapes/dim.js';
import { expectRank } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { dataFormat2dSchema } from './options/window.js';
import { copyBlock, formatSides, sidesOf, sidesOption } from './padding2d.js';

export const zeroPadding2d = defineLayer({
  type: 'ZeroPadding2D',
  description: 'Pads each image with zero rows above and below and zero columns left and right (`padding`).',
  options: {
    padding: sidesOption('Zeros added: an integer for every side, [rows, cols] for symmetric padding, or [[top, bottom], [left, right]].', 1),
    data_format: dataFormat2dSchema,
  },
  arity: { min: 1, max: 1 },
  stepwise: (c) => sidesOf(c.padding)[0].every((n) => n === 0),
  outputNames: () => ['output'],
  describe: (c) => `ZeroPadding2D(padding=${formatSides(c.padding)})`,

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 4, 4, '(batch, rows, cols, channels)')) return undefined;
    const [batch, rows, cols, channels] = input!.type.shape as [Dim, Dim, Dim, Dim];
    const [[top, bottom], [left, right]] = sidesOf(c.padding);
    return [{ dtype: input!.type.dtype, shape: [batch, addDims(rows, top + bottom), addDims(cols, left + right), channels] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [[top], [left]] = sidesOf(c.padding);
    const [, rows, cols, channels] = input.type.shape.map((d) => ctx.dim(d));
    const [, outRows, outCols] = out.type.shape.map((d) => ctx.dim(d));
    const from = { buffer: input.buffer, rows: rows!, cols: cols!, top: 0, left: 0 };
    const to = { buffer: out.buffer, rows: outRows!, cols: outCols!, top, left };
    return [
      withComment(stmt(method(out.buffer, 'fill', 0)), `${out.buffer}[b, ${top} + y, ${left} + x, :] = ${input.buffer}[b, y, x, :], zeros elsewhere`),
      copyBlock(io.rows, from, to, rows!, cols!, channels!),
    ];
  },
});
