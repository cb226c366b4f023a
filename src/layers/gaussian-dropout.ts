// GaussianDropout: keras.layers.GaussianDropout (keras/src/layers/regularization/gaussian_dropout.py):
// multiplies by N(1, rate / (1 − rate)) noise in training, the identity at inference.
// Divergence: the generated module is the identity in training mode too (no noise is drawn).
import { identityLayer } from './elementwise.js';
import { integerOrNull, number } from './options/option.js';

export const gaussianDropout = identityLayer({
  type: 'GaussianDropout',
  description: 'Multiplicative Gaussian noise in training; the identity at inference (modelc: always).',
  options: {
    rate: number('The drop probability, as for Dropout.', { minimum: 0, exclusiveMaximum: 1 }),
    seed: integerOrNull('Seed of the noise.'),
  },
  required: ['rate'],
  describe: (c) => `GaussianDropout(${c.rate})`,
  note: 'the identity at inference (Keras adds noise only in training)',
  float: true,
});
