// Options that name a Keras object the way Keras serializes it: a snake_case name (`glorot_uniform`,
// `l2`, `max_norm`) or `{ class_name, config }` (`{ class_name: L1L2, config: { l2: 0.01 } }`).
// Initializers, regularizers and constraints share the schema shape and the resolution here.
import type { SchemaFragment } from '../layer.js';

export interface KerasObjectKind<T> {
  /** snake_case name -> the object, from its config (Keras's defaults for what config omits). */
  readonly byName: Readonly<Record<string, (config: Record<string, unknown>) => T>>;
  /** Keras class name -> snake_case name. */
  readonly classNames: Readonly<Record<string, string>>;
  /** The schema of `config`'s properties. */
  readonly config: Readonly<Record<string, SchemaFragment>>;
}

/** The option's schema: one of the names (or null when `nullable`), or the serialized form. */
export function kerasObjectSchema<T>(kind: KerasObjectKind<T>, description: string, defaultValue: string | null): SchemaFragment {
  return {
    description,
    default: defaultValue,
    anyOf: [
      { enum: [...Object.keys(kind.byName), ...(defaultValue === null ? [null] : [])] },
      {
        type: 'object',
        additionalProperties: false,
        required: ['class_name'],
        properties: {
          class_name: { enum: Object.keys(kind.classNames) },
          config: { type: 'object', additionalProperties: false, properties: kind.config },
        },
      },
    ],
  };
}

/** A validated option value as the object it names; undefined for null. */
export function resolveKerasObject<T>(kind: KerasObjectKind<T>, value: unknown): T | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return kind.byName[value]!({});
  const { class_name, config } = value as { class_name: string; config?: Record<string, unknown> };
  return kind.byName[kind.classNames[class_name]!]!(config ?? {});
}

/** A number from a config, or Keras's default. */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** A string from a config, or Keras's default. */
export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
