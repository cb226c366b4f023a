// MaxPooling2D: keras.layers.MaxPooling2D (keras/src/layers/pooling/max_pooling2d.py).
// out[b, y, x, c] = max of in[b, y·sh − top + ky, x·sw − left + kx, c] over the pool_size window
// (an integer for both axes, or [rows, cols]; default 2 × 2) of a channels-last (batch, rows,
// cols, channels) image; strides default to pool_size. With padding `same` the window may reach
// past the edges, and the elements outside never win (XLA pads with −∞). Options, shape rule and
// emitter are shared with the other pooling layers (pooling.ts).
import { poolingLayer } from './pooling.js';

export const maxPooling2d = poolingLayer({
  type: 'MaxPooling2D',
  description: 'Max pooling over the rows and columns of (batch, rows, cols, channels).',
  rank: 2,
  kernel: 'maxPool2d',
  reduction: 'the max',
});
