// Dot: keras.layers.Dot (keras/src/layers/merging/dot.py, batch_dot): the dot product of two
// inputs along `axes` (one axis for both, or [axis of the first, axis of the second]; negative
// counts from the last), sample by sample. Output: the first input's shape without its axis, then
// the second's without its axis and batch; (batch, 1) when that leaves one dimension.
// `normalize: true` L2-normalizes both along their axes first (cosine similarity), as
// ops.normalize does: x · rsqrt(max(Σ x², 1e-24)). Inputs of rank 2 or 3. Drops masks, as Keras.
import type { Stmt } from '../kernel/ir.js';
import { add, assign, at, call, constVar, div, forRange, letVar, mul, withComment, type Ex } from '../kernel/build.js';
import { formatShape, isKnown, sameDim, type Dim } from '../shapes/dim.js';
import { expectDType, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { max } from './math.js';
import { boolean, option } from './options/option.js';

type Axes = number | readonly number[];
const axesOf = (axes: Axes, ranks: readonly [number, number]): [number, number] => {
  const pair = typeof axes === 'number' ? [axes, axes] : axes;
  return [0, 1].map((i) => (pair[i]! < 0 ? pair[i]! + ranks[i]! : pair[i]!)) as [number, number];
};

export const dot = defineLayer({
  type: 'Dot',
  description: 'The dot product of two inputs along `axes`, sample by sample (normalize: cosine similarity).',
  options: {
    axes: option<Axes>({ anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 }], description: 'The axis of both inputs, or [axis of the first, axis of the second].' }),
    normalize: boolean('L2-normalize both inputs along their axes first: the cosine similarity.', false),
  },
  required: ['axes'],
  arity: { min: 2, max: 2 },
  stepwise: () => false,
  outputNames: () => ['output'],
  describe: (c) => `Dot(axes=${typeof c.axes === 'number' ? c.axes : formatShape(c.axes)}${c.normalize ? ', normalize' : ''})`,

  inferShapes(ctx, inputs, c) {
    const [a, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    if (!expectDType(ctx, a!, 'float32') || !expectDType(ctx, b!, 'float32')) return undefined;
    const s1 = a!.type.shape;
    const s2 = b!.type.shape;
    const shapes = `${formatShape(s1)} and ${formatShape(s2)}`;
    if (s1.length < 2 || s1.length > 3 || s2.length < 2 || s2.length > 3) {
      ctx.error('MC4001', `${layerTitle(ctx)} expects two inputs of rank 2 or 3 (batch, features) or (batch, steps, features). Received: inputs of shape ${shapes}.`, { related: [ctx.definedHere(a!.producer), ctx.definedHere(b!.producer)] });
      return undefined;
    }
    const [ax, ay] = axesOf(c.axes, [s1.length, s2.length]);
    if (ax < 1 || ax >= s1.length || ay < 1 || ay >= s2.length) {
      ctx.error('MC4012', { layer: layerTitle(ctx), action: 'take the dot product along', axis: ax < 1 || ax >= s1.length ? ax : ay, reason: ' or an axis the input does not have', received: `axes=${formatShape([ax, ay])} for inputs of shape ${shapes}` }, {
        pointer: `${ctx.layer.pointer}/axes`,
        hint: 'use axes from 1 to the last, or -1.',
      });
      return undefined;
    }
    if (!sameDim(s1[ax]!, s2[ay]!) && (isKnown(s1[ax]!) || isKnown(s2[ay]!))) {
      ctx.error('MC4033', { layer: layerTitle(ctx), first: String(s1[ax]), ax, second: String(s2[ay]), ay, shapes }, { pointer: `${ctx.layer.pointer}/axes`, related: [ctx.definedHere(a!.producer), ctx.definedHere(b!.producer)] });
      return undefined;
    }
    if (!sameDim(s1[0]!, s2[0]!) && isKnown(s1[0]!) && isKnown(s2[0]!)) {
      ctx.error('MC4014', { layer: layerTitle(ctx), shapes }, {});
      return undefined;
    }
    const rest = [...s1.filter((_, i) => i !== ax), ...s2.filter((_, i) => i !== ay && i !== 0)];
    return [{ dtype: 'float32', shape: rest.length === 1 ? [...rest, 1] : rest }];
  },

  params: () => [],

  emit(ctx, io, c) {
    const [x, y] = io.inputs as [(typeof io.inputs)[0], (typeof io.inputs)[0]];
    const out = io.outputs[0]!.buffer;
    const s1 = x!.type.shape;
    const s2 = y!.type.shape;
    const [ax, ay] = axesOf(c.axes, [s1.length, s2.length]);
    const d = (s: readonly Dim[]) => s.slice(1).map((v) => ctx.dim(v));
    const dx = d(s1);
    const dy = d(s2);
    const K = dx[ax - 1]!;
    // The free axis of each input (none for rank 2): its index name and extent.
    const fx = s1.length === 3 ? { name: 'i', size: dx[2 - ax]! } : undefined;
    const fy = s2.length === 3 ? { name: 'j', size: dy[2 - ay]! } : undefined;
    const index = (dims: Ex[], axis: number, free: string | undefined): Ex => {
      const size = mul(...dims);
      if (dims.length === 1) return add(mul('b', size), 'k');
      return add(mul('b', size), axis === 1 ? add(mul('k', dims[1]!), free!) : add(mul(free!, dims[1]!), 'k'));
    };
    const xi = index(dx, ax, fx?.name);
    const yi = index(dy, ay, fy?.name);
    const outIndex = add(mul('b', fx?.size ?? 1, fy?.size ?? 1), fx && fy ? add(mul('i', fy.size), 'j') : (fx?.name ?? fy?.name ?? 0));
    const body: Stmt[] = [
      letVar('sum', 0),
      ...(c.normalize ? [letVar('xx', 0), letVar('yy', 0)] : []),
      forRange('k', 0, K, [
        constVar('xv', at(x!.buffer, xi)),
        constVar('yv', at(y!.buffer, yi)),
        assign('sum', add('sum', mul('xv', 'yv'))),
        ...(c.normalize ? [assign('xx', add('xx', mul('xv', 'xv'))), assign('yy', add('yy', mul('yv', 'yv')))] : []),
      ]),
      assign(at(out, outIndex), c.normalize ? div('sum', mul(call('Math.sqrt', max('xx', 1e-24)), call('Math.sqrt', max('yy', 1e-24)))) : 'sum'),
    ];
    let loops = body;
    if (fy) loops = [forRange(fy.name, 0, fy.size, loops)];
    if (fx) loops = [forRange(fx.name, 0, fx.size, loops)];
    return [withComment(forRange('b', 0, io.rows, loops), `${out} = Σ_k ${x!.buffer}[axis ${ax} = k] · ${y!.buffer}[axis ${ay} = k]${c.normalize ? ', each L2-normalized along k' : ''}`)];
  },
});
