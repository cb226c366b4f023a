// RepeatVector: keras.layers.RepeatVector (keras/src/layers/reshaping/repeat_vector.py).
// (batch, features) -> (batch, n, features): every sample's vector repeated n times, as the
// encoder-decoder pattern feeds one encoding to every decoder step. Any dtype. Like Keras, it
// drops an input mask.
import { add, forRange, method, mul, stmt, withComment } from '../kernel/build.js';
import { formatShape, type Dim } from '../shapes/dim.js';
import { expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { integer } from './options/option.js';

export const repeatVector = defineLayer({
  type: 'RepeatVector',
  description: 'Repeats a (batch, features) input n times: (batch, n, features).',
  options: {
    n: integer('How many times to repeat the input.'),
  },
  required: ['n'],
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: () => false,
  describe: (c) => `RepeatVector(${c.n})`,

  inferShapes(ctx, [input], c) {
    const producer = input!.producer;
    if (input!.type.shape.length === 3 && producer.kind === 'layer' && producer.def.returnsSequences(producer.config)) {
      ctx.error('MC4001', `${layerTitle(ctx)} expects a 2-D input (batch, features). Received: a 3-D input of shape ${formatShape(input!.type.shape)}.`, {
        related: [ctx.definedHere(producer)],
        hint: `set \`return_sequences: false\` on ${producer.type} "${producer.name}" so it outputs only the last timestep.`,
      });
      return undefined;
    }
    if (!expectRank(ctx, input!, 2, 2, '(batch, features)')) return undefined;
    const [batch, features] = input!.type.shape as [Dim, Dim];
    return [{ dtype: input!.type.dtype, shape: [batch, c.n, features] }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const n = c.n;
    const input = io.inputs[0]!.buffer;
    const out = io.outputs[0]!.buffer;
    const features = ctx.dim(io.inputs[0]!.type.shape[1]!);
    const [b, k] = ['b', 'k'];
    const row = method(input, 'subarray', mul(b, features), mul(add(b, 1), features));
    return [
      withComment(
        forRange(b, 0, io.rows, [forRange(k, 0, n, [stmt(method(out, 'set', row, mul(add(mul(b, n), k), features)))])]),
        `${out}[b, k, :] = ${input}[b, :] for each of the ${n} steps k`,
      ),
    ];
  },
});
