// Masking: keras.layers.Masking (keras/src/layers/core/masking.py). A timestep whose features all
// equal `mask_value` is masked: the layer outputs the input with those steps zeroed, and a mask
// (some feature differs) that recurrent layers downstream honour.
import { add, assign, at, constVar, forRange, ifThen, letVar, mul, neq, num } from '../kernel/build.js';
import { isKnown } from '../shapes/dim.js';
import { expectDType, expectRank } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { number } from './options/option.js';

export const masking = defineLayer({
  type: 'Masking',
  description: 'Masks timesteps whose features all equal mask_value, for the recurrent layers downstream.',
  options: {
    mask_value: number('The value that marks padding.', { default: 0 }),
  },
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'produce',
  stepwise: () => true,

  outputNames: () => ['output'],
  describe: (c) => `Masking(mask_value=${c.mask_value})`,

  inferShapes(ctx, [input]) {
    if (!expectRank(ctx, input!, 3, 3, '(batch, timesteps, features)') || !expectDType(ctx, input!, 'float32')) return undefined;
    return [input!.type];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const [, time, features] = input.type.shape;
    const F = isKnown(features!) ? features : ctx.dim(features!);
    const value = num(c.mask_value);
    return [
      forRange('i', 0, mul(io.rows, ctx.dim(time!)), [
        constVar('row', mul('i', F)),
        letVar('keep', 0),
        forRange('j', 0, F, [ifThen(neq(at(input.buffer, add('row', 'j')), value), [assign('keep', 1)])]),
        assign(at(io.outputMask!, 'i'), 'keep'),
        forRange('j', 0, F, [assign(at(out, add('row', 'j')), mul(at(input.buffer, add('row', 'j')), 'keep'))]),
      ]),
    ];
  },
});
