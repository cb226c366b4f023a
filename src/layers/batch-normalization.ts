// BatchNormalization: keras.layers.BatchNormalization
// (keras/src/layers/normalization/batch_normalization.py), at inference, with the moving statistics:
//   y = (x − moving_mean) / sqrt(moving_variance + epsilon) · gamma + beta
// per index of `axis` (default -1, the features). Parameters in Keras's order: gamma (with
// `scale`), beta (with `center`), moving_mean, moving_variance, each (features). `momentum` only
// matters in training and is accepted for configs copied from Keras. Passes an input mask on, as
// Keras does (at inference the mask does not change the result).
// Divergence: `renorm` and its options are not supported (they add parameters).
import { call, nullLiteral, num, stmt, withComment } from '../kernel/build.js';
import { expectDType } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, integer, number, type ConfigOf } from './options/option.js';
import { keepsTimeAxis, normalizationView, normalizedAxes } from './normalization-axes.js';
import { initializerOf, initializerSchema } from './options/initializers.js';


const batchNormalizationOptions = {
  axis: integer('The features axis, normalized per index; negative counts from the last.', { default: -1, minimum: undefined }),
  momentum: number('Momentum of the moving statistics, in training; inference is unaffected.', { minimum: 0, maximum: 1, default: 0.99 }),
  epsilon: number('Added to the variance before the square root.', { minimum: 0, default: 0.001 }),
  center: boolean('Add the offset beta.', true),
  scale: boolean('Multiply by gamma.', true),
  beta_initializer: initializerSchema('zeros', 'Initializer of beta.'),
  gamma_initializer: initializerSchema('ones', 'Initializer of gamma.'),
  moving_mean_initializer: initializerSchema('zeros', 'Initializer of moving_mean.'),
  moving_variance_initializer: initializerSchema('ones', 'Initializer of moving_variance.'),
  synchronized: boolean('Synchronize statistics across devices, in training; inference is unaffected.', false),
};

type BatchNormalizationConfig = ConfigOf<typeof batchNormalizationOptions>;

const axisOf = (c: BatchNormalizationConfig, rank: number) => (c.axis < 0 ? c.axis + rank : c.axis);

export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  description: 'Batch normalization at inference: (x − moving_mean) / sqrt(moving_variance + epsilon) · gamma + beta over `axis`.',
  options: batchNormalizationOptions,

  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: (config, [input]) => keepsTimeAxis(config.axis, input!.shape.length),

  outputNames: () => ['output'],
  describe(c) {
    const extras = [c.epsilon !== 0.001 ? `epsilon=${c.epsilon}` : '', c.center ? '' : 'center=false', c.scale ? '' : 'scale=false'].filter((e) => e !== '');
    return `BatchNormalization(${[`axis=${c.axis}`, ...extras].join(', ')})`;
  },

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'float32') || !normalizedAxes(ctx, input!, c.axis)) return undefined;
    return [input!.type];
  },

  params(_layer, [input], c) {
    const shape = [input!.shape[axisOf(c, input!.shape.length)] as number];
    return [
      ...(c.scale ? [{ name: 'gamma', shape, initializer: initializerOf(c.gamma_initializer), layout: 'features (scale)' }] : []),
      ...(c.center ? [{ name: 'beta', shape, initializer: initializerOf(c.beta_initializer), layout: 'features (offset)' }] : []),
      { name: 'moving_mean', shape, initializer: initializerOf(c.moving_mean_initializer), layout: 'features (mean seen in training)' },
      { name: 'moving_variance', shape, initializer: initializerOf(c.moving_variance_initializer), layout: 'features (variance seen in training)' },
    ];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const axis = axisOf(c, input.type.shape.length);
    const { outer, size, inner } = normalizationView(ctx, io.rows, input.type.shape, axis, axis);
    const norm = stmt(
      call(ctx.runtime('batchNormalize'), input.buffer, outer, size, inner, c.scale ? io.weight('gamma') : nullLiteral(), c.center ? io.weight('beta') : nullLiteral(), io.weight('moving_mean'), io.weight('moving_variance'), num(c.epsilon), out),
    );
    return [withComment(norm, `${out} = (${input.buffer} − moving_mean) / sqrt(moving_variance + ${c.epsilon})${c.scale ? ' · gamma' : ''}${c.center ? ' + beta' : ''}, per index of axis ${axis}`)];
  },
});
