// GlobalMaxPooling1D: keras.layers.GlobalMaxPooling1D (keras/src/layers/pooling/global_max_pooling1d.py).
// out[b, c] = max over t of x[b, t, c]; (batch, 1, channels) with `keepdims`. Like Keras, it does
// not support masking: an input mask is dropped, and masked steps count.
import { call, stmt, withComment } from '../kernel/build.js';
import { describeGlobalPooling, globalPooling1dOptions, globalPooling1dShape } from './global-pooling1d.js';
import { defineLayer } from './layer.js';

export const globalMaxPooling1d = defineLayer({
  type: 'GlobalMaxPooling1D',
  description: 'The maximum over the steps axis: (batch, steps, channels) -> (batch, channels).',
  options: globalPooling1dOptions,
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: () => false,
  describe: (config) => describeGlobalPooling('GlobalMaxPooling1D', config),

  inferShapes: (ctx, [input], c) => globalPooling1dShape(ctx, input!, c),

  params: () => [],

  emit(ctx, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const [, steps, channels] = input.type.shape;
    return [withComment(stmt(call(ctx.runtime('globalMaxPool1d'), input.buffer, io.rows, ctx.dim(steps!), ctx.dim(channels!), out)), `${out}[b, c] = max over t of ${input.buffer}[b, t, c]`)];
  },
});
