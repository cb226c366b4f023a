// GlobalAveragePooling2D: keras.layers.GlobalAveragePooling2D
// (keras/src/layers/pooling/global_average_pooling2d.py).
// out[b, c] = mean over y, x of in[b, y, x, c]; (batch, 1, 1, channels) with `keepdims`. Options,
// shape rule and emitter are shared with GlobalMaxPooling2D (global-pooling2d.ts).
import { globalPooling2dLayer } from './global-pooling2d.js';

export const globalAveragePooling2d = globalPooling2dLayer({
  type: 'GlobalAveragePooling2D',
  description: 'The mean over the rows and columns: (batch, rows, cols, channels) -> (batch, channels).',
  reduction: 'mean',
});
