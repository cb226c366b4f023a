// SpatialDropout1D: keras.layers.SpatialDropout1D (keras/src/layers/regularization/spatial_dropout.py).
// In training Keras drops whole channels of a (batch, steps, channels) input (noise shape
// (batch, 1, channels)); at inference, the only mode modelc compiles, it is the identity. `seed`
// is accepted and has no effect at inference. Passes an input mask on, as Keras does.
import { method, stmt, withComment } from '../emit/builders.js';
import { expectRank } from '../shapes/rules.js';
import type { LayerDef } from './layer.js';

export const spatialDropout1d: LayerDef = {
  type: 'SpatialDropout1D',
  description: 'Dropout of whole channels of (batch, steps, channels); the identity at inference.',
  options: {
    rate: { type: 'number', minimum: 0, maximum: 1, description: 'Fraction of the channels dropped in training; inference is unaffected.' },
    seed: { type: ['integer', 'null'], default: null, description: 'Seed of the dropout mask, in training.' },
  },
  required: ['rate'],
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',

  outputNames: () => ['output'],
  describe: (config) => `SpatialDropout1D(${String(config.rate)})`,

  inferShapes(ctx, [input]) {
    if (!expectRank(ctx, input!, 3, 3, '(batch, steps, channels)')) return undefined;
    return [input!.type];
  },

  params: () => [],

  emit(_ctx, io) {
    const out = io.outputs[0]!.buffer;
    return [withComment(stmt(method(out, 'set', io.inputs[0]!.buffer)), 'Inference: the identity')];
  },
};
