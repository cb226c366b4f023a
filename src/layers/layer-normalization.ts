// LayerNormalization: keras.layers.LayerNormalization
// (keras/src/layers/normalization/layer_normalization.py, ops.layer_normalization).
//   y = (x − mean) / sqrt(var + epsilon) · gamma + beta
// with mean and (biased) variance over `axis` (default -1) for every other index, and gamma, beta
// of the normalized axes' shape. `center: false` drops beta, `scale: false` gamma; the deprecated
// `rms_scaling` gives y = x / sqrt(var + epsilon) · gamma, as Keras computes it. Passes an input
// mask on, as Keras does.
// Divergence: several axes must be adjacent (Keras accepts any set); others are MC6003.
import { bool, call, nullLiteral, num, stmt, withComment } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectDType, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, number, type ConfigOf } from './options/option.js';
import { axisOption, keepsTimeAxis, normalizationView, normalizedAxes } from './normalization-axes.js';
import { initializerOf, initializerSchema } from './options/initializers.js';


const layerNormalizationOptions = {
  axis: axisOption('The axis, or adjacent axes, to normalize over; negative counts from the last.'),
  epsilon: number('Added to the variance before the square root.', { minimum: 0, default: 0.001 }),
  center: boolean('Add the offset beta.', true),
  scale: boolean('Multiply by gamma.', true),
  rms_scaling: boolean('Deprecated in Keras: x / sqrt(var + epsilon) · gamma, with no centering and no beta.', false),
  beta_initializer: initializerSchema('zeros', 'Initializer of beta.'),
  gamma_initializer: initializerSchema('ones', 'Initializer of gamma.'),
};

type LayerNormalizationConfig = ConfigOf<typeof layerNormalizationOptions>;

const hasGamma = (c: LayerNormalizationConfig) => c.scale || c.rms_scaling;
const hasBeta = (c: LayerNormalizationConfig) => c.center && !c.rms_scaling;

export const layerNormalization = defineLayer({
  type: 'LayerNormalization',
  description: 'Normalizes each sample over `axis` (default the last) to zero mean and unit variance, then scales by gamma and shifts by beta.',
  options: layerNormalizationOptions,

  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: (config, [input]) => keepsTimeAxis(config.axis, input!.shape.length),

  outputNames: () => ['output'],
  describe(c) {
    const extras = [c.epsilon !== 0.001 ? `epsilon=${c.epsilon}` : '', c.center ? '' : 'center=false', c.scale ? '' : 'scale=false', c.rms_scaling ? 'rms_scaling' : ''].filter((e) => e !== '');
    return `LayerNormalization(${[`axis=${typeof c.axis === 'number' ? c.axis : formatShape(c.axis)}`, ...extras].join(', ')})`;
  },

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'float32')) return undefined;
    const axes = normalizedAxes(ctx, input!, c.axis);
    if (!axes) return undefined;
    if (axes[axes.length - 1]! - axes[0]! !== axes.length - 1) {
      ctx.error('MC6004', { layer: layerTitle(ctx), axes: formatShape(axes) }, {
        pointer: `${ctx.layer.pointer}/axis`,
        hint: 'Permute the input so the normalized axes are adjacent.',
      });
      return undefined;
    }
    return [input!.type];
  },

  params(_layer, [input], c) {
    const rank = input!.shape.length;
    const axes = (typeof c.axis === 'number' ? [c.axis] : c.axis).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const shape = axes.map((a) => input!.shape[a] as number);
    const layout = axes.length === 1 ? 'features' : `the normalized axes ${formatShape(axes)}`;
    return [
      ...(hasGamma(c) ? [{ name: 'gamma', shape, initializer: initializerOf(c.gamma_initializer), layout: `${layout} (scale)` }] : []),
      ...(hasBeta(c) ? [{ name: 'beta', shape, initializer: initializerOf(c.beta_initializer), layout: `${layout} (offset)` }] : []),
    ];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const shape = input.type.shape;
    const rank = shape.length;
    const axes = (typeof c.axis === 'number' ? [c.axis] : c.axis).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const { outer, size, inner } = normalizationView(ctx, io.rows, shape, axes[0]!, axes[axes.length - 1]!);
    const norm = stmt(
      call(ctx.runtime('layerNormalize'), input.buffer, outer, size, inner, hasGamma(c) ? io.weight('gamma') : nullLiteral(), hasBeta(c) ? io.weight('beta') : nullLiteral(), num(c.epsilon), bool(c.rms_scaling), out),
    );
    const formula = c.rms_scaling ? `x / sqrt(var + ${c.epsilon})${hasGamma(c) ? ' · gamma' : ''}` : `(x − mean) / sqrt(var + ${c.epsilon})${hasGamma(c) ? ' · gamma' : ''}${hasBeta(c) ? ' + beta' : ''}`;
    return [withComment(norm, `${out} = ${formula}, with mean and var over axes ${formatShape(axes)} of ${input.buffer}`)];
  },
});
