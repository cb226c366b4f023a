// Minimum: keras.layers.Minimum (keras/src/layers/merging/minimum.py). out = min(x1, ..., xn),
// element-wise (NaN if any is NaN, as ops.minimum). Shape rule and emitter: merge.ts.
import { call } from '../kernel/build.js';
import { mergeLayer } from './merge.js';

export const minimum = mergeLayer({
  type: 'Minimum',
  description: 'The element-wise minimum of its inputs (`inputs: [a, b, ...]`).',
  combine: (x) => (x.length === 1 ? x[0]! : call('Math.min', ...x)),
  formula: (names) => `min(${names.join(', ')})`,
  maskedValue: 'others',
});
