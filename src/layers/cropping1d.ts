// Cropping1D: keras.layers.Cropping1D (keras/src/layers/reshaping/cropping1d.py):
// (batch, steps, features) -> (batch, steps − left − right, features), dropping steps at the start
// and the end. `cropping` is an integer (both sides) or [left, right], default [1, 1]. A crop that
// leaves no step is MC4030, as Keras refuses it. Drops an input mask, as Keras does.
import { add, forRange, method, mul, stmt, sub, withComment } from '../kernel/build.js';
import { addDims, formatShape, isKnown, type Dim } from '../shapes/dim.js';
import { expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { pairOf, pairOption } from './padding1d.js';

export const cropping1d = defineLayer({
  type: 'Cropping1D',
  description: 'Crops `cropping` steps from the start and the end of each sequence (an integer, or [left, right]).',
  options: {
    cropping: pairOption('Steps removed at the start and the end: an integer for both, or [left, right].', [1, 1]),
  },
  arity: { min: 1, max: 1 },
  stepwise: () => false,
  outputNames: () => ['output'],
  describe: (c) => `Cropping1D(cropping=${formatShape(pairOf(c.cropping))})`,

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 3, 3, '(batch, steps, features)')) return undefined;
    const [batch, steps, features] = input!.type.shape as [Dim, Dim, Dim];
    const [left, right] = pairOf(c.cropping);
    if (isKnown(steps) && left + right >= steps) {
      ctx.error('MC4030', { layer: layerTitle(ctx), crop: left + right, length: steps, shape: formatShape(input!.type.shape) }, {
        pointer: `${ctx.layer.pointer}/cropping`,
        related: [ctx.definedHere(input!.producer)],
        hint: `crop fewer than ${steps} steps in all.`,
      });
      return undefined;
    }
    return [{ dtype: input!.type.dtype, shape: [batch, addDims(steps, -(left + right)), features] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    const [left, right] = pairOf(c.cropping);
    const T = ctx.dim(input.type.shape[1]!);
    const To = ctx.dim(out.type.shape[1]!);
    const F = ctx.dim(input.type.shape[2]!);
    return [
      withComment(
        forRange('b', 0, io.rows, [stmt(method(out.buffer, 'set', method(input.buffer, 'subarray', mul(add(mul('b', T), left), F), mul(sub(mul(add('b', 1), T), right), F)), mul('b', To, F)))]),
        `${out.buffer}[b, t, :] = ${input.buffer}[b, ${left} + t, :]`,
      ),
    ];
  },
});
