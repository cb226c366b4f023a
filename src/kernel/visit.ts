// Queries over kernel IR: the names a piece of code reads (for the parameters of a hoisted
// function) and the runtime kernels it calls (the kernels a module must carry).
import type { RuntimeName } from '../runtime/index.js';
import { add, mul } from './build.js';
import type { Callee, Expr, Stmt } from './ir.js';

function visitExpr(e: Expr, onVar: (name: string) => void, onCallee: (c: Callee) => void): void {
  switch (e.kind) {
    case 'var':
      onVar(e.name);
      return;
    case 'binary':
      visitExpr(e.left, onVar, onCallee);
      visitExpr(e.right, onVar, onCallee);
      return;
    case 'unary':
      visitExpr(e.operand, onVar, onCallee);
      return;
    case 'load':
      visitExpr(e.buffer, onVar, onCallee);
      visitExpr(e.index, onVar, onCallee);
      return;
    case 'field':
      visitExpr(e.object, onVar, onCallee);
      return;
    case 'call':
      onCallee(e.callee);
      if (e.callee.kind === 'method') visitExpr(e.callee.object, onVar, onCallee);
      for (const a of e.args) visitExpr(a, onVar, onCallee);
      return;
    case 'cond':
      visitExpr(e.test, onVar, onCallee);
      visitExpr(e.then, onVar, onCallee);
      visitExpr(e.otherwise, onVar, onCallee);
      return;
    case 'new':
      for (const a of e.args) visitExpr(a, onVar, onCallee);
      return;
    case 'list':
      for (const a of e.items) visitExpr(a, onVar, onCallee);
      return;
    default:
      return;
  }
}

function visitStmts(body: readonly Stmt[], onVar: (name: string) => void, onCallee: (c: Callee) => void): void {
  const expr = (e: Expr) => visitExpr(e, onVar, onCallee);
  for (const s of body) {
    switch (s.kind) {
      case 'let':
        expr(s.init);
        break;
      case 'assign':
        expr(s.target);
        expr(s.value);
        break;
      case 'eval':
        expr(s.expr);
        break;
      case 'for':
        expr(s.from);
        expr(s.to);
        visitStmts(s.body, onVar, onCallee);
        break;
      case 'if':
        expr(s.test);
        visitStmts(s.then, onVar, onCallee);
        if (s.otherwise) visitStmts(s.otherwise, onVar, onCallee);
        break;
      case 'block':
        visitStmts(s.body, onVar, onCallee);
        break;
      case 'return':
        if (s.value) expr(s.value);
        break;
      case 'throw':
        expr(s.message);
        break;
      case 'continue':
        break;
    }
  }
}

/** Every identifier the statements read or write (declared locals included). */
export function namesIn(body: readonly Stmt[] | Expr): Set<string> {
  const found = new Set<string>();
  const onVar = (name: string) => found.add(name);
  if (Array.isArray(body)) visitStmts(body as readonly Stmt[], onVar, () => undefined);
  else visitExpr(body as Expr, onVar, () => undefined);
  return found;
}

/** The runtime kernels the statements call. */
export function runtimeCalls(body: readonly Stmt[]): Set<RuntimeName> {
  const found = new Set<RuntimeName>();
  visitStmts(body, () => undefined, (c) => {
    if (c.kind === 'runtime') found.add(c.name);
  });
  return found;
}

/** The expression with variables replaced by values, sums and products folded again (`2000 * batch`, not `(80 * batch) * 25`). */
export function substitute(e: Expr, values: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'var':
      return values.get(e.name) ?? e;
    case 'binary':
      if (e.op === '*' || e.op === '+') {
        const terms = chain(e, e.op).map((t) => substitute(t, values));
        return e.op === '*' ? mul(...terms) : add(...terms);
      }
      return { ...e, left: substitute(e.left, values), right: substitute(e.right, values) };
    case 'call':
      return { ...e, args: e.args.map((a) => substitute(a, values)) };
    default:
      return e;
  }
}

/** The operands of a chain of one associative operator: a * (b * c) * d -> [a, b, c, d]. */
function chain(e: Expr, op: '*' | '+'): Expr[] {
  return e.kind === 'binary' && e.op === op ? [...chain(e.left, op), ...chain(e.right, op)] : [e];
}
