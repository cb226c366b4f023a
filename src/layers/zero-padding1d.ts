// ZeroPadding1D: keras.layers.ZeroPadding1D (keras/src/layers/reshaping/zero_padding1d.py):
// (batch, steps, features) -> (batch, left + steps + right, features), zeros before and after
// each sequence. `padding` is an integer (both sides) or [left, right]. channels_last; a run-time
// length stays one (steps + left + right). Drops an input mask, as Keras does.
import { add, forRange, method, mul, stmt, withComment } from '../kernel/build.js';
import { addDims, formatShape, type Dim } from '../shapes/dim.js';
import { expectRank } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { pairOf, pairOption } from './padding1d.js';

export const zeroPadding1d = defineLayer({
  type: 'ZeroPadding1D',
  description: 'Pads each sequence with zeros: `padding` steps before and after (an integer, or [left, right]).',
  options: {
    padding: pairOption('Zero steps added before and after: an integer for both, or [left, right].', 1),
  },
  arity: { min: 1, max: 1 },
  stepwise: () => false,
  outputNames: () => ['output'],
  describe: (c) => `ZeroPadding1D(padding=${formatShape(pairOf(c.padding))})`,

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 3, 3, '(batch, steps, features)')) return undefined;
    const [batch, steps, features] = input!.type.shape as [Dim, Dim, Dim];
    const [left, right] = pairOf(c.padding);
    return [{ dtype: input!.type.dtype, shape: [batch, addDims(steps, left + right), features] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [left] = pairOf(c.padding);
    const T = ctx.dim(input.type.shape[1]!);
    const To = ctx.dim(out.type.shape[1]!);
    const F = ctx.dim(input.type.shape[2]!);
    return [
      withComment(stmt(method(out.buffer, 'fill', 0)), `${out.buffer}[b, ${left} + t, :] = ${input.buffer}[b, t, :], zeros elsewhere`),
      forRange('b', 0, io.rows, [stmt(method(out.buffer, 'set', method(input.buffer, 'subarray', mul('b', T, F), mul(add('b', 1), T, F)), mul(add(mul('b', To), left), F)))]),
    ];
  },
});
