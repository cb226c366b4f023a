// The `*_constraint` options: a Keras name (`max_norm`, `min_max_norm`, `non_neg`, `unit_norm`) or
// `{ class_name, config }` with Keras 3's defaults (axis 0), applied to a weights object by the
// generated `applyConstraints`, as Keras applies them after each optimizer step.
import type { Expr } from '../../kernel/ir.js';
import { call, list, num, type Ex } from '../../kernel/build.js';
import type { EmitContext } from '../layer.js';
import { option, type Option } from './option.js';
import { kerasObjectSchema, numberOr, resolveKerasObject, type KerasObjectKind } from './keras-object.js';

export type ConstraintSpec =
  | { readonly kind: 'norm'; readonly name: string; readonly min: number; readonly max: number; readonly rate: number; readonly axis: number }
  | { readonly kind: 'non_neg' };

const constraints: KerasObjectKind<ConstraintSpec> = {
  byName: {
    max_norm: (c) => ({ kind: 'norm', name: 'MaxNorm', min: 0, max: numberOr(c.max_value, 2), rate: 1, axis: numberOr(c.axis, 0) }),
    min_max_norm: (c) => ({ kind: 'norm', name: 'MinMaxNorm', min: numberOr(c.min_value, 0), max: numberOr(c.max_value, 1), rate: numberOr(c.rate, 1), axis: numberOr(c.axis, 0) }),
    unit_norm: (c) => ({ kind: 'norm', name: 'UnitNorm', min: 1, max: 1, rate: 1, axis: numberOr(c.axis, 0) }),
    non_neg: () => ({ kind: 'non_neg' }),
  },
  classNames: { MaxNorm: 'max_norm', MinMaxNorm: 'min_max_norm', UnitNorm: 'unit_norm', NonNeg: 'non_neg' },
  config: {
    max_value: { type: 'number', minimum: 0 },
    min_value: { type: 'number', minimum: 0 },
    rate: { type: 'number', minimum: 0, maximum: 1 },
    axis: { type: 'integer' },
  },
};

export function constraintSchema(description: string): Option<unknown> {
  return option(kerasObjectSchema(constraints, description, null));
}

export function constraintOf(value: unknown): ConstraintSpec | undefined {
  return resolveKerasObject(constraints, value);
}

export function describeConstraint(spec: ConstraintSpec): string {
  return spec.kind === 'non_neg' ? 'NonNeg()' : `${spec.name}(min=${spec.min}, max=${spec.max}, rate=${spec.rate}, axis=${spec.axis})`;
}

/** The in-place call that constrains `values` (a tensor of `shape`); a negative axis counts from the end. */
export function emitConstraint(ctx: EmitContext, spec: ConstraintSpec, values: Ex, shape: readonly number[]): Expr {
  if (spec.kind === 'non_neg') return call(ctx.runtime('nonNegConstraint'), values);
  const axis = spec.axis < 0 ? shape.length + spec.axis : spec.axis;
  return call(ctx.runtime('normConstraint'), values, list(...shape.map(num)), axis, spec.min, spec.max, spec.rate);
}
