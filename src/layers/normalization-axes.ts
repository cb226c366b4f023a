// The axis options of the normalization layers (LayerNormalization, BatchNormalization) and of the
// parameter-free reductions (Softmax, UnitNormalization): canonicalized against the input's rank
// (negative counts from the last, as Keras's canonicalize_axes), with Keras's errors, and the
// (outer, size, inner) view of the input their kernels take.
import { mul } from '../kernel/build.js';
import type { Ex } from '../kernel/build.js';
import { formatShape, isKnown, type Shape } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import type { EmitContext, ShapeContext, ShapeInput } from './layer.js';
import { option } from './options/option.js';

/** An axis, or a list of adjacent axes; negative counts from the last. */
export const axisOption = (description: string) =>
  option<number | readonly number[]>({ anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }], default: -1, description });

/** The axes as sorted non-negative indices of a `rank`-D input. */
export function canonicalAxes(axis: number | readonly number[], rank: number): number[] {
  return (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/**
 * The axes of `input`, sorted and non-negative, or undefined after reporting why not: each once,
 * inside the rank, not the batch. `parameters` (the normalization layers): the layer sizes
 * parameters by them, so their dimensions must be known. `reduction` (Softmax, UnitNormalization):
 * a run-time length is fine, but the axes must be adjacent (MC6004).
 */
export function normalizedAxes(ctx: ShapeContext, input: ShapeInput, axis: number | readonly number[], use: 'parameters' | 'reduction' = 'parameters'): number[] | undefined {
  const title = layerTitle(ctx);
  const shape = input.type.shape;
  const rank = shape.length;
  const pointer = `${ctx.layer.pointer}/axis`;
  const listed = typeof axis === 'number' ? [axis] : axis;
  const outside = listed.find((a) => a >= rank || a < -rank);
  if (outside !== undefined) {
    ctx.error('MC4001', `${title} ${use === 'parameters' ? 'normalizes' : 'works'} over axis ${outside}, which a ${rank}-D input does not have. Received: an input of shape ${formatShape(shape)}.`, {
      pointer,
      related: [ctx.definedHere(input.producer)],
      hint: `use an axis from 1 to ${rank - 1}, or -1 for the last.`,
    });
    return undefined;
  }
  const axes = canonicalAxes(listed, rank);
  if (axes.some((a, i) => a === axes[i - 1])) {
    ctx.error('MC2008', `${title} expects each axis once. Received: axis=${formatShape(listed)}.`, { pointer });
    return undefined;
  }
  if (axes[0] === 0) {
    const [action, reason] = use === 'parameters' ? ['normalize over', ': its parameters would have one value per sample'] : ['work over', ': each sample is computed on its own'];
    ctx.error('MC4012', { layer: title, action, axis: 0, reason, received: `axis=${typeof axis === 'number' ? axis : formatShape(listed)} for an input of shape ${formatShape(shape)}` }, {
      pointer,
      hint: 'use the features axis, -1.',
    });
    return undefined;
  }
  if (use === 'reduction' && axes[axes.length - 1]! - axes[0]! !== axes.length - 1) {
    ctx.error('MC6004', { layer: title, axes: formatShape(axes) }, { pointer, hint: 'Permute the input so the axes are adjacent.' });
    return undefined;
  }
  const unknown = use === 'parameters' ? axes.find((a) => !isKnown(shape[a]!)) : undefined;
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
  return rank <= 2 || !canonicalAxes(axis, rank).includes(1);
}
