// Softmax: keras.layers.Softmax (keras/src/layers/activations/softmax.py, activations.softmax):
// y = exp(x − max) / Σ exp(x − max) over `axis` (default -1; several adjacent axes are softmaxed
// together, as Keras's tuple axis). Passes an input mask on.
// Divergence: Keras's `mask` call argument (adding −1e9 at masked positions) is not applied.
import { add, assign, at, constVar, div, forRange, id, letVar, mul, sub, withComment, type Ex } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectDType } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { exp, max } from './math.js';
import { axisOption, canonicalAxes, keepsTimeAxis, normalizationView, normalizedAxes } from './normalization-axes.js';

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
    return normalizedAxes(ctx, input!, c.axis, 'reduction') ? [input!.type] : undefined;
  },

  params: () => [],

  emit(ctx, io, c) {
    const input = io.inputs[0]!;
    const x = input.buffer;
    const out = io.outputs[0]!.buffer;
    const axes = canonicalAxes(c.axis, input.type.shape.length);
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
