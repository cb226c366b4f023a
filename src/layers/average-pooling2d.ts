// AveragePooling2D: keras.layers.AveragePooling2D (keras/src/layers/pooling/average_pooling2d.py).
// out[b, y, x, c] = mean of in[b, y·sh − top + ky, x·sw − left + kx, c] over the pool_size window
// (an integer for both axes, or [rows, cols]; required, as in Keras 3) of a channels-last (batch, rows,
// cols, channels) image; strides default to pool_size. With padding `same`, as in Keras, the mean
// counts only the elements inside the image: a corner window holding 2 × 1 real elements divides
// by 2. Options, shape rule and emitter are shared with the other pooling layers (pooling.ts).
import { poolingLayer } from './pooling.js';

export const averagePooling2d = poolingLayer({
  type: 'AveragePooling2D',
  description: 'Average pooling over the rows and columns of (batch, rows, cols, channels); padding is not counted.',
  rank: 2,
  kernel: 'averagePool2d',
  reduction: 'the mean',
  sizeRequired: true,
});
