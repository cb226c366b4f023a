// The WebAssembly printer of the kernel IR: one wasm function per kernel function of the plan,
// or a reason why not (then that layer stays in TypeScript, on the same buffers).
//
// Types: the IR is JavaScript's numbers; the printer infers i32 for integer arithmetic (loop
// indices, sizes, offsets, integer literals, Int32Array and Uint8Array elements, + - * % | of
// integers), f64 for everything else (as JavaScript computes), and i32 0/1 for comparisons and
// flags. Float32Array elements are loaded as f32 and promoted, stored demoted, as in JavaScript.
// An array is two i32s, its byte address and its length; a weight `weights.l.kernel` is an array
// parameter of its own. A `throw` becomes a trap, which the host answers by running the
// TypeScript path for its message.
import type { KernelFunction } from '../plan/plan.js';
import type { DType } from '../shapes/dim.js';
import type { Expr, Stmt, StmtOf } from '../kernel/ir.js';
import { namesIn } from '../kernel/visit.js';
import { FunctionBuilder, type MemName, type ModuleBuilder } from './encoder.js';
import { addKernel, kernelSigs } from './kernels.js';

/** What the host passes for each wasm parameter group, in order. */
export type WasmArg =
  | { readonly kind: 'number'; readonly name: string }
  | { readonly kind: 'boolean'; readonly name: string }
  | { readonly kind: 'array'; readonly name: string }
  | { readonly kind: 'weight'; readonly path: readonly string[] };

export interface WasmFunction {
  readonly name: string;
  readonly params: KernelFunction['params'];
  readonly args: readonly WasmArg[];
}

class Unsupported extends Error {}

type VectorLet = { readonly kind: 'vec' } | { readonly kind: 'index'; readonly terms: Expr[] };
const namesOf = (e: Expr): Set<string> => namesIn([{ kind: 'eval', expr: e }]);
const unsupported = (why: string): never => {
  throw new Unsupported(why);
};

type Scalar = 'int' | 'f64' | 'bool';
interface ArrayRef {
  readonly kind: 'array';
  readonly dtype: DType;
  ptr(): void;
  len(): void;
}
type Binding = { readonly kind: 'local'; readonly type: Scalar; readonly index: number } | ArrayRef;

const elementSize: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };
const loadOp: Record<DType, MemName> = { float32: 'f32.load', int32: 'i32.load', bool: 'i32.load8_u' };
const storeOp: Record<DType, MemName> = { float32: 'f32.store', int32: 'i32.store', bool: 'i32.store8' };
const shift: Record<DType, number> = { float32: 2, int32: 2, bool: 0 };

/** The weight path of `weights.a.b`, or undefined. */
function weightPath(e: Expr): string[] | undefined {
  if (e.kind === 'var') return e.name === 'weights' ? [] : undefined;
  if (e.kind !== 'field') return undefined;
  const base = weightPath(e.object);
  return base === undefined ? undefined : [...base, e.name];
}

function collectWeights(body: readonly Stmt[], into: Set<string>, lowered: ReadonlyMap<string, WasmFunction>): void {
  const expr = (e: Expr | undefined): void => {
    if (e === undefined) return;
    const path = weightPath(e);
    if (path !== undefined && path.length > 0) {
      into.add(path.join('.'));
      return;
    }
    switch (e.kind) {
      case 'binary': expr(e.left); expr(e.right); return;
      case 'unary': expr(e.operand); return;
      case 'load': expr(e.buffer); expr(e.index); return;
      case 'field': expr(e.object); return;
      case 'cond': expr(e.test); expr(e.then); expr(e.otherwise); return;
      case 'call':
        if (e.callee.kind === 'method') expr(e.callee.object);
        if (e.callee.kind === 'function') for (const a of lowered.get(e.callee.name)?.args ?? []) if (a.kind === 'weight') into.add(a.path.join('.'));
        e.args.forEach(expr);
        return;
      case 'new': e.args.forEach(expr); return;
      case 'list': e.items.forEach(expr); return;
      default: return;
    }
  };
  for (const s of body) {
    switch (s.kind) {
      case 'let': expr(s.init); break;
      case 'assign': expr(s.target); expr(s.value); break;
      case 'eval': expr(s.expr); break;
      case 'for': expr(s.from); expr(s.to); collectWeights(s.body, into, lowered); break;
      case 'if': expr(s.test); collectWeights(s.then, into, lowered); if (s.otherwise) collectWeights(s.otherwise, into, lowered); break;
      case 'block': collectWeights(s.body, into, lowered); break;
      case 'return': expr(s.value); break;
      default: break;
    }
  }
}

/** Print one kernel function into the module, or say why it cannot be. */
export function printWasmFunction(m: ModuleBuilder, k: KernelFunction, lowered: ReadonlyMap<string, WasmFunction>): WasmFunction | string {
  try {
    return new FunctionPrinter(m, k, lowered).print();
  } catch (error) {
    if (error instanceof Unsupported) return error.message;
    throw error;
  }
}

class FunctionPrinter {
  private readonly args: WasmArg[] = [];
  private readonly f: FunctionBuilder;
  private readonly scopes: Map<string, Binding>[] = [new Map()];
  private readonly weights = new Map<string, ArrayRef>();
  /** Open structured blocks, innermost last: 'continue' marks the block a `continue` leaves. */
  private readonly labels: ('other' | 'continue')[] = [];
  /** Types of `let`s, by statement, found before printing (a let assigned an f64 is f64). */
  private readonly letTypes = new Map<Stmt, Scalar>();

  constructor(private readonly m: ModuleBuilder, private readonly k: KernelFunction, private readonly lowered: ReadonlyMap<string, WasmFunction>) {
    const params: ('i32' | 'f64')[] = [];
    const scope = this.scopes[0]!;
    const arrayAt = (index: number, dtype: DType): ArrayRef => ({ kind: 'array', dtype, ptr: () => this.f.get(index), len: () => this.f.get(index + 1) });
    const weightLeaves = new Set<string>();
    for (const p of k.params) {
      switch (p.type.kind) {
        case 'number':
          scope.set(p.name, { kind: 'local', type: 'int', index: params.length });
          params.push('i32');
          this.args.push({ kind: 'number', name: p.name });
          break;
        case 'boolean':
          scope.set(p.name, { kind: 'local', type: 'bool', index: params.length });
          params.push('i32');
          this.args.push({ kind: 'boolean', name: p.name });
          break;
        case 'array':
          scope.set(p.name, arrayAt(params.length, p.type.dtype));
          params.push('i32', 'i32');
          this.args.push({ kind: 'array', name: p.name });
          break;
        case 'weights':
          collectWeights(k.body, weightLeaves, lowered);
          for (const path of [...weightLeaves].sort()) {
            this.weights.set(path, arrayAt(params.length, 'float32'));
            params.push('i32', 'i32');
            this.args.push({ kind: 'weight', path: path.split('.') });
          }
          break;
        case 'rng':
          unsupported('it draws dropout masks (a random generator)');
      }
    }
    this.f = new FunctionBuilder(params, []);
  }

  print(): WasmFunction {
    this.inferLets(this.k.body);
    this.stmts(this.k.body);
    this.m.define(this.k.name, this.f, true);
    return { name: this.k.name, params: this.k.params, args: this.args };
  }

  // Scopes.
  private lookup(name: string): Binding {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i]!.get(name);
      if (b) return b;
    }
    return unsupported(`it reads "${name}", which the WebAssembly printer does not know`);
  }
  private scoped(body: () => void): void {
    this.scopes.push(new Map());
    body();
    this.scopes.pop();
  }

  // Typing.
  private inferLets(body: readonly Stmt[]): void {
    // Twice over: a let assigned an f64 anywhere becomes f64, which may make other lets f64.
    for (let round = 0; round < 3; round++) {
      const before = [...this.letTypes.values()].join();
      this.scopes.push(new Map());
      this.walkTypes(body);
      this.scopes.pop();
      if ([...this.letTypes.values()].join() === before && round > 0) break;
    }
  }
  private walkTypes(body: readonly Stmt[]): void {
    const declared = new Map<string, Stmt>();
    for (const s of body) {
      if (s.kind === 'let') {
        const array = this.arrayOf(s.init);
        if (array) this.scopes[this.scopes.length - 1]!.set(s.name, array);
        else {
          const t = this.letTypes.get(s) ?? this.typeOf(s.init);
          const joined = this.letTypes.get(s) === 'f64' || t === 'f64' ? 'f64' : t;
          this.letTypes.set(s, joined);
          this.scopes[this.scopes.length - 1]!.set(s.name, { kind: 'local', type: joined, index: -1 });
          declared.set(s.name, s);
        }
      } else if (s.kind === 'assign' && s.target.kind === 'var') {
        const owner = this.findLet(s.target.name, declared);
        if (owner && this.typeOf(s.value) === 'f64') {
          this.letTypes.set(owner, 'f64');
        }
      } else if (s.kind === 'for') {
        this.scopes.push(new Map([[s.index, { kind: 'local', type: 'int', index: -1 }]]));
        this.walkTypes(s.body);
        this.scopes.pop();
      } else if (s.kind === 'if') {
        this.scopes.push(new Map());
        this.walkTypes(s.then);
        this.scopes.pop();
        this.scopes.push(new Map());
        if (s.otherwise) this.walkTypes(s.otherwise);
        this.scopes.pop();
      } else if (s.kind === 'block') {
        this.scopes.push(new Map());
        this.walkTypes(s.body);
        this.scopes.pop();
      }
    }
  }
  private findLet(name: string, local: Map<string, Stmt>): Stmt | undefined {
    // The innermost let of that name seen so far (this block's, else any earlier one).
    const own = local.get(name);
    if (own) return own;
    let found: Stmt | undefined;
    for (const [s] of this.letTypes) if (s.kind === 'let' && s.name === name) found = s;
    return found;
  }

  private typeOf(e: Expr): Scalar {
    switch (e.kind) {
      case 'num':
        return Number.isInteger(e.value) && Math.abs(e.value) < 2 ** 31 && !Object.is(e.value, -0) ? 'int' : 'f64';
      case 'bool':
        return 'bool';
      case 'var': {
        const b = this.lookup(e.name);
        return b.kind === 'local' ? b.type : unsupported(`it uses the array "${e.name}" as a number`);
      }
      case 'binary': {
        const [l, r] = [this.typeOf(e.left), this.typeOf(e.right)];
        switch (e.op) {
          case '+': case '-': case '*':
            return l !== 'f64' && r !== 'f64' ? 'int' : 'f64';
          case '/':
            return 'f64';
          case '%':
            return l !== 'f64' && r !== 'f64' ? 'int' : unsupported('a remainder of non-integers');
          case '|':
            return 'int';
          case '&&': case '||':
            return l === 'bool' && r === 'bool' ? 'bool' : unsupported(`${e.op} on values that are not flags`);
          case '===': case '!==':
            if (e.left.kind === 'null' || e.right.kind === 'null') unsupported('a comparison with null');
            return 'bool';
          default:
            return 'bool';
        }
      }
      case 'unary':
        return e.op === '!' ? 'bool' : this.typeOf(e.operand) === 'f64' ? 'f64' : 'int';
      case 'load': {
        const a = this.arrayOf(e.buffer) ?? unsupported('a load from something that is not an array');
        return a.dtype === 'float32' ? 'f64' : 'int';
      }
      case 'field':
        if (e.name === 'length' && this.arrayOf(e.object)) return 'int';
        return unsupported(`the field ${e.name}`);
      case 'call': {
        const c = e.callee;
        if (c.kind === 'runtime') {
          const sig = kernelSigs[c.name] ?? unsupported(`the runtime kernel ${c.name} has no WebAssembly version`);
          return sig.result === 'f64' ? 'f64' : 'int';
        }
        if (c.kind === 'builtin') return c.name === 'Number' ? (this.typeOf(e.args[0]!) === 'f64' ? 'f64' : 'int') : 'f64';
        return 'int';
      }
      case 'cond': {
        const [a, b] = [this.typeOf(e.then), this.typeOf(e.otherwise)];
        return a === 'f64' || b === 'f64' ? 'f64' : a === 'bool' && b === 'bool' ? 'bool' : 'int';
      }
      default:
        return unsupported(`a ${e.kind} expression`);
    }
  }

  /** The array an expression denotes, or undefined when it is a number. */
  private arrayOf(e: Expr): ArrayRef | undefined {
    if (e.kind === 'var') {
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const b = this.scopes[i]!.get(e.name);
        if (b) return b.kind === 'array' ? b : undefined;
      }
      return undefined;
    }
    if (e.kind === 'field') {
      const path = weightPath(e);
      if (path !== undefined && path.length > 0) return this.weights.get(path.join('.')) ?? unsupported(`the weight ${path.join('.')}`);
      return undefined;
    }
    if (e.kind === 'call' && e.callee.kind === 'method' && e.callee.name === 'subarray') {
      const base = this.arrayOf(e.callee.object) ?? unsupported('subarray of a non-array');
      const [from, to] = e.args;
      return {
        kind: 'array',
        dtype: base.dtype,
        ptr: () => {
          base.ptr();
          this.expr(from!, 'int');
          if (shift[base.dtype] > 0) this.f.i32(shift[base.dtype]).op('i32.shl');
          this.f.op('i32.add');
        },
        len: () => {
          if (to === undefined) base.len();
          else this.expr(to, 'int');
          this.expr(from!, 'int');
          this.f.op('i32.sub');
        },
      };
    }
    return undefined;
  }

  // Expressions: emit e's value as `want` ('int' and 'bool' are both i32).
  private expr(e: Expr, want: Scalar): void {
    const have = this.typeOf(e);
    this.raw(e, have);
    this.convert(have, want);
  }
  private convert(have: Scalar, want: Scalar): void {
    if (want === 'f64' && have !== 'f64') this.f.op('f64.convert_i32_s');
    else if (want !== 'f64' && have === 'f64') {
      if (want === 'bool') {
        // JavaScript truthiness of a number: neither 0 nor NaN.
        this.f.op('f64.abs').f64(0).op('f64.gt');
      } else this.f.op('i32.trunc_sat_f64_s');
    } else if (want === 'bool' && have === 'int') this.f.i32(0).op('i32.ne');
  }
  /** A test: any i32 works as a flag. */
  private test(e: Expr): void {
    const t = this.typeOf(e);
    this.raw(e, t);
    if (t === 'f64') this.convert('f64', 'bool');
  }
  private address(a: ArrayRef, index: Expr): number {
    // A literal term of the index goes into the instruction's offset.
    let constant = 0;
    let rest: Expr | undefined = index;
    if (index.kind === 'num' && Number.isInteger(index.value) && index.value >= 0) (constant = index.value), (rest = undefined);
    else if (index.kind === 'binary' && index.op === '+' && index.right.kind === 'num' && Number.isInteger(index.right.value) && index.right.value >= 0 && this.typeOf(index.left) === 'int')
      (constant = index.right.value), (rest = index.left);
    a.ptr();
    if (rest !== undefined) {
      this.expr(rest, 'int');
      if (shift[a.dtype] > 0) this.f.i32(shift[a.dtype]).op('i32.shl');
      this.f.op('i32.add');
    }
    return constant * elementSize[a.dtype];
  }
  private raw(e: Expr, type: Scalar): void {
    const f = this.f;
    switch (e.kind) {
      case 'num':
        if (type === 'f64') f.f64(e.value);
        else f.i32(e.value);
        return;
      case 'bool':
        f.i32(e.value ? 1 : 0);
        return;
      case 'var': {
        const b = this.lookup(e.name);
        if (b.kind !== 'local') unsupported('an array as a number');
        f.get((b as { index: number }).index);
        return;
      }
      case 'binary':
        return this.binary(e, type);
      case 'unary':
        if (e.op === '!') {
          this.test(e.operand);
          f.op('i32.eqz');
        } else if (type === 'f64') {
          this.expr(e.operand, 'f64');
          f.op('f64.neg');
        } else {
          f.i32(0);
          this.expr(e.operand, 'int');
          f.op('i32.sub');
        }
        return;
      case 'load': {
        const a = this.arrayOf(e.buffer)!;
        const offset = this.address(a, e.index);
        f.mem(loadOp[a.dtype], offset);
        if (a.dtype === 'float32') f.op('f64.promote_f32');
        return;
      }
      case 'field': {
        this.arrayOf(e.object)!.len();
        return;
      }
      case 'call':
        return this.call(e, true);
      case 'cond':
        this.test(e.test);
        f.open('if', type === 'f64' ? 'f64' : 'i32');
        this.labels.push('other');
        this.expr(e.then, type);
        f.op('else');
        this.expr(e.otherwise, type);
        f.end();
        this.labels.pop();
        return;
      default:
        unsupported(`a ${e.kind} expression`);
    }
  }
  private binary(e: Extract<Expr, { kind: 'binary' }>, type: Scalar): void {
    const f = this.f;
    const op = e.op;
    if (op === '&&' || op === '||') {
      // Short-circuit, as in JavaScript: the right side may read past an array where the left is false.
      this.test(e.left);
      f.open('if', 'i32');
      this.labels.push('other');
      if (op === '&&') {
        this.test(e.right);
        f.op('else').i32(0);
      } else {
        f.i32(1).op('else');
        this.test(e.right);
      }
      f.end();
      this.labels.pop();
      return;
    }
    const [l, r] = [this.typeOf(e.left), this.typeOf(e.right)];
    const float = l === 'f64' || r === 'f64';
    const operands = (t: Scalar) => {
      this.expr(e.left, t);
      this.expr(e.right, t);
    };
    switch (op) {
      case '+': case '-': case '*': {
        if (type === 'f64') {
          operands('f64');
          f.op(op === '+' ? 'f64.add' : op === '-' ? 'f64.sub' : 'f64.mul');
        } else {
          operands('int');
          f.op(op === '+' ? 'i32.add' : op === '-' ? 'i32.sub' : 'i32.mul');
        }
        return;
      }
      case '/':
        operands('f64');
        f.op('f64.div');
        return;
      case '%':
        operands('int');
        f.op('i32.rem_s');
        return;
      case '|':
        operands('int');
        f.op('i32.or');
        return;
      default: {
        const cmp = float
          ? ({ '<': 'f64.lt', '<=': 'f64.le', '>': 'f64.gt', '>=': 'f64.ge', '===': 'f64.eq', '!==': 'f64.ne' } as const)[op]
          : ({ '<': 'i32.lt_s', '<=': 'i32.le_s', '>': 'i32.gt_s', '>=': 'i32.ge_s', '===': 'i32.eq', '!==': 'i32.ne' } as const)[op];
        operands(float ? 'f64' : 'int');
        f.op(cmp);
      }
    }
  }

  /** A call; `value`: its result is used (else a result is dropped). */
  private call(e: Extract<Expr, { kind: 'call' }>, value: boolean): void {
    const f = this.f;
    const c = e.callee;
    if (c.kind === 'builtin') {
      const unaryOps = { 'Math.sqrt': 'f64.sqrt', 'Math.abs': 'f64.abs', 'Math.floor': 'f64.floor' } as const;
      if (c.name === 'Number') {
        const t = this.typeOf(e.args[0]!);
        this.raw(e.args[0]!, t);
      } else if (c.name in unaryOps) {
        this.expr(e.args[0]!, 'f64');
        f.op(unaryOps[c.name as keyof typeof unaryOps]);
      } else if (c.name === 'Math.max' || c.name === 'Math.min') {
        if (e.args.length === 0) unsupported('Math.max()');
        this.expr(e.args[0]!, 'f64');
        for (const a of e.args.slice(1)) {
          this.expr(a, 'f64');
          f.op(c.name === 'Math.max' ? 'f64.max' : 'f64.min');
        }
      } else unsupported(`the builtin ${c.name}`);
      if (!value) f.op('drop');
      return;
    }
    if (c.kind === 'runtime') {
      const sig = kernelSigs[c.name] ?? unsupported(`the runtime kernel ${c.name} has no WebAssembly version`);
      if (sig.args.length !== e.args.length) unsupported(`${c.name} with ${e.args.length} arguments`);
      sig.args.forEach((kind, i) => {
        const a = e.args[i]!;
        if (kind === 'ptr' || kind === 'ptr?') {
          if (a.kind === 'null' && kind === 'ptr?') f.i32(-1);
          else {
            const arr = this.arrayOf(a) ?? unsupported(`${c.name}: argument ${i} is not an array`);
            if (arr.dtype !== 'float32') unsupported(`${c.name} on a ${arr.dtype} array`);
            arr.ptr();
          }
        } else this.expr(a, kind === 'f64' ? 'f64' : 'int');
      });
      f.call(addKernel(this.m, c.name));
      if (sig.result && !value) f.op('drop');
      if (!sig.result && value) unsupported(`the value of ${c.name}`);
      return;
    }
    if (c.kind === 'function') {
      const callee = this.lowered.get(c.name) ?? unsupported(`it calls ${c.name}, which is not in WebAssembly`);
      const target = this.m.declare(c.name);
      // The IR passes the callee's parameters in order; its `weights` becomes its weight arrays.
      callee.params.forEach((p, i) => {
        const arg = e.args[i] ?? unsupported(`a call of ${c.name} with too few arguments`);
        if (p.type.kind === 'weights') {
          for (const a of callee.args) {
            if (a.kind !== 'weight') continue;
            const w = this.weights.get(a.path.join('.')) ?? unsupported(`the weight ${a.path.join('.')}`);
            w.ptr();
            w.len();
          }
        } else if (p.type.kind === 'array') {
          const arr = this.arrayOf(arg) ?? unsupported(`${c.name}: ${p.name} is not an array`);
          arr.ptr();
          arr.len();
        } else this.expr(arg, p.type.kind === 'boolean' ? 'bool' : 'int');
      });
      f.call(target);
      if (value) unsupported(`the value of ${c.name}`);
      return;
    }
    // Typed-array methods.
    const target = this.arrayOf(c.object) ?? unsupported(`${c.name} on a non-array`);
    const size = elementSize[target.dtype];
    const sh = shift[target.dtype];
    const scaled = (emit: () => void) => {
      emit();
      if (sh > 0) f.i32(sh).op('i32.shl');
    };
    if (c.name === 'fill') {
      const [v, from, to] = e.args;
      const start = () => (from === undefined ? f.i32(0) : this.expr(from, 'int'));
      const end = () => (to === undefined ? target.len() : this.expr(to, 'int'));
      const zero = v!.kind === 'num' && v.value === 0 && !Object.is(v.value, -0);
      if (zero || target.dtype === 'bool') {
        // memory.fill(address of start, byte, bytes)
        target.ptr();
        scaled(start);
        f.op('i32.add');
        if (zero) f.i32(0);
        else this.expr(v!, 'int');
        scaled(end);
        scaled(start);
        f.op('i32.sub');
        f.op('memory.fill');
      } else {
        const i = f.local('i32');
        start();
        f.set(i);
        f.open('block').open('loop');
        f.get(i);
        end();
        f.op('i32.ge_s').op('br_if', 1);
        target.ptr();
        f.get(i);
        if (sh > 0) f.i32(sh).op('i32.shl');
        f.op('i32.add');
        if (target.dtype === 'float32') {
          this.expr(v!, 'f64');
          f.op('f32.demote_f64');
        } else this.expr(v!, 'int');
        f.mem(storeOp[target.dtype]);
        f.get(i).i32(1).op('i32.add').set(i).op('br', 0);
        f.end().end();
      }
      if (value) unsupported('the value of fill()');
      return;
    }
    if (c.name === 'set') {
      const [src, offset] = e.args;
      const source = this.arrayOf(src!) ?? unsupported('set() from a non-array');
      if (source.dtype !== target.dtype) unsupported('set() across element types');
      target.ptr();
      if (offset !== undefined) {
        scaled(() => this.expr(offset, 'int'));
        f.op('i32.add');
      }
      source.ptr();
      scaled(() => source.len());
      f.op('memory.copy');
      if (value) unsupported('the value of set()');
      return;
    }
    unsupported(`the method ${c.name} as a statement`);
    void size;
  }

  // Vectorization: a for loop whose body is lets and stores of float32 arithmetic, sigmoid, tanh,
  // min, max and abs on elements at (invariant + index + constant): four lanes of f32x4 per
  // iteration. The lanes compute in float32 where the scalar path computes in float64 and rounds
  // at each store: within 1e-6 relative (test/emit-wasm).

  /** The terms of an index that is (invariant terms) + index (+ constants), or undefined. */
  private affine(e: Expr, loop: string, lets: ReadonlyMap<string, VectorLet>): Expr[] | undefined {
    if (e.kind === 'var' && e.name === loop) return [e];
    if (e.kind === 'var' && lets.has(e.name)) {
      const l = lets.get(e.name)!;
      return l.kind === 'index' ? l.terms : undefined;
    }
    if (e.kind === 'binary' && e.op === '+') {
      const [a, b] = [this.affine(e.left, loop, lets), this.affine(e.right, loop, lets)];
      return a && b ? [...a, ...b] : undefined;
    }
    const reads = [...namesOf(e)];
    if (reads.includes(loop) || reads.some((n) => lets.has(n))) return undefined;
    return this.typeOf(e) === 'int' ? [e] : undefined;
  }
  private isIndex(terms: Expr[] | undefined, loop: string): terms is Expr[] {
    return terms !== undefined && terms.filter((t) => t.kind === 'var' && t.name === loop).length === 1;
  }
  private vectorValue(e: Expr, loop: string, lets: ReadonlyMap<string, VectorLet>): boolean {
    switch (e.kind) {
      case 'num':
        return true;
      case 'var': {
        if (e.name === loop) return false;
        const l = lets.get(e.name);
        if (l) return l.kind === 'vec';
        const b = this.lookup(e.name);
        return b.kind === 'local';
      }
      case 'load': {
        const a = this.arrayOf(e.buffer);
        if (!a || a.dtype !== 'float32' || [...namesOf(e.buffer)].some((n) => n === loop || lets.has(n))) return false;
        return this.isIndex(this.affine(e.index, loop, lets), loop);
      }
      case 'binary':
        return ['+', '-', '*', '/'].includes(e.op) && this.vectorValue(e.left, loop, lets) && this.vectorValue(e.right, loop, lets);
      case 'unary':
        return e.op === '-' && this.vectorValue(e.operand, loop, lets);
      case 'call':
        if (e.callee.kind === 'runtime' && (e.callee.name === 'sigmoid' || e.callee.name === 'tanh')) return e.args.length === 1 && this.vectorValue(e.args[0]!, loop, lets);
        if (e.callee.kind === 'builtin' && ['Math.max', 'Math.min', 'Math.abs'].includes(e.callee.name)) return e.args.length >= 1 && e.args.every((a) => this.vectorValue(a, loop, lets));
        return false;
      default:
        return false;
    }
  }
  /** The lets of a vectorizable loop body, or undefined. */
  private vectorPlan(s: StmtOf<'for'>): Map<string, VectorLet> | undefined {
    try {
      return this.tryVectorPlan(s);
    } catch (error) {
      if (error instanceof Unsupported) return undefined;
      throw error;
    }
  }
  private tryVectorPlan(s: StmtOf<'for'>): Map<string, VectorLet> | undefined {
    const lets = new Map<string, VectorLet>();
    const stores = new Map<string, string>();
    const loads: { buffer: string; key: string }[] = [];
    const key = (terms: Expr[]) => JSON.stringify(terms.filter((t) => !(t.kind === 'var' && t.name === s.index)).map((t) => (t.kind === 'num' ? `#${t.value}` : JSON.stringify(t))).sort());
    const collectLoads = (e: Expr): void => {
      if (e.kind === 'load' && e.buffer.kind === 'var') loads.push({ buffer: e.buffer.name, key: key(this.affine(e.index, s.index, lets)!) });
      for (const v of Object.values(e)) if (v && typeof v === 'object' && 'kind' in (v as object)) collectLoads(v as Expr);
      if (e.kind === 'call') e.args.forEach(collectLoads);
    };
    for (const st of s.body) {
      if (st.kind === 'let') {
        if (lets.has(st.name)) return undefined;
        const terms = this.affine(st.init, s.index, lets);
        if (terms && terms.some((t) => t.kind === 'var' && t.name === s.index)) {
          lets.set(st.name, { kind: 'index', terms });
          continue;
        }
        if (!this.vectorValue(st.init, s.index, lets)) return undefined;
        collectLoads(st.init);
        lets.set(st.name, { kind: 'vec' });
      } else if (st.kind === 'assign' && st.target.kind === 'load' && st.target.buffer.kind === 'var') {
        const a = this.arrayOf(st.target.buffer);
        const terms = this.affine(st.target.index, s.index, lets);
        if (!a || a.dtype !== 'float32' || !this.isIndex(terms, s.index) || !this.vectorValue(st.value, s.index, lets)) return undefined;
        collectLoads(st.value);
        stores.set(st.target.buffer.name, key(terms));
      } else return undefined;
    }
    // A buffer written at one offset and read at another would carry values across lanes.
    for (const l of loads) if (stores.has(l.buffer) && stores.get(l.buffer) !== l.key) return undefined;
    if (stores.size === 0) return undefined;
    return lets;
  }
  private vectorLoop(s: StmtOf<'for'>, i: number, lets: Map<string, VectorLet>): void {
    const f = this.f;
    const locals = new Map<string, number>();
    const address = (buffer: Expr, index: Expr): number => {
      const a = this.arrayOf(buffer)!;
      const terms = this.affine(index, s.index, lets)!;
      let constant = 0;
      a.ptr();
      for (const t of terms) {
        if (t.kind === 'num') {
          constant += t.value;
          continue;
        }
        if (t.kind === 'var' && t.name === s.index) f.get(i);
        else this.expr(t, 'int');
        f.i32(2).op('i32.shl').op('i32.add');
      }
      if (constant >= 0) return constant * 4;
      f.i32(constant * 4).op('i32.add');
      return 0;
    };
    const value = (e: Expr): void => {
      switch (e.kind) {
        case 'num':
          f.f32x4(e.value);
          return;
        case 'var': {
          const local = locals.get(e.name);
          if (local !== undefined) {
            f.get(local);
            return;
          }
          const t = this.typeOf(e);
          this.raw(e, t);
          f.op(t === 'f64' ? 'f32.demote_f64' : 'f32.convert_i32_s').op('f32x4.splat');
          return;
        }
        case 'load':
          f.mem('v128.load', address(e.buffer, e.index));
          return;
        case 'binary':
          value(e.left);
          value(e.right);
          f.op(({ '+': 'f32x4.add', '-': 'f32x4.sub', '*': 'f32x4.mul', '/': 'f32x4.div' } as const)[e.op as '+']);
          return;
        case 'unary':
          value(e.operand);
          f.op('f32x4.neg');
          return;
        case 'call': {
          const name = e.callee.kind === 'runtime' || e.callee.kind === 'builtin' ? e.callee.name : '';
          if (name === 'sigmoid' || name === 'tanh') {
            value(e.args[0]!);
            f.call(addKernel(this.m, name === 'sigmoid' ? 'vsigmoid' : 'vtanh'));
          } else if (name === 'Math.abs') {
            value(e.args[0]!);
            f.op('f32x4.abs');
          } else {
            value(e.args[0]!);
            for (const a of e.args.slice(1)) {
              value(a);
              f.op(name === 'Math.max' ? 'f32x4.max' : 'f32x4.min');
            }
          }
          return;
        }
        default:
          throw new Error(`internal: vectorizing a ${e.kind}`);
      }
    };
    f.open('block').open('loop');
    f.get(i).i32(4).op('i32.add');
    this.expr(s.to, 'int');
    f.op('i32.gt_s').op('br_if', 1);
    for (const st of s.body) {
      if (st.kind === 'let') {
        if (lets.get(st.name)!.kind === 'index') continue;
        const local = f.local('v128');
        value(st.init);
        f.set(local);
        locals.set(st.name, local);
      } else if (st.kind === 'assign' && st.target.kind === 'load') {
        const addr = f.local('i32');
        const offset = address(st.target.buffer, st.target.index);
        f.tee(addr);
        if (st.op === '+=') f.get(addr).mem('v128.load', offset);
        value(st.value);
        if (st.op === '+=') f.op('f32x4.add');
        f.mem('v128.store', offset);
      }
    }
    f.get(i).i32(4).op('i32.add').set(i).op('br', 0);
    f.end().end();
  }

  // Statements.
  private stmts(body: readonly Stmt[]): void {
    for (const s of body) this.stmt(s);
  }
  private stmt(s: Stmt): void {
    const f = this.f;
    const scope = this.scopes[this.scopes.length - 1]!;
    switch (s.kind) {
      case 'let': {
        const array = this.arrayOf(s.init);
        if (array) {
          // An array alias (a subarray): its address and length in locals.
          const [p, n] = [f.local('i32'), f.local('i32')];
          array.ptr();
          f.set(p);
          array.len();
          f.set(n);
          scope.set(s.name, { kind: 'array', dtype: array.dtype, ptr: () => f.get(p), len: () => f.get(n) });
          return;
        }
        const type = this.letTypes.get(s) ?? this.typeOf(s.init);
        const index = f.local(type === 'f64' ? 'f64' : 'i32');
        this.expr(s.init, type);
        f.set(index);
        scope.set(s.name, { kind: 'local', type, index });
        return;
      }
      case 'assign': {
        if (s.target.kind === 'var') {
          const b = this.lookup(s.target.name);
          if (b.kind !== 'local') return unsupported('an assignment to an array');
          if (s.op === '+=') {
            const t = b.type === 'f64' || this.typeOf(s.value) === 'f64' ? 'f64' : 'int';
            f.get(b.index);
            this.convert(b.type, t);
            this.expr(s.value, t);
            f.op(t === 'f64' ? 'f64.add' : 'i32.add');
            this.convert(t, b.type);
          } else this.expr(s.value, b.type);
          f.set(b.index);
          return;
        }
        if (s.target.kind !== 'load') return unsupported('an assignment to a field');
        const a = this.arrayOf(s.target.buffer) ?? unsupported('a store into a non-array');
        const addr = f.local('i32');
        const offset = this.address(a, s.target.index);
        f.tee(addr);
        if (s.op === '+=') {
          f.get(addr).mem(loadOp[a.dtype], offset);
          if (a.dtype === 'float32') {
            f.op('f64.promote_f32');
            this.expr(s.value, 'f64');
            f.op('f64.add');
          } else {
            this.expr(s.value, 'int');
            f.op('i32.add');
          }
        } else this.expr(s.value, a.dtype === 'float32' ? 'f64' : 'int');
        if (a.dtype === 'float32') f.op('f32.demote_f64');
        f.mem(storeOp[a.dtype], offset);
        return;
      }
      case 'eval':
        if (s.expr.kind !== 'call') return unsupported('an expression statement that is not a call');
        return this.call(s.expr, false);
      case 'for': {
        this.scoped(() => {
          const i = f.local('i32');
          this.expr(s.from, 'int');
          f.set(i);
          this.scopes[this.scopes.length - 1]!.set(s.index, { kind: 'local', type: 'int', index: i });
          // A unit-stride loop of float32 math runs four lanes at a time first; the scalar loop below finishes.
          const plan = this.typeOf(s.to) === 'int' ? this.vectorPlan(s) : undefined;
          if (plan) this.vectorLoop(s, i, plan);
          f.open('block').open('loop');
          this.labels.push('other', 'other');
          // exit unless index < to (compared as JavaScript would: in f64 when `to` is not an integer)
          const toType = this.typeOf(s.to);
          if (toType === 'f64') {
            f.get(i).op('f64.convert_i32_s');
            this.expr(s.to, 'f64');
            f.op('f64.lt');
          } else {
            f.get(i);
            this.expr(s.to, 'int');
            f.op('i32.lt_s');
          }
          f.op('i32.eqz').op('br_if', 1);
          f.open('block');
          this.labels.push('continue');
          this.stmts(s.body);
          f.end();
          this.labels.pop();
          f.get(i).i32(1).op('i32.add').set(i).op('br', 0);
          f.end().end();
          this.labels.pop();
          this.labels.pop();
        });
        return;
      }
      case 'if':
        this.test(s.test);
        f.open('if');
        this.labels.push('other');
        this.scoped(() => this.stmts(s.then));
        if (s.otherwise && s.otherwise.length > 0) {
          f.op('else');
          this.scoped(() => this.stmts(s.otherwise!));
        }
        f.end();
        this.labels.pop();
        return;
      case 'block':
        this.scoped(() => this.stmts(s.body));
        return;
      case 'continue': {
        const depth = this.labels.length - 1 - this.labels.lastIndexOf('continue');
        if (this.labels.lastIndexOf('continue') < 0) unsupported('continue outside a loop');
        f.op('br', depth);
        return;
      }
      case 'return':
        if (s.value !== undefined) unsupported('a return with a value');
        f.op('return');
        return;
      case 'throw':
        f.op('unreachable');
        return;
    }
  }
}
