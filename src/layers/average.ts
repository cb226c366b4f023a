// Average: keras.layers.Average (keras/src/layers/merging/average.py). out = (x1 + ... + xn) / n,
// element-wise, summed first and divided once, as Keras does. Shape rule and emitter: merge.ts.
import { add, div } from '../kernel/build.js';
import { mergeLayer } from './merge.js';

export const average = mergeLayer({
  type: 'Average',
  description: 'The element-wise mean of its inputs (`inputs: [a, b, ...]`).',
  combine: (x) => (x.length === 1 ? x[0]! : div(add(...x), x.length)),
  formula: (names) => `(${names.join(' + ')}) / ${names.length}`,
});
