// What GlobalMaxPooling1D and GlobalAveragePooling1D share
// (keras/src/layers/pooling/base_global_pooling.py): a channels-last (batch, steps, channels)
// input reduced over its steps to (batch, channels), or (batch, 1, channels) with `keepdims`.
import type { ShapeContext, ShapeInput } from './layer.js';
import type { TensorType, Dim } from '../shapes/dim.js';
import { expectDType, expectRank } from '../shapes/rules.js';
import { dataFormatSchema } from './options/window.js';
import { boolean, type ConfigOf } from './options/option.js';

export const globalPooling1dOptions = {
  data_format: dataFormatSchema,
  keepdims: boolean('Keep the steps axis, with length 1: (batch, 1, channels).', false),
};

export type GlobalPooling1DConfig = ConfigOf<typeof globalPooling1dOptions>;

export function globalPooling1dShape(ctx: ShapeContext, input: ShapeInput, c: GlobalPooling1DConfig): TensorType[] | undefined {
  if (!expectRank(ctx, input, 3, 3, '(batch, steps, channels)') || !expectDType(ctx, input, 'float32')) return undefined;
  const [batch, , channels] = input.type.shape as [Dim, Dim, Dim];
  return [{ dtype: 'float32', shape: c.keepdims ? [batch, 1, channels] : [batch, channels] }];
}

export function describeGlobalPooling(type: string, c: GlobalPooling1DConfig): string {
  return `${type}(${c.keepdims ? 'keepdims' : ''})`;
}
