// Cropping2D: keras.layers.Cropping2D (keras/src/layers/reshaping/cropping2d.py):
// (batch, rows, cols, channels) -> (batch, rows − top − bottom, cols − left − right, channels),
// dropping rows and columns at the edges of each image. `cropping` is an integer (all sides),
// [rows, cols] (symmetric) or [[top, bottom], [left, right]]; default none. A crop that leaves no
// row or no column is MC4041, as Keras refuses it; a run-time size stays one (`rows - 2`). Any dtype.
import { withComment } from '../kernel/build.js';
import { addDims, formatShape, isKnown, type Dim } from '../shapes/dim.js';
import { expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { dataFormat2dSchema } from './options/window.js';
import { copyBlock, formatSides, sidesOf, sidesOption } from './padding2d.js';

export const cropping2d = defineLayer({
  type: 'Cropping2D',
  description: 'Crops rows from the top and bottom and columns from the left and right of each image (`cropping`).',
  options: {
    cropping: sidesOption('Rows and columns removed: an integer for every side, [rows, cols] for symmetric cropping, or [[top, bottom], [left, right]].', [[0, 0], [0, 0]]),
    data_format: dataFormat2dSchema,
  },
  arity: { min: 1, max: 1 },
  stepwise: (c) => sidesOf(c.cropping)[0].every((n) => n === 0),
  outputNames: () => ['output'],
  describe: (c) => `Cropping2D(cropping=${formatSides(c.cropping)})`,

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 4, 4, '(batch, rows, cols, channels)')) return undefined;
    const shape = input!.type.shape as [Dim, Dim, Dim, Dim];
    const crops = sidesOf(c.cropping).map(([a, b]) => a + b);
    const axis = crops.findIndex((crop, k) => isKnown(shape[k + 1]!) && crop >= (shape[k + 1] as number));
    if (axis >= 0) {
      const [length, name] = [shape[axis + 1] as number, axis === 0 ? 'rows' : 'columns'];
      ctx.error('MC4041', { layer: layerTitle(ctx), crop: crops[axis]!, axis: name, length, shape: formatShape(shape) }, {
        pointer: `${ctx.layer.pointer}/cropping`,
        related: [ctx.definedHere(input!.producer)],
        hint: `crop fewer than ${length} ${name} in all.`,
      });
      return undefined;
    }
    return [{ dtype: input!.type.dtype, shape: [shape[0], addDims(shape[1], -crops[0]!), addDims(shape[2], -crops[1]!), shape[3]] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [[top], [left]] = sidesOf(c.cropping);
    const [, rows, cols, channels] = input.type.shape.map((d) => ctx.dim(d));
    const [, outRows, outCols] = out.type.shape.map((d) => ctx.dim(d));
    const from = { buffer: input.buffer, rows: rows!, cols: cols!, top, left };
    const to = { buffer: out.buffer, rows: outRows!, cols: outCols!, top: 0, left: 0 };
    return [withComment(copyBlock(io.rows, from, to, outRows!, outCols!, channels!), `${out.buffer}[b, y, x, :] = ${input.buffer}[b, ${top} + y, ${left} + x, :]`)];
  },
});
