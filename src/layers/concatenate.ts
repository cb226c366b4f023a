// Concatenate: keras.layers.Concatenate (keras/src/layers/merging/concatenate.py).
// Joins its inputs along `axis` (default -1, the last; negative counts from the end, the batch
// axis is 0): every other dimension must match, as Keras's build checks. In the generated code
// each input is viewed as (outer, inner), outer the axes before `axis`, and copied into its
// column block of the output. Inputs of one dtype, any.
// Masks, as Keras 3's compute_mask: when any input has one, an unmasked input counts as all kept;
// joined along the last axis the output keeps a step that any input keeps (OR), joined along the
// time axis the masks are joined too.
import { add, assign as assignAt, at as atIndex, bitOr, call, forRange, mul, num, stmt, withComment } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import { addDims, formatShape, productDim, sameDim, type Dim } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import { defineLayer, type EmitContext, type LayerIO } from './layer.js';
import { integer } from './options/option.js';

const shapesOf = (inputs: readonly { type: { shape: readonly Dim[] } }[]) => inputs.map((i) => formatShape(i.type.shape)).join(', ');

export const concatenate = defineLayer({
  type: 'Concatenate',
  description: 'Concatenates its inputs along one axis (default the last); the other dimensions must match.',
  options: {
    axis: integer('The axis to join along: negative counts from the last, 0 is the batch.', { minimum: undefined, default: -1 }),
  },
  arity: { min: 1, max: Infinity },

  outputNames: () => ['output'],
  stepwise({ axis }, inputs) {
    const rank = inputs[0]!.shape.length;
    return rank <= 2 || (axis < 0 ? axis + rank : axis) !== 1;
  },
  describe: (c) => `Concatenate(axis=${c.axis})`,

  inferShapes(ctx, inputs, { axis }) {
    const title = layerTitle(ctx);
    const related = inputs.map((i) => ctx.definedHere(i.producer));
    const rank = inputs[0]!.type.shape.length;
    if (inputs.some((i) => i.type.shape.length !== rank)) {
      ctx.error('MC4001', `${title} expects inputs of one rank. Received: inputs of shape ${shapesOf(inputs)}.`, { related, hint: 'Reshape or Flatten the inputs so they have the same number of axes.' });
      return undefined;
    }
    if (axis >= rank || axis < -rank) {
      ctx.error('MC4001', `${title} joins along axis ${axis}, which ${rank}-D inputs do not have. Received: inputs of shape ${shapesOf(inputs)}.`, {
        pointer: `${ctx.layer.pointer}/axis`,
        related,
        hint: `use an axis from 1 to ${rank - 1}, or -1 for the last.`,
      });
      return undefined;
    }
    const at = axis < 0 ? axis + rank : axis;
    if (at === 0) {
      ctx.error('MC4012', { layer: title, action: 'join along', axis, reason: '', received: `inputs of shape ${shapesOf(inputs)}` }, {
        pointer: `${ctx.layer.pointer}/axis`,
        hint: `use an axis from 1 to ${rank - 1}, or -1 for the last.`,
      });
      return undefined;
    }
    const dtype = inputs[0]!.type.dtype;
    if (inputs.some((i) => i.type.dtype !== dtype)) {
      ctx.error('MC4004', `${title} expects inputs of one dtype. Received: ${inputs.map((i) => `${i.type.dtype} ${formatShape(i.type.shape)}`).join(', ')}.`, { related });
      return undefined;
    }
    const first = inputs[0]!.type.shape;
    for (let a = 0; a < rank; a++) {
      if (a === at) continue;
      const dims = inputs.map((i) => i.type.shape[a]!);
      if (dims.every((d) => sameDim(d, dims[0]!))) continue;
      ctx.error('MC4013', { layer: title, axis, shapes: shapesOf(inputs), differs: `${a}${a > 0 ? ` (${dims.join(' vs ')})` : ', the batch'}` }, {
        related,
        hint: a === 0 ? 'give the model inputs one batch_size.' : `make axis ${a} equal, or join along axis ${a} instead.`,
      });
      return undefined;
    }
    const joined = inputs.map((i) => i.type.shape[at]!);
    const length = addDims(...joined);
    const shape = [...first.slice(0, at), length, ...first.slice(at + 1)];
    return [{ dtype, shape }];
  },

  params: () => [],

  maskPolicy: () => 'merge',
  mergesMasks: (_config, present) => present.some(Boolean),

  emit(ctx, io, { axis }) {
    const out = io.outputs[0]!;
    const rank = out.type.shape.length;
    const at = axis < 0 ? axis + rank : axis;
    const outer = mul(io.rows, ...out.type.shape.slice(1, at).map((d) => ctx.dim(d)));
    const innerOf = (shape: readonly Dim[]) => mul(...shape.slice(at).map((d) => ctx.dim(d)));
    const outInner = innerOf(out.type.shape);
    let offset: Expr = num(0);
    let column: Dim = 0; // the same offset, for the comments
    const statements: Stmt[] = [];
    for (const input of io.inputs) {
      const inner = innerOf(input.type.shape);
      const width = productDim(input.type.shape.slice(at));
      const end: Dim = addDims(column, width);
      statements.push(
        withComment(stmt(call(ctx.runtime('concatenateInto'), input.buffer, outer, inner, out.buffer, outInner, offset)), `${out.buffer}[o, ${String(column)}:${String(end)}] = ${input.buffer}[o, :] for every index o of the axes before axis ${at}`),
      );
      offset = add(offset, inner);
      column = end;
    }
    if (io.outputMask) statements.push(...concatenateMasks(ctx, io, at));
    return statements;
  },
});

/** The output mask: the OR of the inputs' masks (joined on the last axis) or their concatenation (on the time axis). */
function concatenateMasks(ctx: EmitContext, io: LayerIO, axis: number): Stmt[] {
  const out = io.outputMask!;
  const rank = io.outputs[0]!.type.shape.length;
  const masks = io.masks ?? [];
  const steps = (i: number) => ctx.dim(io.inputs[i]!.type.shape[1]!);
  if (axis === 1 && rank >= 3) {
    // Along time: each input's mask (all ones when it has none) fills its block of steps.
    const total = ctx.dim(io.outputs[0]!.type.shape[1]!);
    let offset: Expr = num(0);
    const statements: Stmt[] = [];
    masks.forEach((m, i) => {
      statements.push(
        forRange('b', 0, io.rows, [forRange('s', 0, steps(i), [assignAt(atIndex(out, add(mul("b", total), offset, "s")), m ? atIndex(m, add(mul("b", steps(i)), "s")) : num(1))])]),
      );
      offset = add(offset, steps(i));
    });
    return statements.map((st, i) => (i === 0 ? withComment(st, `The output mask: the inputs' masks joined along time`) : st));
  }
  const value = masks.some((m) => m === undefined) ? num(1) : masks.map((m) => atIndex(m!, 'i')).reduce((a, b) => bitOr(a, b));
  return [withComment(forRange('i', 0, mul(io.rows, steps(0)), [assignAt(atIndex(out, "i"), value)]), `The output mask: a step is kept when any input keeps it${masks.some((m) => m === undefined) ? ' (an input without a mask keeps every step)' : ''}`)];
}
