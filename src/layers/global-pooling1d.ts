// What GlobalMaxPooling1D and GlobalAveragePooling1D share
// (keras/src/layers/pooling/base_global_pooling.py): a channels-last (batch, steps, channels)
// input reduced over its steps to (batch, channels), or (batch, 1, channels) with `keepdims`.
import type { ShapeContext, ShapeInput } from './layer.js';
import type { TensorType } from '../shapes/dim.js';
import { expectDType, expectRank } from '../shapes/rules.js';
import { dataFormatSchema } from './options/window.js';

export interface GlobalPooling1DConfig {
  readonly data_format: 'channels_last';
  readonly keepdims: boolean;
}

export const globalPooling1dOptions = {
  data_format: dataFormatSchema,
  keepdims: { type: 'boolean', default: false, description: 'Keep the steps axis, with length 1: (batch, 1, channels).' },
};

export function globalPooling1dShape(ctx: ShapeContext, input: ShapeInput): TensorType[] | undefined {
  const c = ctx.layer.config as unknown as GlobalPooling1DConfig;
  if (!expectRank(ctx, input, 3, 3, '(batch, steps, channels)') || !expectDType(ctx, input, 'float32')) return undefined;
  const [batch, , channels] = input.type.shape as [number | string, number | string, number | string];
  return [{ dtype: 'float32', shape: c.keepdims ? [batch, 1, channels] : [batch, channels] }];
}

export function describeGlobalPooling(type: string, config: Readonly<Record<string, unknown>>): string {
  return `${type}(${config.keepdims === true ? 'keepdims' : ''})`;
}
