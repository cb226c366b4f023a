// Builders of the kernel IR (ir.ts) that let a layer read like the math it computes.
// Convention, everywhere: a number is a literal, a string is an identifier (a name allocated by
// emit/names.ts, or a loop index), text is `str('...')`. So `concat(str('id '), 'k')` is the text
// "id " followed by the value of k.
import type { RuntimeName } from '../runtime/index.js';
import type { ArrayKind, BinaryOp, Builtin, Callee, Expr, Stmt, StmtOf, TypedArrayMethod } from './ir.js';

export type Ex = Expr | string | number;

export function ex(value: Ex): Expr {
  if (typeof value === 'number') return num(value);
  if (typeof value === 'string') return id(value);
  return value;
}

export function id(name: string): Expr {
  return { kind: 'var', name };
}

export function num(value: number): Expr {
  if (!Number.isFinite(value)) throw new Error(`internal: cannot emit the number ${value}`);
  return { kind: 'num', value };
}

export function str(value: string): Expr {
  return { kind: 'str', value };
}

export function bool(value: boolean): Expr {
  return { kind: 'bool', value };
}

export function nullLiteral(): Expr {
  return { kind: 'null' };
}

function literal(e: Expr): number | undefined {
  return e.kind === 'num' ? e.value : undefined;
}

export function binary(op: BinaryOp, left: Ex, right: Ex): Expr {
  return { kind: 'binary', op, left: ex(left), right: ex(right) };
}

/** a + b + ..., with literal zeros dropped and literals folded. */
export function add(...terms: Ex[]): Expr {
  let constant = 0;
  const rest: Expr[] = [];
  for (const t of terms.map(ex)) {
    const v = literal(t);
    if (v !== undefined) constant += v;
    else rest.push(t);
  }
  if (constant !== 0 || rest.length === 0) rest.push(num(constant));
  return rest.reduce((acc, t) => binary('+', acc, t));
}

export function sub(a: Ex, b: Ex): Expr {
  const [l, r] = [ex(a), ex(b)];
  const [lv, rv] = [literal(l), literal(r)];
  if (lv !== undefined && rv !== undefined) return num(lv - rv);
  if (rv === 0) return l;
  return binary('-', l, r);
}

/** a * b * ..., with literal ones dropped and literals folded. */
export function mul(...factors: Ex[]): Expr {
  let constant = 1;
  const rest: Expr[] = [];
  for (const t of factors.map(ex)) {
    const v = literal(t);
    if (v !== undefined) constant *= v;
    else rest.push(t);
  }
  if (constant === 0) return num(0);
  if (constant !== 1 || rest.length === 0) rest.unshift(num(constant));
  return rest.reduce((acc, t) => binary('*', acc, t));
}

export const div = (a: Ex, b: Ex): Expr => binary('/', a, b);
export const lt = (a: Ex, b: Ex): Expr => binary('<', a, b);
export const eq = (a: Ex, b: Ex): Expr => binary('===', a, b);
export const neq = (a: Ex, b: Ex): Expr => binary('!==', a, b);
export const or = (a: Ex, b: Ex): Expr => binary('||', a, b);
/** Bitwise or: of 0/1 mask values, or `x | 0` to truncate to an integer. */
export const bitOr = (a: Ex, b: Ex): Expr => binary('|', a, b);

export function not(a: Ex): Expr {
  return { kind: 'unary', op: '!', operand: ex(a) };
}

export function cond(test: Ex, then: Ex, otherwise: Ex): Expr {
  return { kind: 'cond', test: ex(test), then: ex(then), otherwise: ex(otherwise) };
}

/** `array[index]`: an element of a flat buffer. */
export function at(array: Ex, index: Ex): Expr {
  return { kind: 'load', buffer: ex(array), index: ex(index) };
}

/** `object.name`: a member of the weights or states tree. */
export function prop(object: Ex, name: string): Expr {
  return { kind: 'field', object: ex(object), name };
}

export function list(...items: Ex[]): Expr {
  return { kind: 'list', items: items.map(ex) };
}

/** A call of a runtime kernel (from ctx.runtime), a builtin, or a function of the module by name. */
export function call(fn: Callee | string, ...args: Ex[]): Expr {
  const callee: Callee = typeof fn === 'string' ? (isBuiltin(fn) ? { kind: 'builtin', name: fn } : { kind: 'function', name: fn }) : fn;
  return { kind: 'call', callee, args: args.map(ex) };
}

export function runtimeCallee(name: RuntimeName): Callee {
  return { kind: 'runtime', name };
}

const builtins = new Set<string>(['Number', 'Math.sqrt', 'Math.exp', 'Math.log', 'Math.abs', 'Math.max', 'Math.min', 'Math.tanh', 'Math.floor', 'Math.ceil']);
function isBuiltin(name: string): name is Builtin {
  return builtins.has(name);
}

/** A method of a typed array: `set`, `fill`, `subarray`. */
export function method(object: Ex, name: TypedArrayMethod, ...args: Ex[]): Expr {
  return { kind: 'call', callee: { kind: 'method', object: ex(object), name }, args: args.map(ex) };
}

export function newArray(ctor: ArrayKind, ...args: Ex[]): Expr {
  return { kind: 'new', ctor, args: args.map(ex) };
}

/** Text and values joined into one message: `concat(str('id '), 'k')`. */
export function concat(...parts: Ex[]): Expr {
  return parts.map(ex).reduce((acc, p) => binary('+', acc, p));
}

// Statements.

export function stmt(expression: Expr): Stmt {
  return { kind: 'eval', expr: expression };
}

export function assign(to: Ex, value: Ex): Stmt {
  return { kind: 'assign', target: ex(to), value: ex(value), op: '=' };
}

export function addAssign(to: Ex, value: Ex): Stmt {
  return { kind: 'assign', target: ex(to), value: ex(value), op: '+=' };
}

export function constVar(name: string, init: Ex): Stmt {
  return { kind: 'let', name, init: ex(init), mutable: false };
}

export function letVar(name: string, init: Ex): Stmt {
  return { kind: 'let', name, init: ex(init), mutable: true };
}

/** for (let i = from; i < to; i++) { body } */
export function forRange(i: string, from: Ex, to: Ex, body: readonly Stmt[]): Stmt {
  return { kind: 'for', index: i, from: ex(from), to: ex(to), body };
}

export function block(body: readonly Stmt[]): Stmt {
  return { kind: 'block', body };
}

export function ifThen(test: Ex, then: readonly Stmt[], otherwise?: readonly Stmt[]): Stmt {
  return { kind: 'if', test: ex(test), then, otherwise };
}

export function continueStatement(): Stmt {
  return { kind: 'continue' };
}

export function ret(value?: Ex): Stmt {
  return { kind: 'return', value: value === undefined ? undefined : ex(value) };
}

export function throwError(error: StmtOf<'throw'>['error'], message: Ex): Stmt {
  return { kind: 'throw', error, message: ex(message) };
}

/** The statement with `// line` comments added above it. */
export function withComment(node: Stmt, ...lines: string[]): Stmt {
  return { ...node, comments: [...(node.comments ?? []), ...lines] };
}
