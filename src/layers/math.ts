// Scalar helpers over kernel-IR expressions for the element-wise layers.
import type { Expr } from '../kernel/ir.js';
import { binary, call, cond, mul, sub, type Ex } from '../kernel/build.js';

export { cond, mul, sub };
export const gt = (a: Ex, b: Ex): Expr => binary('>', a, b);
export const ge = (a: Ex, b: Ex): Expr => binary('>=', a, b);
export const max = (a: Ex, b: Ex): Expr => call('Math.max', a, b);
export const min = (a: Ex, b: Ex): Expr => call('Math.min', a, b);
export const exp = (a: Ex): Expr => call('Math.exp', a);
