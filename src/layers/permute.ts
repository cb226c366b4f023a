// Permute: keras.layers.Permute (keras/src/layers/reshaping/permute.py).
// Reorders the axes after the batch: `dims` lists, 1-based, which input axis each output axis
// takes, so dims [2, 1] on (batch, steps, features) gives (batch, features, steps)
// (ops.transpose(x, (0, ...dims))). The input must have rank len(dims) + 1. Any dtype. Like
// Keras, it drops an input mask.
import { call, list, num, stmt, withComment } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { integerList } from './options/option.js';

export const permute = defineLayer({
  type: 'Permute',
  description: 'Permutes the axes after the batch; dims is 1-based, as in Keras: [2, 1] swaps the two.',
  options: {
    dims: integerList('For each output axis, the input axis it takes (1-based; the batch axis stays first).', 1),
  },
  required: ['dims'],
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: (c) => c.dims[0] === 1,
  describe: (c) => `Permute(${formatShape(c.dims)})`,

  inferShapes(ctx, [input], { dims }) {
    if ([...dims].sort((a, b) => a - b).some((d, i) => d !== i + 1)) {
      ctx.error('MC2008', `${layerTitle(ctx)} expects dims to be a permutation of 1 to ${dims.length}: each axis after the batch once. Received: dims=${formatShape(dims)}.`, {
        pointer: `${ctx.layer.pointer}/dims`,
        hint: 'number the axes from 1 (the batch axis is not listed).',
      });
      return undefined;
    }
    if (!expectRank(ctx, input!, dims.length + 1, dims.length + 1, `(batch and the ${dims.length} axes dims permutes)`)) return undefined;
    const shape = input!.type.shape;
    return [{ dtype: input!.type.dtype, shape: [shape[0]!, ...dims.map((d) => shape[d]!)] }];
  },

  params: () => [],

  emit(ctx, io, { dims }) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const transpose = stmt(call(ctx.runtime('transposeAxes'), input.buffer, io.rows, list(...input.type.shape.slice(1).map((d) => ctx.dim(d))), list(...dims.map((d) => num(d - 1))), out));
    return [withComment(transpose, `${out}[b, ${dims.map((d) => `i${d}`).join(', ')}] = ${input.buffer}[b, ${dims.map((_, i) => `i${i + 1}`).join(', ')}]`)];
  },
});
