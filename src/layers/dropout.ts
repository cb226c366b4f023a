// Dropout: keras.layers.Dropout (keras/src/layers/regularization/dropout.py).
// At inference it is the identity. In training (`predict(inputs, { training: true })` of a model
// with dropout) it is Keras's inverted dropout: each element is zeroed with probability `rate` and
// the rest are scaled by 1 / (1 − rate); with `noise_shape` the keep/drop draw is made once per
// element of that shape and broadcast (null entries take the input's dimension, 1 shares the draw
// along that axis). The random stream is modelc's own, so the dropped elements differ from Keras's.
// `seed` is accepted for configs copied from Keras. Passes an input mask on, as Keras does.
import { assign, at, call, eq, forRange, ifThen, list, method, mul, nullLiteral, stmt, withComment, type Ex } from '../kernel/build.js';
import type { Stmt } from '../kernel/ir.js';
import { formatShape, isKnown, type Dim } from '../shapes/dim.js';
import { expectDType, layerTitle } from '../shapes/rules.js';
import { defineLayer, type EmitContext, type LayerIO } from './layer.js';
import { integerOrNull, number, option } from './options/option.js';

/**
 * The statements of a dropout layer: a copy at inference; in training (when the module passes a
 * random generator), a mask of `noise` (dimensions as in the input, or 1 to share a draw), broadcast
 * to the input's shape, times the input.
 */
export function dropoutStatements(ctx: EmitContext, io: LayerIO, rate: number, noise: readonly Dim[]): Stmt[] {
  const input = io.inputs[0]!;
  const out = io.outputs[0]!.buffer;
  const identity = withComment(stmt(method(out, 'set', input.buffer)), 'Inference: the identity');
  if (io.rng === undefined || rate === 0) return [identity];
  const shape = input.type.shape;
  // Axis 0 is io.rows: the batch, or batch × time inside TimeDistributed; a noise dimension 1 there shares draws across samples.
  const dims = (ds: readonly Dim[]): Ex[] => ds.map((d, axis) => (axis > 0 ? ctx.dim(d) : d === 1 && shape[0] !== 1 ? 1 : io.rows));
  const size = mul(...dims(shape));
  const mask = io.scratch('mask', mul(...dims(noise)));
  const keep = Number((1 - rate).toPrecision(12));
  const training: Stmt[] = [withComment(stmt(call(ctx.runtime('fillDropoutMask'), mask, io.rng, rate)), `Training: each of ${formatShape(noise)} kept with probability ${keep}, then scaled by 1 / ${keep}`)];
  let factor = mask;
  if (noise.some((d, axis) => d !== shape[axis])) {
    factor = io.scratch('mask_broadcast', size);
    training.push(withComment(stmt(call(ctx.runtime('broadcastInto'), mask, 1, list(...dims(noise)), list(...dims(shape)), factor)), `The mask broadcast to ${formatShape(shape)}`));
  }
  training.push(forRange('i', 0, size, [assign(at(out, 'i'), mul(at(input.buffer, 'i'), at(factor, 'i')))]));
  return [ifThen(eq(io.rng, nullLiteral()), [identity], training)];
}

export const dropout = defineLayer({
  type: 'Dropout',
  description: 'Dropout: the identity at inference; in training, inverted dropout at `rate`.',
  options: {
    rate: number('Fraction of the inputs dropped in training; inference is unaffected.', { minimum: 0, maximum: 1 }),
    noise_shape: option<readonly (number | null)[] | null>({ type: ['array', 'null'], items: { type: ['integer', 'null'], minimum: 1 }, default: null, description: 'Shape of the keep/drop draw in training, batch first: null takes the input\'s dimension, 1 shares one draw along the axis.' }),
    seed: integerOrNull('Seed of the dropout mask in Keras; modelc draws from the `seed` of predict\'s options.'),
  },
  required: ['rate'],
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: () => true,
  hasDropout: (c) => c.rate > 0,

  outputNames: () => ['output'],
  describe: (c) => `Dropout(${c.rate}${c.noise_shape ? `, noise_shape=${formatShape(c.noise_shape.map((d) => (d === null ? 'None' : d)))}` : ''})`,

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'float32')) return undefined;
    const shape = input!.type.shape;
    if (c.noise_shape !== null) {
      const fits = c.noise_shape.length === shape.length && c.noise_shape.every((d, axis) => d === null || d === 1 || (isKnown(shape[axis]!) && d === shape[axis]));
      if (!fits) {
        ctx.error('MC4017', { layer: layerTitle(ctx), rank: shape.length, noise: formatShape(c.noise_shape.map((d) => (d === null ? 'null' : d))), shape: formatShape(shape) }, {
          pointer: `${ctx.layer.pointer}/noise_shape`,
          related: [ctx.definedHere(input!.producer)],
          hint: 'use null for the dimensions that get their own draws and 1 where one draw is shared.',
        });
        return undefined;
      }
    }
    return [input!.type];
  },

  params: () => [],

  emit(ctx, io, c) {
    const shape = io.inputs[0]!.type.shape;
    return dropoutStatements(ctx, io, c.rate, c.noise_shape === null ? shape : c.noise_shape.map((d, axis) => d ?? shape[axis]!));
  },
});
