// Subtract: keras.layers.Subtract (keras/src/layers/merging/subtract.py). out = x1 − x2,
// element-wise; exactly two inputs, as Keras requires. Shape rule and emitter: merge.ts.
import { sub } from '../kernel/build.js';
import { mergeLayer } from './merge.js';

export const subtract = mergeLayer({
  type: 'Subtract',
  description: 'The element-wise difference of its two inputs (`inputs: [a, b]` gives a − b).',
  arity: { min: 2, max: 2 },
  combine: ([a, b]) => sub(a!, b!),
  formula: ([a, b]) => `${a!} − ${b!}`,
});
