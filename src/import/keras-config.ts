// A Keras model config (config.json of a `.keras` archive, or the `model_config` attribute of a
// legacy `.h5`) as a flat list of layers with their wiring. Sequential models are chained;
// Functional models are read from their inbound nodes: Keras 3's `{args, kwargs}` nodes whose
// tensors are `__keras_tensor__` objects with a `keras_history` [layer, node, tensor], and Keras
// 2's `[[layer, node, tensor, kwargs], ...]` lists. Objects that are not layers (`keras.src.ops`
// nodes) are told apart by their module, not by their class name.
import { fail, type ImportProblem } from './problems.js';

/** A tensor: output `tensor` of call `node` of layer `layer`. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

export interface KerasInput {
  readonly name: string;
  /** The batch dimension first, as in batch_shape. */
  readonly batchShape: readonly (number | null)[];
  readonly dtype: string;
}

/** One call of a layer (an inbound node): what it reads. */
export interface KerasCall {
  /** The main input(s): one tensor, or a list for merge layers. */
  readonly args: TensorRef | readonly TensorRef[] | undefined;
  readonly initialState: readonly TensorRef[];
  readonly mask: TensorRef | undefined;
}

export interface KerasLayer extends KerasCall {
  readonly name: string;
  readonly className: string;
  readonly module: string;
  readonly config: Record<string, unknown>;
  /** How many times the layer is called (more than one: a shared layer). */
  readonly calls: number;
  /** The calls after the first (node 1, 2, ...): a shared layer applied again, with the same weights. */
  readonly moreCalls: readonly KerasCall[];
  /** The nested models the layer was flattened out of, outermost first ([] at the top level). */
  readonly scope: readonly string[];
}

export interface KerasModel {
  readonly name: string;
  readonly kind: 'Sequential' | 'Functional';
  readonly inputs: readonly KerasInput[];
  readonly layers: readonly KerasLayer[];
  readonly outputs: readonly TensorRef[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a model config; problems that stop reading throw, others are collected into `problems`. */
export function readKerasModel(root: unknown, problems: ImportProblem[]): KerasModel {
  if (!isObject(root) || typeof root.class_name !== 'string' || !isObject(root.config)) fail('MC7004', 'The model config is not a Keras model: it needs "class_name" and "config".');
  const config = root.config as Json;
  const name = typeof config.name === 'string' ? config.name : 'model';
  const layers = Array.isArray(config.layers) ? config.layers : fail('MC7004', `The ${root.class_name} model "${name}" has no list of layers in its config.`);
  if (root.class_name === 'Sequential') return readSequential(name, layers, config, problems);
  if (root.class_name === 'Functional' || root.class_name === 'Model') return readFunctional(name, layers, config, problems);
  return fail('MC7004', `The model is a ${String(root.class_name)}; modelc imports Sequential and Functional models.`);
}

function layerJson(entry: unknown, index: number): { className: string; module: string; config: Json; name: string; raw: Json } {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) fail('MC7004', `Layer ${index + 1} of the model config has no "class_name" and "config".`);
  const config = entry.config as Json;
  const name = typeof entry.name === 'string' ? entry.name : typeof config.name === 'string' ? config.name : `layer_${index}`;
  return { className: entry.class_name as string, module: typeof entry.module === 'string' ? entry.module : 'keras.layers', config, name, raw: entry };
}

function inputOf(name: string, config: Json): KerasInput {
  const shape = config.batch_shape ?? config.batch_input_shape;
  if (!Array.isArray(shape) || !shape.every((d) => d === null || Number.isSafeInteger(d))) fail('MC7004', `InputLayer "${name}" has no batch_shape (or batch_input_shape).`);
  return { name, batchShape: shape as (number | null)[], dtype: typeof config.dtype === 'string' ? config.dtype : 'float32' };
}

function readSequential(name: string, entries: readonly unknown[], config: Json, problems: ImportProblem[]): KerasModel {
  const parsed = entries.map(layerJson);
  let input: KerasInput | undefined;
  const rest = parsed.filter((l) => {
    if (l.className !== 'InputLayer') return true;
    input = inputOf(l.name, l.config);
    return false;
  });
  if (!input) {
    const first = rest[0];
    const shape = first?.config.batch_shape ?? first?.config.batch_input_shape ?? config.build_input_shape;
    if (!Array.isArray(shape)) fail('MC7004', `The Sequential model "${name}" has no InputLayer and no input shape: build the model (or give it an Input) before saving.`);
    input = { name: 'input_layer', batchShape: shape as (number | null)[], dtype: typeof first?.config.dtype === 'string' ? first.config.dtype : 'float32' };
  }
  let previous: TensorRef = { layer: input.name, node: 0, tensor: 0 };
  const layers = rest.map((l): KerasLayer => {
    const layer = { name: l.name, className: l.className, module: l.module, config: l.config, args: previous, initialState: [], mask: undefined, calls: 1, moreCalls: [], scope: [] };
    previous = { layer: l.name, node: 0, tensor: 0 };
    return layer;
  });
  if (layers.length === 0) problems.push({ code: 'MC7004', message: `The Sequential model "${name}" has no layers.` });
  return flatten({ name, kind: 'Sequential', inputs: [input], layers, outputs: [previous] }, problems);
}

/** `["name", 0, 0]` or `[["name", 0, 0], ...]`, or a dict of them. */
function refList(value: unknown, what: string): TensorRef[] {
  const one = (v: unknown): TensorRef => {
    if (Array.isArray(v) && typeof v[0] === 'string' && Number.isSafeInteger(v[1]) && Number.isSafeInteger(v[2])) return { layer: v[0], node: v[1] as number, tensor: v[2] as number };
    return fail('MC7004', `The model's ${what} are not [layer, node, tensor] triples: ${JSON.stringify(v)?.slice(0, 80)}.`);
  };
  if (Array.isArray(value) && typeof value[0] === 'string') return [one(value)];
  if (Array.isArray(value)) return value.map(one);
  if (isObject(value)) return Object.values(value).map(one);
  return fail('MC7004', `The model config has no ${what}.`);
}

/** A Keras 3 `__keras_tensor__`, or a Keras 2 `[name, node, tensor, kwargs]`. */
function tensorOf(value: unknown): TensorRef | undefined {
  if (isObject(value) && value.class_name === '__keras_tensor__' && isObject(value.config)) {
    const h = (value.config as Json).keras_history;
    if (Array.isArray(h) && typeof h[0] === 'string') return { layer: h[0], node: Number(h[1]), tensor: Number(h[2]) };
  }
  if (Array.isArray(value) && typeof value[0] === 'string' && Number.isSafeInteger(value[1])) return { layer: value[0], node: value[1] as number, tensor: Number(value[2] ?? 0) };
  return undefined;
}

function tensors(value: unknown): TensorRef[] | undefined {
  const single = tensorOf(value);
  if (single) return [single];
  if (Array.isArray(value)) {
    const list = value.map(tensorOf);
    if (list.every((t) => t !== undefined)) return list as TensorRef[];
  }
  return undefined;
}

/** One inbound node: Keras 3's `{ args, kwargs }` or Keras 2's `[[layer, node, tensor, kwargs], ...]`. */
function readCall(node: unknown, className: string): KerasCall {
  let args: TensorRef | TensorRef[] | undefined;
  let initialState: TensorRef[] = [];
  let mask: TensorRef | undefined;
  if (isObject(node)) {
    // Keras 3: { args: [tensor | [tensors]], kwargs: { mask, initial_state, training } }
    const list = Array.isArray(node.args) ? node.args : [];
    args = tensorOf(list[0]) ?? tensors(list[0]);
    const kwargs = isObject(node.kwargs) ? node.kwargs : {};
    if (className === 'MultiHeadAttention') args = attentionInputs(list, kwargs);
    else if (list.length > 1) {
      const more = tensors(list.slice(1));
      if (more) initialState = more;
    }
    if (kwargs.initial_state !== undefined && kwargs.initial_state !== null) initialState = tensors(kwargs.initial_state) ?? [];
    if (kwargs.mask !== undefined && kwargs.mask !== null) mask = tensorOf(kwargs.mask);
  } else if (Array.isArray(node)) {
    // Keras 2: [[name, node, tensor, kwargs], ...]
    const list = node.map(tensorOf);
    if (list.every((t) => t !== undefined)) args = list.length === 1 ? list[0] : (list as TensorRef[]);
    const kwargs = Array.isArray(node[0]) && isObject(node[0][3]) ? (node[0][3] as Json) : {};
    if (kwargs.initial_state) initialState = tensors(kwargs.initial_state) ?? [];
    if (kwargs.mask) mask = tensorOf(kwargs.mask);
  }
  return { args, initialState, mask };
}

const key = (t: TensorRef) => `${t.layer}[${t.node}][${t.tensor}]`;

/**
 * The `NotEqual(ids, 0)` operations of a functional config that compute the mask of an
 * Embedding(mask_zero=True) on the same ids: Keras 3 records that mask as an operation of the graph
 * and passes it as `mask=` to the layers it reaches. modelc propagates that mask itself (as Keras
 * does when it is not an operation), so these nodes, and the `mask` arguments naming them, go.
 */
function embeddingMaskOps(parsed: readonly ReturnType<typeof layerJson>[]): Set<string> {
  const ids = new Set<string>();
  for (const l of parsed) {
    if (l.className !== 'Embedding' || l.config.mask_zero !== true || !Array.isArray(l.raw.inbound_nodes)) continue;
    for (const call of l.raw.inbound_nodes.map((node: unknown) => readCall(node, l.className))) if (call.args && !Array.isArray(call.args)) ids.add(key(call.args as TensorRef));
  }
  const ops = new Set<string>();
  for (const l of parsed) {
    const node: unknown = Array.isArray(l.raw.inbound_nodes) && l.raw.inbound_nodes.length === 1 ? l.raw.inbound_nodes[0] : undefined;
    const args = isObject(node) && Array.isArray(node.args) ? node.args : Array.isArray(node) && Array.isArray(node[0]) ? [node[0], (node[0] as unknown[])[3]] : [];
    const read = tensorOf(args[0]);
    if (l.className === 'NotEqual' && read && ids.has(key(read)) && (args[1] === 0 || (isObject(args[1]) && args[1].y === 0))) ops.add(l.name);
  }
  return ops;
}

function readFunctional(name: string, entries: readonly unknown[], config: Json, problems: ImportProblem[]): KerasModel {
  const parsed = entries.map(layerJson);
  const maskOps = embeddingMaskOps(parsed);
  const inputs: KerasInput[] = [];
  const layers: KerasLayer[] = [];
  const withoutMaskOp = (call: KerasCall): KerasCall => (call.mask && maskOps.has(call.mask.layer) ? { ...call, mask: undefined } : call);
  for (const l of parsed) {
    if (l.className === 'InputLayer') {
      inputs.push(inputOf(l.name, l.config));
      continue;
    }
    if (maskOps.has(l.name)) continue;
    const nodes: unknown[] = Array.isArray(l.raw.inbound_nodes) ? l.raw.inbound_nodes : [];
    const calls = nodes.map((node) => readCall(node, l.className)).map(withoutMaskOp);
    calls.forEach((call, i) => {
      if (call.args === undefined) problems.push({ code: 'MC7004', message: `${l.className} layer "${l.name}": its inbound node${nodes.length > 1 ? ` ${i}` : ''} is not in a form modelc reads.` });
    });
    const first = calls[0] ?? { args: undefined, initialState: [], mask: undefined };
    layers.push({ name: l.name, className: l.className, module: l.module, config: { ...l.config, ...callOptions(nodes[0]) }, ...first, calls: nodes.length, moreCalls: calls.slice(1), scope: [] });
  }
  const modelInputs = refList(config.input_layers, 'input_layers').map((r) => inputs.find((i) => i.name === r.layer) ?? fail('MC7004', `The model's input "${r.layer}" is not an InputLayer of the config.`));
  return flatten(renumberNodes({ name, kind: 'Functional', inputs: modelInputs, layers, outputs: refList(config.output_layers, 'output_layers') }), problems);
}

/**
 * Node indices counted within this model. TensorFlow.js (like Keras 2 before it remapped them)
 * writes a layer's node index among all its calls, so a Sequential called twice in a model, which
 * made a node of its own when it was built, is read as nodes 1 and 2 of its two inbound nodes:
 * the indices a layer's readers use are renumbered in order, 0 for the first of its calls here.
 */
function renumberNodes(model: KerasModel): KerasModel {
  const calls = new Map(model.layers.map((l) => [l.name, l.calls]));
  const used = new Map<string, Set<number>>();
  const all = model.layers.flatMap((l) => [l, ...l.moreCalls]);
  const refs = (c: KerasCall) => [...(c.args === undefined ? [] : Array.isArray(c.args) ? (c.args as TensorRef[]) : [c.args as TensorRef]), ...c.initialState, ...(c.mask ? [c.mask] : [])];
  for (const t of [...all.flatMap(refs), ...model.outputs]) used.set(t.layer, (used.get(t.layer) ?? new Set()).add(t.node));
  const shifted = new Map<string, number[]>();
  for (const [layer, nodes] of used) if (Math.max(...nodes) >= (calls.get(layer) ?? 1)) shifted.set(layer, [...nodes].sort((a, b) => a - b));
  if (shifted.size === 0) return model;
  const renumber = (t: TensorRef): TensorRef => (shifted.has(t.layer) ? { ...t, node: shifted.get(t.layer)!.indexOf(t.node) } : t);
  return { ...model, layers: model.layers.map((l) => ({ ...l, ...mapCall(l, renumber), moreCalls: l.moreCalls.map((c) => mapCall(c, renumber)) })), outputs: model.outputs.map(renumber) };
}

/** Call arguments that are layer options in a spec (Attention's, AdditiveAttention's, MultiHeadAttention's). */
const CALL_OPTIONS = ['use_causal_mask', 'return_attention_scores'] as const;

/** The CALL_OPTIONS a Keras 3 inbound node passes as keyword arguments. */
function callOptions(node: unknown): Json {
  const kwargs = isObject(node) && isObject(node.kwargs) ? node.kwargs : {};
  return Object.fromEntries(CALL_OPTIONS.filter((key) => typeof kwargs[key] === 'boolean').map((key) => [key, kwargs[key]]));
}

/** MultiHeadAttention's call (query, value, key=None, attention_mask=None, ...) as a spec's inputs: [query, value, key?, attention_mask?]. */
function attentionInputs(list: readonly unknown[], kwargs: Json): TensorRef[] | undefined {
  const [query, value, key] = [list[0] ?? kwargs.query, list[1] ?? kwargs.value, list[2] ?? kwargs.key].map(tensorOf);
  const attentionMask = tensorOf(list[3] ?? kwargs.attention_mask);
  if (!query || !value) return undefined;
  return [query, value, ...(key ? [key] : []), ...(attentionMask ? [attentionMask] : [])];
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/**
 * Nested models flattened into the outer one: the inner layers keep their own names (Keras
 * makes them unique) and remember their scope (for their weights' paths); the inner model's
 * inputs become what the outer model feeds it, and references to its outputs become the inner
 * layers' outputs. A nested model called several times (a shared encoder) makes every inner
 * layer a shared layer: call k of the model is call k of each of its layers.
 */
function flatten(model: KerasModel, problems: ImportProblem[]): KerasModel {
  if (!model.layers.some((l) => MODEL_CLASSES.has(l.className))) return model;
  /** Per call of a nested model, its outputs as tensors of its inner layers. */
  const outputsOf = new Map<string, (readonly TensorRef[])[]>();
  const layers: KerasLayer[] = [];
  for (const l of model.layers) {
    if (!MODEL_CLASSES.has(l.className) || !Array.isArray(l.config.layers)) {
      layers.push(l);
      continue;
    }
    const inner = readKerasModel({ class_name: l.className, config: l.config }, problems);
    const calls: KerasCall[] = [l, ...l.moreCalls];
    if (calls.length > 1 && inner.layers.some((il) => il.calls > 1)) {
      problems.push({ code: 'MC7005', message: `${l.className} model "${l.name}" is applied ${calls.length} times and calls some of its own layers more than once; modelc imports a shared nested model whose layers are each called once in it.` });
    }
    const innerNames = new Set(inner.layers.map((il) => il.name));
    // Call k of the model: its inputs are what that call is fed, its layers' tensors are their call k.
    const subs = calls.map((call, k) => {
      const fed = call.args === undefined ? [] : Array.isArray(call.args) ? (call.args as TensorRef[]) : [call.args as TensorRef];
      const fromInput = new Map(inner.inputs.map((input, i) => [input.name, fed[i]]));
      return (t: TensorRef): TensorRef => (fromInput.has(t.layer) ? (fromInput.get(t.layer) ?? t) : k > 0 && innerNames.has(t.layer) ? { ...t, node: k } : t);
    });
    for (const il of inner.layers) {
      const [first, ...rest] = subs.length > 1 ? subs.map((sub) => mapCall(il, sub)) : [mapCall(il, subs[0]!), ...il.moreCalls.map((c) => mapCall(c, subs[0]!))];
      layers.push({ ...il, ...first!, calls: 1 + rest.length, moreCalls: rest, scope: [l.name, ...il.scope] });
    }
    outputsOf.set(l.name, subs.map((sub) => inner.outputs.map(sub)));
  }
  const out = (t: TensorRef): TensorRef => outputsOf.get(t.layer)?.[t.node]?.[t.tensor] ?? t;
  return {
    ...model,
    layers: layers.map((l) => ({ ...l, ...mapCall(l, out), moreCalls: l.moreCalls.map((c) => mapCall(c, out)) })),
    outputs: model.outputs.map(out),
  };
}

/** A call with every tensor it reads passed through `f`. */
function mapCall(call: KerasCall, f: (t: TensorRef) => TensorRef): KerasCall {
  const args = call.args === undefined ? undefined : Array.isArray(call.args) ? (call.args as TensorRef[]).map(f) : f(call.args as TensorRef);
  return { args, initialState: call.initialState.map(f), mask: call.mask && f(call.mask) };
}
