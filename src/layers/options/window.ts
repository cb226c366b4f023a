// The options of sliding-window layers (Conv1D, Conv2D and the pooling layers): sizes as an
// integer or a tuple of one per spatial axis (Keras serializes `(3,)`, `(3, 3)`), padding, and
// data_format, whose only value is Keras's default channels_last.
import { option, type Option } from './option.js';

/** A size as Keras accepts it: one integer for every spatial axis, or one per axis. */
export type Size = number | readonly number[];

/**
 * An integer >= 1, or a list of `rank` of them (one per spatial axis), as Keras accepts for a
 * 1-D or 2-D size; `null` allowed when it is the default.
 */
export function sizeSchema(description: string, defaultValue?: number, rank?: number): Option<Size>;
export function sizeSchema(description: string, defaultValue: null, rank?: number): Option<Size | null>;
export function sizeSchema(description: string, defaultValue?: number | null, rank = 1): Option<Size | null> {
  return option({
    description,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    anyOf: [
      { type: 'integer', minimum: 1 },
      { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: rank, maxItems: rank },
      ...(defaultValue === null ? [{ type: 'null' }] : []),
    ],
  });
}

/** The size along each of `rank` spatial axes: `3` -> [3, 3], `[2, 3]` -> [2, 3]. */
export function sizesOf(value: Size, rank: number): number[] {
  return typeof value === 'number' ? Array.from({ length: rank }, () => value) : [...value];
}

export function paddingSchema<const P extends readonly string[]>(choices: P, description: string): Option<P[number]> {
  return option({ enum: [...choices], default: 'valid', description });
}

export const dataFormatSchema: Option<'channels_last'> = option({
  enum: ['channels_last'],
  default: 'channels_last',
  description: 'Axis order (batch, steps, channels); channels_first is not supported.',
});

export const dataFormat2dSchema: Option<'channels_last'> = option({
  enum: ['channels_last'],
  default: 'channels_last',
  description: 'Axis order (batch, rows, cols, channels); channels_first is not supported.',
});
