// Dropout: keras.layers.Dropout (keras/src/layers/regularization/dropout.py).
// In training Keras zeroes a fraction `rate` of the inputs and scales the rest by 1 / (1 − rate);
// at inference, the only mode modelc compiles, it is the identity. `noise_shape` and `seed` are
// accepted for configs copied from Keras and have no effect at inference. Any dtype; passes an
// input mask on, as Keras does.
import { method, stmt, withComment } from '../emit/builders.js';
import type { LayerDef } from './layer.js';

export const dropout: LayerDef = {
  type: 'Dropout',
  description: 'Dropout; the identity at inference.',
  options: {
    rate: { type: 'number', minimum: 0, maximum: 1, description: 'Fraction of the inputs dropped in training; inference is unaffected.' },
    noise_shape: { type: ['array', 'null'], items: { type: ['integer', 'null'], minimum: 1 }, default: null, description: 'Shape of the binary dropout mask, in training.' },
    seed: { type: ['integer', 'null'], default: null, description: 'Seed of the dropout mask, in training.' },
  },
  required: ['rate'],
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',

  outputNames: () => ['output'],
  describe: (config) => `Dropout(${String(config.rate)})`,

  inferShapes: (_ctx, [input]) => [input!.type],

  params: () => [],

  emit(_ctx, io) {
    const out = io.outputs[0]!.buffer;
    return [withComment(stmt(method(out, 'set', io.inputs[0]!.buffer)), 'Inference: the identity')];
  },
};
