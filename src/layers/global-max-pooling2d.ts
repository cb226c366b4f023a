// GlobalMaxPooling2D: keras.layers.GlobalMaxPooling2D (keras/src/layers/pooling/global_max_pooling2d.py).
// out[b, c] = max over y, x of in[b, y, x, c]; (batch, 1, 1, channels) with `keepdims`. Options,
// shape rule and emitter are shared with GlobalAveragePooling2D (global-pooling2d.ts).
import { globalPooling2dLayer } from './global-pooling2d.js';

export const globalMaxPooling2d = globalPooling2dLayer({
  type: 'GlobalMaxPooling2D',
  description: 'The maximum over the rows and columns: (batch, rows, cols, channels) -> (batch, channels).',
  reduction: 'max',
});
