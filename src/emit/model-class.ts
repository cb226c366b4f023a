// The generated Model class: its weights, buffers reused across calls (allocated once per batch
// size, so a call allocates nothing), the states of stateful layers and streaming steps, and the
// predict/step/resetStates/getStates/setStates/activityRegularizationLoss methods.
import ts from 'typescript';
import { isKnown, type Dim } from '../shapes/dim.js';
import { assign, call, constVar, ex, id, ifThen, method, neq, num, or, prop, propertyName, ret, stmt, str, withDoc, type Ex } from './builders.js';
import type { StateDecl } from '../plan/plan.js';
import { useRuntime } from './print-kernel.js';

const f = ts.factory;
const readonlyMod = () => [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)];
const privateMod = () => [f.createModifier(ts.SyntaxKind.PrivateKeyword)];
const exportMod = () => [f.createModifier(ts.SyntaxKind.ExportKeyword)];

/** What the Model class is made of. */
interface ClassShape {
  readonly forwardStates: boolean;
  readonly stepStates: boolean | undefined;
  readonly states: readonly StateDecl[];
  readonly batchDim: Dim;
  readonly trainable: boolean;
  readonly needsBatch: boolean;
  readonly wasm: boolean;
  readonly embedWeights: boolean;
}

const self = (name: string) => f.createPropertyAccessExpression(f.createThis(), name);
const typeRef = (name: string) => f.createTypeReferenceNode(name);
const optional = (name: string) => f.createUnionTypeNode([typeRef(name), f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)]);
const field = (name: string, type: ts.TypeNode) => f.createPropertyDeclaration(privateMod(), name, undefined, type, id('undefined'));
const methodDecl = (name: string, parameters: ts.ParameterDeclaration[], type: ts.TypeNode, body: ts.Statement[], doc: string[], isPrivate = false) =>
  withDoc(f.createMethodDeclaration(isPrivate ? privateMod() : undefined, undefined, name, undefined, undefined, parameters, type, f.createBlock(body, true)), ...doc);
const param = (name: string, type: ts.TypeNode) => f.createParameterDeclaration(undefined, undefined, name, undefined, type);
const voidType = () => f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword);
const lit = (s: string) => f.createLiteralTypeNode(f.createStringLiteral(s));

/** A call on the TypeScript engine: prepare the buffers, run the pass, return the outputs. */
function run(c: ClassShape, forward: string, prepare: string, buffers: string, withStates: boolean, training: boolean): ts.Statement[] {
  return [
    constVar('buffers', f.createBinaryExpression(self(buffers), ts.SyntaxKind.EqualsToken, call(prepare, 'inputs', self(buffers), ...(training && c.needsBatch ? [optionsBatch('options')] : [])))),
    stmt(call(forward, 'inputs', self('weights'), ...(withStates ? [method(f.createThis(), 'statesFor', prop('buffers', 'batch'))] : []), 'buffers', ...(training && c.trainable ? [rngOf('options')] : []))),
    ret(prop('buffers', 'outputs')),
  ];
}

/** A call on the WebAssembly engine (emit-wasm/): the same pass over views of its linear memory; a trap reruns the TypeScript path for its error. */
function runWasm(c: ClassShape, slot: number, forward: string, prepare: string, withStates: boolean, training: boolean): ts.Statement[] {
  const engineSlot = (at: number, type: string) => f.createAsExpression(f.createElementAccessExpression(prop('wasm', 'slots'), at), typeRef(type));
  const batchOption = training && c.needsBatch ? [optionsBatch('options')] : [];
  return [
    constVar('buffers', method('wasm', 'prepare', slot, call(prepare, 'inputs', f.createAsExpression(f.createElementAccessExpression(prop('wasm', 'slots'), slot), optional(slot === 1 ? 'Buffers' : 'StepBuffers')), ...batchOption), 'inputs', ...(withStates ? ['createStates'] : []))),
    f.createTryStatement(
      f.createBlock([stmt(call(`${forward}Wasm`, f.createAsExpression(prop('wasm', 'exports'), typeRef('WasmExports')), engineSlot(slot + 3, slot === 1 ? 'Inputs' : 'StepInputs'), engineSlot(0, 'Weights'), ...(withStates ? [engineSlot(3, 'States')] : []), 'buffers', ...(training && c.trainable ? [rngOf('options')] : [])))], true),
      f.createCatchClause('error', f.createBlock([
        // A trap is a range check of the TypeScript path (an Embedding id out of range): run that path for its message.
        ifThen(call(prop(useRuntime('WasmEngine'), 'isTrap'), 'error'), [stmt(call(forward, 'inputs', self('weights'), ...(withStates ? [call('createStates', prop('buffers', 'batch'))] : []), call(prepare, 'inputs', id('undefined'), ...batchOption), ...(training && c.trainable ? [f.createNull()] : [])))]),
        f.createThrowStatement(id('error')),
      ], true)),
      undefined,
    ),
    ...(slot === 1 ? [assign(self('buffers'), 'buffers')] : []),
    ret(prop('buffers', 'outputs')),
  ];
}

function wasmFirst(c: ClassShape, slot: number, forward: string, prepare: string, withStates: boolean, training: boolean): ts.Statement[] {
  return c.wasm ? [constVar('wasm', self('wasm')), ifThen(neq('wasm', 'undefined'), runWasm(c, slot, forward, prepare, withStates, training))] : [];
}

function constructorDecl(c: ClassShape): ts.ClassElement {
  const runtime = useRuntime;
  return withDoc(
    f.createConstructorDeclaration(undefined, [
      f.createParameterDeclaration(undefined, undefined, 'weights', undefined, typeRef('Weights'), c.embedWeights ? call('defaultWeights') : undefined),
      f.createParameterDeclaration(undefined, undefined, c.wasm ? 'options' : '_options', f.createToken(ts.SyntaxKind.QuestionToken), typeRef('ModelOptions')),
    ], f.createBlock([
      assign(self('weights'), 'weights'),
      ...(c.wasm
        ? [
            constVar('wasm', f.createConditionalExpression(call(runtime('chooseEngine'), f.createPropertyAccessChain(id('options'), f.createToken(ts.SyntaxKind.QuestionDotToken), 'engine'), 'WASM'), undefined, f.createNewExpression(id('WasmEngine'), undefined, [f.createNonNullExpression(call(runtime('wasmModule'), 'WASM')), id('WASM_BASE')]), undefined, id('undefined'))),
            assign(self('wasm'), 'wasm'),
            assign(self('engine'), f.createConditionalExpression(f.createStrictEquality(id('wasm'), id('undefined')), undefined, str('js'), undefined, str('wasm'))),
            // The weights are copied into linear memory once per Model.
            stmt(f.createCallChain(f.createPropertyAccessChain(id('wasm'), f.createToken(ts.SyntaxKind.QuestionDotToken), 'place'), undefined, undefined, [num(0), id('weights')])),
          ]
        : [assign(self('engine'), str('js'))]),
    ], true)),
    c.embedWeights ? '@param weights Default: `defaultWeights()` (the spec\'s weights file, else `initWeights()`).' : '@param weights From `loadWeights(json)` or `loadSafetensors(bytes)`: this module embeds none.',
    ...(c.wasm ? ["@param options `engine`: 'auto' (default: WebAssembly where the host validates it), 'wasm' (throws where it cannot run) or 'js'."] : []),
  );
}

/** resetStates, getStates, setStates and the private statesFor. */
function stateMethods(c: ClassShape): ts.ClassElement[] {
  const states = c.states;
  const byLayer = new Map<string, StateDecl[]>();
  for (const s of states) byLayer.set(s.layer.name, [...(byLayer.get(s.layer.name) ?? []), s]);
  const each = (fnBody: (layer: string, role: string, units: number) => ts.Statement) => [...byLayer].flatMap(([layer, list]) => list.map((s) => fnBody(layer, s.role, s.units)));
  const fixed = isKnown(c.batchDim) ? c.batchDim : undefined;
  return [
    methodDecl('resetStates', [], voidType(), [
      constVar('states', c.wasm ? f.createConditionalExpression(f.createStrictEquality(self('wasm'), id('undefined')), undefined, self('states'), undefined, f.createAsExpression(f.createElementAccessExpression(prop(self('wasm'), 'slots'), 3), optional('States'))) : self('states')),
      ifThen(neq('states', id('undefined')), each((layer, role) => stmt(method(prop(prop('states', layer), role), 'fill', 0)))),
    ], ['Sets every recurrent state to zero.']),
    methodDecl('getStates', [], typeRef('States'), [
      constVar('states', method(f.createThis(), 'statesFor', fixed ?? self('statesBatch'))),
      ret(f.createObjectLiteralExpression([...byLayer].map(([layer, list]) => f.createPropertyAssignment(propertyName(layer), f.createObjectLiteralExpression(list.map((s) => f.createPropertyAssignment(propertyName(s.role), method(prop(prop('states', layer), s.role), 'slice'))), false))), true)),
    ], ['A copy of the current states.']),
    methodDecl('setStates', [param('states', typeRef('States'))], voidType(), [
      constVar('batch', fixed !== undefined ? num(fixed) : f.createBinaryExpression(prop(prop(prop('states', states[0]!.layer.name), states[0]!.role), 'length'), ts.SyntaxKind.SlashToken, num(states[0]!.units))),
      // Every state checked before any is replaced, so a wrong one leaves the carried states as they were.
      ...each((layer, role, units) => stmt(call(useRuntime('checkState'), prop(prop('states', layer), role), 'batch', num(units), str(`states.${layer}.${role}`)))),
      constVar('own', method(f.createThis(), 'statesFor', 'batch')),
      ...each((layer, role) => stmt(method(prop(prop('own', layer), role), 'set', prop(prop('states', layer), role)))),
    ], ['Replaces the states (the next call continues from them). Throws a RangeError naming a state of the wrong size, and then changes none.']),
    methodDecl('statesFor', [param('batch', f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword))], typeRef('States'), [
      ...(c.wasm ? [ifThen(neq(self('wasm'), id('undefined')), [ret(f.createAsExpression(method(self('wasm'), 'statesFor', 'batch', 'createStates'), typeRef('States')))])] : []),
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('states', undefined, undefined, self('states'))], ts.NodeFlags.Let)),
      ifThen(or(f.createStrictEquality(id('states'), id('undefined')), neq(self('statesBatch'), 'batch')), [
        assign('states', f.createBinaryExpression(self('states'), ts.SyntaxKind.EqualsToken, call('createStates', 'batch'))),
        assign(self('statesBatch'), 'batch'),
      ]),
      ret('states'),
    ], ['The states for `batch` rows, created at zero when the batch size changes.'], true),
  ];
}

/** The Model class: weights, buffers reused across calls, states carried for stateful layers and streaming, and the engine. */
export function modelClass(forwardStates: boolean, stepStates: boolean | undefined, states: readonly StateDecl[], batchDim: Dim, trainable: boolean, needsBatch: boolean, wasm = false, embedWeights = true): ts.ClassDeclaration {
  const c: ClassShape = { forwardStates, stepStates, states, batchDim, trainable, needsBatch, wasm, embedWeights };
  const members: ts.ClassElement[] = [
    withDoc(f.createPropertyDeclaration(readonlyMod(), 'weights', undefined, typeRef('Weights'), undefined), 'The weights this model runs with.'),
    withDoc(f.createPropertyDeclaration(readonlyMod(), 'engine', undefined, f.createUnionTypeNode([lit('wasm'), lit('js')]), undefined), "What runs: 'wasm' (the WebAssembly SIMD kernels of this module) or 'js' (TypeScript)."),
    ...(wasm ? [f.createPropertyDeclaration([...privateMod(), f.createModifier(ts.SyntaxKind.ReadonlyKeyword)], 'wasm', undefined, optional(useRuntime('WasmEngine')), undefined)] : []),
    field('buffers', optional('Buffers')),
    ...(stepStates !== undefined ? [field('stepBuffers', optional('StepBuffers'))] : []),
    ...(states.length > 0 ? [field('states', optional('States')), f.createPropertyDeclaration(privateMod(), 'statesBatch', undefined, f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword), num(0))] : []),
    constructorDecl(c),
    methodDecl('predict', [param('inputs', typeRef('Inputs')), optionsParam(trainable || needsBatch)], typeRef('Outputs'), [...wasmFirst(c, 1, 'forward', 'prepareBuffers', forwardStates, true), ...run(c, 'forward', 'prepareBuffers', 'buffers', forwardStates, true)], [
      'Runs the model. The outputs are buffers of this instance, overwritten by the next call: copy them to keep them.',
      'Layers with `stateful: true` continue from the states the last call left; call `resetStates()` to start over.',
    ]),
    methodDecl('activityRegularizationLoss', [], f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword), [
      ret(f.createConditionalExpression(f.createStrictEquality(self('buffers'), id('undefined')), undefined, num(0), undefined, call('activityLoss', self('buffers')))),
    ], ['The activity regularization loss of the last predict() (0 before the first, or when the spec has no activity_regularizer).']),
  ];
  if (stepStates !== undefined) {
    members.push(
      methodDecl('step', [param('inputs', typeRef('StepInputs'))], typeRef('StepOutputs'), [...wasmFirst(c, 2, 'forwardStep', 'prepareStepBuffers', stepStates, false), ...run(c, 'forwardStep', 'prepareStepBuffers', 'stepBuffers', stepStates, false)], [
        'Streams one timestep: every input holds a single timestep, and every recurrent layer continues from the states the last',
        'call left (T calls of step() compute what one predict() on the T timesteps computes). Outputs are overwritten by the next call.',
      ]),
    );
  }
  if (states.length > 0) members.push(...stateMethods(c));
  return withDoc(
    f.createClassDeclaration(exportMod(), 'Model', undefined, undefined, members),
    'The model with its weights, its buffers (allocated once per batch size, so a call allocates nothing) and its states.',
  );
}

/** `options?.batch`. */
export function optionsBatch(options: string): ts.Expression {
  return f.createPropertyAccessChain(f.createIdentifier(options), f.createToken(ts.SyntaxKind.QuestionDotToken), 'batch');
}

/** `options?: PredictOptions`, named `_options` when the model has nothing the options change. */
export function optionsParam(used: boolean): ts.ParameterDeclaration {
  return f.createParameterDeclaration(undefined, undefined, used ? 'options' : '_options', f.createToken(ts.SyntaxKind.QuestionToken), f.createTypeReferenceNode('PredictOptions'));
}

/** The type of the forward pass's random generator: `(() => number) | null`. */
export function rngType(): ts.TypeNode {
  return f.createUnionTypeNode([f.createFunctionTypeNode(undefined, [], f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword)), f.createLiteralTypeNode(f.createNull())]);
}

/** `options?.training === true ? createRng(options?.seed ?? 0, 0) : null`. */
export function rngOf(options: Ex): ts.Expression {
  const optional = (name: string) => f.createPropertyAccessChain(ex(options), f.createToken(ts.SyntaxKind.QuestionDotToken), name);
  return f.createConditionalExpression(
    f.createStrictEquality(optional('training'), f.createTrue()),
    undefined,
    call(useRuntime('createRng'), f.createBinaryExpression(optional('seed'), ts.SyntaxKind.QuestionQuestionToken, num(0)), 0),
    undefined,
    f.createNull(),
  );
}
