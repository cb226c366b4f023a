// ELU: keras.layers.ELU (keras/src/layers/activations/elu.py, activations.elu):
// y = x if x > 0 else alpha · (exp(x) − 1). Element-wise on any shape; passes an input mask on.
import { cond, exp, gt, mul, sub } from './math.js';
import { elementwiseLayer } from './elementwise.js';
import { number } from './options/option.js';

export const elu = elementwiseLayer({
  type: 'ELU',
  description: 'Exponential linear unit: x, or alpha · (exp(x) − 1) below zero.',
  options: {
    alpha: number('The scale of the negative part.', { default: 1 }),
  },
  describe: (c) => `ELU(alpha=${c.alpha})`,
  value: (v, c) => cond(gt(v, 0), v, mul(c.alpha, sub(exp(v), 1))),
  formula: (c) => `v > 0 ? v : ${c.alpha} · (exp(v) − 1)`,
});
