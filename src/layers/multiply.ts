// Multiply: keras.layers.Multiply (keras/src/layers/merging/multiply.py). out = x1 · x2 · ... · xn,
// element-wise. Shape rule and emitter: merge.ts.
import { mul } from '../kernel/build.js';
import { mergeLayer } from './merge.js';

export const multiply = mergeLayer({
  type: 'Multiply',
  description: 'The element-wise product of its inputs (`inputs: [a, b, ...]`).',
  combine: (x) => mul(...x),
  formula: (names) => names.join(' · '),
  maskedValue: 'one',
});
