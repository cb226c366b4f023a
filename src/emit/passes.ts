// The TypeScript printer's passes: the kernel functions (one per layer), and for the forward pass
// and the streaming step each, the buffers type, their allocation, the input checks and the pass
// itself, which binds buffers, states and sizes and calls the layer functions. Then
// activityLoss() and predict().
import ts from 'typescript';
import type { TypeMap } from '../ir/graph.js';
import { add, call, cond, constVar, eq, id, neq, num as irNum, prop, runtimeCallee, stmt, str, withComment, binary } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import { namesIn, substitute } from '../kernel/visit.js';
import type { EmitContext } from '../layers/layer.js';
import { describeRegularizer, emitRegularizerLoss } from '../layers/options/regularizers.js';
import type { BufferDecl, KernelFunction, ModulePlan, ParamType, StateDecl } from '../plan/plan.js';
import { formatShape, isKnown, type Dim } from '../shapes/dim.js';
import * as tsb from './builders.js';
import { withDoc } from './builders.js';
import { arrayOf, fn, ioTypes, member, numberType, param, record, typeRef, voidType } from './declarations.js';
import { optionsBatch, optionsParam, rngOf, rngType } from './model-class.js';
import { printExpr, printStmts } from './print-kernel.js';
import { moduleContext } from './weights.js';

const f = ts.factory;

/** One pass of the module: the full forward pass, or a streaming step. */
interface Pass {
  readonly step: boolean;
  readonly types: TypeMap;
  readonly buffers: readonly BufferDecl[];
  /** Run-time sizes the pass measures from its inputs and keeps in its buffers. */
  readonly sizes: readonly string[];
  /** Values of the shared functions' size and flag variables in this pass. */
  readonly values: ReadonlyMap<string, Expr>;
  /** States this pass reads from the States object. */
  readonly states: readonly StateDecl[];
  readonly names: { readonly buffers: string; readonly inputs: string; readonly outputs: string; readonly create: string; readonly prepare: string; readonly forward: string };
}

function passes(plan: ModulePlan): Pass[] {
  const values = (step: boolean, restart: boolean) => {
    const map = new Map<string, Expr>();
    for (const s of plan.stream?.steps ?? []) map.set(s.name, step ? irNum(1) : s.forward);
    if (plan.stream?.restart) map.set(plan.stream.restart, { kind: 'bool', value: restart });
    return map;
  };
  const forward: Pass = {
    step: false,
    types: plan.types,
    buffers: plan.buffers,
    sizes: plan.symbols.map((s) => s.name),
    values: values(false, true),
    states: plan.states.filter((s) => s.carriedByForward),
    names: { buffers: 'Buffers', inputs: 'Inputs', outputs: 'Outputs', create: 'createBuffers', prepare: 'prepareBuffers', forward: 'forward' },
  };
  if (!plan.stream) return [forward];
  const step: Pass = {
    step: true,
    types: plan.stream.types,
    buffers: plan.buffers.filter((b) => b.passes === 'both'),
    sizes: [],
    values: values(true, false),
    states: plan.states,
    names: { buffers: 'StepBuffers', inputs: 'StepInputs', outputs: 'StepOutputs', create: 'createStepBuffers', prepare: 'prepareStepBuffers', forward: 'forwardStep' },
  };
  return [forward, step];
}

function paramType(t: ParamType): ts.TypeNode {
  switch (t.kind) {
    case 'number':
      return numberType();
    case 'boolean':
      return f.createKeywordTypeNode(ts.SyntaxKind.BooleanKeyword);
    case 'weights':
      return typeRef('Weights');
    case 'rng':
      return rngType();
    case 'array':
      return typeRef(arrayOf[t.dtype]);
  }
}

function kernelFunction(k: KernelFunction): ts.Statement {
  return withDoc(fn(k.name, false, k.params.map((p) => param(p.name, paramType(p.type))), voidType(), printStmts(k.body)), ...k.doc);
}

function buffersInterface(pass: Pass): ts.Statement {
  return withDoc(
    f.createInterfaceDeclaration(undefined, pass.names.buffers, undefined, undefined, [
      member('batch', numberType()),
      ...pass.sizes.map((d) => member(d, numberType())),
      member('outputs', typeRef(pass.names.outputs)),
      ...pass.buffers.map((b) => member(b.name, typeRef(arrayOf[b.dtype]), b.doc)),
    ]),
    `Output and scratch buffers of ${pass.step ? 'one streaming step' : 'the forward pass'} for one batch size, allocated once and reused by every call.`,
  );
}

function createBuffers(plan: ModulePlan, pass: Pass): ts.Statement {
  const shorthand = (name: string) => f.createShorthandPropertyAssignment(name);
  const outputs = record(plan.outputs.map((o) => [o.binding.name, f.createIdentifier(o.buffer)]));
  return withDoc(
    fn(pass.names.create, false, [param('batch', numberType()), ...pass.sizes.map((d) => param(d, numberType()))], typeRef(pass.names.buffers), [
      ...printStmts(pass.buffers.map((b) => constVar(b.name, { kind: 'new', ctor: arrayOf[b.dtype] as 'Float32Array', args: [substitute(b.size, pass.values)] }))),
      f.createReturnStatement(f.createObjectLiteralExpression([shorthand('batch'), ...pass.sizes.map(shorthand), f.createPropertyAssignment('outputs', outputs), ...pass.buffers.map((b) => shorthand(b.name))], true)),
    ]),
    `Allocates the buffers of ${pass.step ? 'one streaming step' : 'the forward pass'} for \`batch\` rows.`,
  );
}

/** The input checks: the batch size from the first input (the others must agree), run-time lengths from the inputs that have them. */
function inputChecks(plan: ModulePlan, pass: Pass): Stmt[] {
  const types = ioTypes(plan, pass.types).inputs;
  const symbolName = new Map(plan.symbols.map((s) => [s.dim, s.name]));
  const checks: Stmt[] = [];
  const measured = new Set<Dim>();
  const variableOf = (k: number) => types[k]!.shape.slice(1).filter((d) => !isKnown(d));
  const ordered = plan.graph.inputs.map((input, k) => ({ input, k })).sort((a, b) => Number(variableOf(a.k).length > 0) - Number(variableOf(b.k).length > 0));
  const batchGiven = !pass.step && plan.needsBatch;
  // Each input the typed array its dtype says: a missing input, a plain array or another typed array is a TypeError naming it.
  for (const input of plan.graph.inputs) checks.push(stmt(call(runtimeCallee('expectArray'), prop('inputs', input.name), str(input.name), str(arrayOf[input.dtype]))));
  if (batchGiven) checks.push(constVar('batch', call(runtimeCallee('requireBatch'), 'batchSize')));
  ordered.forEach(({ input, k }, position) => {
    const shape = types[k]!.shape;
    const known = shape.slice(1).reduce<number>((a, d) => a * (isKnown(d) ? d : 1), 1);
    const variable = variableOf(k);
    const first = position === 0 && !batchGiven;
    const fixed: Expr = isKnown(shape[0]!) ? irNum(shape[0]) : first ? irNum(0) : id('batch');
    const value = prop('inputs', input.name);
    const batchCheck = () => call(runtimeCallee('batchOf'), value, str(input.name), known, fixed);
    if (variable.length === 0) checks.push(first ? constVar('batch', batchCheck()) : stmt(batchCheck()));
    else if (first) checks.push(constVar('batch', isKnown(shape[0]!) ? shape[0] : batchCheck()));
    for (const sym of variable) {
      const length = call(runtimeCallee('lengthOf'), value, str(input.name), 'batch', known);
      checks.push(measured.has(sym) ? stmt(call(runtimeCallee('sameLength'), length, symbolName.get(sym)!, str(input.name))) : constVar(symbolName.get(sym)!, length));
      measured.add(sym);
    }
  });
  // A run-time length too short for a layer's window: a RangeError naming the layer, not an empty output.
  if (!pass.step) for (const c of plan.lengthChecks) checks.push(stmt(call(runtimeCallee('checkLength'), c.length, str(c.layer), str(c.formula), str(c.symbol), c.variable)));
  return checks;
}

function prepareBuffers(plan: ModulePlan, pass: Pass): ts.Statement {
  const fits = pass.sizes.reduce<Expr>((c, d) => binary('&&', c, eq(prop('buffers', d), d)), binary('&&', neq('buffers', 'undefined'), eq(prop('buffers', 'batch'), 'batch')));
  const body = [...inputChecks(plan, pass), { kind: 'return', value: cond(fits, 'buffers', call(pass.names.create, 'batch', ...pass.sizes)) } as Stmt];
  return withDoc(
    fn(pass.names.prepare, false, [
      param('inputs', typeRef(pass.names.inputs)),
      param('buffers', f.createUnionTypeNode([typeRef(pass.names.buffers), f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)])),
      ...(!pass.step && plan.needsBatch ? [f.createParameterDeclaration(undefined, undefined, 'batchSize', f.createToken(ts.SyntaxKind.QuestionToken), numberType())] : []),
    ], typeRef(pass.names.buffers), printStmts(body)),
    "Checks the inputs' sizes (a RangeError names the input) and returns `buffers` when they fit them, else new buffers.",
  );
}

/** The pass: bind sizes, flags, inputs, buffers and states, then call every layer's function. */
function forwardFunction(plan: ModulePlan, pass: Pass, wasm?: WasmPass): { decl: ts.Statement; usesStates: boolean } {
  const calls = wasm ? wasm.calls(plan.calls) : plan.calls;
  // A module none of whose layers printed to WebAssembly still has the engine; its pass does not read `wasm`.
  const callsWasm = calls.some((c) => c.kind === 'eval' && c.expr.kind === 'call' && c.expr.callee.kind === 'function' && c.expr.callee.name.startsWith('wasm.'));
  const read = namesIn(calls);
  const bindings: Stmt[] = [
    ...(read.has('batch') ? [constVar('batch', prop('buffers', 'batch'))] : []),
    ...pass.sizes.map((d) => constVar(d, prop('buffers', d))),
    ...[...pass.values].filter(([name]) => read.has(name)).map(([name, value]) => constVar(name, value)),
    ...(pass.step && plan.trainable && read.has('rng') ? [withComment(constVar('rng', { kind: 'null' }), 'A streaming step runs in inference')] : []),
    // Inputs that some layer reads (an input no layer reads is checked, but not bound).
    ...plan.inputs.flatMap((i, k) => (read.has(i.buffer) ? [withComment(constVar(i.buffer, prop('inputs', i.node.name)), `Input "${i.node.name}" ${formatShape(ioTypes(plan, pass.types).inputs[k]!.shape)} (${plan.where(i.node.pointer)})`)] : [])),
  ];
  const destructure = f.createVariableStatement(undefined, f.createVariableDeclarationList([
    f.createVariableDeclaration(f.createObjectBindingPattern(pass.buffers.map((b) => f.createBindingElement(undefined, undefined, b.name))), undefined, undefined, f.createIdentifier('buffers')),
  ], ts.NodeFlags.Const));
  const states = pass.states.map((s) => constVar(s.name, prop(prop('states', s.layer.name), s.role)));
  const decl = withDoc(
    fn(wasm ? `${pass.names.forward}Wasm` : pass.names.forward, false, [
      ...(wasm ? [param(callsWasm ? 'wasm' : '_wasm', typeRef('WasmExports'))] : []),
      param('inputs', typeRef(pass.names.inputs)),
      param(plan.hasParams ? 'weights' : '_weights', typeRef('Weights')),
      ...(states.length > 0 ? [param('states', typeRef('States'))] : []),
      param('buffers', typeRef(pass.names.buffers)),
      ...(!pass.step && plan.trainable ? [param('rng', rngType())] : []),
    ], voidType(), [...printStmts(bindings), destructure, ...printStmts([...states, ...calls])]),
    ...(wasm ? [`${pass.step ? 'One streaming step' : 'The forward pass'} on the WebAssembly engine: every array is a view of its linear memory; layers printed to`, 'WebAssembly are called with byte addresses and lengths, the others run in TypeScript on the same views.'] : [pass.step ? 'One streaming step: every input holds one timestep; recurrent layers continue from `states` and leave their new states there.' : 'The forward pass: reads `inputs` and `weights`, writes every layer output into `buffers`.']),
  );
  return { decl, usesStates: states.length > 0 };
}

function activityLoss(plan: ModulePlan, ctx: EmitContext): ts.Statement {
  const loss = plan.activity.reduce<Expr>((sum, a) => {
    const units = a.operand.type.shape[a.operand.type.shape.length - 1] as number;
    return add(sum, binary('/', emitRegularizerLoss(ctx, a.spec, prop('buffers', a.operand.buffer), prop('buffers', 'batch'), units), prop('buffers', 'batch')));
  }, irNum(0));
  return withDoc(
    fn('activityLoss', false, [param(plan.activity.length > 0 ? 'buffers' : '_buffers', typeRef('Buffers'))], numberType(), [f.createReturnStatement(printExpr(loss))]),
    "The activity regularization loss of the last forward pass: each `activity_regularizer` on its layer's outputs, divided by the batch size as Keras 3 does.",
    ...plan.activity.map((a) => `${a.layer.name} (${a.operand.buffer}): ${describeRegularizer(a.spec)}`),
  );
}

function predict(plan: ModulePlan, usesStates: boolean): ts.Statement {
  const buffersBatch = tsb.prop('buffers', 'batch');
  return withDoc(
    fn('predict', true, [param('inputs', typeRef('Inputs')), param('weights', typeRef('Weights')), optionsParam(plan.trainable || plan.needsBatch)], typeRef('Outputs'), [
      tsb.constVar('buffers', tsb.call('prepareBuffers', 'inputs', tsb.id('undefined'), ...(plan.needsBatch ? [optionsBatch('options')] : []))),
      tsb.stmt(tsb.call('forward', 'inputs', 'weights', ...(usesStates ? [tsb.call('createStates', buffersBatch)] : []), 'buffers', ...(plan.trainable ? [rngOf('options')] : []))),
      tsb.ret(tsb.prop('buffers', 'outputs')),
    ]),
    'The forward pass (inference) on fresh arrays: the inputs by name in, the outputs by name out. States start at zero.',
    'Throws a RangeError when an input does not have the size its shape requires. For repeated calls use `Model`, which allocates nothing per call.',
  );
}

/** The WebAssembly engine's passes: the same bindings, with the calls of lowered layers replaced (emit-wasm/glue.ts). */
export interface WasmPass {
  readonly calls: (calls: readonly Stmt[]) => readonly Stmt[];
}

export interface PassCode {
  readonly statements: ts.Statement[];
  readonly forwardStates: boolean;
  /** Whether the step reads states; undefined without a step. */
  readonly stepStates: boolean | undefined;
}

/** Kernel functions, then each pass, activityLoss and predict. */
export function passCode(plan: ModulePlan, wasm?: WasmPass): PassCode {
  const statements = plan.functions.map(kernelFunction);
  const [forward, step] = passes(plan);
  const whole = forwardFunction(plan, forward!);
  statements.push(buffersInterface(forward!), createBuffers(plan, forward!), prepareBuffers(plan, forward!), whole.decl, ...(wasm ? [forwardFunction(plan, forward!, wasm).decl] : []), activityLoss(plan, moduleContext));
  let stepStates: boolean | undefined;
  if (step) {
    const streaming = forwardFunction(plan, step);
    stepStates = streaming.usesStates;
    statements.push(buffersInterface(step), createBuffers(plan, step), prepareBuffers(plan, step), streaming.decl, ...(wasm ? [forwardFunction(plan, step, wasm).decl] : []));
  }
  statements.push(predict(plan, whole.usesStates));
  return { statements, forwardStates: whole.usesStates, stepStates };
}
