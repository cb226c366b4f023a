// What MaxPooling1D and AveragePooling1D share (keras/src/layers/pooling/base_pooling.py): the
// options, the shape rule (the one window formula of shapes/conv.ts, with strides defaulting to
// pool_size) and the emitter; each kind's file supplies its reduction.
import { call, stmt, withComment } from '../kernel/build.js';
import type { RuntimeName } from '../runtime/index.js';
import { expectPaddingKnown, padBefore, single, windowOutputLength, type Window } from '../shapes/conv.js';
import { formatShape, isKnown, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import { defineLayer, type LayerDef } from './layer.js';
import type { ConfigOf } from './options/option.js';
import { dataFormatSchema, paddingSchema, sizeSchema } from './options/window.js';

const poolingOptions = {
  pool_size: sizeSchema('Length of the pooling window.', 2),
  strides: sizeSchema('Step between windows; null: pool_size.', null),
  padding: paddingSchema(['valid', 'same'], 'valid: only whole windows; same: output length ceil(steps / strides), edge windows partly outside the input.'),
  data_format: dataFormatSchema,
};

type Pooling1DConfig = ConfigOf<typeof poolingOptions>;

export interface PoolingKind {
  readonly type: string;
  readonly description: string;
  /** The runtime kernel: (x, batch, steps, channels, size, stride, pad, outSteps, out). */
  readonly kernel: RuntimeName;
  /** What one output element is, for the generated comment: `max`, `mean`. */
  readonly reduction: string;
}

function windowOf(c: Pooling1DConfig): Window {
  const size = single(c.pool_size);
  return { size, stride: c.strides === null ? size : single(c.strides), dilation: 1, padding: c.padding };
}

export function pooling1dLayer(kind: PoolingKind): LayerDef {
  return defineLayer({
    type: kind.type,
    description: kind.description,
    options: poolingOptions,
    arity: { min: 1, max: 1 },

    outputNames: () => ['output'],
    stepwise(c) {
      const w = windowOf(c);
      return w.size === 1 && w.stride === 1;
    },

    describe(c) {
      const w = windowOf(c);
      return `${kind.type}(${[`pool_size=${w.size}`, w.stride !== w.size ? `strides=${w.stride}` : '', c.padding !== 'valid' ? `padding=${c.padding}` : ''].filter((e) => e !== '').join(', ')})`;
    },

    inferShapes(ctx, [input], c) {
      const w = windowOf(c);
      if (!expectRank(ctx, input!, 3, 3, '(batch, steps, channels)') || !expectDType(ctx, input!, 'float32')) return undefined;
      const [batch, steps, channels] = input!.type.shape as [Dim, Dim, Dim];
      const length = windowOutputLength(steps, w);
      if (isKnown(length) && length <= 0) {
        ctx.error('MC4018', { layer: layerTitle(ctx), span: w.size, window: `pool_size=${w.size}`, shape: formatShape(input!.type.shape) }, {
          related: [ctx.definedHere(input!.producer)],
          hint: 'use `padding: same`, a smaller pool_size, or a longer input.',
        });
        return undefined;
      }
      const shape = [batch, length, channels];
      if (!expectPaddingKnown(ctx, steps, w, input!)) return undefined;
      return [{ dtype: 'float32', shape }];
    },

    params: () => [],

    emit(ctx, io, c) {
      const w = windowOf(c);
      const input = io.inputs[0]!;
      const out = io.outputs[0]!;
      const [, steps, channels] = input.type.shape;
      const pad = padBefore(steps!, w);
      const pool = stmt(call(ctx.runtime(kind.kernel), input.buffer, io.rows, ctx.dim(steps!), ctx.dim(channels!), w.size, w.stride, pad, ctx.dim(out.type.shape[1]!), out.buffer));
      const start = pad > 0 ? `t·${w.stride} − ${pad}` : `t·${w.stride}`;
      return [withComment(pool, `${out.buffer}[b, t, c] = ${kind.reduction} of ${input.buffer}[b, ${start} + k, c] over the ${w.size} steps k of window t that lie inside the input`)];
    },
   });
}
