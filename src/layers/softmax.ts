// Softmax: keras.layers.Softmax (keras/src/layers/activations/softmax.py, activations.softmax):
// y = exp(x − max) / Σ exp(x − max) over `axis` (default -1; several adjacent axes are softmaxed
// together, as Keras's tuple axis). Passes an input mask on.
// Divergence: Keras's `mask` call argument (adding −1e9 at masked positions) is not applied.
import { add, assign, at, constVar, div, forRange, id, letVar, mul, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectDType, layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { exp, max } from './math.js';
import { keepsTimeAxis, normalizationView, normalizedAxes } from './normalization-axes.js';
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
    const axes = normalizedAxes(ctx, input!, c.axis);
    if (!axes) return undefined;
    if (axes[axes.length - 1]! - axes[0]! !== axes.length - 1) {
      ctx.error('MC6004', { layer: layerTitle(ctx), axes: formatShape(axes) }, { pointer: `${ctx.layer.pointer}/axis`, hint: 'Permute the input so the axes are adjacent.' });
      return undefined;
    }
    return [input!.type];
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
