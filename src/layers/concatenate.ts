// Concatenate: keras.layers.Concatenate (keras/src/layers/merging/concatenate.py).
// Joins its inputs along `axis` (default -1, the last; negative counts from the end, the batch
// axis is 0): every other dimension must match, as Keras's build checks. In the generated code
// each input is viewed as (outer, inner), outer the axes before `axis`, and copied into its
// column block of the output. Inputs of one dtype, any.
// Divergence: masks are not merged (Keras ORs the inputs' masks over the joined axis); an input
// mask stops here.
import type ts from 'typescript';
import { add, call, mul, num, stmt, withComment } from '../emit/builders.js';
import { expectStaticDims } from '../shapes/conv.js';
import { formatShape, isKnown, productDim, sameDim, type Dim } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import type { LayerDef } from './layer.js';

export interface ConcatenateConfig {
  readonly axis: number;
}

const shapesOf = (inputs: readonly { type: { shape: readonly Dim[] } }[]) => inputs.map((i) => formatShape(i.type.shape)).join(', ');

export const concatenate: LayerDef = {
  type: 'Concatenate',
  description: 'Concatenates its inputs along one axis (default the last); the other dimensions must match.',
  options: {
    axis: { type: 'integer', default: -1, description: 'The axis to join along: negative counts from the last, 0 is the batch.' },
  },
  arity: { min: 1, max: Infinity },

  outputNames: () => ['output'],
  stepwise(config, inputs) {
    const rank = inputs[0]!.shape.length;
    const axis = (config as unknown as ConcatenateConfig).axis;
    return rank <= 2 || (axis < 0 ? axis + rank : axis) !== 1;
  },
  describe: (config) => `Concatenate(axis=${String(config.axis)})`,

  inferShapes(ctx, inputs) {
    const axis = (ctx.layer.config as unknown as ConcatenateConfig).axis;
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
      ctx.error('MC4003', `${title} cannot join along the batch axis (axis ${axis}). Received: inputs of shape ${shapesOf(inputs)}.`, {
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
      ctx.error('MC4003', `${title} expects inputs with matching shapes except along the concatenation axis ${axis}. Received: inputs of shape ${shapesOf(inputs)}, which differ on axis ${a}${a > 0 ? ` (${dims.join(' vs ')})` : ', the batch'}.`, {
        related,
        hint: a === 0 ? 'give the model inputs one batch_size.' : `make axis ${a} equal, or join along axis ${a} instead.`,
      });
      return undefined;
    }
    const joined = inputs.map((i) => i.type.shape[at]!);
    const length: Dim = joined.every(isKnown) ? joined.reduce((a, b) => a + b, 0) : joined.join(' + ');
    const shape = [...first.slice(0, at), length, ...first.slice(at + 1)];
    if (!expectStaticDims(ctx, shape, inputs[0]!, 'give the inputs a fixed length along the concatenation axis.')) return undefined;
    return [{ dtype, shape }];
  },

  params: () => [],

  emit(ctx, io) {
    const axis = (io.layer.config as unknown as ConcatenateConfig).axis;
    const out = io.outputs[0]!;
    const rank = out.type.shape.length;
    const at = axis < 0 ? axis + rank : axis;
    const outer = mul(io.rows, ...out.type.shape.slice(1, at).map((d) => ctx.dim(d)));
    const innerOf = (shape: readonly Dim[]) => mul(...shape.slice(at).map((d) => ctx.dim(d)));
    const outInner = innerOf(out.type.shape);
    let offset: ts.Expression = num(0);
    let column: Dim = 0; // the same offset, for the comments
    const statements: ts.Statement[] = [];
    for (const input of io.inputs) {
      const inner = innerOf(input.type.shape);
      const width = productDim(input.type.shape.slice(at));
      const end: Dim = isKnown(column) && isKnown(width) ? column + width : `${String(column)} + ${String(width)}`;
      statements.push(
        withComment(stmt(call(ctx.runtime('concatenateInto'), input.buffer, outer, inner, out.buffer, outInner, offset)), `${out.buffer}[o, ${String(column)}:${String(end)}] = ${input.buffer}[o, :] for every index o of the axes before axis ${at}`),
      );
      offset = add(offset, inner);
      column = end;
    }
    return statements;
  },
};
