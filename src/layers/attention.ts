// Attention: keras.layers.Attention (keras/src/layers/attention/attention.py), Luong-style, and
// AdditiveAttention (additive_attention.py), Bahdanau-style: scores = Σ_d scale_d · tanh(query_d + key_d)
// with a learned `scale` of the features (glorot_uniform; use_scale defaults to true), or 1.
// Inputs [query, value] or [query, value, key] (key defaults to value): query (batch, Tq, dim),
// value (batch, Tv, dv), key (batch, Tv, dim). Scores (batch, Tq, Tv):
//   dot:    scores = query · keyᵀ (· scale with use_scale)
//   concat: scores = concat_score_weight · Σ_d tanh((scale ·) (query_d + key_d))
// A value mask (from Embedding(mask_zero) or Masking) and `use_causal_mask` (step i sees keys
// j ≤ i) subtract 1e9 from the scores they hide, as Keras does, in float32; then
// weights = softmax(scores) over Tv, output = weights · value (batch, Tq, dv), zero at the
// steps the query mask hides, whose mask the output carries on. `return_attention_scores` adds
// the output `scores` (the softmax weights). Weights: `scale` (a scalar, use_scale) and
// `concat_score_weight` (a scalar, concat), both initialized to 1.
// Divergence: `dropout` on the weights is accepted and, as at inference, not applied in training.
import type { Stmt } from '../kernel/ir.js';
import { add, assign, at, call, cond, constVar, div, forRange, ifThen, letVar, mul, not, or, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape, sameDim, isKnown, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { exp, gt, max } from './math.js';
import { boolean, integerOrNull, number, oneOf } from './options/option.js';

const common = {
  dropout: number('Dropout on the attention weights in training (modelc: not applied).', { minimum: 0, maximum: 1, default: 0 }),
  seed: integerOrNull('Seed of the dropout.'),
  use_causal_mask: boolean('Query step i attends to keys 0..i only (a call argument in Keras).', false),
  return_attention_scores: boolean('Also output the attention weights (batch, Tq, Tv) as `scores` (a call argument in Keras).', false),
};

/** Luong's (Attention) or Bahdanau's (AdditiveAttention) scores; the rest is shared. */
function attentionLayer(additive: boolean) {
  return defineLayer({
  type: additive ? 'AdditiveAttention' : 'Attention',
  description: additive
    ? 'Additive (Bahdanau) attention of a query over value (and key): softmax(Σ scale · tanh(query + key)) · value.'
    : 'Dot-product (Luong) attention of a query over value (and key): softmax(query · keyᵀ) · value.',
  options: {
    use_scale: boolean(additive ? 'Weigh the tanh terms by a learned `scale` of the features.' : 'Multiply the scores by a learned scalar `scale`.', additive),
    score_mode: oneOf(['dot', 'concat'], additive ? 'Ignored by AdditiveAttention (Keras accepts it): the scores are additive.' : 'dot: query · key; concat: Σ tanh(query + key).', 'dot'),
    ...common,
  },
  arity: { min: 2, max: 3 },
  maskPolicy: () => 'pass',
  stepwise: () => false,
  outputNames: (c) => (c.return_attention_scores ? ['output', 'scores'] : ['output']),
  optionalOutputs: () => ({ scores: 'return_attention_scores: true' }),
  describe: (c) => `${additive ? 'AdditiveAttention' : 'Attention'}(${additive ? '' : c.score_mode}${[c.use_scale ? ', use_scale' : '', c.use_causal_mask ? ', causal' : ''].join('')})`,

  inferShapes(ctx, inputs, c) {
    for (const input of inputs) if (!expectDType(ctx, input, 'float32') || !expectRank(ctx, input, 3, 3, '(batch, steps, features)')) return undefined;
    const [q, v, k = v] = inputs.map((i) => i.type.shape) as [readonly Dim[], readonly Dim[], (readonly Dim[])?];
    const shapes = inputs.map((i) => formatShape(i.type.shape)).join(', ');
    const problem = !sameDim(q![2]!, k![2]!)
      ? `the query's features (${String(q![2])}) and the key's (${String(k![2])}) must be equal`
      : !sameDim(k![1]!, v![1]!) && isKnown(k![1]!) && isKnown(v![1]!)
        ? `the key's steps (${String(k![1])}) and the value's (${String(v![1])}) must be equal`
        : undefined;
    if (problem) {
      ctx.error('MC4034', { layer: layerTitle(ctx), problem, shapes }, { related: inputs.map((i) => ctx.definedHere(i.producer)) });
      return undefined;
    }
    const output = { dtype: 'float32' as const, shape: [q![0]!, q![1]!, v![2]!] };
    const scores = { dtype: 'float32' as const, shape: [q![0]!, q![1]!, k![1]!] };
    return c.return_attention_scores ? [output, scores] : [output];
  },

  params(_layer, [query], c) {
    if (additive) return c.use_scale ? [{ name: 'scale', shape: [query!.shape[2] as number], initializer: { kind: 'variance_scaling' as const, scale: 1, mode: 'fan_avg', distribution: 'uniform' }, layout: 'features: the weight of each tanh term' }] : [];
    return [
      ...(c.use_scale ? [{ name: 'scale', shape: [], initializer: { kind: 'constant' as const, value: 1 }, layout: 'a scalar: the scale of the scores' }] : []),
      ...(c.score_mode === 'concat' ? [{ name: 'concat_score_weight', shape: [], initializer: { kind: 'constant' as const, value: 1 }, layout: 'a scalar: the weight of the concat scores' }] : []),
    ];
  },

  emit(ctx, io, c) {
    const [query, value, key = value] = io.inputs;
    const q = query!.buffer;
    const v = value!.buffer;
    const kb = key!.buffer;
    const out = io.outputs[0]!.buffer;
    const Tq = ctx.dim(query!.type.shape[1]!);
    const Tv = ctx.dim(value!.type.shape[1]!);
    const D = ctx.dim(query!.type.shape[2]!);
    const Dv = ctx.dim(value!.type.shape[2]!);
    const weights = c.return_attention_scores ? io.outputs[1]!.buffer : io.scratch('weights', mul(io.rows, Tq, Tv));
    const queryMask = io.masks?.[0];
    const valueMask = io.masks?.[1];
    const scale = c.use_scale ? at(io.weight('scale'), 0) : undefined; // Luong's scalar; Bahdanau's is per feature (below)
    // Locals that are not reserved for every emitter (b, i, j, s are), so an input may be named like them.
    const [d, f, m, total, e, acc] = ['d', 'f', 'largest', 'total', 'e', 'acc'].map((hint) => ctx.names.allocate(hint)) as [string, string, string, string, string, string];
    const qd = at(q, add(mul(add(mul('b', Tq), 'i'), D), d));
    const kd = at(kb, add(mul(add(mul('b', Tv), 'j'), D), d));
    const w = (j: Ex) => at(weights, add(mul(add(mul('b', Tq), 'i'), Tv), j));
    const score: Stmt[] = additive
      ? [letVar('s', 0), forRange(d, 0, D, [assign('s', add('s', scale ? mul(at(io.weight('scale'), d), call('Math.tanh', add(qd, kd))) : call('Math.tanh', add(qd, kd))))])]
      : c.score_mode === 'dot'
        ? [letVar('s', 0), forRange(d, 0, D, [assign('s', add('s', mul(qd, kd)))]), ...(scale ? [assign('s', mul('s', scale))] : [])]
        : [
            letVar('s', 0),
            forRange(d, 0, D, [assign('s', add('s', call('Math.tanh', scale ? mul(scale, add(qd, kd)) : add(qd, kd))))]),
            assign('s', mul(at(io.weight('concat_score_weight'), 0), 's')),
          ];
    const hidden = [c.use_causal_mask ? gt('j', 'i') : undefined, valueMask ? not(at(valueMask, add(mul('b', Tv), 'j'))) : undefined].filter((e): e is NonNullable<typeof e> => e !== undefined);
    const hide = hidden.length === 0 ? [] : [ifThen(hidden.length === 1 ? hidden[0]! : or(hidden[0]!, hidden[1]!), [assign('s', sub('s', 1e9))])];
    const body: Stmt[] = [
      // Scores, stored as float32 (so s − 1e9 rounds as in Keras), then their softmax over Tv.
      forRange('j', 0, Tv, [...score, ...hide, assign(w('j'), 's')]),
      letVar(m, w(0)),
      forRange('j', 1, Tv, [assign(m, max(m, w('j')))]),
      letVar(total, 0),
      forRange('j', 0, Tv, [constVar(e, exp(sub(w('j'), m))), assign(w('j'), e), assign(total, add(total, e))]),
      forRange('j', 0, Tv, [assign(w('j'), div(w('j'), total))]),
      forRange(f, 0, Dv, [
        letVar(acc, 0),
        forRange('j', 0, Tv, [assign(acc, add(acc, mul(w('j'), at(v, add(mul(add(mul('b', Tv), 'j'), Dv), f)))))]),
        assign(at(out, add(mul(add(mul('b', Tq), 'i'), Dv), f)), queryMask ? cond(at(queryMask, add(mul('b', Tq), 'i')), acc, 0) : acc),
      ]),
    ];
    return [
      withComment(
        forRange('b', 0, io.rows, [forRange('i', 0, Tq, body)]),
        `${out}[b, i, :] = softmax_j(score(${q}[b, i], ${kb}[b, j])${c.use_causal_mask ? ', j ≤ i' : ''}${valueMask ? `, masked by ${valueMask}` : ''}) · ${v}[b, j, :]${queryMask ? `, zero where ${queryMask} hides step i` : ''}`,
      ),
    ];
  },
});
}

export const attention = attentionLayer(false);
export const additiveAttention = attentionLayer(true);
