// AveragePooling1D: keras.layers.AveragePooling1D (keras/src/layers/pooling/average_pooling1d.py).
// out[b, t, c] = mean of x[b, t·strides − pad + k, c] over the pool_size steps k of window t, on a
// channels-last (batch, steps, channels) input; strides default to pool_size. With padding
// `same`, as in Keras, the mean counts only the steps inside the input: an edge window holding 2
// real steps divides by 2, not by pool_size. Options, shape rule and emitter are shared with
// MaxPooling1D (pooling.ts).
import { poolingLayer } from './pooling.js';

export const averagePooling1d = poolingLayer({
  type: 'AveragePooling1D',
  description: 'Average pooling over the steps axis of (batch, steps, channels); padding is not counted.',
  rank: 1,
  kernel: 'averagePool1d',
  reduction: 'the mean',
});
