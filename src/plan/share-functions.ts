// One layer function for every call of a shared layer, where the calls' code is the same up to
// the names it reads (their buffers, states, run-time lengths): a later call then calls the
// function of the layer's first call with its own buffers. Where the code differs in anything
// else (a compiled length, a message naming the call), each call keeps a function of its own.
import { call, type Ex } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import type { KernelFunction, ParamType } from './plan.js';

/** The fields that hold a name a function binds or reads: renamed consistently, never compared. */
const NAME_FIELD: Readonly<Record<string, string>> = { var: 'name', let: 'name', for: 'index' };

/**
 * The renaming that turns `later` into `first` (later's name -> first's), or undefined when the
 * two differ in anything but names. Comments are not compared.
 */
export function renaming(first: unknown, later: unknown, names = new Map<string, string>(), back = new Map<string, string>()): Map<string, string> | undefined {
  if (typeof first !== 'object' || first === null || typeof later !== 'object' || later === null) return first === later ? names : undefined;
  if (Array.isArray(first) !== Array.isArray(later)) return undefined;
  const a = first as Record<string, unknown>;
  const b = later as Record<string, unknown>;
  const keys = Object.keys(a).filter((k) => k !== 'comments');
  if (keys.length !== Object.keys(b).filter((k) => k !== 'comments').length) return undefined;
  const nameField = typeof a.kind === 'string' ? NAME_FIELD[a.kind] : undefined;
  for (const key of keys) {
    if (!(key in b)) return undefined;
    if (key === nameField && a.kind === b.kind) {
      const [x, y] = [String(a[key]), String(b[key])];
      if ((names.get(y) ?? x) !== x || (back.get(x) ?? y) !== y) return undefined;
      names.set(y, x);
      back.set(x, y);
    } else if (!renaming(a[key], b[key], names, back)) return undefined;
  }
  return names;
}

/**
 * The call of `fn` (the first call's function) for a later call whose body is `body`, or
 * undefined when it cannot serve: the bodies differ in more than names, or an argument would have
 * another type than the parameter it fills.
 */
export function reuseFunction(fn: KernelFunction, body: readonly Stmt[], typeOf: (name: string) => ParamType | undefined): Expr | undefined {
  const names = renaming(fn.body, body);
  if (!names) return undefined;
  const inverse = new Map([...names].map(([later, first]) => [first, later]));
  const args: Ex[] = [];
  for (const p of fn.params) {
    const arg = inverse.get(p.name);
    if (arg === undefined || JSON.stringify(typeOf(arg)) !== JSON.stringify(p.type)) return undefined;
    args.push(arg);
  }
  return call(fn.name, ...args);
}
