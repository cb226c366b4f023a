// SpatialDropout2D: keras.layers.SpatialDropout2D (keras/src/layers/regularization/spatial_dropout.py).
// Dropout of whole channels of a (batch, rows, cols, channels) input (channels_last): at inference the identity; in
// training one keep/drop draw per (sample, channel), shared by every position (noise shape
// (batch, 1, 1, channels)), kept channels scaled by 1 / (1 − rate). `seed` is accepted for configs
// copied from Keras; `data_format` is channels_last only.
import { expectDType, expectRank } from '../shapes/rules.js';
import { dropoutStatements } from './dropout.js';
import { defineLayer } from './layer.js';
import { integerOrNull, number } from './options/option.js';

export const spatialDropout2d = defineLayer({
  type: 'SpatialDropout2D',
  description: 'Dropout of whole channels of (batch, rows, cols, channels): the identity at inference.',
  options: {
    rate: number('Fraction of the channels dropped in training; inference is unaffected.', { minimum: 0, maximum: 1 }),
    seed: integerOrNull('Seed of the dropout mask in Keras; modelc draws from the `seed` of predict\'s options.'),
  },
  required: ['rate'],
  arity: { min: 1, max: 1 },
  hasDropout: (c) => c.rate > 0,
  maskPolicy: () => 'pass',
  stepwise: () => true,

  outputNames: () => ['output'],
  describe: (c) => `SpatialDropout2D(${c.rate})`,

  inferShapes(ctx, [input]) {
    if (!expectRank(ctx, input!, 4, 4, '(batch, rows, cols, channels)') || !expectDType(ctx, input!, 'float32')) return undefined;
    return [input!.type];
  },

  params: () => [],

  emit(ctx, io, c) {
    const [batch, , , channels] = io.inputs[0]!.type.shape;
    return dropoutStatements(ctx, io, c.rate, [batch!, 1, 1, channels!]);
  },
});
