// What the pooling layers share (keras/src/layers/pooling/base_pooling.py), MaxPooling1D and
// AveragePooling1D over (batch, steps, channels), MaxPooling2D and AveragePooling2D over (batch,
// rows, cols, channels): the options (a size per spatial axis, strides defaulting to pool_size),
// the shape rule (the one window formula of shapes/conv.ts on each spatial axis) and the
// emitter; each kind's file supplies its reduction.
import { call, stmt, withComment } from '../kernel/build.js';
import type { RuntimeName } from '../runtime/index.js';
import { padBefore, perAxis, windowedShape, windowStepwise, type Window } from '../shapes/conv.js';
import { expectDType, expectRank } from '../shapes/rules.js';
import { defineLayer, type LayerDef } from './layer.js';
import type { ConfigOf } from './options/option.js';
import { dataFormat2dSchema, dataFormatSchema, paddingSchema, sizeSchema, sizesOf } from './options/window.js';

const poolingOptions = (rank: number, sizeRequired = false) => ({
  pool_size: sizeSchema(rank === 1 ? 'Length of the pooling window.' : 'Height and width of the pooling window: an integer for both, or [rows, cols].', sizeRequired ? undefined : 2, rank),
  strides: sizeSchema('Step between windows; null: pool_size.', null, rank),
  padding: paddingSchema(['valid', 'same'], `valid: only whole windows; same: output ${rank === 1 ? 'length ceil(steps / strides)' : 'size ceil(size / strides) on each axis'}, edge windows partly outside the input.`),
  data_format: rank === 1 ? dataFormatSchema : dataFormat2dSchema,
});

type PoolingConfig = ConfigOf<ReturnType<typeof poolingOptions>>;

export interface PoolingKind {
  readonly type: string;
  readonly description: string;
  /** Spatial axes: 1 (steps) or 2 (rows, cols). */
  readonly rank: 1 | 2;
  /**
   * The runtime kernel: (x, batch, steps, channels, size, stride, pad, outSteps, out) for one
   * axis; (x, batch, rows, cols, channels, poolH, poolW, strideH, strideW, top, left, outRows, outCols, out) for two.
   */
  readonly kernel: RuntimeName;
  /** What one output element is, for the generated comment: `max`, `mean`. */
  readonly reduction: string;
  /** pool_size has no default (Keras 3's AveragePooling2D). */
  readonly sizeRequired?: boolean;
}

function windowsOf(c: PoolingConfig, rank: number): Window[] {
  const strides = c.strides === null ? null : sizesOf(c.strides, rank);
  return sizesOf(c.pool_size, rank).map((size, axis) => ({ size, stride: strides?.[axis] ?? size, dilation: 1, padding: c.padding }));
}

export function poolingLayer(kind: PoolingKind): LayerDef {
  const { rank } = kind;
  const meaning = rank === 1 ? '(batch, steps, channels)' : '(batch, rows, cols, channels)';
  return defineLayer({
    type: kind.type,
    description: kind.description,
    options: poolingOptions(rank, kind.sizeRequired),
    required: kind.sizeRequired ? ['pool_size'] : [],
    arity: { min: 1, max: 1 },

    outputNames: () => ['output'],
    stepwise: (c) => windowStepwise(windowsOf(c, rank)),

    describe(c) {
      const windows = windowsOf(c, rank);
      const [sizes, strides] = [windows.map((w) => w.size), windows.map((w) => w.stride)];
      return `${kind.type}(${[`pool_size=${perAxis(sizes)}`, perAxis(strides) !== perAxis(sizes) ? `strides=${perAxis(strides)}` : '', c.padding !== 'valid' ? `padding=${c.padding}` : ''].filter((e) => e !== '').join(', ')})`;
    },

    inferShapes(ctx, [input], c) {
      if (!expectRank(ctx, input!, rank + 2, rank + 2, meaning) || !expectDType(ctx, input!, 'float32')) return undefined;
      const windows = windowsOf(c, rank);
      const spatial = windowedShape(ctx, input!, windows, `pool_size=${perAxis(windows.map((w) => w.size))}`, 'use `padding: same`, a smaller pool_size, or a longer input.');
      return spatial && [{ dtype: 'float32', shape: [...spatial, input!.type.shape[rank + 1]!] }];
    },

    params: () => [],

    emit(ctx, io, c) {
      const windows = windowsOf(c, rank);
      const input = io.inputs[0]!;
      const out = io.outputs[0]!;
      const sizes = input.type.shape.slice(1).map((d) => ctx.dim(d));
      const outSizes = out.type.shape.slice(1, rank + 1).map((d) => ctx.dim(d));
      const pads = windows.map((w, axis) => padBefore(input.type.shape[axis + 1]!, w));
      const geometry = rank === 1 ? [windows[0]!.size, windows[0]!.stride, pads[0]!] : [...windows.map((w) => w.size), ...windows.map((w) => w.stride), ...pads];
      const pool = stmt(call(ctx.runtime(kind.kernel), input.buffer, io.rows, ...sizes, ...geometry, ...outSizes, out.buffer));
      const at = windows.map((w, axis) => {
        const [index, tap] = rank === 1 ? ['t', 'k'] : axis === 0 ? ['row', 'ky'] : ['col', 'kx'];
        return `${index}·${w.stride}${pads[axis]! > 0 ? ` − ${pads[axis]}` : ''} + ${tap}`;
      });
      const comment = rank === 1
        ? `${out.buffer}[b, t, c] = ${kind.reduction} of ${input.buffer}[b, ${at[0]}, c] over the ${windows[0]!.size} steps k of window t that lie inside the input`
        : `${out.buffer}[b, row, col, c] = ${kind.reduction} of ${input.buffer}[b, ${at.join(', ')}, c] over the ${windows.map((w) => w.size).join(' × ')} taps (ky, kx) of window (row, col) that lie inside the image`;
      return [withComment(pool, comment)];
    },
  });
}
