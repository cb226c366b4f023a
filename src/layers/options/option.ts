// A layer's option table: for each Keras option, its JSON Schema fragment (exactly what the
// published schema says, so ajv's messages stay ours to rewrite) and, as a phantom type, the type
// its value has once defaults are filled in. A layer's config type is derived from its table
// (ConfigOf), so the two cannot drift.
import type { SchemaFragment } from '../layer.js';

export interface Option<T> {
  readonly schema: SchemaFragment;
  /** Never set: carries the value's type. */
  readonly value?: T;
}

export type Options = { readonly [key: string]: Option<unknown> };

/** The config a layer's methods see: every option, with its default filled in. */
export type ConfigOf<O extends Options> = { readonly [K in keyof O]: O[K] extends Option<infer T> ? T : never };

/** An option whose fragment is built elsewhere (activations, initializers, sizes), typed by its builder. */
export function option<T>(schema: SchemaFragment): Option<T> {
  return { schema };
}

interface Bounds {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

/** An integer (default minimum 1); required unless `default` is given. */
export function integer(description: string, options: Bounds & { readonly default?: number } = {}): Option<number> {
  return option(defined({ type: 'integer', minimum: 1, ...options, description }));
}

/** The fragment without keys set to undefined (`minimum: undefined` lifts the bound). */
function defined(fragment: Record<string, unknown>): SchemaFragment {
  return Object.fromEntries(Object.entries(fragment).filter(([, v]) => v !== undefined));
}

export function number(description: string, options: Bounds & { readonly default?: number } = {}): Option<number> {
  return option({ type: 'number', ...options, description });
}

export function boolean(description: string, defaultValue: boolean): Option<boolean> {
  return option({ type: 'boolean', default: defaultValue, description });
}

/** One of the given values. */
export function oneOf<const V extends readonly (string | number | null)[]>(values: V, description: string, defaultValue?: V[number]): Option<V[number]> {
  return option({ enum: [...values], ...(defaultValue === undefined ? {} : { default: defaultValue }), description });
}

/** An integer or null (default null): Keras's `seed`, `batch_size`. */
export function integerOrNull(description: string): Option<number | null> {
  return option({ type: ['integer', 'null'], default: null, description });
}

/** The schema fragments of a table, for the model schema. */
export function schemasOf(options: Options): Record<string, SchemaFragment> {
  return Object.fromEntries(Object.entries(options).map(([k, o]) => [k, o.schema]));
}

/** A non-empty list of integers, each at least `minimum`. */
export function integerList(description: string, minimum: number): Option<readonly number[]> {
  return option({ type: 'array', minItems: 1, items: { type: 'integer', minimum }, description });
}
