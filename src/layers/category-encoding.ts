// CategoryEncoding: keras.layers.CategoryEncoding (keras/src/layers/preprocessing/category_encoding.py,
// keras/src/utils/numerical_utils.py encode_categorical_inputs). Integer tokens in [0, num_tokens):
// - one_hot: each token becomes a row of num_tokens: (batch, ..., k) -> (batch, ..., k, num_tokens),
//   or (batch, ..., num_tokens) when k is 1 (that axis is encoded in place);
// - multi_hot: 1 for every token present along the last axis: (batch, ..., k) -> (batch, ..., num_tokens);
// - count: how often each token occurs along the last axis.
// Tokens outside [0, num_tokens) add nothing, as the jax backend's one_hot gives them a zero row.
// `sparse` is accepted; the output is dense. The output is float32.
// Divergence: multi_hot and count need a rank-2 input at least (Keras reads a rank-1 input as one
// unbatched sample, which loses the batch axis).
import { add, assign, at, constVar, forRange, ifThen, lt, method, mul, not, or, stmt, withComment } from '../kernel/build.js';
import { formatShape, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { boolean, integer, oneOf } from './options/option.js';

const oneHotInPlace = (shape: readonly Dim[]) => shape.length > 1 && shape[shape.length - 1] === 1;

export const categoryEncoding = defineLayer({
  type: 'CategoryEncoding',
  description: 'Encodes integer tokens as one-hot rows, multi-hot vectors or token counts of num_tokens entries.',
  options: {
    num_tokens: integer('The number of tokens: inputs are in [0, num_tokens).'),
    output_mode: oneOf(['one_hot', 'multi_hot', 'count'], 'one_hot: a row per token; multi_hot: 1 for each token present; count: occurrences.', 'multi_hot'),
    sparse: boolean('Keras returns a sparse tensor; modelc a dense one with the same values.', false),
  },
  required: ['num_tokens'],
  arity: { min: 1, max: 1 },
  stepwise: (c, [input]) => c.output_mode === 'one_hot' || input!.shape.length > 2,
  outputNames: () => ['output'],
  describe: (c) => `CategoryEncoding(${c.num_tokens}, output_mode=${c.output_mode})`,

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'int32')) return undefined;
    if (c.output_mode === 'one_hot') {
      if (!expectRank(ctx, input!, 1, Infinity, '(batch, ...) of tokens')) return undefined;
    } else if (input!.type.shape.length < 2) {
      ctx.error('MC4001', `${layerTitle(ctx)} with output_mode "${c.output_mode}" encodes the tokens along the last axis: it expects an input of rank 2 or more (batch, tokens). Received: a 1-D input of shape ${formatShape(input!.type.shape)}.`, {
        related: [ctx.definedHere(input!.producer)],
        hint: 'give the input a tokens axis: `shape: [1]` for one token per sample.',
      });
      return undefined;
    }
    const shape = input!.type.shape;
    const out = c.output_mode === 'one_hot' ? (oneHotInPlace(shape) ? [...shape.slice(0, -1), c.num_tokens] : [...shape, c.num_tokens]) : [...shape.slice(0, -1), c.num_tokens];
    return [{ dtype: 'float32', shape: out }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const x = input.buffer;
    const out = io.outputs[0]!.buffer;
    const shape = input.type.shape;
    const N = c.num_tokens;
    const inRange = not(or(lt('token', 0), not(lt('token', N))));
    if (c.output_mode === 'one_hot') {
      const tokens = mul(io.rows, ...shape.slice(1).map((d) => ctx.dim(d)));
      return [
        withComment(stmt(method(out, 'fill', 0)), `${out}[i, ${x}[i]] = 1 for every token i (tokens outside [0, ${N}) give a zero row)`),
        forRange('i', 0, tokens, [constVar('token', at(x, 'i')), ifThen(inRange, [assign(at(out, add(mul('i', N), 'token')), 1)])]),
      ];
    }
    const rows = mul(io.rows, ...shape.slice(1, -1).map((d) => ctx.dim(d)));
    const k = ctx.dim(shape[shape.length - 1]!);
    const slot = at(out, add(mul('r', N), 'token'));
    return [
      withComment(stmt(method(out, 'fill', 0)), c.output_mode === 'count' ? `${out}[r, t] = how often token t occurs in ${x}[r, :]` : `${out}[r, t] = 1 when token t occurs in ${x}[r, :]`),
      forRange('r', 0, rows, [forRange('j', 0, k, [constVar('token', at(x, add(mul('r', k), 'j'))), ifThen(inRange, [assign(slot, c.output_mode === 'count' ? add(slot, 1) : 1)])])]),
    ];
  },
});
