// AlphaDropout: keras.layers.AlphaDropout (keras/src/layers/regularization/alpha_dropout.py):
// in training, sets dropped units to SELU's negative saturation and rescales to keep the mean and
// variance; the identity at inference.
// Divergence: the generated module is the identity in training mode too.
import { identityLayer } from './elementwise.js';
import { integerOrNull, number, option } from './options/option.js';

export const alphaDropout = identityLayer({
  type: 'AlphaDropout',
  description: 'Dropout that keeps the mean and variance of SELU activations, in training; the identity at inference (modelc: always).',
  options: {
    rate: number('The drop probability.', { minimum: 0, exclusiveMaximum: 1 }),
    noise_shape: option<readonly (number | null)[] | null>({ type: ['array', 'null'], items: { type: ['integer', 'null'], minimum: 1 }, default: null, description: 'The shape of the drop mask, broadcast to the input (training only).' }),
    seed: integerOrNull('Seed of the mask.'),
  },
  required: ['rate'],
  describe: (c) => `AlphaDropout(${c.rate})`,
  note: 'the identity at inference (Keras drops units only in training)',
  float: true,
});
