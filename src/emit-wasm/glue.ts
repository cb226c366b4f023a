// The TypeScript side of the WebAssembly engine in a generated module: the module's bytes (base64),
// the type of its exports, the pass calls that go to WebAssembly, and createModel().
import ts from 'typescript';
import { call, cond, num, prop, stmt } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import { withDoc } from '../emit/builders.js';
import { member, typeRef } from '../emit/declarations.js';
import type { WasmPass } from '../emit/passes.js';
import { useRuntime } from '../emit/print-kernel.js';
import type { ModulePlan } from '../plan/plan.js';
import { ARENA_BASE, buildWasmModule, type WasmModule } from './module.js';

const f = ts.factory;

/** The pass calls: a layer printed to WebAssembly is called through the instance's exports. */
export function wasmPass(wasm: WasmModule): WasmPass {
  return {
    calls: (calls) =>
      calls.map((s): Stmt => {
        if (s.kind !== 'eval' || s.expr.kind !== 'call' || s.expr.callee.kind !== 'function') return s;
        const lowered = wasm.functions.get(s.expr.callee.name);
        if (!lowered) return { ...s, comments: [...(s.comments ?? []), 'In TypeScript (the WebAssembly printer does not lower it)'] };
        const args: Expr[] = [];
        lowered.params.forEach((p, i) => {
          const arg = s.expr.kind === 'call' ? s.expr.args[i]! : undefined!;
          if (p.type.kind === 'weights') {
            for (const a of lowered.args) if (a.kind === 'weight') {
              const leaf = a.path.reduce<Expr>((e, k) => prop(e, k), arg);
              args.push(prop(leaf, 'byteOffset'), prop(leaf, 'length'));
            }
          } else if (p.type.kind === 'array') args.push(prop(arg, 'byteOffset'), prop(arg, 'length'));
          else if (p.type.kind === 'boolean') args.push(cond(arg, num(1), num(0)));
          else args.push(arg);
        });
        return { ...stmt(call(`wasm.${lowered.name}`, ...args)), comments: s.comments };
      }),
  };
}

/** Builds the wasm module of a plan, and the statements that carry it. */
export function wasmDeclarations(plan: ModulePlan): { wasm: WasmModule; statements: ts.Statement[] } {
  const wasm = buildWasmModule(plan);
  const base64 = Buffer.from(wasm.bytes).toString('base64');
  const lowered = [...wasm.functions.keys()];
  const statements: ts.Statement[] = [
    withDoc(
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('WASM', undefined, undefined, f.createStringLiteral(base64))], ts.NodeFlags.Const)),
      `The WebAssembly engine (${wasm.bytes.length} bytes, SIMD128, base64): ${lowered.length} of ${plan.functions.length} kernel functions printed to WebAssembly${wasm.fallbacks.length > 0 ? '; in TypeScript:' : '.'}`,
      ...wasm.fallbacks.map((fb) => `${fb.name}: ${fb.reason}`),
    ),
    withDoc(
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('WASM_BASE', undefined, undefined, f.createNumericLiteral(ARENA_BASE))], ts.NodeFlags.Const)),
      'Linear memory below this address holds the exp tables of the WebAssembly kernels.',
    ),
    withDoc(
      f.createInterfaceDeclaration(undefined, 'WasmExports', undefined, undefined, lowered.map((name) => member(name, f.createFunctionTypeNode(undefined, [f.createParameterDeclaration(undefined, f.createToken(ts.SyntaxKind.DotDotDotToken), 'args', undefined, f.createArrayTypeNode(f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword)))], f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword))))),
      'The functions of the WebAssembly module: each layer printed to WebAssembly, called with numbers, flags (0/1) and arrays as byte address and length.',
    ),
  ];
  return { wasm, statements };
}

/** `export async function createModel(weights?, options?)`: compiles the WebAssembly asynchronously first. */
export function createModelFunction(embedWeights = true): ts.Statement {
  useRuntime('wasmModuleAsync');
  return withDoc(
    f.createFunctionDeclaration(
      [f.createModifier(ts.SyntaxKind.ExportKeyword), f.createModifier(ts.SyntaxKind.AsyncKeyword)],
      undefined,
      'createModel',
      undefined,
      [
        f.createParameterDeclaration(undefined, undefined, 'weights', embedWeights ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined, typeRef('Weights')),
        f.createParameterDeclaration(undefined, undefined, 'options', f.createToken(ts.SyntaxKind.QuestionToken), typeRef('ModelOptions')),
      ],
      f.createTypeReferenceNode('Promise', [typeRef('Model')]),
      f.createBlock([
        f.createIfStatement(
          f.createStrictInequality(f.createPropertyAccessChain(f.createIdentifier('options'), f.createToken(ts.SyntaxKind.QuestionDotToken), 'engine'), f.createStringLiteral('js')),
          f.createExpressionStatement(f.createAwaitExpression(f.createCallExpression(f.createIdentifier('wasmModuleAsync'), undefined, [f.createIdentifier('WASM')]))),
        ),
        f.createReturnStatement(f.createNewExpression(f.createIdentifier('Model'), undefined, [f.createIdentifier('weights'), f.createIdentifier('options')])),
      ], true),
    ),
    'A Model, after compiling its WebAssembly asynchronously: for hosts that refuse synchronous compilation of larger modules',
    "(a browser's main thread). `new Model()` compiles synchronously where the host allows it (Node, workers).",
  );
}

/** `export interface ModelOptions { readonly engine?: 'auto' | 'wasm' | 'js' }`. */
export function modelOptionsInterface(withWasm: boolean): ts.Statement {
  const lit = (s: string) => f.createLiteralTypeNode(f.createStringLiteral(s));
  return withDoc(
    f.createInterfaceDeclaration([f.createModifier(ts.SyntaxKind.ExportKeyword)], 'ModelOptions', undefined, undefined, [
      withDoc(
        f.createPropertySignature([f.createModifier(ts.SyntaxKind.ReadonlyKeyword)], 'engine', f.createToken(ts.SyntaxKind.QuestionToken), f.createUnionTypeNode([lit('auto'), lit('wasm'), lit('js')])),
        withWasm
          ? "What runs the model: 'wasm' (the WebAssembly SIMD kernels embedded in this module), 'js' (TypeScript), or 'auto' (the default):"
          : 'This module was built with `--engine js`: every engine is TypeScript.',
        ...(withWasm ? ['wasm where the host validates the module, else js. Both give the same numbers within 1e-6.'] : []),
      ),
    ]),
    'Options of `new Model(weights, options)`.',
  );
}
