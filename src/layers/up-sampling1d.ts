// UpSampling1D: keras.layers.UpSampling1D (keras/src/layers/reshaping/up_sampling1d.py):
// (batch, steps, features) -> (batch, steps · size, features), each step repeated `size` times.
// Drops an input mask, as Keras does.
import { add, constVar, forRange, method, mul, stmt, withComment } from '../kernel/build.js';
import { mulDims, type Dim } from '../shapes/dim.js';
import { expectRank } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { integer } from './options/option.js';

export const upSampling1d = defineLayer({
  type: 'UpSampling1D',
  description: 'Repeats each timestep `size` times along the time axis.',
  options: {
    size: integer('How many times each step is repeated.', { default: 2 }),
  },
  arity: { min: 1, max: 1 },
  stepwise: () => false,
  outputNames: () => ['output'],
  describe: (c) => `UpSampling1D(size=${c.size})`,

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 3, 3, '(batch, steps, features)')) return undefined;
    const [batch, steps, features] = input!.type.shape as [Dim, Dim, Dim];
    return [{ dtype: input!.type.dtype, shape: [batch, mulDims(steps, c.size), features] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!.buffer;
    const out = io.outputs[0]!.buffer;
    const T = ctx.dim(io.inputs[0]!.type.shape[1]!);
    const F = ctx.dim(io.inputs[0]!.type.shape[2]!);
    const row = mul(add(mul('b', T), 's'), F);
    return [
      withComment(
        forRange('b', 0, io.rows, [forRange('s', 0, T, [constVar('step', method(input, 'subarray', row, add(row, F))), forRange('k', 0, c.size, [stmt(method(out, 'set', 'step', mul(add(mul(add(mul('b', T), 's'), c.size), 'k'), F)))])])]),
        `${out}[b, t · ${c.size} + k, :] = ${input}[b, t, :] for k < ${c.size}`,
      ),
    ];
  },
});
