// The `*_regularizer` options: a Keras name (`l1`, `l2`, `l1l2`, `orthogonal_regularizer`; also
// `l1_l2`, the name of keras.regularizers.l1_l2) or `{ class_name, config }`, with Keras 3's
// defaults, and the loss each adds, emitted as a runtime call.
import type { Expr } from '../../kernel/ir.js';
import { bool, call, type Ex } from '../../kernel/build.js';
import type { EmitContext } from '../layer.js';
import { option, type Option } from './option.js';
import { kerasObjectSchema, numberOr, resolveKerasObject, type KerasObjectKind } from './keras-object.js';

export type RegularizerSpec =
  | { readonly kind: 'l1l2'; readonly l1: number; readonly l2: number }
  | { readonly kind: 'orthogonal'; readonly factor: number; readonly mode: 'rows' | 'columns' };

const regularizers: KerasObjectKind<RegularizerSpec> = {
  byName: {
    l1: (c) => ({ kind: 'l1l2', l1: numberOr(c.l1, 0.01), l2: 0 }),
    l2: (c) => ({ kind: 'l1l2', l1: 0, l2: numberOr(c.l2, 0.01) }),
    l1l2: (c) => ({ kind: 'l1l2', l1: numberOr(c.l1, 0), l2: numberOr(c.l2, 0) }),
    l1_l2: (c) => ({ kind: 'l1l2', l1: numberOr(c.l1, 0), l2: numberOr(c.l2, 0) }),
    orthogonal_regularizer: (c) => ({ kind: 'orthogonal', factor: numberOr(c.factor, 0.01), mode: c.mode === 'columns' ? 'columns' : 'rows' }),
  },
  classNames: { L1: 'l1', L2: 'l2', L1L2: 'l1l2', OrthogonalRegularizer: 'orthogonal_regularizer' },
  config: { l1: { type: 'number', minimum: 0 }, l2: { type: 'number', minimum: 0 }, factor: { type: 'number', minimum: 0 }, mode: { enum: ['rows', 'columns'] } },
};

export function regularizerSchema(description: string): Option<unknown> {
  return option(kerasObjectSchema(regularizers, description, null));
}

export function regularizerOf(value: unknown): RegularizerSpec | undefined {
  return resolveKerasObject(regularizers, value);
}

export function describeRegularizer(spec: RegularizerSpec): string {
  return spec.kind === 'l1l2' ? `L1L2(l1=${spec.l1}, l2=${spec.l2})` : `OrthogonalRegularizer(factor=${spec.factor}, mode=${spec.mode})`;
}

/** The loss of `values`, a (rows, cols) matrix (a weight's leading axes are its rows). */
export function emitRegularizerLoss(ctx: EmitContext, spec: RegularizerSpec, values: Ex, rows: Ex, cols: number): Expr {
  if (spec.kind === 'l1l2') return call(ctx.runtime('l1l2Loss'), values, spec.l1, spec.l2);
  return call(ctx.runtime('orthogonalLoss'), values, rows, cols, spec.factor, bool(spec.mode === 'rows'));
}
