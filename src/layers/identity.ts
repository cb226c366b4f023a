// Identity: keras.layers.Identity (keras/src/layers/core/identity.py): the output is the input,
// any dtype and shape; passes an input mask on.
import { identityLayer } from './elementwise.js';

export const identity = identityLayer({
  type: 'Identity',
  description: 'Returns its input unchanged.',
  options: {},
  describe: () => 'Identity()',
  note: 'the identity',
});
