// The options of sliding-window layers (Conv1D, MaxPooling1D, AveragePooling1D): sizes as an
// integer or a 1-tuple (Keras serializes `(3,)`), padding, and data_format, whose only value is
// Keras's default channels_last.
import { option, type Option } from './option.js';

/** A 1-D size as Keras accepts it. */
export type Size1D = number | readonly [number];

/** An integer >= 1, or a list of one, as Keras accepts for a 1-D size; `null` allowed when it is the default. */
export function sizeSchema(description: string, defaultValue?: number): Option<Size1D>;
export function sizeSchema(description: string, defaultValue: null): Option<Size1D | null>;
export function sizeSchema(description: string, defaultValue?: number | null): Option<Size1D | null> {
  return option({
    description,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    anyOf: [
      { type: 'integer', minimum: 1 },
      { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 1 },
      ...(defaultValue === null ? [{ type: 'null' }] : []),
    ],
  });
}

export function paddingSchema<const P extends readonly string[]>(choices: P, description: string): Option<P[number]> {
  return option({ enum: [...choices], default: 'valid', description });
}

export const dataFormatSchema: Option<'channels_last'> = option({
  enum: ['channels_last'],
  default: 'channels_last',
  description: 'Axis order (batch, steps, channels); channels_first is not supported.',
});
