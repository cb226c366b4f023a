// Dense: keras.layers.Dense (keras/src/layers/core/dense.py).
// output = activation(input · kernel + bias), applied to the last axis of an input of rank >= 2;
// the other axes are kept, so on (batch, time, features) it acts on every timestep.
import type { Stmt } from '../kernel/ir.js';
import { assign, at, call, forRange, mul, nullLiteral, stmt, withComment } from '../kernel/build.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, integer } from './options/option.js';
import { activationSchema, applyActivation, applyRowActivation, isLinear } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { constraintSchema } from './options/constraints.js';
import { regularizerSchema } from './options/regularizers.js';
import { weightOptions } from './options/weight-options.js';

export const dense = defineLayer({
  type: 'Dense',
  description: 'Densely connected layer on the last axis: activation(input · kernel + bias).',
  options: {
    units: integer('Dimensionality of the output space.'),
    activation: activationSchema(null, 'Activation applied to the output; null is linear.', { overLastAxis: true }),
    use_bias: boolean('Whether the layer adds a bias vector.', true),
    kernel_initializer: initializerSchema('glorot_uniform', 'Initializer of the kernel (in, units).'),
    bias_initializer: initializerSchema('zeros', 'Initializer of the bias (units).'),
    kernel_regularizer: regularizerSchema('Regularizer of the kernel.'),
    bias_regularizer: regularizerSchema('Regularizer of the bias.'),
    activity_regularizer: regularizerSchema('Regularizer of the output (divided by the batch size, as Keras 3).'),
    kernel_constraint: constraintSchema('Constraint on the kernel.'),
    bias_constraint: constraintSchema('Constraint on the bias.'),
  },
  required: ['units'],
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: () => true,

  outputNames: () => ['output'],

  describe(c) {
    return `Dense(${c.units}${isLinear(c.activation) ? '' : `, activation=${String(c.activation)}`}${c.use_bias ? '' : ', use_bias=false'})`;
  },

  inferShapes(ctx, [input], c) {
    if (!expectRank(ctx, input!, 2, Infinity, '(batch, ..., features)') || !expectDType(ctx, input!, 'float32')) return undefined;
    const features = input!.type.shape[input!.type.shape.length - 1]!;
    if (!isKnown(features)) {
      ctx.error('MC4010', { layer: layerTitle(ctx), axis: 'the last axis of its input', reason: ': it is the kernel\'s first dimension', shape: formatShape(input!.type.shape) }, {
        related: [ctx.definedHere(input!.producer)],
        hint: `${String(features)} is a run-time length folded into the features (a Flatten or Reshape of a sequence): give the input a fixed length, or reduce the time axis with GlobalAveragePooling1D / GlobalMaxPooling1D or a recurrent layer first.`,
      });
      return undefined;
    }
    return [{ dtype: 'float32', shape: [...input!.type.shape.slice(0, -1), c.units] }];
  },

  params(layer, [input], c) {
    const features = input!.shape[input!.shape.length - 1] as number;
    return [
      { name: 'kernel', shape: [features, c.units], initializer: initializerOf(c.kernel_initializer), layout: 'input features × units', ...weightOptions(layer.config, 'kernel') },
      ...(c.use_bias ? [{ name: 'bias', shape: [c.units], initializer: initializerOf(c.bias_initializer), layout: 'units', ...weightOptions(layer.config, 'bias') }] : []),
    ];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const shape = input.type.shape;
    const features = shape[shape.length - 1] as number;
    const rows = mul(io.rows, ...shape.slice(1, -1).map((d) => ctx.dim(d)));
    const statements: Stmt[] = [
      withComment(
        stmt(call(ctx.runtime('matmulBias'), input.buffer, rows, features, io.weight('kernel'), c.units, c.use_bias ? io.weight('bias') : nullLiteral(), out)),
        `${out}[r, :] = ${input.buffer}[r, :] · kernel${c.use_bias ? ' + bias' : ''}`,
      ),
    ];
    const rowActivation = applyRowActivation(ctx, c.activation, out, rows, c.units);
    if (rowActivation) statements.push(withComment(stmt(rowActivation), `${String(c.activation)} over the last axis`));
    else if (!isLinear(c.activation)) {
      const i = ctx.names.allocate('i');
      statements.push(forRange(i, 0, mul(rows, c.units), [assign(at(out, i), applyActivation(ctx, c.activation, at(out, i)))]));
    }
    return statements;
  },
});
