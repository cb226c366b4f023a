// Rescaling: keras.layers.Rescaling (keras/src/layers/preprocessing/rescaling.py):
// y = x · scale + offset, element-wise on any shape (a scalar scale and offset).
import { add, mul } from '../kernel/build.js';
import { elementwiseLayer } from './elementwise.js';
import { number } from './options/option.js';

export const rescaling = elementwiseLayer({
  type: 'Rescaling',
  description: 'Multiplies the input by scale and adds offset (e.g. 1/255 for pixels).',
  options: {
    scale: number('The factor.'),
    offset: number('Added after scaling.', { default: 0 }),
  },
  required: ['scale'],
  describe: (c) => `Rescaling(scale=${c.scale}, offset=${c.offset})`,
  value: (v, c) => add(mul(v, c.scale), c.offset),
  formula: (c) => `v · ${c.scale} + ${c.offset}`,
});
