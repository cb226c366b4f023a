// GaussianNoise: keras.layers.GaussianNoise (keras/src/layers/regularization/gaussian_noise.py):
// adds N(0, stddev²) noise in training, the identity at inference.
// Divergence: the generated module is the identity in training mode too (no noise is drawn).
import { identityLayer } from './elementwise.js';
import { integerOrNull, number } from './options/option.js';

export const gaussianNoise = identityLayer({
  type: 'GaussianNoise',
  description: 'Adds zero-mean Gaussian noise in training; the identity at inference (modelc: always).',
  options: {
    stddev: number('The standard deviation of the noise.', { minimum: 0 }),
    seed: integerOrNull('Seed of the noise.'),
  },
  required: ['stddev'],
  describe: (c) => `GaussianNoise(${c.stddev})`,
  note: 'the identity at inference (Keras adds noise only in training)',
  float: true,
});
