// The kernel IR: what a layer computes, independent of the language it is printed in. Layers
// build it through the helpers in build.ts; printers (emit/print-kernel.ts for TypeScript, and a
// WebAssembly printer next) lower it. It is deliberately small: loops over integer ranges, loads
// and stores into named flat buffers at index expressions, scalar arithmetic, calls to runtime
// kernels, a few typed-array methods (set, fill), and structured control flow.
//
// Identifiers and literals are distinct node kinds: `var` names a local, a buffer, a parameter or
// a size; `str` is text (only in error messages). No node carries target syntax.
import type { RuntimeName } from '../runtime/index.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '===' | '!==' | '&&' | '||' | '|';
export type UnaryOp = '-' | '!';

/** What a call calls: a runtime kernel (copied into the module), a builtin, a hoisted function, or a method of a typed array. */
export type Callee =
  | { readonly kind: 'runtime'; readonly name: RuntimeName }
  | { readonly kind: 'builtin'; readonly name: Builtin }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'method'; readonly object: Expr; readonly name: TypedArrayMethod };

/** Builtins of the host that kernels may call: each has a WebAssembly equivalent or import. */
export type Builtin = 'Number' | 'Math.sqrt' | 'Math.exp' | 'Math.log' | 'Math.abs' | 'Math.max' | 'Math.min' | 'Math.tanh' | 'Math.floor' | 'Math.ceil';
export type TypedArrayMethod = 'set' | 'fill' | 'subarray';
export type ArrayKind = 'Float32Array' | 'Int32Array' | 'Uint8Array';

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr }
  /** `buffer[index]`: an element of a flat buffer. */
  | { readonly kind: 'load'; readonly buffer: Expr; readonly index: Expr }
  /** `object.name`: a weight in the weights tree (`weights.lstm.kernel`), a state, a buffer's length. */
  | { readonly kind: 'field'; readonly object: Expr; readonly name: string }
  | { readonly kind: 'call'; readonly callee: Callee; readonly args: readonly Expr[] }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr }
  | { readonly kind: 'new'; readonly ctor: ArrayKind; readonly args: readonly Expr[] }
  /** A list of values: the dimensions passed to a runtime kernel. */
  | { readonly kind: 'list'; readonly items: readonly Expr[] };

/** Every statement may carry comment lines, printed above it. */
interface Commented {
  readonly comments?: readonly string[];
}

export type Stmt = Commented &
  (
    | { readonly kind: 'let'; readonly name: string; readonly init: Expr; readonly mutable: boolean }
    | { readonly kind: 'assign'; readonly target: Expr; readonly value: Expr; readonly op: '=' | '+=' }
    | { readonly kind: 'eval'; readonly expr: Expr }
    /** `for (index = from; index < to; index++) body`: the loop every kernel is made of. */
    | { readonly kind: 'for'; readonly index: string; readonly from: Expr; readonly to: Expr; readonly body: readonly Stmt[] }
    | { readonly kind: 'if'; readonly test: Expr; readonly then: readonly Stmt[]; readonly otherwise?: readonly Stmt[] | undefined }
    | { readonly kind: 'block'; readonly body: readonly Stmt[] }
    | { readonly kind: 'continue' }
    | { readonly kind: 'return'; readonly value?: Expr | undefined }
    | { readonly kind: 'throw'; readonly error: 'Error' | 'RangeError' | 'TypeError'; readonly message: Expr }
  );

export type StmtOf<K extends Stmt['kind']> = Extract<Stmt, { kind: K }>;
export type ExprOf<K extends Expr['kind']> = Extract<Expr, { kind: K }>;
