// What the element-wise merge layers share (keras/src/layers/merging/base_merge.py): Add,
// Subtract, Multiply, Average, Maximum and Minimum take a list of inputs (`inputs: [a, b, ...]`)
// of one shape, or of shapes that broadcast as Keras's _compute_elemwise_op_output_shape allows
// (NumPy's rule on the axes after the batch: shorter shapes get leading 1s, and each dimension is
// equal or 1). An input of another shape is broadcast into a scratch buffer first; then one loop
// combines the elements. Each kind's file supplies the combination.
// Masks, as Keras 3 (base_merge.py): the output mask is the OR of the inputs' masks when every
// input has one (else none follows). Add, Subtract and Average ignore masks in their values;
// Multiply counts a masked element as 1; Maximum and Minimum take, at a masked element, what the
// other inputs give (Keras's _apply_merge_op_and_or_mask).
import { assign, at, bitOr, call, cond, constVar, div, ex, forRange, letVar, list, mul, num, stmt, withComment } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';

import { formatShape, sameDim, type Dim, type Shape } from '../shapes/dim.js';
import { expectDType, layerTitle } from '../shapes/rules.js';
import { defineLayer, type LayerDef, type ShapeInput } from './layer.js';

export interface MergeKind {
  readonly type: string;
  readonly description: string;
  /** Input count: Subtract takes exactly 2. */
  readonly arity?: { readonly min: number; readonly max: number };
  /** The output element from the input elements. */
  combine(elements: readonly Expr[]): Expr;
  /** The formula for the generated comment, from the operand names: `a + b`. */
  formula(names: readonly string[]): string;
  /** What a masked element counts as: nothing changes (default), 1 (Multiply), or the others' value (Maximum, Minimum). */
  readonly maskedValue?: 'ignore' | 'one' | 'others';
}

/** Keras's broadcast of the non-batch shapes, or the first axis (counted from the last) where two inputs clash. */
function broadcastShapes(shapes: readonly Shape[]): { shape: Dim[] } | { clash: number } {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let back = 1; back <= rank; back++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const d = s[s.length - back];
      if (d === undefined || d === 1) continue;
      if (dim === 1) dim = d;
      else if (!sameDim(dim, d)) return { clash: back };
    }
    out.unshift(dim);
  }
  return { shape: out };
}

export function mergeLayer(kind: MergeKind): LayerDef {
  return defineLayer({
    type: kind.type,
    description: kind.description,
    options: {},
    arity: kind.arity ?? { min: 1, max: Infinity },

    maskPolicy: () => 'merge',
    stepwise: () => true,
    mergesMasks: (_config, present) => present.every(Boolean),
    outputNames: () => ['output'],
    describe: () => `${kind.type}()`,

    inferShapes(ctx, inputs) {
      if (!inputs.every((i) => expectDType(ctx, i, 'float32'))) return undefined;
      const title = layerTitle(ctx);
      const related = inputs.map((i) => ctx.definedHere(i.producer));
      const shapes = inputs.map((i) => formatShape(i.type.shape)).join(', ');
      const batch = inputs[0]!.type.shape[0]!;
      if (inputs.some((i) => !sameDim(i.type.shape[0]!, batch))) {
        ctx.error('MC4014', { layer: title, shapes }, { related, hint: 'give the model inputs one batch_size.' });
        return undefined;
      }
      const result = broadcastShapes(inputs.map((i: ShapeInput) => i.type.shape.slice(1)));
      if ('clash' in result) {
        const dims = inputs.map((i) => i.type.shape[i.type.shape.length - result.clash]).filter((d) => d !== undefined && d !== 1);
        ctx.error('MC4015', { layer: title, shapes, axis: result.clash, dims: dims.join(' vs ') }, {
          related,
          hint:
            result.clash === 1
              ? 'make the last dimensions equal, e.g. with a Dense layer on one branch.'
              : 'the branches differ in length: give them the same pooling, strides and padding (a Dense layer only changes the last axis).',
        });
        return undefined;
      }
      return [{ dtype: 'float32', shape: [batch, ...result.shape] }];
    },

    params: () => [],

    emit(ctx, io) {
      const out = io.outputs[0]!;
      const outShape = out.type.shape.slice(1);
      const size = mul(...outShape.map((d) => ctx.dim(d)));
      const statements: Stmt[] = [];
      const operands = io.inputs.map((input, k) => {
        const shape = input.type.shape.slice(1);
        if (shape.length === outShape.length && shape.every((d, a) => sameDim(d, outShape[a]!))) return input.buffer;
        const padded = [...outShape.slice(0, outShape.length - shape.length).map(() => 1), ...shape];
        const scratch = io.scratch(`broadcast_${k}`, mul(io.rows, size));
        const dims = (values: readonly Dim[]) => list(...values.map((d) => ctx.dim(d)));
        statements.push(
          withComment(
            stmt(call(ctx.runtime('broadcastInto'), input.buffer, io.rows, dims(padded), dims(outShape), scratch)),
            `${input.buffer} ${formatShape(input.type.shape)} broadcast to ${formatShape(out.type.shape)}`,
          ),
        );
        return scratch;
      });
      const masks = io.masks ?? [];
      const masked = (kind.maskedValue ?? 'ignore') !== 'ignore' && masks.some((m) => m !== undefined);
      // The (rows, time) position of element i, for its mask: elements per timestep after the time axis.
      const perStep = mul(...outShape.slice(1).map((d) => ctx.dim(d)));
      const maskAt = (m: string) => at(m, bitOr(div('i', perStep), 0));
      let body: Stmt[];
      if (!masked) {
        body = [assign(at(out.buffer, 'i'), kind.combine(operands.map((o) => at(o, 'i'))))];
      } else if (kind.maskedValue === 'one') {
        // Masked elements count as 1; where every input is masked, the result is 0 (Keras's Multiply).
        const product = kind.combine(operands.map((o, k) => (masks[k] ? cond(maskAt(masks[k]!), at(o, 'i'), 1) : at(o, 'i'))));
        const anyKept = masks.every((m) => m !== undefined) ? masks.map((m) => maskAt(m!)).reduce((a, b) => bitOr(a, b)) : undefined;
        body = [assign(at(out.buffer, 'i'), anyKept ? cond(anyKept, product, 0) : product)];
      } else {
        // Keras's fold: a masked element takes the running result; a masked running result takes the element.
        body = [letVar('v', at(operands[0]!, 'i')), letVar('keep', masks[0] ? maskAt(masks[0]) : num(1))];
        operands.slice(1).forEach((o, j) => {
          const m = masks[j + 1];
          body.push(
            constVar('xk', m ? cond(maskAt(m), at(o, 'i'), 'v') : at(o, 'i')),
            assign('v', kind.combine([cond('keep', 'v', 'xk'), ex('xk')])),
            assign('keep', m ? bitOr('keep', maskAt(m)) : num(1)),
          );
        });
        body.push(assign(at(out.buffer, 'i'), 'v'));
      }
      const loop = forRange('i', 0, mul(io.rows, size), body);
      statements.push(withComment(loop, `${out.buffer} = ${kind.formula(operands)}, element-wise${masked ? ', masked elements as Keras treats them' : ''}`));
      if (io.outputMask) {
        const present = masks.filter((m): m is string => m !== undefined);
        statements.push(
          withComment(
            forRange('i', 0, mul(io.rows, ctx.dim(out.type.shape[1]!)), [assign(at(io.outputMask, 'i'), present.map((m) => at(m, 'i')).reduce((a, b) => bitOr(a, b)))]),
            `The output mask: ${present.join(' | ')}`,
          ),
        );
      }
      return statements;
    },
  });
}
