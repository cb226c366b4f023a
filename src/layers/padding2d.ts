// What ZeroPadding2D and Cropping2D share: their ((top, bottom), (left, right)) option, which
// Keras accepts as an integer (all four sides), a pair (symmetric rows, symmetric cols) or a pair
// of pairs (each entry an integer or a pair), and the copy of a block of rows × cols pixels between
// two channels-last images, which both emit.
import { add, forRange, method, mul, stmt, type Ex } from '../kernel/build.js';
import type { Stmt } from '../kernel/ir.js';
import { formatShape } from '../shapes/dim.js';
import { option } from './options/option.js';

export type Sides = number | readonly (number | readonly number[])[];

const side = { type: 'integer', minimum: 0 };
const pair = { type: 'array', items: side, minItems: 2, maxItems: 2 };

export const sidesOption = (description: string, defaultValue: Sides) =>
  option<Sides>({ anyOf: [side, { type: 'array', items: { anyOf: [side, pair] }, minItems: 2, maxItems: 2 }], default: defaultValue, description });

/** [[top, bottom], [left, right]] of any of the accepted forms. */
export function sidesOf(value: Sides): [[number, number], [number, number]] {
  const both = (v: number | readonly number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]);
  return typeof value === 'number' ? [both(value), both(value)] : [both(value[0]!), both(value[1]!)];
}

/** `((1, 1), (2, 2))`, as Keras prints the option. */
export function formatSides(value: Sides): string {
  return formatShape(sidesOf(value).map((p) => formatShape(p)));
}

/** One image of a copy: its buffer, its (rows, cols) and the first row and column of the block. */
export interface Image {
  readonly buffer: string;
  readonly rows: Ex;
  readonly cols: Ex;
  readonly top: number;
  readonly left: number;
}

/**
 * to[b, to.top + row, to.left + x, :] = from[b, from.top + row, from.left + x, :] for row < rows,
 * x < cols, every sample b: one copy of cols pixels per row. The indices b and row are names the
 * allocator reserves (emit/names.ts), so no buffer is named like them.
 */
export function copyBlock(samples: Ex, from: Image, to: Image, rows: Ex, cols: Ex, channels: Ex): Stmt {
  const start = (image: Image, y: Ex) => mul(add(mul(add(mul('b', image.rows), image.top, y), image.cols), image.left), channels);
  const source = method(from.buffer, 'subarray', start(from, 'row'), add(start(from, 'row'), mul(cols, channels)));
  return forRange('b', 0, samples, [forRange('row', 0, rows, [stmt(method(to.buffer, 'set', source, start(to, 'row')))])]);
}
