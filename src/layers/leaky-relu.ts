// LeakyReLU: keras.layers.LeakyReLU (keras/src/layers/activations/leaky_relu.py): y = x if x ≥ 0
// else negative_slope · x; Keras 3's default slope is 0.3 (the `leaky_relu` activation's is 0.2).
// Element-wise on any shape; passes an input mask on.
import { cond, ge, mul } from './math.js';
import { elementwiseLayer } from './elementwise.js';
import { number } from './options/option.js';

export const leakyRelu = elementwiseLayer({
  type: 'LeakyReLU',
  description: 'Leaky rectified linear unit: x, or negative_slope · x below zero.',
  options: {
    negative_slope: number('The slope below zero.', { minimum: 0, default: 0.3 }),
  },
  describe: (c) => `LeakyReLU(negative_slope=${c.negative_slope})`,
  value: (v, c) => cond(ge(v, 0), v, mul(c.negative_slope, v)),
  formula: (c) => `v ≥ 0 ? v : ${c.negative_slope} · v`,
});
