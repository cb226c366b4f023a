// MultiHeadAttention: keras.layers.MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py),
// the attention of "Attention is all you need". Inputs [query, value] or [query, value, key] (key
// defaults to value), each (batch, steps, features), then optionally a bool `attention_mask`
// (batch, Tq, Tv) as the last input (Keras's call argument; 1 = query step i may attend to key j).
// Each input is projected by its EinsumDense (Keras's sublayers `query`, `key`, `value`):
//   Q = query · query/kernel + query/bias: (batch, Tq, num_heads, key_dim), and so K (key_dim), V (value_dim);
// per head n: scores[b, n, i, j] = (Q[b, i, n] / sqrt(key_dim)) · K[b, j, n], softmax over j,
//   context[b, i, n] = Σ_j weights[b, n, i, j] · V[b, j, n];
// output = context · attention_output/kernel (num_heads, value_dim, *output_shape) + attention_output/bias.
// With `use_gate` (Gated Attention), context is multiplied by sigmoid(query · gate/kernel + gate/bias)
// (batch, Tq, num_heads, value_dim) before the output projection.
// Masks, as Keras combines them: the query's (batch, Tq) and the value's and key's (batch, Tv) Keras
// masks (Embedding(mask_zero), Masking), `use_causal_mask` (j ≤ i), `sliding_window` (|i − j| < w) and `attention_mask` are ANDed
// into one (batch, Tq, Tv) mask; a hidden score gets no weight. A row hidden entirely (a masked
// query step) gets what Keras's path for the configuration gives: with `return_attention_scores` or
// `dropout` > 0 Keras runs its Softmax layer, which gives such a row zero weights (the output is
// then attention_output/bias alone); otherwise it runs ops.dot_product_attention, whose large
// negative fill makes the row uniform (1/Tv over every key). The output carries the query's mask.
// `return_attention_scores` adds the output `scores` (batch, num_heads, Tq, Tv), the softmax weights.
// Weights, in Keras's get_weights() order: query/kernel (Fq, heads, key_dim), query/bias (heads,
// key_dim), key/kernel (Fk, heads, key_dim), key/bias, with use_gate gate/kernel (Fq, heads,
// value_dim) and gate/bias (heads, value_dim), value/kernel (Fv, heads, value_dim),
// value/bias, attention_output/kernel (heads, value_dim, *output_shape), attention_output/bias
// (output_shape); no biases with `use_bias: false`. kernel_* and bias_* options apply to every projection.
// Divergence: `dropout` is accepted and, as at inference, not applied in training; Keras's symbolic
// shape of the scores is (batch, heads, Tq, Tq) even when Tv differs (its compute_output_spec), so
// its summary prints that; modelc's is the shape Keras computes, (batch, heads, Tq, Tv).
// Not supported: attention over other axes than the time axis (MC4051), `activity_regularizer`
// (Keras applies it to each projection's output).
import type { Expr, Stmt } from '../kernel/ir.js';
import { add, assign, at, binary, call, cond, constVar, div, forRange, ifThen, letVar, mul, nullLiteral, stmt, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape, isKnown, sameDim, type Dim, type TensorType } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer, type EmitContext, type LayerIO, type ShapeContext, type ShapeInput } from './layer.js';
import { max } from './math.js';
import { boolean, integer, integerOrNull, number, option, type ConfigOf } from './options/option.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { regularizerSchema } from './options/regularizers.js';
import { constraintSchema } from './options/constraints.js';
import { weightOptions } from './options/weight-options.js';

const options = {
  num_heads: integer('Number of attention heads.'),
  key_dim: integer('Size of each attention head for query and key.'),
  value_dim: option<number | null>({ type: ['integer', 'null'], minimum: 1, default: null, description: 'Size of each attention head for value; null: key_dim.' }),
  dropout: number('Dropout on the attention weights in training (modelc: not applied).', { minimum: 0, maximum: 1, default: 0 }),
  use_bias: boolean('Whether the projections add biases.', true),
  output_shape: option<number | readonly number[] | null>({
    type: ['integer', 'array', 'null'], minimum: 1, minItems: 1, items: { type: 'integer', minimum: 1 }, default: null,
    description: "The output's shape besides the batch and time axes; null: the query's features.",
  }),
  attention_axes: option<number | readonly number[] | null>({
    type: ['integer', 'array', 'null'], minItems: 1, items: { type: 'integer' }, default: null,
    description: 'Axes the attention is applied over; null: every axis but batch, heads and features (the time axis, 1).',
  }),
  kernel_initializer: initializerSchema('glorot_uniform', 'Initializer of every projection kernel (query, key, value, attention_output; gate).'),
  bias_initializer: initializerSchema('zeros', 'Initializer of every projection bias.'),
  kernel_regularizer: regularizerSchema('Regularizer of each kernel.'),
  bias_regularizer: regularizerSchema('Regularizer of each bias.'),
  kernel_constraint: constraintSchema('Constraint on each kernel.'),
  bias_constraint: constraintSchema('Constraint on each bias.'),
  seed: integerOrNull('Seed of the dropout.'),
  use_gate: boolean('Gate the attention output by sigmoid(query · gate/kernel + gate/bias), per head and value size (Gated Attention).', false),
  sliding_window: option<number | null>({ type: ['integer', 'null'], minimum: 1, default: null, description: 'Query step i attends to keys j with |i − j| < sliding_window only; null: every key.' }),
  use_causal_mask: boolean('Query step i attends to keys 0..i only (a call argument in Keras).', false),
  return_attention_scores: boolean('Also output the attention weights (batch, num_heads, Tq, Tv) as `scores` (a call argument in Keras).', false),
};

type Config = ConfigOf<typeof options>;

/** The inputs by role: query, value, key (the value when not given) and the optional attention mask. */
function roles<T extends { readonly type: TensorType }>(inputs: readonly T[]): { query: T; value: T; key: T; attentionMask: T | undefined; keyGiven: boolean } {
  const last = inputs[inputs.length - 1]!;
  const attentionMask = inputs.length > 2 && last.type.dtype === 'bool' ? last : undefined;
  const tensors = attentionMask ? inputs.slice(0, -1) : inputs;
  return { query: tensors[0]!, value: tensors[1]!, key: tensors[2] ?? tensors[1]!, attentionMask, keyGiven: tensors.length === 3 };
}

const valueDim = (c: Config): number => c.value_dim ?? c.key_dim;
const outputDims = (c: Config, query: readonly Dim[]): readonly Dim[] =>
  c.output_shape === null ? [query[2]!] : typeof c.output_shape === 'number' ? [c.output_shape] : c.output_shape;
/** Keras's mask expansion: a fully hidden row gets zero weights on its Softmax-layer path, uniform ones on dot_product_attention's. */
const hiddenRowsUniform = (c: Config): boolean => c.dropout === 0 && !c.return_attention_scores;

/**
 * The attention_axes when they are not the time axis, else []: Keras normalizes them on the rank-4
 * projections (batch, steps, heads, size), a negative axis a as 3 + a, so 1, -2, [1] and [-2] all mean the steps.
 */
function otherAxes(c: Config): number[] {
  if (c.attention_axes === null) return [];
  const axes = typeof c.attention_axes === 'number' ? [c.attention_axes] : c.attention_axes;
  const normalized = axes.map((a) => (a < 0 ? 3 + a : a));
  return normalized.length === 1 && normalized[0] === 1 ? [] : axes.slice();
}

/** Whether two step counts can be equal: the same, or one known only at run time. */
const fits = (a: Dim, b: Dim): boolean => sameDim(a, b) || !isKnown(a) || !isKnown(b);

function checkInputs(ctx: ShapeContext, inputs: readonly ShapeInput[], c: Config): boolean {
  const { query, value, key, attentionMask } = roles(inputs);
  // A fourth input can only be the attention_mask.
  if (inputs.length === 4 && !attentionMask && !expectDType(ctx, inputs[3]!, 'bool')) return false;
  const tensors = [query, value, ...(key === value ? [] : [key])];
  for (const input of tensors) if (!expectDType(ctx, input, 'float32') || !expectRank(ctx, input, 3, 3, '(batch, steps, features)')) return false;
  const axes = otherAxes(c);
  if (axes.length > 0) {
    ctx.error('MC4051', { layer: layerTitle(ctx), axes: `[${axes.join(', ')}]` }, { pointer: `${ctx.layer.pointer}/attention_axes`, hint: 'drop `attention_axes` (or set it to 1): on (batch, steps, features) inputs Keras attends over the steps.' });
    return false;
  }
  for (const [role, input] of [['query', query], ['value', value], ['key', key]] as const) {
    const features = input.type.shape[2]!;
    if (isKnown(features)) continue;
    ctx.error('MC4010', { layer: layerTitle(ctx), axis: `the features of its ${role}`, reason: `: they size the ${role} projection's kernel`, shape: formatShape(input.type.shape) }, { related: [ctx.definedHere(input.producer)] });
    return false;
  }
  const [q, v, k] = [query.type.shape, value.type.shape, key.type.shape];
  const maskShape = attentionMask?.type.shape;
  const [problem, hint] = !fits(k[1]!, v[1]!)
    ? [`the key's steps (${String(k[1])}) and the value's (${String(v[1])}) must be equal`, 'the key and the value describe the same steps (key j scores value j): give them one length, or leave the key out to use the value.']
    : maskShape && (maskShape.length !== 3 || !fits(maskShape[1]!, q[1]!) || !fits(maskShape[2]!, v[1]!))
      ? [`the attention_mask must have the shape (batch, ${String(q[1])}, ${String(v[1])}) of (batch, query steps, value steps)`, `declare the mask input as \`{ shape: [${String(q[1])}, ${String(v[1])}], dtype: bool }\`: true where query step i may attend to value step j.`]
      : [undefined, undefined];
  if (problem) {
    ctx.error('MC4050', { layer: layerTitle(ctx), problem, shapes: inputs.map((i) => formatShape(i.type.shape)).join(', ') }, { related: [...new Set(inputs.map((i) => i.producer))].map((producer) => ctx.definedHere(producer)), hint });
    return false;
  }
  return true;
}

export const multiHeadAttention = defineLayer({
  type: 'MultiHeadAttention',
  description: 'Multi-head dot-product attention of a query over value (and key), each projected per head, then projected back.',
  options,
  required: ['num_heads', 'key_dim'],
  arity: { min: 2, max: 4 },
  maskPolicy: () => 'pass',
  stepwise: () => false,
  outputNames: (c) => (c.return_attention_scores ? ['output', 'scores'] : ['output']),
  optionalOutputs: () => ({ scores: 'return_attention_scores: true' }),
  describe: (c) => `MultiHeadAttention(num_heads=${c.num_heads}, key_dim=${c.key_dim}${c.value_dim === null ? '' : `, value_dim=${c.value_dim}`}${c.use_causal_mask ? ', causal' : ''}${c.sliding_window === null ? '' : `, sliding_window=${c.sliding_window}`}${c.use_gate ? ', use_gate' : ''}${c.use_bias ? '' : ', use_bias=false'})`,

  inferShapes(ctx, inputs, c) {
    if (!checkInputs(ctx, inputs, c)) return undefined;
    const { query, value } = roles(inputs);
    const [q, v] = [query.type.shape, value.type.shape];
    const output: TensorType = { dtype: 'float32', shape: [q[0]!, q[1]!, ...outputDims(c, q)] };
    const scores: TensorType = { dtype: 'float32', shape: [q[0]!, c.num_heads, q[1]!, v[1]!] };
    return c.return_attention_scores ? [output, scores] : [output];
  },

  params(layer, inputs, c) {
    const { query, value, key } = roles(inputs.map((type) => ({ type })));
    const features = (t: { type: TensorType }) => t.type.shape[2] as number;
    const dense = (name: string, kernel: readonly number[], bias: readonly number[], layout: string) => [
      { name: `${name}/kernel`, shape: kernel, initializer: initializerOf(c.kernel_initializer), layout: `${layout} (EinsumDense "${name}")`, ...weightOptions(layer.config, 'kernel') },
      ...(c.use_bias ? [{ name: `${name}/bias`, shape: bias, initializer: initializerOf(c.bias_initializer), layout: 'added per head and size', ...weightOptions(layer.config, 'bias') }] : []),
    ];
    const [heads, kd, vd] = [c.num_heads, c.key_dim, valueDim(c)];
    const out = outputDims(c, query.type.shape) as readonly number[];
    return [
      ...dense('query', [features(query), heads, kd], [heads, kd], 'query features × heads × key_dim'),
      ...dense('key', [features(key), heads, kd], [heads, kd], 'key features × heads × key_dim'),
      ...(c.use_gate ? dense('gate', [features(query), heads, vd], [heads, vd], 'query features × heads × value_dim') : []),
      ...dense('value', [features(value), heads, vd], [heads, vd], 'value features × heads × value_dim'),
      ...dense('attention_output', [heads, vd, ...out], out, `heads × value_dim × output ${formatShape(out)}`),
    ];
  },

  emit(ctx, io, c) {
    return emitAttention(ctx, io, c);
  },
});

/** The product of the sizes, for flattened kernels: (features, heads, dim) is a (features, heads·dim) matrix. */
const size = (dims: readonly Dim[]): number => (dims as readonly number[]).reduce((a, b) => a * b, 1);

function emitAttention(ctx: EmitContext, io: LayerIO, c: Config): Stmt[] {
  const { query, value, key, attentionMask, keyGiven } = roles(io.inputs);
  const masks = { query: io.masks?.[0], value: io.masks?.[1], key: keyGiven ? io.masks?.[2] : undefined };
  const [Tq, Tv] = [ctx.dim(query.type.shape[1]!), ctx.dim(value.type.shape[1]!)];
  const [heads, kd, vd] = [c.num_heads, c.key_dim, valueDim(c)];
  const out = io.outputs[0]!.buffer;
  const units = size(io.outputs[0]!.type.shape.slice(2));
  const projected = {
    query: io.scratch('query_heads', mul(io.rows, Tq, heads * kd)),
    key: io.scratch('key_heads', mul(io.rows, Tv, heads * kd)),
    value: io.scratch('value_heads', mul(io.rows, Tv, heads * vd)),
    gate: c.use_gate ? io.scratch('gate_heads', mul(io.rows, Tq, heads * vd)) : '',
  };
  const context = io.scratch('context', mul(io.rows, Tq, heads * vd));
  const bias = (name: string) => (c.use_bias ? io.weight(`${name}/bias`) : nullLiteral());
  const project = (name: 'query' | 'value' | 'key' | 'gate', input: { buffer: string; type: TensorType }, steps: Expr, dim: number) =>
    withComment(
      stmt(call(ctx.runtime('matmulBias'), input.buffer, mul(io.rows, steps), input.type.shape[2] as number, io.weight(`${name}/kernel`), heads * dim, bias(name), projected[name])),
      `${projected[name]}[b, t, n, :] = ${input.buffer}[b, t, :] · ${name}/kernel[:, n, :]${c.use_bias ? ` + ${name}/bias[n, :]` : ''}`,
    );
  const scores = c.return_attention_scores ? io.outputs[1]!.buffer : undefined;
  const names = locals(ctx);
  return [
    project('query', query, Tq, kd),
    project('key', key, Tv, kd),
    ...(c.use_gate ? [project('gate', query, Tq, vd)] : []),
    project('value', value, Tv, vd),
    withComment(
      forRange('b', 0, io.rows, [forRange(names.n, 0, heads, [forRange('i', 0, Tq, headRow(ctx, c, names, { ...projected, context, scores, weights: scores ? undefined : io.scratch('weights', Tv), Tq, Tv, masks, attentionMask: attentionMask?.buffer }))])]),
      `${context}[b, i, n, :] = softmax_j(${projected.query}[b, i, n] · ${projected.key}[b, j, n] / √${kd}${describeMasks(c, masks, attentionMask?.buffer)}) · ${projected.value}[b, j, n, :]`,
    ),
    ...(c.use_gate
      ? [withComment(forRange('i', 0, mul(io.rows, Tq, heads * vd), [assign(at(context, 'i'), mul(at(context, 'i'), call(ctx.runtime('sigmoid'), at(projected.gate, 'i'))))]), `${context} *= sigmoid(${projected.gate}): the gate`)]
      : []),
    withComment(
      stmt(call(ctx.runtime('matmulBias'), context, mul(io.rows, Tq), heads * vd, io.weight('attention_output/kernel'), units, bias('attention_output'), out)),
      `${out}[b, i, :] = ${context}[b, i, :, :] · attention_output/kernel${c.use_bias ? ' + attention_output/bias' : ''}`,
    ),
  ];
}

/** The locals of the attention loops that are not reserved for every emitter (b, i, j, s are). */
function locals(ctx: EmitContext) {
  const [n, d, f, m, kept, total, e, acc] = ['n', 'd', 'f', 'largest', 'kept', 'total', 'e', 'acc'].map((hint) => ctx.names.allocate(hint)) as [string, string, string, string, string, string, string, string];
  return { n, d, f, m, kept, total, e, acc };
}
type Locals = ReturnType<typeof locals>;

interface Row {
  readonly query: string;
  readonly key: string;
  readonly value: string;
  readonly context: string;
  /** The scores output (batch, heads, Tq, Tv), or undefined: the weights of one row go to `weights`. */
  readonly scores: string | undefined;
  readonly weights: string | undefined;
  readonly Tq: Expr;
  readonly Tv: Expr;
  readonly masks: { readonly query: string | undefined; readonly value: string | undefined; readonly key: string | undefined };
  readonly attentionMask: string | undefined;
}

function describeMasks(c: Config, masks: Row['masks'], attentionMask: string | undefined): string {
  const parts = [c.use_causal_mask ? 'j ≤ i' : undefined, c.sliding_window === null ? undefined : `|i − j| < ${c.sliding_window}`, masks.query ? `${masks.query}[b, i]` : undefined, masks.value ? `${masks.value}[b, j]` : undefined, masks.key ? `${masks.key}[b, j]` : undefined, attentionMask ? `${attentionMask}[b, i, j]` : undefined].filter((p) => p !== undefined);
  return parts.length === 0 ? '' : `, where ${parts.join(' and ')}`;
}

/** A mask's element as a flag (1 = keep). */
const kept = (mask: string, index: Ex): Expr => binary('!==', at(mask, index), 0);

/** Whether query step i may attend to key j: the AND of every mask there is, or undefined when nothing hides a score. */
function keepExpr(c: Config, r: Row): Expr | undefined {
  const terms: Expr[] = [
    ...(c.use_causal_mask ? [binary('<=', 'j', 'i')] : []),
    ...(c.sliding_window !== null ? [binary('<', call('Math.abs', sub('i', 'j')), c.sliding_window)] : []),
    ...(r.masks.query ? [kept(r.masks.query, add(mul('b', r.Tq), 'i'))] : []),
    ...(r.masks.value ? [kept(r.masks.value, add(mul('b', r.Tv), 'j'))] : []),
    ...(r.masks.key ? [kept(r.masks.key, add(mul('b', r.Tv), 'j'))] : []),
    ...(r.attentionMask ? [kept(r.attentionMask, add(mul(add(mul('b', r.Tq), 'i'), r.Tv), 'j'))] : []),
  ];
  return terms.length === 0 ? undefined : terms.reduce((a, b) => binary('&&', a, b));
}

/** One head's row of attention: the scores of query step i over every key, their masked softmax, the weighted sum of the values. */
function headRow(ctx: EmitContext, c: Config, l: Locals, r: Row): Stmt[] {
  const [heads, kd, vd] = [c.num_heads, c.key_dim, valueDim(c)];
  // The runtime's table exp (5e-11 relative), which has a WebAssembly version, unlike Math.exp.
  const exp = (x: Ex) => call(ctx.runtime('expClamped'), x);
  const w = (j: Ex): Expr => (r.scores ? at(r.scores, add(mul(add(mul(add(mul('b', heads), l.n), r.Tq), 'i'), r.Tv), j)) : at(r.weights!, j));
  const head = (steps: Expr, t: string, dim: number) => mul(add(mul(add(mul('b', steps), t), heads), l.n), dim);
  const keep = keepExpr(c, r);
  const normalize = forRange('j', 0, r.Tv, [assign(w('j'), div(w('j'), l.total))]);
  const largest = [assign(l.m, max(l.m, w('j')))];
  return [
    // The largest score (of those kept), then exp(score − largest) / Σ: hidden scores get no weight.
    letVar(l.m, -3.4e38),
    ...(keep ? [letVar(l.kept, 0)] : []),
    forRange('j', 0, r.Tv, [
      letVar('s', 0),
      forRange(l.d, 0, kd, [assign('s', add('s', mul(at(r.query, add(head(r.Tq, 'i', kd), l.d)), at(r.key, add(head(r.Tv, 'j', kd), l.d)))))]),
      assign(w('j'), mul('s', 1 / Math.sqrt(kd))),
      ...(keep ? [ifThen(keep, [...largest, assign(l.kept, add(l.kept, 1))])] : largest),
    ]),
    letVar(l.total, 0),
    forRange('j', 0, r.Tv, [constVar(l.e, keep ? cond(keep, exp(sub(w('j'), l.m)), 0) : exp(sub(w('j'), l.m))), assign(w('j'), l.e), assign(l.total, add(l.total, l.e))]),
    // A row with every score hidden: Keras's Softmax layer gives it zeros, its dot_product_attention 1/Tv each.
    keep ? ifThen(binary('===', l.kept, 0), [forRange('j', 0, r.Tv, [assign(w('j'), hiddenRowsUniform(c) ? div(1, r.Tv) : 0)])], [normalize]) : normalize,
    forRange(l.f, 0, vd, [
      letVar(l.acc, 0),
      forRange('j', 0, r.Tv, [assign(l.acc, add(l.acc, mul(w('j'), at(r.value, add(head(r.Tv, 'j', vd), l.f)))))]),
      assign(at(r.context, add(head(r.Tq, 'i', vd), l.f)), l.acc),
    ]),
  ];
}
