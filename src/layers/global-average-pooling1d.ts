// GlobalAveragePooling1D: keras.layers.GlobalAveragePooling1D
// (keras/src/layers/pooling/global_average_pooling1d.py).
// out[b, c] = mean over t of x[b, t, c]; (batch, 1, channels) with `keepdims`. With an input mask
// (from Embedding(mask_zero) or Masking upstream), as in Keras, the mean of the kept steps only:
// Σ mask·x / Σ mask (NaN for a row with every step masked). The mask stops here (Keras's
// compute_mask returns None).
import { call, nullLiteral, stmt, withComment } from '../kernel/build.js';
import { describeGlobalPooling, globalPooling1dOptions, globalPooling1dShape } from './global-pooling1d.js';
import { defineLayer } from './layer.js';

export const globalAveragePooling1d = defineLayer({
  type: 'GlobalAveragePooling1D',
  description: 'The mean over the steps axis (of the unmasked steps, with a mask): (batch, steps, channels) -> (batch, channels).',
  options: globalPooling1dOptions,
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'drop',

  outputNames: () => ['output'],
  stepwise: () => false,
  describe: (config) => describeGlobalPooling('GlobalAveragePooling1D', config),

  inferShapes: (ctx, [input], c) => globalPooling1dShape(ctx, input!, c),

  params: () => [],

  emit(ctx, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const [, steps, channels] = input.type.shape;
    const pool = stmt(call(ctx.runtime('globalAveragePool1d'), input.buffer, io.rows, ctx.dim(steps!), ctx.dim(channels!), io.mask ?? nullLiteral(), out));
    return [withComment(pool, io.mask ? `${out}[b, c] = mean of ${input.buffer}[b, t, c] over the steps t that ${io.mask} keeps` : `${out}[b, c] = mean over t of ${input.buffer}[b, t, c]`)];
  },
});
