// Normalization: keras.layers.Normalization (keras/src/layers/preprocessing/normalization.py):
//   y = (x − mean) / max(sqrt(variance), 1e-7),   with invert: y = mean + x · max(sqrt(variance), 1e-7)
// with one mean and variance per index of the kept `axis` (default -1, the features; null keeps
// none: one mean and variance for everything), broadcast over the other axes. The mean and
// variance are either the spec's `mean` and `variance` (a number, or one value per index of the
// kept axes, row-major: then the layer has no weights), or weights in Keras's layout as `adapt()`
// leaves them: `mean` and `variance` of the kept axes' shape and `count` (a scalar, unused).
import type { Stmt } from '../kernel/ir.js';
import { add, assign, at, call, constVar, div, forRange, mul, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer, type LayerIO } from './layer.js';
import { max } from './math.js';
import { boolean, option } from './options/option.js';

type Values = number | readonly unknown[] | null;
const flatten = (v: Values): number[] => (v === null ? [] : typeof v === 'number' ? [v] : (v as unknown[]).flat(Infinity as 1) as number[]);
const keptAxes = (axis: number | readonly number[] | null, rank: number): number[] =>
  axis === null ? [] : [...new Set((typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
const valuesOption = (what: string) =>
  option<Values>({ anyOf: [{ type: 'number' }, { type: 'array' }, { type: 'null' }], default: null, description: `The ${what}: a number, or one per index of the kept axes; null to take it from the weights (\`${what}\`).` });
const EPSILON = 1e-7;

export const normalization = defineLayer({
  type: 'Normalization',
  description: 'Shifts and scales the input by a mean and variance per index of `axis`: (x − mean) / sqrt(variance), or its inverse.',
  options: {
    axis: option<number | readonly number[] | null>({
      anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }, { type: 'null' }],
      default: -1,
      description: 'The axis, or axes, with a mean and variance of their own; null for one mean and variance over everything.',
    }),
    mean: valuesOption('mean'),
    variance: valuesOption('variance'),
    invert: boolean('Apply the inverse: x · sqrt(variance) + mean.', false),
  },
  arity: { min: 1, max: 1 },
  // Element-wise, with statistics that do not depend on the step (a kept time axis has a fixed length).
  stepwise: () => true,
  outputNames: () => ['output'],
  describe: (c) => `Normalization(axis=${c.axis === null ? 'null' : typeof c.axis === 'number' ? c.axis : formatShape(c.axis)}${c.invert ? ', invert' : ''}${c.mean !== null ? ', mean and variance given' : ''})`,

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'float32') || !expectRank(ctx, input!, 1, Infinity, '(batch, ...)')) return undefined;
    const shape = input!.type.shape;
    const rank = shape.length;
    const listed = c.axis === null ? [] : typeof c.axis === 'number' ? [c.axis] : c.axis;
    const outside = listed.find((a) => a >= rank || a < -rank);
    if (outside !== undefined) {
      ctx.error('MC4001', `${layerTitle(ctx)} keeps axis ${outside}, which a ${rank}-D input does not have. Received: an input of shape ${formatShape(shape)}.`, { pointer: `${ctx.layer.pointer}/axis`, hint: `use an axis from 1 to ${rank - 1}, -1 for the last, or null.` });
      return undefined;
    }
    const axes = keptAxes(c.axis, rank);
    if (axes[0] === 0) {
      ctx.error('MC4012', { layer: layerTitle(ctx), action: 'keep', axis: 0, reason: ': its mean and variance would have one value per sample', received: `axis=${formatShape(listed)} for an input of shape ${formatShape(shape)}` }, { pointer: `${ctx.layer.pointer}/axis`, hint: 'use the features axis, -1.' });
      return undefined;
    }
    const unknown = axes.find((a) => !isKnown(shape[a]!));
    if (unknown !== undefined) {
      ctx.error('MC4010', { layer: layerTitle(ctx), axis: `the kept axis ${unknown}`, reason: ': it sizes the mean and variance', shape: formatShape(shape) }, { related: [ctx.definedHere(input!.producer)] });
      return undefined;
    }
    if ((c.mean === null) !== (c.variance === null)) {
      ctx.error('MC4031', { layer: layerTitle(ctx), given: c.mean === null ? 'variance' : 'mean', missing: c.mean === null ? 'mean' : 'variance' }, { pointer: `${ctx.layer.pointer}/${c.mean === null ? 'variance' : 'mean'}` });
      return undefined;
    }
    const size = axes.reduce((p, a) => p * (shape[a] as number), 1);
    for (const key of ['mean', 'variance'] as const) {
      const values = flatten(c[key]);
      if (c[key] !== null && (values.length !== 1 && values.length !== size || values.some((v) => typeof v !== 'number'))) {
        ctx.error('MC4032', { layer: layerTitle(ctx), option: key, count: values.length, expected: size, axes: formatShape(axes), shape: formatShape(shape) }, { pointer: `${ctx.layer.pointer}/${key}` });
        return undefined;
      }
    }
    return [input!.type];
  },

  params(_layer, [input], c) {
    if (c.mean !== null) return [];
    const axes = keptAxes(c.axis, input!.shape.length);
    const shape = axes.map((a) => input!.shape[a] as number);
    const layout = axes.length === 0 ? 'a scalar' : `the kept axes ${formatShape(axes)}`;
    return [
      { name: 'mean', shape, initializer: { kind: 'constant', value: 0 }, layout: `${layout} (mean)` },
      { name: 'variance', shape, initializer: { kind: 'constant', value: 1 }, layout: `${layout} (variance)` },
      { name: 'count', shape: [], initializer: { kind: 'constant', value: 0 }, layout: 'a scalar: the number of samples adapt() saw (unused)' },
    ];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const x = input.buffer;
    const out = io.outputs[0]!.buffer;
    const dims = input.type.shape.slice(1);
    const axes = new Set(keptAxes(c.axis, input.type.shape.length));
    const names = dims.map((_, i) => `a${i + 1}`);
    let xi: Ex = 'b';
    let mi: Ex = 0;
    dims.forEach((d, i) => {
      xi = add(mul(xi, ctx.dim(d)), names[i]!);
      if (axes.has(i + 1)) mi = add(mul(mi, d as number), names[i]!);
    });
    const { setup, mean, variance } = statistics(io, c.mean, c.variance, mi);
    const scale = max(call('Math.sqrt', variance), EPSILON);
    let body: Stmt[] = [constVar('v', at(x, xi)), assign(at(out, xi), c.invert ? add(mean, mul('v', scale)) : div(sub('v', mean), scale))];
    for (let i = dims.length - 1; i >= 0; i--) body = [forRange(names[i]!, 0, ctx.dim(dims[i]!), body)];
    const formula = c.invert ? `mean + ${x} · max(sqrt(variance), ${EPSILON})` : `(${x} − mean) / max(sqrt(variance), ${EPSILON})`;
    return [...setup, withComment(forRange('b', 0, io.rows, body), `${out} = ${formula}, mean and variance per index of axes ${formatShape([...axes])}`)];
  },
});

/** The mean and variance at index `mi`: weights, literals, or the spec's values written once into scratch buffers. */
function statistics(io: LayerIO, mean: Values, variance: Values, mi: Ex): { setup: Stmt[]; mean: Ex; variance: Ex } {
  if (mean === null || variance === null) return { setup: [], mean: at(io.weight('mean'), mi), variance: at(io.weight('variance'), mi) };
  const setup: Stmt[] = [];
  const pick = (values: number[], role: string): Ex => {
    if (values.length === 1) return values[0]!;
    const buffer = io.scratch(role, values.length);
    setup.push(...values.map((v, i) => (i === 0 ? withComment(assign(at(buffer, i), v), `The spec's ${role}`) : assign(at(buffer, i), v))));
    return at(buffer, mi);
  };
  return { setup, mean: pick(flatten(mean), 'mean'), variance: pick(flatten(variance), 'variance') };
}
