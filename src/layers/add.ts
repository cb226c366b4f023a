// Add: keras.layers.Add (keras/src/layers/merging/add.py). out = x1 + x2 + ... + xn, element-wise,
// over inputs of one (or a broadcastable) shape. Shape rule and emitter: merge.ts.
import { add as sum } from '../kernel/build.js';
import { mergeLayer } from './merge.js';

export const add = mergeLayer({
  type: 'Add',
  description: 'The element-wise sum of its inputs (`inputs: [a, b, ...]`).',
  combine: (x) => sum(...x),
  formula: (names) => names.join(' + '),
});
