// SimpleRNN: keras.layers.SimpleRNN (keras/src/layers/rnn/simple_rnn.py), a cell on the
// recurrent base: h' = σ(x·W + h·U + b), σ = `activation` (tanh).
import { add, assign, at, forRange } from '../kernel/build.js';
import { activationSchema, applyActivation } from './options/activations.js';
import { recurrentLayer, recurrentProduct } from './recurrent.js';

export const simpleRnn = recurrentLayer({
  type: 'SimpleRNN',
  description: 'Fully connected RNN whose output is fed back as its next input, Keras 3 semantics.',
  states: ['h'],
  gates: 1,
  gateNames: '',
  options: {
    activation: activationSchema('tanh', 'Activation of the state (default tanh); null is linear.'),
  },

  bias(c) {
    return { shape: [c.units], layout: 'units' };
  },

  step(ctx, cell) {
    const h = cell.states.h!;
    return [
      // xz[:, t, :] += h · recurrent_kernel, then h = σ(xz[:, t, :])
      ...recurrentProduct(ctx, cell, 0, cell.units),
      cell.forRows([forRange('j', 0, cell.units, [assign(at(h, add('hb', 'j')), applyActivation(ctx, cell.config.activation, at(cell.xz, add('zx', 'j'))))])]),
    ];
  },
});
