// Maximum: keras.layers.Maximum (keras/src/layers/merging/maximum.py). out = max(x1, ..., xn),
// element-wise (NaN if any is NaN, as ops.maximum). Shape rule and emitter: merge.ts.
import { call } from '../kernel/build.js';
import { mergeLayer } from './merge.js';

export const maximum = mergeLayer({
  type: 'Maximum',
  description: 'The element-wise maximum of its inputs (`inputs: [a, b, ...]`).',
  combine: (x) => (x.length === 1 ? x[0]! : call('Math.max', ...x)),
  formula: (names) => `max(${names.join(', ')})`,
  maskedValue: 'others',
});
