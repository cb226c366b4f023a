// Lowering: graph + shapes -> ModulePlan. Each layer emits its kernel IR once, into a function of
// its own (hoisted with every buffer, input, state or size it reads as parameters); the forward
// pass and the streaming step are the same list of calls over different bindings.
import { nodeMap, weightsOwner, type Graph, type LayerNode, type TensorRef, type TypeMap } from '../ir/graph.js';
import { graphParams, weightTree } from '../ir/params.js';
import { add, call, div, id, mul, num, prop, runtimeCallee, stmt, withComment, type Ex } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import { namesIn } from '../kernel/visit.js';
import type { EmitContext, LayerIO, Operand } from '../layers/layer.js';
import { regularizerOf } from '../layers/options/regularizers.js';
import { runtimeFileOf } from '../runtime/index.js';
import { BATCH, formatShape, isKnown, type Dim, type DType, type TensorType } from '../shapes/dim.js';
import { typeOf } from '../shapes/infer.js';
import type { SourceFile } from '../source/source-file.js';
import { NameAllocator } from '../emit/names.js';
import { lengthChecks } from './length-checks.js';
import { propagateMasks, tensorKey, type MaskSource } from './masks.js';
import type { ActivityTerm, BufferDecl, KernelFunction, ModulePlan, ParamType, StateDecl, StreamPlan } from './plan.js';
import { reuseFunction } from './share-functions.js';
import { sharedTimeTypes } from './stream.js';

export interface LowerInput {
  readonly graph: Graph;
  readonly types: TypeMap;
  /** Types with every input's time axis set to 1, when the model can be streamed one timestep at a time. */
  readonly stepTypes?: TypeMap | undefined;
  readonly source: SourceFile;
  /** The spec's weights file, checked. */
  readonly weights?: unknown;
  /** false: no defaultWeights() (default true). */
  readonly embedWeights?: boolean;
}

/** Names the module declares at top level; nothing from a spec may take them. */
export const moduleNames = [
  'inputs', 'weights', 'states', 'buffers', 'batch', 'seed', 'json', 'Float32Tensor', 'Int32Tensor', 'BoolTensor', 'Inputs', 'Outputs', 'Weights', 'States',
  'StepInputs', 'StepOutputs', 'Buffers', 'StepBuffers', 'inputShapes', 'outputShapes', 'weightShapes', 'stepInputShapes', 'stepOutputShapes', 'initWeights',
  'loadWeights', 'loadSafetensors', 'defaultWeights', 'defaultWeightsBase64', 'defaultWeightsData', 'predict', 'Model', 'PredictOptions', 'rng', 'options', 'regularizationLoss', 'applyConstraints', 'activityLoss', 'forward', 'forwardStep', 'createBuffers', 'createStepBuffers', 'createStates', 'prepareBuffers', 'prepareStepBuffers',
];

const arrayParam = (dtype: DType): ParamType => ({ kind: 'array', dtype });
const numberParam: ParamType = { kind: 'number' };

export function lowerModule(input: LowerInput): ModulePlan {
  const { graph, types } = input;
  const moduleScope = new NameAllocator([...moduleNames, ...runtimeFileOf.keys()]);
  const where = (pointer: string) => `${graph.file}:${input.source.position(graph.spans.value(pointer).start).line}`;
  const params = graphParams(graph, types).filter((p) => p.params.length > 0);
  const symbols = [...new Set(graph.inputs.flatMap((i) => i.shape.slice(1).filter((d) => !isKnown(d))))].map((dim) => ({ dim, name: moduleScope.allocate(String(dim)) }));
  const batchDim = graph.inputs[0]!.shape[0]!;
  const symbolName = new Map(symbols.map((s) => [s.dim, s.name]));
  const shared = input.stepTypes ? sharedTimeTypes(types, input.stepTypes) : undefined;
  const steps = (shared?.lengths ?? []).map((l) => ({ symbol: l.symbol, name: moduleScope.allocate(String(l.symbol)), length: l.length }));
  // A dimension in code: a literal, the variable of a symbol, or the formula of an expression.
  const dimOf = (d: Dim): Expr => {
    if (isKnown(d)) return num(d);
    switch (d.kind) {
      case 'symbol': {
        if (d === BATCH) return id('batch');
        const name = steps.find((s) => s.symbol === d)?.name ?? symbolName.get(d);
        if (name === undefined) throw new Error(`internal: unknown dimension ${String(d)}`);
        return id(name);
      }
      case 'sum':
        return add(...d.terms.map(dimOf), d.constant);
      case 'product':
        return mul(...d.factors.map(dimOf), d.constant);
      case 'floorDiv':
      case 'ceilDiv':
        return call(d.kind === 'floorDiv' ? 'Math.floor' : 'Math.ceil', div(dimOf(d.of), d.by));
    }
  };
  const stream: StreamPlan | undefined =
    shared && input.stepTypes
      ? { steps: steps.map((s) => ({ symbol: s.symbol, name: s.name, forward: dimOf(s.length) })), restart: moduleScope.allocate('restart'), types: input.stepTypes }
      : undefined;
  const trainable = graph.layers.some(hasDropout);
  const compiledLength = (d: Dim) => {
    const length = shared?.lengths.find((l) => l.symbol === d)?.length;
    return length !== undefined && isKnown(length) ? length : undefined;
  };
  const sizeNames = [...symbols.map((s) => s.name), ...(stream?.steps.map((s) => s.name) ?? [])];
  const lowered = lowerLayers({ graph, kernelTypes: shared?.types ?? types, forwardTypes: types, moduleScope, where, dimOf, compiledLength, sizeNames, stream, trainable });
  return {
    graph,
    types,
    where,
    weights: weightTree(params, (layer) => `${layer.type} layer "${layer.name}" (${where(layer.pointer)}).`),
    hasParams: params.length > 0,
    batchDim,
    symbols,
    trainable,
    needsBatch: !isKnown(batchDim) && graph.inputs.every((i) => i.shape.slice(1).some((d) => !isKnown(d))),
    lengthChecks: lengthChecks(graph, types, dimOf),
    ...lowered,
    stream,
    weightsFile: input.weights,
    embedWeights: input.embedWeights !== false,
  };
}

interface LayerLowering {
  readonly graph: Graph;
  /** The types the kernels are written for: the forward pass's, or the shared ones with `steps`. */
  readonly kernelTypes: TypeMap;
  readonly forwardTypes: TypeMap;
  readonly moduleScope: NameAllocator;
  readonly where: (pointer: string) => string;
  readonly dimOf: (d: Dim) => Expr;
  readonly compiledLength: (d: Dim) => number | undefined;
  /** The variables of run-time sizes. */
  readonly sizeNames: readonly string[];
  readonly stream: StreamPlan | undefined;
  readonly trainable: boolean;
}

type Lowered = Pick<ModulePlan, 'inputs' | 'outputs' | 'buffers' | 'states' | 'functions' | 'calls' | 'activity'>;

/** Every layer's kernel IR, each in a function of its own, and the calls of the pass. */
function lowerLayers(l: LayerLowering): Lowered {
  const { graph, moduleScope } = l;
  const scope = moduleScope.fork();
  const nodes = nodeMap(graph);
  const buffers: BufferDecl[] = [];
  const states: StateDecl[] = [];
  const functions: KernelFunction[] = [];
  const calls: Stmt[] = [];
  const activity: ActivityTerm[] = [];
  // Every name a kernel function may read from the pass, with its type: its parameters.
  const scopeTypes = new Map<string, ParamType>([['batch', numberParam], ['weights', { kind: 'weights' }], ['rng', { kind: 'rng' }]]);
  for (const name of l.sizeNames) scopeTypes.set(name, numberParam);
  if (l.stream?.restart) scopeTypes.set(l.stream.restart, { kind: 'boolean' });
  const declare = (b: BufferDecl) => {
    buffers.push(b);
    scopeTypes.set(b.name, arrayParam(b.dtype));
  };
  const size = (shape: readonly Dim[]) => mul(...shape.map(l.dimOf));

  const ctx: EmitContext = {
    names: scope,
    runtime: runtimeCallee,
    dim: l.dimOf,
    compiledLength: l.compiledLength,
    where: l.where,
    hoist(hint, params, body, doc) {
      // A module-level name that no local of the pass takes either.
      let name = moduleScope.allocate(hint);
      while (scope.has(name)) name = moduleScope.allocate(hint);
      scope.reserve(name);
      const free = [...namesIn(body)].filter((n) => scopeTypes.has(n) && !params.includes(n)).sort();
      functions.push({
        name,
        params: [...params.map((p) => ({ name: p, type: numberParam })), ...free.map((n) => ({ name: n, type: scopeTypes.get(n)! }))],
        body,
        doc: [...(doc ? [doc] : []), `Called from ${l.stream ? 'forward and forwardStep' : 'forward'}: a function of its own stays small enough for V8 to optimize.`],
      });
      return (...args: Ex[]) => call(name, ...args, ...free);
    },
  };

  const tensorOf = new Map<string, Operand>();
  const maskBuffer = new Map<LayerNode, string>();
  const operand = (r: TensorRef) => tensorOf.get(tensorKey(r.node, r.output))!;
  const maskName = (m: MaskSource | undefined) => (m === undefined ? undefined : m.kind === 'tensor' ? operand(m.ref).buffer : maskBuffer.get(m.layer));
  const inputs = graph.inputs.map((node) => {
    const op = { buffer: scope.allocate(node.name), type: l.kernelTypes.get(node.name)![0]! };
    tensorOf.set(node.name, op);
    scopeTypes.set(op.buffer, arrayParam(op.type.dtype));
    return { node, buffer: op.buffer };
  });
  const masks = propagateMasks(graph);
  /** The function of each shared layer's first call, and the layers some entry shares. */
  const shared = new Map<string, KernelFunction>();
  const sharedOwners = new Set(graph.layers.flatMap((l) => (l.shares === undefined ? [] : [l.shares])));

  for (const layer of graph.layers) {
    const outTypes = l.kernelTypes.get(layer.name)!;
    const outputs = layer.def.outputNames(layer.config).map((o, i) => {
      const op: Operand = { buffer: scope.allocate(i === 0 ? layer.name : `${layer.name}_${o}`), type: outTypes[i]! };
      const shape = l.forwardTypes.get(layer.name)![i]!.shape;
      declare({ name: op.buffer, size: size(op.type.shape), dtype: op.type.dtype, doc: `${layer.name}${i === 0 ? '' : `.${o}`} ${formatShape(shape)}`, passes: 'both' });
      tensorOf.set(tensorKey(layer.name, o), op);
      if (i === 0) tensorOf.set(layer.name, op);
      return op;
    });
    const activityRegularizer = regularizerOf(layer.config.activity_regularizer);
    if (activityRegularizer) activity.push(...outputs.map((o) => ({ spec: activityRegularizer, operand: o, layer })));
    const layerMasks = masks.get(layer)!;
    let outputMask: string | undefined;
    if (layerMasks.produces) {
      const shape = outputs[0]!.type.shape.slice(0, 2);
      outputMask = scope.allocate(`${layer.name}_mask`);
      maskBuffer.set(layer, outputMask);
      declare({ name: outputMask, size: size(shape), dtype: 'bool', doc: `${layer.name}: its output mask ${formatShape(l.forwardTypes.get(layer.name)![0]!.shape.slice(0, 2))}`, passes: 'both' });
    }
    // A Bidirectional is stateful when the layer it wraps is, as Keras's `Bidirectional.stateful = layer.stateful`:
    // both directions then carry their final states into the next call; so is a TimeDistributed over a stateful recurrent layer.
    const stateful = layer.config.stateful === true || (layer.inner?.def.recurrent === true && layer.inner.config.stateful === true);
    const io: LayerIO = {
      layer,
      rows: id('batch'),
      inputs: layer.inputs.map(operand),
      outputs,
      initialState: layer.initialState.map(operand),
      weight: (p) => [weightsOwner(layer), ...p.split('/')].reduce<Expr>((e, k) => prop(e, k), id('weights')),
      mask: maskName(layerMasks.input),
      masks: layerMasks.inputs.map(maskName),
      outputMask,
      rng: l.trainable ? 'rng' : undefined,
      scratch(role, elements) {
        const name = scope.allocate(`${layer.name}_${role}`);
        declare({ name, size: mul(elements), dtype: 'float32', doc: `${layer.name}: ${role}`, passes: 'both' });
        return name;
      },
      state(role, units) {
        const name = scope.allocate(`${layer.name}_state_${role}`);
        if (this.restart === true) {
          declare({ name, size: mul(this.rows, units), dtype: 'float32', doc: `${layer.name}: state ${role}, restarted every call`, passes: 'both' });
          return name;
        }
        states.push({ layer, role, units, name, carriedByForward: stateful });
        if (!stateful) declare({ name, size: mul(this.rows, units), dtype: 'float32', doc: `${layer.name}: state ${role}, restarted every forward pass`, passes: 'forward' });
        scopeTypes.set(name, arrayParam('float32'));
        return name;
      },
      restart: stateful ? false : (l.stream?.restart ?? true),
    };
    const body = layer.def.emit(ctx, io);
    const shapes = (list: readonly TensorType[]) => list.map((t) => formatShape(t.shape)).join(', ');
    const inTypes = layer.inputs.map((r) => typeOf(l.kernelTypes, nodes, r)!);
    const shares = layer.shares === undefined ? '' : `, the weights of ${layer.shares}`;
    const comment = `${layer.name}: ${layer.def.describe(layer.config)}${shares} (${l.where(layer.pointer)}), ${shapes(inTypes)} -> ${shapes(outTypes)}`;
    // Each layer is a function of its own: the pass stays a short list of calls that V8 optimizes
    // however many layers there are, and a long layer compiles before the next runs.
    if (body.length === 0) continue;
    // A later call of a shared layer calls the first call's function when their code differs only in names.
    const first = layer.shares === undefined ? undefined : shared.get(layer.shares);
    const reused = first && reuseFunction(first, body, (name) => scopeTypes.get(name));
    calls.push(withComment(stmt(reused ?? ctx.hoist(`forward_${layer.name}`, [], body, comment)()), comment));
    if (layer.shares === undefined && sharedOwners.has(layer.name)) shared.set(layer.name, functions[functions.length - 1]!);
  }
  const outputs = graph.outputs.map((binding) => ({ binding, buffer: operand(binding.ref).buffer }));
  return { inputs, outputs, buffers, states, functions, calls, activity };
}

/** Whether a layer (or a layer it wraps) drops units in training. */
function hasDropout(layer: LayerNode): boolean {
  return layer.def.hasDropout?.(layer.config) === true || (layer.inner !== undefined && hasDropout(layer.inner)) || (layer.backward !== undefined && hasDropout(layer.backward));
}
