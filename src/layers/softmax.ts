// Softmax: keras.layers.Softmax (keras/src/layers/activations/softmax.py, activations.softmax):
// y = exp(x − max) / Σ exp(x − max) over `axis` (default -1; several adjacent axes are softmaxed
// together, as Keras's tuple axis). Passes an input mask on.
// Divergence: Keras's `mask` call argument (adding −1e9 at masked positions) is not applied.
import { add, assign, at, constVar, div, forRange, id, letVar, mul, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectDType, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { exp, max } from './math.js';
import { keepsTimeAxis, normalizationView } from './normalization-axes.js';
import type { ShapeContext, ShapeInput } from './layer.js';
import { option } from './options/option.js';

/** The axis option shared with UnitNormalization: an axis, or a list of adjacent axes. */
export const axisOption = (description: string) =>
  option<number | readonly number[]>({ anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }], default: -1, description });

export const softmax = defineLayer({
  type: 'Softmax',
  description: 'Softmax over `axis` (default the last).',
  options: {
    axis: axisOption('The axis, or adjacent axes, of the softmax; negative counts from the last.'),
  },
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  stepwise: (c, [input]) => keepsTimeAxis(c.axis, input!.shape.length),
  outputNames: () => ['output'],
  describe: (c) => `Softmax(axis=${typeof c.axis === 'number' ? c.axis : formatShape(c.axis)})`,

  inferShapes(ctx, [input], c) {
    if (!expectDType(ctx, input!, 'float32')) return undefined;
    return reducedAxes(ctx, input!, c.axis) ? [input!.type] : undefined;
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const x = input.buffer;
    const out = io.outputs[0]!.buffer;
    const rank = input.type.shape.length;
    const axes = (typeof c.axis === 'number' ? [c.axis] : c.axis).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const { outer, size, inner } = normalizationView(ctx, io.rows, input.type.shape, axes[0]!, axes[axes.length - 1]!);
    const index = (s: Ex) => add(mul(add(mul('o', size), s), inner), 'k');
    return [
      withComment(
        forRange('o', 0, outer, [
          forRange('k', 0, inner, [
            letVar('m', at(x, index(0))),
            forRange('s', 1, size, [assign('m', max('m', at(x, index('s'))))]),
            letVar('total', 0),
            forRange('s', 0, size, [constVar('e', exp(sub(at(x, index('s')), 'm'))), assign(at(out, index('s')), 'e'), assign('total', add('total', 'e'))]),
            forRange('s', 0, size, [assign(at(out, index('s')), div(at(out, index('s')), id('total')))]),
          ]),
        ]),
        `${out} = exp(${x} − max) / Σ exp(${x} − max) over axes ${formatShape(axes)}`,
      ),
    ];
  },
});

/**
 * The axes a parameter-free reduction (Softmax, UnitNormalization) works over, sorted and
 * non-negative, or undefined after reporting why not: each axis once, inside the rank, not the
 * batch, adjacent (MC6004). Unlike the normalization layers' axes, a run-time length is fine.
 */
export function reducedAxes(ctx: ShapeContext, input: ShapeInput, axis: number | readonly number[]): number[] | undefined {
  const title = layerTitle(ctx);
  const shape = input.type.shape;
  const rank = shape.length;
  const pointer = `${ctx.layer.pointer}/axis`;
  const listed = typeof axis === 'number' ? [axis] : axis;
  const outside = listed.find((a) => a >= rank || a < -rank);
  if (outside !== undefined) {
    ctx.error('MC4001', `${title} works over axis ${outside}, which a ${rank}-D input does not have. Received: an input of shape ${formatShape(shape)}.`, {
      pointer,
      related: [ctx.definedHere(input.producer)],
      hint: `use an axis from 1 to ${rank - 1}, or -1 for the last.`,
    });
    return undefined;
  }
  const axes = listed.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (axes.some((a, i) => a === axes[i - 1])) {
    ctx.error('MC2008', `${title} expects each axis once. Received: axis=${formatShape(listed)}.`, { pointer });
    return undefined;
  }
  if (axes[0] === 0) {
    ctx.error('MC4012', { layer: title, action: 'work over', axis: 0, reason: ': each sample is computed on its own', received: `axis=${typeof axis === 'number' ? axis : formatShape(listed)} for an input of shape ${formatShape(shape)}` }, { pointer, hint: 'use the features axis, -1.' });
    return undefined;
  }
  if (axes[axes.length - 1]! - axes[0]! !== axes.length - 1) {
    ctx.error('MC6004', { layer: title, axes: formatShape(axes) }, { pointer, hint: 'Permute the input so the axes are adjacent.' });
    return undefined;
  }
  return axes;
}
