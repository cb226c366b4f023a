// The (left, right) option of ZeroPadding1D and Cropping1D: an integer for both sides, or a pair.
import { option } from './options/option.js';

export const pairOption = (description: string, defaultValue: number | readonly [number, number]) =>
  option<number | readonly number[]>({ anyOf: [{ type: 'integer', minimum: 0 }, { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 2, maxItems: 2 }], default: defaultValue, description });

export const pairOf = (value: number | readonly number[]): [number, number] => (typeof value === 'number' ? [value, value] : [value[0]!, value[1]!]);
