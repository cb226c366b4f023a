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

/** The Model class: weights, buffers reused across calls, states carried for stateful layers and streaming. */
export function modelClass(forwardStates: boolean, stepStates: boolean | undefined, states: readonly StateDecl[], batchDim: Dim, trainable: boolean, needsBatch: boolean, wasm = false, embedWeights = true): ts.ClassDeclaration {
  const runtime = useRuntime;
  const hasStep = stepStates !== undefined;
  const hasStates = states.length > 0;
  const self = (name: string) => f.createPropertyAccessExpression(f.createThis(), name);
  const typeRef = (name: string) => f.createTypeReferenceNode(name);
  const optional = (name: string) => f.createUnionTypeNode([typeRef(name), f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)]);
  const field = (name: string, type: ts.TypeNode) => f.createPropertyDeclaration(privateMod(), name, undefined, type, id('undefined'));
  const methodDecl = (name: string, parameters: ts.ParameterDeclaration[], type: ts.TypeNode, body: ts.Statement[], doc: string[], isPrivate = false) =>
    withDoc(f.createMethodDeclaration(isPrivate ? privateMod() : undefined, undefined, name, undefined, undefined, parameters, type, f.createBlock(body, true)), ...doc);
  const param = (name: string, type: ts.TypeNode) => f.createParameterDeclaration(undefined, undefined, name, undefined, type);
  const voidType = f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword);

  const run = (forward: string, prepare: string, field: string, withStates: boolean, training: boolean) => [
    constVar('buffers', f.createBinaryExpression(self(field), ts.SyntaxKind.EqualsToken, call(prepare, 'inputs', self(field), ...(training && needsBatch ? [optionsBatch('options')] : [])))),
    stmt(call(forward, 'inputs', self('weights'), ...(withStates ? [method(f.createThis(), 'statesFor', prop('buffers', 'batch'))] : []), 'buffers', ...(training && trainable ? [rngOf('options')] : []))),
    ret(prop('buffers', 'outputs')),
  ];

  // The WebAssembly engine (emit-wasm/): the same pass over views of its linear memory.
  const engineSlot = (slot: number, type: string) => f.createAsExpression(f.createElementAccessExpression(prop('wasm', 'slots'), slot), typeRef(type));
  const runWasm = (slot: number, forward: string, prepare: string, withStates: boolean, training: boolean) => [
    constVar('buffers', method('wasm', 'prepare', slot, call(prepare, 'inputs', f.createAsExpression(f.createElementAccessExpression(prop('wasm', 'slots'), slot), optional(slot === 1 ? 'Buffers' : 'StepBuffers')), ...(training && needsBatch ? [optionsBatch('options')] : [])), 'inputs', ...(withStates ? ['createStates'] : []))),
    f.createTryStatement(
      f.createBlock([stmt(call(`${forward}Wasm`, f.createAsExpression(prop('wasm', 'exports'), typeRef('WasmExports')), engineSlot(slot + 3, slot === 1 ? 'Inputs' : 'StepInputs'), engineSlot(0, 'Weights'), ...(withStates ? [engineSlot(3, 'States')] : []), 'buffers', ...(training && trainable ? [rngOf('options')] : [])))], true),
      f.createCatchClause('error', f.createBlock([
        // A trap is a range check of the TypeScript path (an Embedding id out of range): run that path for its message.
        ifThen(call(prop(runtime('WasmEngine'), 'isTrap'), 'error'), [stmt(call(forward, 'inputs', self('weights'), ...(withStates ? [call('createStates', prop('buffers', 'batch'))] : []), call(prepare, 'inputs', id('undefined'), ...(training && needsBatch ? [optionsBatch('options')] : [])), ...(training && trainable ? [f.createNull()] : [])))]),
        f.createThrowStatement(id('error')),
      ], true)),
      undefined,
    ),
    ...(slot === 1 ? [assign(self('buffers'), 'buffers')] : []),
    ret(prop('buffers', 'outputs')),
  ];
  const wasmFirst = (slot: number, forward: string, prepare: string, withStates: boolean, training: boolean): ts.Statement[] =>
    wasm ? [constVar('wasm', self('wasm')), ifThen(neq('wasm', 'undefined'), runWasm(slot, forward, prepare, withStates, training))] : [];
  const lit = (s: string) => f.createLiteralTypeNode(f.createStringLiteral(s));

  const members: ts.ClassElement[] = [
    withDoc(f.createPropertyDeclaration(readonlyMod(), 'weights', undefined, typeRef('Weights'), undefined), 'The weights this model runs with.'),
    withDoc(f.createPropertyDeclaration(readonlyMod(), 'engine', undefined, f.createUnionTypeNode([lit('wasm'), lit('js')]), undefined), "What runs: 'wasm' (the WebAssembly SIMD kernels of this module) or 'js' (TypeScript)."),
    ...(wasm ? [f.createPropertyDeclaration([...privateMod(), f.createModifier(ts.SyntaxKind.ReadonlyKeyword)], 'wasm', undefined, optional(runtime('WasmEngine')), undefined)] : []),
    field('buffers', optional('Buffers')),
    ...(hasStep ? [field('stepBuffers', optional('StepBuffers'))] : []),
    ...(hasStates ? [field('states', optional('States')), f.createPropertyDeclaration(privateMod(), 'statesBatch', undefined, f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword), num(0))] : []),
    withDoc(
      f.createConstructorDeclaration(undefined, [
        f.createParameterDeclaration(undefined, undefined, 'weights', undefined, typeRef('Weights'), embedWeights ? call('defaultWeights') : undefined),
        f.createParameterDeclaration(undefined, undefined, wasm ? 'options' : '_options', f.createToken(ts.SyntaxKind.QuestionToken), typeRef('ModelOptions')),
      ], f.createBlock([
        assign(self('weights'), 'weights'),
        ...(wasm
          ? [
              constVar('wasm', f.createConditionalExpression(call(runtime('chooseEngine'), f.createPropertyAccessChain(id('options'), f.createToken(ts.SyntaxKind.QuestionDotToken), 'engine'), 'WASM'), undefined, f.createNewExpression(id('WasmEngine'), undefined, [f.createNonNullExpression(call(runtime('wasmModule'), 'WASM')), id('WASM_BASE')]), undefined, id('undefined'))),
              assign(self('wasm'), 'wasm'),
              assign(self('engine'), f.createConditionalExpression(f.createStrictEquality(id('wasm'), id('undefined')), undefined, str('js'), undefined, str('wasm'))),
              // The weights are copied into linear memory once per Model.
              stmt(f.createCallChain(f.createPropertyAccessChain(id('wasm'), f.createToken(ts.SyntaxKind.QuestionDotToken), 'place'), undefined, undefined, [num(0), id('weights')])),
            ]
          : [assign(self('engine'), str('js'))]),
      ], true)),
      embedWeights ? '@param weights Default: `defaultWeights()` (the spec\'s weights file, else `initWeights()`).' : '@param weights From `loadWeights(json)` or `loadSafetensors(bytes)`: this module embeds none.',
      ...(wasm ? ["@param options `engine`: 'auto' (default: WebAssembly where the host validates it), 'wasm' (throws where it cannot run) or 'js'."] : []),
    ),
    methodDecl('predict', [param('inputs', typeRef('Inputs')), optionsParam(trainable || needsBatch)], typeRef('Outputs'), [...wasmFirst(1, 'forward', 'prepareBuffers', forwardStates, true), ...run('forward', 'prepareBuffers', 'buffers', forwardStates, true)], [
      'Runs the model. The outputs are buffers of this instance, overwritten by the next call: copy them to keep them.',
      'Layers with `stateful: true` continue from the states the last call left; call `resetStates()` to start over.',
    ]),
  ];
  members.push(
    methodDecl('activityRegularizationLoss', [], f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword), [
      ret(f.createConditionalExpression(f.createStrictEquality(self('buffers'), id('undefined')), undefined, num(0), undefined, call('activityLoss', self('buffers')))),
    ], ['The activity regularization loss of the last predict() (0 before the first, or when the spec has no activity_regularizer).']),
  );
  if (hasStep) {
    members.push(
      methodDecl('step', [param('inputs', typeRef('StepInputs'))], typeRef('StepOutputs'), [...wasmFirst(2, 'forwardStep', 'prepareStepBuffers', stepStates === true, false), ...run('forwardStep', 'prepareStepBuffers', 'stepBuffers', stepStates === true, false)], [
        'Streams one timestep: every input holds a single timestep, and every recurrent layer continues from the states the last',
        'call left (T calls of step() compute what one predict() on the T timesteps computes). Outputs are overwritten by the next call.',
      ]),
    );
  }
  if (hasStates) {
    const byLayer = new Map<string, StateDecl[]>();
    for (const s of states) byLayer.set(s.layer.name, [...(byLayer.get(s.layer.name) ?? []), s]);
    const each = (fnBody: (layer: string, role: string) => ts.Statement) => [...byLayer].flatMap(([layer, list]) => list.map((s) => fnBody(layer, s.role)));
    const fixed = isKnown(batchDim) ? batchDim : undefined;
    members.push(
      methodDecl('resetStates', [], voidType, [
        constVar('states', wasm ? f.createConditionalExpression(f.createStrictEquality(self('wasm'), id('undefined')), undefined, self('states'), undefined, f.createAsExpression(f.createElementAccessExpression(prop(self('wasm'), 'slots'), 3), optional('States'))) : self('states')),
        ifThen(neq('states', id('undefined')), each((layer, role) => stmt(method(prop(prop('states', layer), role), 'fill', 0)))),
      ], ['Sets every recurrent state to zero.']),
      methodDecl('getStates', [], typeRef('States'), [
        constVar('states', method(f.createThis(), 'statesFor', fixed ?? self('statesBatch'))),
        ret(f.createObjectLiteralExpression([...byLayer].map(([layer, list]) => f.createPropertyAssignment(propertyName(layer), f.createObjectLiteralExpression(list.map((s) => f.createPropertyAssignment(propertyName(s.role), method(prop(prop('states', layer), s.role), 'slice'))), false))), true)),
      ], ['A copy of the current states.']),
      methodDecl('setStates', [param('states', typeRef('States'))], voidType, [
        constVar('own', method(f.createThis(), 'statesFor', fixed !== undefined ? fixed : f.createBinaryExpression(prop(prop(prop('states', states[0]!.layer.name), states[0]!.role), 'length'), ts.SyntaxKind.SlashToken, num(states[0]!.units)))),
        ...each((layer, role) => stmt(call(runtime('copyState'), prop(prop('own', layer), role), prop(prop('states', layer), role), str(`states.${layer}.${role}`)))),
      ], ['Replaces the states (the next call continues from them). Throws a RangeError when a state has the wrong size.']),
      methodDecl('statesFor', [param('batch', f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword))], typeRef('States'), [
        ...(wasm ? [ifThen(neq(self('wasm'), id('undefined')), [ret(f.createAsExpression(method(self('wasm'), 'statesFor', 'batch', 'createStates'), typeRef('States')))])] : []),
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('states', undefined, undefined, self('states'))], ts.NodeFlags.Let)),
        ifThen(or(f.createStrictEquality(id('states'), id('undefined')), neq(self('statesBatch'), 'batch')), [
          assign('states', f.createBinaryExpression(self('states'), ts.SyntaxKind.EqualsToken, call('createStates', 'batch'))),
          assign(self('statesBatch'), 'batch'),
        ]),
        ret('states'),
      ], ['The states for `batch` rows, created at zero when the batch size changes.'], true),
    );
  }
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
