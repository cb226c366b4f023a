// What GlobalMaxPooling2D and GlobalAveragePooling2D share
// (keras/src/layers/pooling/base_global_pooling.py): a channels-last (batch, rows, cols, channels)
// image reduced over its rows and columns to (batch, channels), or (batch, 1, 1, channels) with
// `keepdims`. Row-major, the rows × cols pixels of a sample are rows · cols consecutive steps of
// channels, so the emitter calls the 1-D global pooling kernel over them. Like Keras, no mask.
import { call, nullLiteral, stmt, withComment } from '../kernel/build.js';
import type { RuntimeName } from '../runtime/index.js';
import { mulDims, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank } from '../shapes/rules.js';
import { describeGlobalPooling } from './global-pooling1d.js';
import { defineLayer, type LayerDef } from './layer.js';
import { boolean } from './options/option.js';
import { dataFormat2dSchema } from './options/window.js';

export interface GlobalPooling2DKind {
  readonly type: string;
  readonly description: string;
  readonly reduction: 'max' | 'mean';
}

const kernels: Readonly<Record<GlobalPooling2DKind['reduction'], RuntimeName>> = { max: 'globalMaxPool1d', mean: 'globalAveragePool1d' };

export function globalPooling2dLayer(kind: GlobalPooling2DKind): LayerDef {
  return defineLayer({
    type: kind.type,
    description: kind.description,
    options: {
      data_format: dataFormat2dSchema,
      keepdims: boolean('Keep the rows and cols axes, with size 1: (batch, 1, 1, channels).', false),
    },
    arity: { min: 1, max: 1 },

    outputNames: () => ['output'],
    stepwise: () => false,
    describe: (c) => describeGlobalPooling(kind.type, c),

    inferShapes(ctx, [input], c) {
      if (!expectRank(ctx, input!, 4, 4, '(batch, rows, cols, channels)') || !expectDType(ctx, input!, 'float32')) return undefined;
      const [batch, , , channels] = input!.type.shape as [Dim, Dim, Dim, Dim];
      return [{ dtype: 'float32', shape: c.keepdims ? [batch, 1, 1, channels] : [batch, channels] }];
    },

    params: () => [],

    emit(ctx, io) {
      const input = io.inputs[0]!;
      const out = io.outputs[0]!.buffer;
      const [, rows, cols, channels] = input.type.shape as [Dim, Dim, Dim, Dim];
      const mask = kind.reduction === 'mean' ? [nullLiteral()] : [];
      const pool = stmt(call(ctx.runtime(kernels[kind.reduction]), input.buffer, io.rows, ctx.dim(mulDims(rows, cols)), ctx.dim(channels), ...mask, out));
      return [withComment(pool, `${out}[b, c] = ${kind.reduction} over row, col of ${input.buffer}[b, row, col, c] (the rows × cols pixels as consecutive steps)`)];
    },
  });
}
