// Activation: keras.layers.Activation (keras/src/layers/activations/activation.py).
// out = activation(input), element-wise, on an input of any shape; softmax and log_softmax act
// over the last axis, as Keras's do by default. Passes an input mask on, as Keras does.
import { expectDType } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { activateRows, activationSchema } from './options/activations.js';

export const activation = defineLayer({
  type: 'Activation',
  description: 'Applies an activation function: element-wise, or over the last axis for softmax and log_softmax.',
  options: {
    activation: activationSchema(null, 'The activation function; null is linear.', { overLastAxis: true }),
  },
  required: ['activation'],
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: () => true,

  outputNames: () => ['output'],
  describe: (c) => `Activation(${String(c.activation)})`,

  inferShapes(ctx, [input]) {
    if (!expectDType(ctx, input!, 'float32')) return undefined;
    return [input!.type];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const shape = input.type.shape;
    return activateRows(ctx, c.activation, input.buffer, out, [io.rows, ...shape.slice(1, -1).map((d) => ctx.dim(d))], ctx.dim(shape[shape.length - 1]!));
  },
});
