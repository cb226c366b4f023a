// Assembling one generated module from a typed graph: header, tensor types, shape constants,
// the Inputs/Outputs/Weights/States types, initWeights, loadWeights, the forward pass (and its
// streaming-step variant), predict, the Model class, then the runtime kernels it uses. Built with
// ts.factory and printed by the one printer.
import ts from 'typescript';
import { nodeMap, type Graph, type LayerNode, type TypeMap } from '../ir/graph.js';
import { graphParams, weightTree, type WeightGroup } from '../ir/params.js';
import { describeRegularizer, emitRegularizerLoss, regularizerOf, type RegularizerSpec } from '../layers/options/regularizers.js';
import { describeConstraint, emitConstraint } from '../layers/options/constraints.js';
import type { EmitContext, LayerIO, Operand, ParamSpec } from '../layers/layer.js';
import { emitInitializer } from '../layers/options/initializers.js';
import { runtimeFileOf, type RuntimeName } from '../runtime/index.js';
import { BATCH, formatShape, isKnown, type Dim, type DType, type Shape, type TensorType } from '../shapes/dim.js';
import { typeOf } from '../shapes/infer.js';
import type { SourceFile } from '../source/source-file.js';
import {
  add, call, commentText, constVar, ex, id, mul, newCall, num, prop, propertyName, ret, stmt, str, withComment, withDoc, type Ex,
} from './builders.js';
import { modelClass, optionsBatch, optionsParam } from './model-class.js';
import { NameAllocator } from './names.js';
import { printStatements } from './printer.js';
import { runtimeText } from './runtime-copy.js';

const f = ts.factory;
const exportMod = () => [f.createModifier(ts.SyntaxKind.ExportKeyword)];
const readonlyMod = () => [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)];

const arrayOf: Record<DType, string> = { float32: 'Float32Array', int32: 'Int32Array', bool: 'Uint8Array' };
const tensorTypeOf: Record<DType, string> = { float32: 'Float32Tensor', int32: 'Int32Tensor', bool: 'BoolTensor' };

export interface ModuleInput {
  readonly graph: Graph;
  readonly types: TypeMap;
  /** Types with every input's time axis set to 1, when the model can be streamed one timestep at a time. */
  readonly stepTypes?: TypeMap | undefined;
  readonly source: SourceFile;
  /** The spec's weights file, checked: embedded as the module's default weights. */
  readonly weights?: unknown;
}

/** Names the module declares at top level; nothing from a spec may take them. */
const moduleNames = [
  'inputs', 'weights', 'states', 'buffers', 'batch', 'seed', 'json', 'Float32Tensor', 'Int32Tensor', 'BoolTensor', 'Inputs', 'Outputs', 'Weights', 'States',
  'StepInputs', 'StepOutputs', 'Buffers', 'StepBuffers', 'inputShapes', 'outputShapes', 'weightShapes', 'stepInputShapes', 'stepOutputShapes', 'initWeights',
  'loadWeights', 'defaultWeights', 'predict', 'Model', 'PredictOptions', 'rng', 'options', 'regularizationLoss', 'applyConstraints', 'activityLoss', 'forward', 'forwardStep', 'createBuffers', 'createStepBuffers', 'createStates', 'prepareBuffers', 'prepareStepBuffers',
];

export interface StateDecl {
  readonly layer: LayerNode;
  readonly role: string;
  readonly units: number;
}

interface Variant {
  readonly forward: ts.FunctionDeclaration;
  readonly buffersInterface: ts.InterfaceDeclaration;
  readonly createBuffers: ts.FunctionDeclaration;
  readonly inputBatch: ts.FunctionDeclaration;
  readonly usesStates: boolean;
  readonly activityLoss: ts.FunctionDeclaration | undefined;
}

export function emitModule({ graph, types, stepTypes, source, weights: weightsFile }: ModuleInput): string {
  const moduleScope = new NameAllocator([...moduleNames, ...runtimeFileOf.keys()]);
  const used = new Set<RuntimeName>();
  const where = (pointer: string) => `${graph.file}:${source.position(graph.spans.value(pointer).start).line}`;
  const nodes = nodeMap(graph);
  const params = graphParams(graph, types).filter((p) => p.params.length > 0);
  const weights = weightTree(params, (layer) => `${layer.type} layer "${layer.name}" (${where(layer.pointer)}).`);
  const outputTypes = (t: TypeMap) => graph.outputs.map((o) => typeOf(t, nodes, o.ref)!);
  const batchDim = graph.inputs[0]!.shape[0]!;

  // Dimensions known only at run time (a null time axis): each symbol becomes a variable, read
  // from the inputs' lengths and kept in the buffers.
  const symbols = [...new Set(graph.inputs.flatMap((i) => i.shape.slice(1).filter((d): d is string => !isKnown(d))))];
  const symbolName = new Map(symbols.map((sym) => [sym, moduleScope.allocate(sym)]));
  const contextFor = (names: NameAllocator): Omit<EmitContext, 'hoist'> => ({
    names,
    runtime(name) {
      used.add(name);
      return name;
    },
    dim(d: Dim) {
      if (isKnown(d)) return num(d);
      if (d === BATCH) return id('batch');
      const name = symbolName.get(d);
      if (name === undefined) throw new Error(`internal: unknown dimension ${d}`);
      return id(name);
    },
    where,
  });
  const moduleCtx: EmitContext = {
    ...contextFor(moduleScope),
    hoist() {
      throw new Error('internal: hoist outside a forward pass');
    },
  };

  // Helpers for types and literals.
  const tensorType = (t: TensorType) => {
    const tuple = f.createTupleTypeNode(t.shape.map((d) => (isKnown(d) ? f.createLiteralTypeNode(num(d) as ts.NumericLiteral) : f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword))));
    ts.setEmitFlags(tuple, ts.EmitFlags.SingleLine);
    return f.createTypeReferenceNode(tensorTypeOf[t.dtype], [f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, tuple)]);
  };
  const member = (name: string, type: ts.TypeNode, doc?: string) => {
    const m = f.createPropertySignature(readonlyMod(), propertyName(name), undefined, type);
    return doc ? withDoc(m, doc) : m;
  };
  const record = (entries: [string, ts.Expression][]) => f.createObjectLiteralExpression(entries.map(([k, v]) => f.createPropertyAssignment(propertyName(k), v)), true);
  const shapeLiteral = (shape: Shape) => f.createArrayLiteralExpression(shape.map((d) => (isKnown(d) ? num(d) : f.createNull())));
  const asConst = (e: ts.Expression) => f.createAsExpression(e, f.createTypeReferenceNode('const'));
  const typeRef = (name: string) => f.createTypeReferenceNode(name);
  const param = (name: string, type: ts.TypeNode, init?: ts.Expression) => f.createParameterDeclaration(undefined, undefined, name, undefined, type, init);
  const fn = (name: string, exported: boolean, parameters: ts.ParameterDeclaration[], type: ts.TypeNode, body: ts.Statement[]) =>
    f.createFunctionDeclaration(exported ? exportMod() : undefined, undefined, name, undefined, parameters, type, f.createBlock(body, true));
  const numberType = () => f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword);
  const voidType = () => f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword);

  const treeRecord = (group: WeightGroup, leaf: (p: ParamSpec) => ts.Expression): ts.Expression =>
    record(group.children.map(([k, child]) => [k, child.kind === 'param' ? leaf(child.spec) : treeRecord(child, leaf)]));
  const treeMembers = (group: WeightGroup): ts.TypeElement[] =>
    group.children.map(([k, child]) =>
      child.kind === 'param'
        ? member(k, tensorType({ dtype: 'float32', shape: child.spec.shape }), `${k} ${formatShape(child.spec.shape)}: ${child.spec.layout}.`)
        : member(k, f.createTypeLiteralNode(treeMembers(child)), child.doc),
    );

  const statements: ts.Statement[] = [];
  // Models with dropout get a training mode: forward() takes a random generator, null in inference.
  const trainable = graph.layers.some(hasDropout);
  // When every input has a run-time length and the batch is open, the caller says the batch size.
  const needsBatch = !isKnown(batchDim) && graph.inputs.every((i) => i.shape.slice(1).some((d) => !isKnown(d)));
  const rngType = () => f.createUnionTypeNode([f.createFunctionTypeNode(undefined, [], numberType()), f.createLiteralTypeNode(f.createNull())]);
  const rngOf = (options: Ex) =>
    f.createConditionalExpression(
      f.createStrictEquality(f.createPropertyAccessChain(ex(options), f.createToken(ts.SyntaxKind.QuestionDotToken), 'training'), f.createTrue()),
      undefined,
      call(moduleCtx.runtime('createRng'), f.createBinaryExpression(f.createPropertyAccessChain(ex(options), f.createToken(ts.SyntaxKind.QuestionDotToken), 'seed'), ts.SyntaxKind.QuestionQuestionToken, num(0)), 0),
      undefined,
      f.createNull(),
    );

  // Tensor types.
  const dtypes = new Set<DType>(['float32', ...graph.inputs.map((i) => i.dtype)]);
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    if (!dtypes.has(dtype)) continue;
    const s = f.createTypeParameterDeclaration(undefined, 'S', f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, f.createArrayTypeNode(numberType())));
    statements.push(
      withDoc(
        f.createTypeAliasDeclaration(exportMod(), tensorTypeOf[dtype], [s], f.createIntersectionTypeNode([
          typeRef(arrayOf[dtype]),
          f.createTypeLiteralNode([f.createPropertySignature(readonlyMod(), '__shape', f.createToken(ts.SyntaxKind.QuestionToken), typeRef('S'))]),
        ])),
        `A row-major ${dtype} tensor${dtype === 'bool' ? ' (1 is true, 0 is false)' : ''}. \`__shape\` never exists at run time: it carries the shape for the type checker,`,
        'so a tensor of one shape is not accepted where another is expected.',
      ),
    );
  }

  statements.push(
    withDoc(
      f.createInterfaceDeclaration(exportMod(), 'PredictOptions', undefined, undefined, [
        withDoc(f.createPropertySignature(readonlyMod(), 'training', f.createToken(ts.SyntaxKind.QuestionToken), f.createKeywordTypeNode(ts.SyntaxKind.BooleanKeyword)), `Apply dropout as in training (Keras's \`training=True\`)${trainable ? '' : '; this model has no dropout, so nothing changes'}. Default false.`),
        withDoc(f.createPropertySignature(readonlyMod(), 'seed', f.createToken(ts.SyntaxKind.QuestionToken), numberType()), 'Seed of the dropout masks in training: the same seed gives the same masks. Default 0.'),
        ...(needsBatch
          ? [withDoc(f.createPropertySignature(readonlyMod(), 'batch', f.createToken(ts.SyntaxKind.QuestionToken), numberType()), 'The batch size: required, since every input has a run-time length and the batch is not fixed, so their sizes cannot tell both.')]
          : []),
      ]),
      'Options of a forward pass.',
    ),
  );

  // Shape constants.
  const constExport = (name: string, init: ts.Expression) => f.createVariableStatement(exportMod(), f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], ts.NodeFlags.Const));
  const inputTypes = (t: TypeMap) => graph.inputs.map((i) => t.get(i.name)![0]!);
  statements.push(
    withDoc(constExport('inputShapes', asConst(record(graph.inputs.map((i) => [i.name, shapeLiteral(i.shape)])))), 'Shapes of the inputs, batch first; null marks a dimension known only at run time.'),
    withDoc(constExport('outputShapes', asConst(record(graph.outputs.map((o, i) => [o.name, shapeLiteral(outputTypes(types)[i]!.shape)])))), 'Shapes of the outputs, batch first; null marks a dimension known only at run time.'),
    withDoc(constExport('weightShapes', asConst(treeRecord(weights, (q) => shapeLiteral(q.shape)))), "Shapes of every layer's parameters, in Keras's layout."),
  );
  if (stepTypes) {
    statements.push(
      withDoc(constExport('stepInputShapes', asConst(record(graph.inputs.map((i, k) => [i.name, shapeLiteral(inputTypes(stepTypes)[k]!.shape)])))), 'Shapes of the inputs of one streaming step (one timestep).'),
      withDoc(constExport('stepOutputShapes', asConst(record(graph.outputs.map((o, i) => [o.name, shapeLiteral(outputTypes(stepTypes)[i]!.shape)])))), 'Shapes of the outputs of one streaming step.'),
    );
  }

  // Inputs, Outputs, Weights.
  const ioInterface = (name: string, doc: string, t: TypeMap) => [
    withDoc(
      f.createInterfaceDeclaration(exportMod(), name.replace('Outputs', 'Inputs'), undefined, undefined, graph.inputs.map((input, k) => member(input.name, tensorType(inputTypes(t)[k]!), `Input "${input.name}": ${formatShape(inputTypes(t)[k]!.shape)}, ${input.dtype}, row-major (${where(input.pointer)}).`))),
      `The model inputs${doc}, by name.`,
    ),
    withDoc(
      f.createInterfaceDeclaration(exportMod(), name, undefined, undefined, graph.outputs.map((o, i) => member(o.name, tensorType(outputTypes(t)[i]!), `Output "${o.name}" = ${o.ref.node}${o.ref.output ? `.${o.ref.output}` : ''}: ${formatShape(outputTypes(t)[i]!.shape)}, row-major.`))),
      `The model outputs${doc}, by name.`,
    ),
  ];
  statements.push(...ioInterface('Outputs', '', types));
  if (stepTypes) statements.push(...ioInterface('StepOutputs', ' of one streaming step (one timestep)', stepTypes));
  statements.push(
    withDoc(
      f.createInterfaceDeclaration(exportMod(), 'Weights', undefined, undefined, treeMembers(weights)),
      "The parameters of every layer, flat row-major copies of Keras's arrays.",
    ),
  );

  // initWeights.
  let stream = 0;
  statements.push(
    withDoc(
      fn('initWeights', true, [param(params.length > 0 ? 'seed' : '_seed', numberType(), num(graph.seed))], typeRef('Weights'), [
        ret(treeRecord(weights, (q) => emitInitializer(moduleCtx, q.initializer, q.shape, newCall('Float32Array', size(q.shape)), call(moduleCtx.runtime('createRng'), 'seed', stream++)))),
      ]),
      "Draws initial weights with each layer's initializers (Keras's distributions), deterministically from `seed`.",
      `@param seed Default: the spec's seed, ${graph.seed}.`,
    ),
  );

  // loadWeights.
  const load: ts.Statement[] = [];
  const loadScope = moduleScope.fork();
  const loadGroup = (group: WeightGroup, local: string, path: string): ts.Expression => {
    load.push(stmt(call(moduleCtx.runtime('onlyKeys'), local, f.createArrayLiteralExpression(group.children.map(([k]) => str(k))), str(path))));
    return record(group.children.map(([k, child]) => {
      const childPath = `${path}.${k}`;
      if (child.kind === 'param') return [k, call(moduleCtx.runtime('readParam'), local, str(k), str(childPath), f.createArrayLiteralExpression(child.spec.shape.map(num)))];
      const childLocal = loadScope.allocate(`${childPath.slice('weights.'.length).replace(/\./g, '_')}_json`);
      load.push(constVar(childLocal, call(moduleCtx.runtime('member'), local, str(k), str(path))));
      return [k, loadGroup(child, childLocal, childPath)];
    }));
  };
  load.push(ret(loadGroup(weights, 'json', 'weights')));
  statements.push(
    withDoc(
      fn('loadWeights', true, [param('json', f.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword))], typeRef('Weights'), load),
      'Checks and loads weights in the JSON form of a weights file: one object per layer, each parameter a nested array',
      "in Keras's layout. Throws a TypeError or RangeError that names the layer, the parameter and the expected shape.",
    ),
  );

  // defaultWeights: the spec's weights file, embedded, or initWeights().
  const embedded = (group: WeightGroup, value: unknown): ts.Expression =>
    record(group.children.map(([k, child]) => {
      const v = (value as Record<string, unknown>)[k];
      if (child.kind === 'group') return [k, embedded(child, v)];
      const flat = ([] as unknown[]).concat(v).flat(Infinity) as number[];
      const literal = f.createArrayLiteralExpression(flat.map((x) => num(x)), false);
      return [k, newCall('Float32Array', literal)];
    }));
  statements.push(
    withDoc(
      fn('defaultWeights', true, [], typeRef('Weights'), [ret(weightsFile === undefined ? call('initWeights') : embedded(weights, weightsFile))]),
      weightsFile === undefined
        ? 'The weights a Model starts with: the spec names no weights file, so those of initWeights() (its seed).'
        : `The weights a Model starts with: the spec's weights file ${commentText(String(graph.weightsPath))}, checked and embedded at compile time.`,
    ),
  );

  // Regularization losses and constraints, with Keras's formulas.
  const leaves: { path: string[]; spec: ParamSpec }[] = [];
  const collect = (group: WeightGroup, path: string[]): void => {
    for (const [k, child] of group.children) {
      if (child.kind === 'param') leaves.push({ path: [...path, k], spec: child.spec });
      else collect(child, [...path, k]);
    }
  };
  collect(weights, []);
  const weightExpr = (path: string[]) => path.reduce<ts.Expression>((e, k) => prop(e, k), id('weights'));
  const regularized = leaves.filter((l) => l.spec.regularizer);
  const constrained = leaves.filter((l) => l.spec.constraint);
  statements.push(
    withDoc(
      fn('regularizationLoss', true, [param(regularized.length > 0 ? 'weights' : '_weights', typeRef('Weights'))], numberType(), [
        ret(regularized.reduce<ts.Expression>((sum, l) => add(sum, emitRegularizerLoss(moduleCtx, l.spec.regularizer!, weightExpr(l.path), l.spec.shape.slice(0, -1).reduce((a, b) => a * b, 1), l.spec.shape[l.spec.shape.length - 1] ?? 1)), num(0))),
      ]),
      "The weight regularization loss: the sum of every `*_regularizer`'s penalty on its weight (0 when the spec has none).",
      ...regularized.map((l) => `${l.path.join('.')}: ${describeRegularizer(l.spec.regularizer!)}`),
    ),
    withDoc(
      fn('applyConstraints', true, [param(constrained.length > 0 ? 'weights' : '_weights', typeRef('Weights'))], voidType(), constrained.map((l) => stmt(emitConstraint(moduleCtx, l.spec.constraint!, weightExpr(l.path), l.spec.shape)))),
      "Applies every `*_constraint` to its weight, in place, as Keras does after each optimizer step (nothing when the spec has none).",
      ...constrained.map((l) => `${l.path.join('.')}: ${describeConstraint(l.spec.constraint!)}`),
    ),
  );

  // The forward pass, and the streaming step.
  const states: StateDecl[] = [];
  const variant = (t: TypeMap, step: boolean): Variant => {
    const scope = moduleScope.fork();
    // Types of the forward pass's locals, for the parameters of hoisted functions.
    let registered = 0; // buffers already in localTypes
    const localTypes = new Map<string, () => ts.TypeNode>([['batch', numberType], ['weights', () => typeRef('Weights')], ['rng', rngType], ...symbols.map((sym) => [symbolName.get(sym)!, numberType] as [string, () => ts.TypeNode])]);
    const ctx: EmitContext = {
      ...contextFor(scope),
      hoist(hint, params, body, doc) {
        // A module-level name that no local of this forward pass takes either.
        let name = moduleScope.allocate(hint);
        while (scope.has(name)) name = moduleScope.allocate(hint);
        scope.reserve(name);
        for (; registered < buffers.length; registered++) {
          const b = buffers[registered]!;
          localTypes.set(b.name, () => typeRef(arrayOf[b.dtype]));
        }
        const used = identifiersIn(body);
        const free = [...used].filter((local) => localTypes.has(local) && !params.includes(local)).sort();
        hoisted.push(
          withDoc(
            fn(name, false, [...params.map((p) => param(p, numberType())), ...free.map((local) => param(local, localTypes.get(local)!()))], voidType(), body),
            ...(doc ? [doc] : []),
            `Called from ${step ? 'forwardStep' : 'forward'}: a function of its own stays small enough for V8 to optimize.`,
          ),
        );
        return (...args) => call(name, ...args, ...free);
      },
    };
    const tensorOf = new Map<string, Operand>();
    const maskOf = new Map<string, string>(); // tensor key -> its (rows, time) Uint8Array mask
    const activity: { spec: RegularizerSpec; operand: Operand; layer: LayerNode }[] = [];
    const key = (node: string, output: string | undefined) => (output === undefined ? node : `${node}.${output}`);
    for (const input of graph.inputs) {
      const operand = { buffer: scope.allocate(input.name), type: t.get(input.name)![0]! };
      tensorOf.set(input.name, operand);
      localTypes.set(operand.buffer, () => typeRef(arrayOf[operand.type.dtype]));
    }
    const buffers: { name: string; size: ts.Expression; dtype: DType; doc: string }[] = [];
    const body: ts.Statement[] = [];
    const stateLocals: ts.Statement[] = [];
    for (const layer of graph.layers) {
      const outTypes = t.get(layer.name)!;
      const outputs = layer.def.outputNames(layer.config).map((o, i) => {
        const operand = { buffer: scope.allocate(i === 0 ? layer.name : `${layer.name}_${o}`), type: outTypes[i]! };
        buffers.push({ name: operand.buffer, size: size(operand.type.shape, ctx), dtype: operand.type.dtype, doc: `${layer.name}${i === 0 ? '' : `.${o}`} ${formatShape(operand.type.shape)}` });
        tensorOf.set(key(layer.name, o), operand);
        if (i === 0) tensorOf.set(layer.name, operand);
        return operand;
      });
      const activityRegularizer = regularizerOf(layer.config.activity_regularizer);
      if (activityRegularizer) activity.push(...outputs.map((o) => ({ spec: activityRegularizer, operand: o, layer })));
      const operand = (r: { node: string; output: string | undefined }) => tensorOf.get(key(r.node, r.output))!;
      const inputs = layer.inputs.map(operand);
      const inputMask = layer.mask ? operand(layer.mask).buffer : maskOf.get(key(layer.inputs[0]!.node, layer.inputs[0]!.output));
      const inputMasks = layer.inputs.map((r) => maskOf.get(key(r.node, r.output)));
      const declared = layer.def.maskPolicy?.(layer.config) ?? 'drop';
      const policy = declared === 'merge' ? (layer.def.mergesMasks?.(layer.config, inputMasks.map((m) => m !== undefined)) ? 'produce' : 'drop') : declared;
      let outputMask: string | undefined;
      if (policy === 'produce') {
        const shape = outputs[0]!.type.shape;
        outputMask = scope.allocate(`${layer.name}_mask`);
        buffers.push({ name: outputMask, size: size(shape.slice(0, 2), ctx), dtype: 'bool', doc: `${layer.name}: its output mask ${formatShape(shape.slice(0, 2))}` });
      }
      const propagated = policy === 'produce' ? outputMask : policy === 'pass' ? inputMask : undefined;
      if (propagated !== undefined) {
        maskOf.set(layer.name, propagated);
        maskOf.set(key(layer.name, layer.def.outputNames(layer.config)[0]), propagated);
      }
      const layerStatements: ts.Statement[] = [];
      const io: LayerIO = {
        layer,
        rows: id('batch'),
        inputs,
        outputs,
        initialState: layer.initialState.map(operand),
        weight: (p) => [layer.name, ...p.split('/')].reduce<ts.Expression>((e, k) => prop(e, k), id('weights')),
        mask: inputMask,
        masks: inputMasks,
        outputMask,
        rng: !step && trainable ? 'rng' : undefined,
        scratch(role, elements) {
          const name = scope.allocate(`${layer.name}_${role}`);
          buffers.push({ name, size: ex(elements), dtype: 'float32', doc: `${layer.name}: ${role}` });
          return name;
        },
        state(role, units) {
          const carried = this.carry;
          const name = scope.allocate(`${layer.name}_state_${role}`);
          if (!carried) {
            buffers.push({ name, size: mul(this.rows, units), dtype: 'float32', doc: `${layer.name}: state ${role}, restarted every call` });
            return name;
          }
          if (!states.some((s) => s.layer === layer && s.role === role)) states.push({ layer, role, units });
          stateLocals.push(constVar(name, prop(prop('states', layer.name), role)));
          localTypes.set(name, () => typeRef('Float32Array'));
          return name;
        },
        carry: step || layer.config.stateful === true,
      };
      layerStatements.push(...layer.def.emit(ctx, io));
      const comment = `${layer.name}: ${layer.def.describe(layer.config)} (${where(layer.pointer)}), ${inputs.map((i) => formatShape(i.type.shape)).join(', ')} -> ${outputs.map((o) => formatShape(o.type.shape)).join(', ')}`;
      // Each layer is a function of its own: the forward pass stays a short list of calls that V8
      // optimizes however many layers there are, and a long layer compiles before the next runs.
      if (layerStatements.length > 0) body.push(withComment(stmt(ctx.hoist(`${step ? 'step' : 'forward'}_${layer.name}`, [], layerStatements, comment)()), comment));
    }
    const suffix = step ? 'Step' : '';
    const buffersName = `${suffix}Buffers`.replace(/^StepBuffers$/, 'StepBuffers');
    const outputsName = `${suffix}Outputs`;
    const inputsName = `${suffix}Inputs`;
    const outputsLiteral = record(graph.outputs.map((o) => [o.name, id(tensorOf.get(key(o.ref.node, o.ref.output))!.buffer)]));

    const dims = step ? [] : symbols.map((sym) => symbolName.get(sym)!);
    const buffersInterface = withDoc(
      f.createInterfaceDeclaration(undefined, buffersName, undefined, undefined, [
        member('batch', numberType()),
        ...dims.map((d) => member(d, numberType())),
        member('outputs', typeRef(outputsName)),
        ...buffers.map((b) => member(b.name, typeRef(arrayOf[b.dtype]), b.doc)),
      ]),
      `Output and scratch buffers of ${step ? 'one streaming step' : 'the forward pass'} for one batch size, allocated once and reused by every call.`,
    );
    const createBuffers = withDoc(
      fn(`create${buffersName}`, false, [param('batch', numberType()), ...dims.map((d) => param(d, numberType()))], typeRef(buffersName), [
        ...buffers.map((b) => constVar(b.name, newCall(arrayOf[b.dtype], b.size))),
        ret(f.createObjectLiteralExpression([
          f.createShorthandPropertyAssignment('batch'),
          ...dims.map((d) => f.createShorthandPropertyAssignment(d)),
          f.createPropertyAssignment('outputs', outputsLiteral),
          ...buffers.map((b) => f.createShorthandPropertyAssignment(b.name)),
        ], true)),
      ]),
      `Allocates the buffers of ${step ? 'one streaming step' : 'the forward pass'} for \`batch\` rows.`,
    );

    // Input checks: the batch size from the first input, the others must agree; run-time
    // lengths from the inputs that have them. Buffers are reused while the sizes stay the same.
    const checks: ts.Statement[] = [];
    const measured = new Set<string>();
    const ordered = graph.inputs.map((input, k) => ({ input, k })).sort((a, b) => Number(inputTypes(t)[a.k]!.shape.slice(1).some((d) => !isKnown(d))) - Number(inputTypes(t)[b.k]!.shape.slice(1).some((d) => !isKnown(d))));
    if (!step && needsBatch) checks.push(constVar('batch', call(moduleCtx.runtime('requireBatch'), 'batchSize')));
    ordered.forEach(({ input, k }, position) => {
      const shape = inputTypes(t)[k]!.shape;
      const known = shape.slice(1).reduce<number>((a, d) => a * (isKnown(d) ? d : 1), 1);
      const variable = shape.slice(1).filter((d): d is string => !isKnown(d));
      const first = position === 0 && !(!step && needsBatch);
      const fixed = isKnown(shape[0]!) ? shape[0] : first ? 0 : id('batch');
      // A function, so that batchOf is copied into the module only when a check calls it.
      const batchCheck = () => call(moduleCtx.runtime('batchOf'), prop('inputs', input.name), str(input.name), variable.length > 0 ? known : shape.slice(1).reduce<number>((a, d) => a * (d as number), 1), fixed as Ex);
      if (variable.length === 0) checks.push(first ? constVar('batch', batchCheck()) : stmt(batchCheck()));
      else if (first) checks.push(constVar('batch', isKnown(shape[0]!) ? shape[0] : batchCheck()));
      for (const sym of variable) {
        const length = call(moduleCtx.runtime('lengthOf'), prop('inputs', input.name), str(input.name), 'batch', known);
        if (!measured.has(sym)) checks.push(constVar(symbolName.get(sym)!, length));
        else checks.push(stmt(call(moduleCtx.runtime('sameLength'), length, symbolName.get(sym)!, str(input.name))));
        measured.add(sym);
      }
    });
    const sameSizes = dims.reduce<ts.Expression>((cond, d) => f.createLogicalAnd(cond, f.createStrictEquality(prop('buffers', d), id(d))), f.createLogicalAnd(f.createStrictInequality(id('buffers'), id('undefined')), f.createStrictEquality(prop('buffers', 'batch'), id('batch'))));
    const prepareName = step ? 'prepareStepBuffers' : 'prepareBuffers';
    const inputBatch = withDoc(
      fn(prepareName, false, [
        param('inputs', typeRef(inputsName)),
        param('buffers', f.createUnionTypeNode([typeRef(buffersName), f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)])),
        ...(!step && needsBatch ? [f.createParameterDeclaration(undefined, undefined, 'batchSize', f.createToken(ts.SyntaxKind.QuestionToken), numberType())] : []),
      ], typeRef(buffersName), [
        ...checks,
        ret(f.createConditionalExpression(sameSizes, undefined, id('buffers'), undefined, call(`create${buffersName}`, 'batch', ...dims))),
      ]),
      'Checks the inputs\' sizes (a RangeError names the input) and returns `buffers` when they fit them, else new buffers.',
    );

    const forwardBody: ts.Statement[] = [
      ...(mentions(body, 'batch') ? [constVar('batch', prop('buffers', 'batch'))] : []),
      ...dims.map((d) => constVar(d, prop('buffers', d))),
      ...graph.inputs.map((input) => withComment(constVar(tensorOf.get(input.name)!.buffer, prop('inputs', input.name)), `Input "${input.name}" ${formatShape(tensorOf.get(input.name)!.type.shape)} (${where(input.pointer)})`)),
      f.createVariableStatement(undefined, f.createVariableDeclarationList([
        f.createVariableDeclaration(f.createObjectBindingPattern(buffers.map((b) => f.createBindingElement(undefined, undefined, b.name))), undefined, undefined, id('buffers')),
      ], ts.NodeFlags.Const)),
      ...stateLocals,
      ...body,
    ];
    const forward = withDoc(
      fn(step ? 'forwardStep' : 'forward', false, [
        param('inputs', typeRef(inputsName)),
        param(params.length > 0 ? 'weights' : '_weights', typeRef('Weights')),
        ...(stateLocals.length > 0 ? [param('states', typeRef('States'))] : []),
        param('buffers', typeRef(buffersName)),
        ...(!step && trainable ? [param('rng', rngType())] : []),
      ], voidType(), forwardBody),
      step ? 'One streaming step: every input holds one timestep; recurrent layers continue from `states` and leave their new states there.' : 'The forward pass: reads `inputs` and `weights`, writes every layer output into `buffers`.',
    );
    const activityLoss = step
      ? undefined
      : withDoc(
          fn('activityLoss', false, [param(activity.length > 0 ? 'buffers' : '_buffers', typeRef(buffersName))], numberType(), [
            ret(activity.reduce<ts.Expression>((sum, a) => add(sum, f.createBinaryExpression(emitRegularizerLoss(ctx, a.spec, prop('buffers', a.operand.buffer), prop('buffers', 'batch'), a.operand.type.shape[a.operand.type.shape.length - 1] as number), ts.SyntaxKind.SlashToken, prop('buffers', 'batch'))), num(0))),
          ]),
          'The activity regularization loss of the last forward pass: each `activity_regularizer` on its layer\'s outputs, divided by the batch size as Keras 3 does.',
          ...activity.map((a) => `${a.layer.name} (${a.operand.buffer}): ${describeRegularizer(a.spec)}`),
        );
    return { forward, buffersInterface, createBuffers, inputBatch, activityLoss, usesStates: stateLocals.length > 0 };
  };

  const hoisted: ts.Statement[] = [];
  const whole = variant(types, false);
  const streaming = stepTypes ? variant(stepTypes, true) : undefined;
  const hasStates = states.length > 0;

  if (hasStates) {
    const byLayer = new Map<LayerNode, StateDecl[]>();
    for (const s of states) byLayer.set(s.layer, [...(byLayer.get(s.layer) ?? []), s]);
    statements.push(
      withDoc(
        f.createInterfaceDeclaration(exportMod(), 'States', undefined, undefined, [...byLayer].map(([layer, list]) =>
          member(layer.name, f.createTypeLiteralNode(list.map((s) => member(s.role, tensorType({ dtype: 'float32', shape: [batchDim, s.units] }), `State ${s.role} of ${layer.type} "${layer.name}", (batch, ${s.units}).`))), `${layer.type} layer "${layer.name}"${layer.config.stateful ? ' (stateful)' : ''}.`),
        )),
        'The recurrent states, by layer. Layers with `stateful: true` and streaming steps continue from them; others restart at zero every call.',
      ),
      withDoc(
        fn('createStates', false, [param('batch', numberType())], typeRef('States'), [
          ret(record([...byLayer].map(([layer, list]) => [layer.name, record(list.map((s) => [s.role, newCall('Float32Array', mul('batch', s.units))]))]))),
        ]),
        'Zero states for `batch` rows.',
      ),
    );
  }
  statements.push(...hoisted);
  statements.push(whole.buffersInterface, whole.createBuffers, whole.inputBatch, whole.forward, whole.activityLoss!);
  if (streaming) statements.push(streaming.buffersInterface, streaming.createBuffers, streaming.inputBatch, streaming.forward);

  // predict: the stateless convenience.
  statements.push(
    withDoc(
      fn('predict', true, [param('inputs', typeRef('Inputs')), param('weights', typeRef('Weights')), optionsParam(trainable || needsBatch)], typeRef('Outputs'), [
        constVar('buffers', call('prepareBuffers', 'inputs', id('undefined'), ...(needsBatch ? [optionsBatch('options')] : []))),
        stmt(call('forward', 'inputs', 'weights', ...(whole.usesStates ? [call('createStates', prop('buffers', 'batch'))] : []), 'buffers', ...(trainable ? [rngOf('options')] : []))),
        ret(prop('buffers', 'outputs')),
      ]),
      'The forward pass (inference) on fresh arrays: the inputs by name in, the outputs by name out. States start at zero.',
      'Throws a RangeError when an input does not have the size its shape requires. For repeated calls use `Model`, which allocates nothing per call.',
    ),
  );

  statements.push(modelClass(whole.usesStates, streaming?.usesStates, states, batchDim, (name) => moduleCtx.runtime(name), trainable ? rngOf : undefined, needsBatch));

  const header = [
    `// DO NOT EDIT: generated by modelc from ${commentText(graph.file)}.`,
    `// Model "${commentText(graph.name)}": ${graph.inputs.map((i) => `${i.name} ${formatShape(i.shape)}`).join(', ')} -> ${graph.outputs.map((o, i) => `${o.name} ${formatShape(outputTypes(types)[i]!.shape)}`).join(', ')}.`,
  ].join('\n');
  const runtimeNote = '// Runtime kernels (modelc src/runtime), copied so that this module imports nothing.';
  return `${[header, printStatements(statements), runtimeNote, ...runtimeText(used)].join('\n\n')}\n`;

  function size(shape: readonly Dim[], ctx: EmitContext = moduleCtx): ts.Expression {
    return mul(...shape.map((d) => ctx.dim(d)));
  }
}

/** Whether a layer (or a layer it wraps) drops units in training. */
function hasDropout(layer: LayerNode): boolean {
  const c = layer.config;
  return (typeof c.dropout === 'number' && c.dropout > 0) || (typeof c.recurrent_dropout === 'number' && c.recurrent_dropout > 0) ||
    (typeof c.rate === 'number' && c.rate > 0) || (layer.inner !== undefined && hasDropout(layer.inner)) || (layer.backward !== undefined && hasDropout(layer.backward));
}

/** The identifiers these statements read (property names after a dot are not identifiers they read). */
function identifiersIn(nodes: readonly ts.Node[]): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) found.add(node.text);
    else if (ts.isPropertyAccessExpression(node)) visit(node.expression);
    else ts.forEachChild(node, visit);
  };
  nodes.forEach(visit);
  return found;
}

/** Whether an identifier `name` occurs in these statements (so its declaration is not unused). */
function mentions(nodes: readonly ts.Node[], name: string): boolean {
  return identifiersIn(nodes).has(name);
}
