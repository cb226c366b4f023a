// ActivityRegularization: keras.layers.ActivityRegularization
// (keras/src/layers/regularization/activity_regularization.py): the identity, with the activity
// loss l1 · Σ|y| + l2 · Σy² (Keras divides it by the batch size) added to the model's losses.
// Divergence: the generated module's Model.activityRegularizationLoss() does not include this
// layer's loss yet (the planner reads `activity_regularizer` options only); the output is exact.
import { identityLayer } from './elementwise.js';
import { number } from './options/option.js';

export const activityRegularization = identityLayer({
  type: 'ActivityRegularization',
  description: 'The identity, with an L1/L2 activity loss on its output in training.',
  options: {
    l1: number('The L1 factor of the activity loss.', { minimum: 0, default: 0 }),
    l2: number('The L2 factor of the activity loss.', { minimum: 0, default: 0 }),
  },
  describe: (c) => `ActivityRegularization(l1=${c.l1}, l2=${c.l2})`,
  note: 'the identity (its activity loss is a training term)',
});
