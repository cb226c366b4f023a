// ReLU: keras.layers.ReLU (keras/src/layers/activations/relu.py, activations.relu).
//   y = x if x > threshold else 0 (with threshold 0: max(x, 0)), clipped to [0, max_value] when
//   max_value is given, then y − negative_slope · max(threshold − x, 0) when negative_slope ≠ 0,
// the order Keras's static_relu computes in. Element-wise on any shape; passes an input mask on.
import { cond, gt, max, min, mul, sub } from './math.js';
import { elementwiseLayer } from './elementwise.js';
import { number, option } from './options/option.js';

export const relu = elementwiseLayer({
  type: 'ReLU',
  description: 'Rectified linear unit with an optional ceiling (max_value), a slope below the threshold (negative_slope) and a threshold.',
  options: {
    max_value: option<number | null>({ type: ['number', 'null'], minimum: 0, default: null, description: 'The largest output; null for no ceiling.' }),
    negative_slope: number('The slope below the threshold.', { minimum: 0, default: 0 }),
    threshold: number('Values at or below it are zeroed (before negative_slope).', { minimum: 0, default: 0 }),
  },
  describe: (c) => `ReLU(${[c.max_value !== null ? `max_value=${c.max_value}` : '', c.negative_slope !== 0 ? `negative_slope=${c.negative_slope}` : '', c.threshold !== 0 ? `threshold=${c.threshold}` : ''].filter(Boolean).join(', ')})`,
  value(v, c) {
    let y = c.threshold !== 0 ? cond(gt(v, c.threshold), v, 0) : max(v, 0);
    if (c.max_value !== null) y = min(max(y, 0), c.max_value);
    return c.negative_slope !== 0 ? sub(y, mul(c.negative_slope, max(sub(c.threshold, v), 0))) : y;
  },
  formula: (c) =>
    `${c.max_value !== null ? `clip(` : ''}${c.threshold !== 0 ? `(v > ${c.threshold} ? v : 0)` : 'max(v, 0)'}${c.max_value !== null ? `, 0, ${c.max_value})` : ''}${c.negative_slope !== 0 ? ` − ${c.negative_slope} · max(${c.threshold} − v, 0)` : ''}`,
});
