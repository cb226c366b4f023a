// UnitNormalization: keras.layers.UnitNormalization
// (keras/src/layers/normalization/unit_normalization.py, ops.normalize with order 2):
// y = x · rsqrt(max(Σ x², 1e-24)) over `axis` (default -1; several adjacent axes together).
import { add, assign, at, constVar, div, forRange, letVar, mul, withComment, type Ex } from '../kernel/build.js';
import { call } from '../kernel/build.js';
import { formatShape } from '../shapes/dim.js';
import { expectDType } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { max } from './math.js';
import { axisOption, canonicalAxes, keepsTimeAxis, normalizationView, normalizedAxes } from './normalization-axes.js';

export const unitNormalization = defineLayer({
  type: 'UnitNormalization',
  description: 'Scales each sample to unit L2 norm over `axis` (default the last).',
  options: {
    axis: axisOption('The axis, or adjacent axes, to normalize over; negative counts from the last.'),
  },
  arity: { min: 1, max: 1 },
  stepwise: (c, [input]) => keepsTimeAxis(c.axis, input!.shape.length),
  outputNames: () => ['output'],
  describe: (c) => `UnitNormalization(axis=${typeof c.axis === 'number' ? c.axis : formatShape(c.axis)})`,

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
            letVar('squares', 0),
            forRange('s', 0, size, [constVar('v', at(x, index('s'))), assign('squares', add('squares', mul('v', 'v')))]),
            constVar('scale', div(1, call('Math.sqrt', max('squares', 1e-24)))),
            forRange('s', 0, size, [assign(at(out, index('s')), mul(at(x, index('s')), 'scale'))]),
          ]),
        ]),
        `${out} = ${x} · rsqrt(max(Σ ${x}², 1e-24)) over axes ${formatShape(axes)}`,
      ),
    ];
  },
});
