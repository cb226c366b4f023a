// MaxPooling1D: keras.layers.MaxPooling1D (keras/src/layers/pooling/max_pooling1d.py).
// out[b, t, c] = max of x[b, t·strides − pad + k, c] over the pool_size steps k of window t, on a
// channels-last (batch, steps, channels) input; strides default to pool_size. With padding
// `same` the window may reach past either end, and the steps outside never win (XLA pads with
// −∞). Options, shape rule and emitter are shared with AveragePooling1D (pooling.ts).
import { poolingLayer } from './pooling.js';

export const maxPooling1d = poolingLayer({
  type: 'MaxPooling1D',
  description: 'Max pooling over the steps axis of (batch, steps, channels).',
  rank: 1,
  kernel: 'maxPool1d',
  reduction: 'the max',
});
