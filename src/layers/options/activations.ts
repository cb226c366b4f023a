// The `activation` and `recurrent_activation` options: Keras 3's element-wise activations by
// name, their schema, and how each is emitted (a runtime function, Math.tanh, or nothing).
import type { Expr, Stmt } from '../../kernel/ir.js';
import { assign, at, call, ex, forRange, method, mul, stmt, withComment, type Ex } from '../../kernel/build.js';
import type { EmitContext } from '../layer.js';
import { option, type Option } from './option.js';
import type { RuntimeName } from '../../runtime/index.js';

/** Spec name -> runtime function (null for the identity). */
const activations: Readonly<Record<string, RuntimeName | null>> = {
  linear: null,
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  hard_sigmoid_keras2: 'hardSigmoidKeras2',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  silu: 'silu',
  swish: 'silu',
  hard_silu: 'hardSilu',
  hard_swish: 'hardSilu',
  gelu: 'gelu',
  exponential: 'exponential',
  leaky_relu: 'leakyRelu',
  mish: 'mish',
};

export const activationNames = Object.keys(activations);

/** Activations over the whole last axis (not element-wise): for layers whose output's last axis is their units. */
const rowActivations: Readonly<Record<string, RuntimeName>> = { softmax: 'softmaxRows', log_softmax: 'logSoftmaxRows' };

export function activationSchema(defaultName: string | null, description: string, options: { overLastAxis?: boolean } = {}): Option<string | null> {
  return option({ description, enum: [...activationNames, ...(options.overLastAxis ? Object.keys(rowActivations) : []), null], default: defaultName });
}

/** The in-place call `softmaxRows(data, rows, cols)` when the activation works over the last axis, else undefined. */
export function applyRowActivation(ctx: EmitContext, name: unknown, data: Ex, rows: Ex, cols: Ex): Expr | undefined {
  const fn = typeof name === 'string' ? rowActivations[name] : undefined;
  return fn === undefined ? undefined : call(ctx.runtime(fn), data, rows, cols);
}

/** The expression `act(x)` for an activation option value (null means linear, as in Keras). */
export function applyActivation(ctx: EmitContext, name: unknown, x: Ex): Expr {
  const fn = name === null || name === undefined ? null : activations[String(name)];
  if (fn === undefined) throw new Error(`internal: unknown activation ${String(name)}`);
  if (fn === null) return ex(x);
  return call(ctx.runtime(fn), x);
}

/** True when the activation is the identity. */
export function isLinear(name: unknown): boolean {
  return name === null || name === 'linear';
}

/**
 * Statements that apply an activation to `rows` rows of `cols` values (rows given as factors),
 * reading `from` and writing `to` (the same buffer to work in place): the row kernel (softmax
 * over the last axis), one loop over the elements, or a copy (nothing in place) for linear.
 */
export function activateRows(ctx: EmitContext, name: unknown, from: string, to: string, rows: readonly Ex[], cols: Ex): Stmt[] {
  const copy = from === to ? [] : [stmt(method(to, 'set', from))];
  if (isLinear(name)) return copy;
  const rowActivation = applyRowActivation(ctx, name, to, mul(...rows), cols);
  if (rowActivation) return [...copy, withComment(stmt(rowActivation), `${String(name)} over the last axis`)];
  return [forRange('i', 0, mul(...rows, cols), [assign(at(to, 'i'), applyActivation(ctx, name, at(from, 'i')))])];
}
