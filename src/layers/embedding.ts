// Embedding: keras.layers.Embedding (keras/src/layers/core/embedding.py). Looks up each int32
// token id in the (input_dim, output_dim) table: output shape = input shape + (output_dim,).
// With `mask_zero: true` id 0 is padding: the layer outputs a mask (id != 0) that recurrent layers
// downstream honour. An id outside [0, input_dim) throws a RangeError at run time, never a read
// past the table.
import { add, assign, at, call, constVar, forRange, mul, neq, or, lt, not, ifThen, str, throwError, concat, withComment } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, integer } from './options/option.js';
import { initializerOf, initializerSchema } from './options/initializers.js';

export const embedding = defineLayer({
  type: 'Embedding',
  description: 'Turns int32 token ids into dense vectors of output_dim from a learned table.',
  options: {
    input_dim: integer('Size of the vocabulary: ids run from 0 to input_dim - 1.'),
    output_dim: integer('Dimension of each embedding vector.'),
    mask_zero: boolean('Treat id 0 as padding: downstream recurrent layers skip those steps.', false),
    embeddings_initializer: initializerSchema('random_uniform', 'Initializer of the table (input_dim, output_dim); Keras default uniform in ±0.05.'),
  },
  required: ['input_dim', 'output_dim'],
  arity: { min: 1, max: 1 },
  maskPolicy: (c) => (c.mask_zero ? 'produce' : 'drop'),
  stepwise: () => true,

  outputNames: () => ['output'],

  describe(c) {
    return `Embedding(${c.input_dim}, ${c.output_dim}${c.mask_zero ? ', mask_zero' : ''})`;
  },

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'int32') || !expectRank(ctx, input!, 1, Infinity, '(batch, ...) of token ids')) return undefined;
    if (c.mask_zero && input!.type.shape.length !== 2) {
      ctx.error('MC4001', `${layerTitle(ctx)} has \`mask_zero: true\`, whose mask recurrent layers read as (batch, timesteps): it needs a 2-D input. Received: ${formatShape(input!.type.shape)}.`, {
        related: [ctx.definedHere(input!.producer)],
      });
      return undefined;
    }
    return [{ dtype: 'float32', shape: [...input!.type.shape, c.output_dim] }];
  },

  params(_layer, _inputs, c) {
    return [{ name: 'embeddings', shape: [c.input_dim, c.output_dim], initializer: initializerOf(c.embeddings_initializer), layout: 'token id × embedding' }];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!.buffer;
    const ids = mul(io.rows, ...input.type.shape.slice(1).map((d) => ctx.dim(d)));
    const table = ctx.names.allocate(`${io.layer.name}_embeddings`);
    const D = c.output_dim;
    return [
      constVar(table, io.weight('embeddings')),
      withComment(
        forRange('i', 0, ids, [
          constVar('k', at(input.buffer, 'i')),
          ifThen(or(lt('k', 0), not(lt('k', c.input_dim))), [throwError('RangeError', concat(str(`Embedding "${io.layer.name}": token id `), 'k', str(' at position '), 'i', str(` is outside [0, ${c.input_dim})`)))]),
          ...(io.outputMask ? [assign(at(io.outputMask, 'i'), call('Number', neq('k', 0)))] : []),
          forRange('j', 0, D, [assign(at(out, add(mul('i', D), 'j')), at(table, add(mul('k', D), 'j')))]),
        ]),
        `${out}[i, :] = embeddings[id i, :]${io.outputMask ? `; ${io.outputMask}[i] = id i is not 0` : ''}`,
      ),
    ];
  },
});
