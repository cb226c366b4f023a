// The axis options of LayerNormalization and BatchNormalization: canonicalized against the
// input's rank (negative counts from the last, as Keras's canonicalize_axes), with Keras's errors,
// and the (outer, size, inner) view of the input the normalization kernels take.
import { mul } from '../kernel/build.js';
import type { Ex } from '../kernel/build.js';
import { formatShape, isKnown, type Shape } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import type { EmitContext, ShapeContext, ShapeInput } from './layer.js';

/** The normalized axes of `input`, sorted and non-negative, or undefined after reporting why not. */
export function normalizedAxes(ctx: ShapeContext, input: ShapeInput, axis: number | readonly number[]): number[] | undefined {
  const title = layerTitle(ctx);
  const shape = input.type.shape;
  const rank = shape.length;
  const pointer = `${ctx.layer.pointer}/axis`;
  const listed = typeof axis === 'number' ? [axis] : axis;
  const outside = listed.find((a) => a >= rank || a < -rank);
  if (outside !== undefined) {
    ctx.error('MC4001', `${title} normalizes over axis ${outside}, which a ${rank}-D input does not have. Received: an input of shape ${formatShape(shape)}.`, {
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
    ctx.error('MC4012', { layer: title, action: 'normalize over', axis: 0, reason: ': its parameters would have one value per sample', received: `axis=${typeof axis === 'number' ? axis : formatShape(listed)} for an input of shape ${formatShape(shape)}` }, {
      pointer,
      hint: 'use the features axis, -1.',
    });
    return undefined;
  }
  const unknown = axes.find((a) => !isKnown(shape[a]!));
  if (unknown !== undefined) {
    ctx.error('MC4010', { layer: title, axis: `the normalized axis ${unknown}`, reason: ': it sizes the parameters', shape: `an input of shape ${formatShape(shape)}` }, {
      related: [ctx.definedHere(input.producer)],
    });
    return undefined;
  }
  return axes;
}

/** The input viewed as (outer, size, inner) around the contiguous block of axes `first`..`last` (whose dimensions are known). */
export function normalizationView(ctx: EmitContext, rows: Ex, shape: Shape, first: number, last: number): { outer: Ex; size: Ex; inner: Ex } {
  const product = (dims: Shape) => mul(...dims.map((d) => ctx.dim(d)));
  return { outer: mul(rows, ...shape.slice(1, first).map((d) => ctx.dim(d))), size: product(shape.slice(first, last + 1)), inner: product(shape.slice(last + 1)) };
}

/** Whether the normalized axes leave axis 1 (the time axis of a sequence) alone, so the layer can stream. */
export function keepsTimeAxis(axis: number | readonly number[], rank: number): boolean {
  return rank <= 2 || !(typeof axis === 'number' ? [axis] : axis).some((a) => (a < 0 ? a + rank : a) === 1);
}
