// PReLU: keras.layers.PReLU (keras/src/layers/activations/prelu.py):
//   y = max(x, 0) − alpha · max(−x, 0)
// with a learned `alpha` of the input's non-batch shape, 1 along each of `shared_axes` (1-based
// axes, as Keras counts them), broadcast over those axes.
import type { Stmt } from '../kernel/ir.js';
import { add, assign, at, constVar, forRange, mul, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { max } from './math.js';
import { constraintSchema } from './options/constraints.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { option } from './options/option.js';
import { regularizerSchema } from './options/regularizers.js';
import { weightOptions } from './options/weight-options.js';

const shared = (c: { readonly shared_axes: readonly number[] | null }) => new Set(c.shared_axes ?? []);

export const prelu = defineLayer({
  type: 'PReLU',
  description: 'Parametric ReLU: max(x, 0) − alpha · max(−x, 0), with a learned alpha per element (shared along shared_axes).',
  options: {
    alpha_initializer: initializerSchema('zeros', 'Initializer of alpha.'),
    alpha_regularizer: regularizerSchema('Regularizer of alpha.'),
    alpha_constraint: constraintSchema('Constraint on alpha.'),
    shared_axes: option<readonly number[] | null>({ type: ['array', 'null'], items: { type: 'integer', minimum: 1 }, default: null, description: 'Axes (1-based, the batch excluded) along which alpha is shared.' }),
  },
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: () => true,
  outputNames: () => ['output'],
  describe: (c) => `PReLU(${c.shared_axes ? `shared_axes=${formatShape(c.shared_axes)}` : ''})`,

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'float32') || !expectRank(ctx, input!, 2, Infinity, '(batch, ...)')) return undefined;
    const shape = input!.type.shape;
    const outside = (c.shared_axes ?? []).find((a) => a >= shape.length);
    if (outside !== undefined) {
      ctx.error('MC4001', `${layerTitle(ctx)} shares alpha along axis ${outside}, which a ${shape.length}-D input does not have. Received: an input of shape ${formatShape(shape)}.`, {
        pointer: `${ctx.layer.pointer}/shared_axes`,
        hint: `use axes from 1 to ${shape.length - 1}.`,
      });
      return undefined;
    }
    const unknown = shape.findIndex((d, i) => i > 0 && !shared(c).has(i) && !isKnown(d));
    if (unknown > 0) {
      ctx.error('MC4010', { layer: layerTitle(ctx), axis: `axis ${unknown}`, reason: ': it sizes alpha', shape: formatShape(shape) }, {
        related: [ctx.definedHere(input!.producer)],
        hint: `share alpha along it: \`shared_axes: [${unknown}]\`.`,
      });
      return undefined;
    }
    return [input!.type];
  },

  params(_layer, [input], c) {
    const shape = input!.shape.slice(1).map((d, i) => (shared(c).has(i + 1) ? 1 : (d as number)));
    return [{ name: 'alpha', shape, initializer: initializerOf(c.alpha_initializer), layout: `the input's non-batch shape${c.shared_axes ? `, 1 along shared axes ${formatShape(c.shared_axes)}` : ''}`, ...weightOptions(c, 'alpha') }];
  },

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const x = input.buffer;
    const out = io.outputs[0]!.buffer;
    const alpha = io.weight('alpha');
    const dims = input.type.shape.slice(1);
    const names = dims.map((_, i) => `a${i + 1}`);
    // Row-major indices: the element's over every axis, alpha's over the axes it is not shared along.
    let xi: Ex = 'b';
    let ai: Ex = 0;
    dims.forEach((d, i) => {
      xi = add(mul(xi, ctx.dim(d)), names[i]!);
      if (!shared(c).has(i + 1)) ai = add(mul(ai, d as number), names[i]!);
    });
    let body: Stmt[] = [constVar('v', at(x, xi)), assign(at(out, xi), sub(max('v', 0), mul(at(alpha, ai), max(mul(-1, 'v'), 0))))];
    for (let i = dims.length - 1; i >= 0; i--) body = [forRange(names[i]!, 0, ctx.dim(dims[i]!), body)];
    return [withComment(forRange('b', 0, io.rows, body), `${out} = max(${x}, 0) − alpha · max(−${x}, 0)${c.shared_axes ? `, alpha shared along axes ${formatShape(c.shared_axes)}` : ''}`)];
  },
});
