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

export interface KerasLayer {
  readonly name: string;
  readonly className: string;
  readonly module: string;
  readonly config: Record<string, unknown>;
  /** The main input(s): one tensor, or a list for merge layers. */
  readonly args: TensorRef | readonly TensorRef[] | undefined;
  readonly initialState: readonly TensorRef[];
  readonly mask: TensorRef | undefined;
  /** How many times the layer is called (more than one: a shared layer). */
  readonly calls: number;
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
    const layer = { name: l.name, className: l.className, module: l.module, config: l.config, args: previous, initialState: [], mask: undefined, calls: 1, scope: [] };
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

function readFunctional(name: string, entries: readonly unknown[], config: Json, problems: ImportProblem[]): KerasModel {
  const parsed = entries.map(layerJson);
  const inputs: KerasInput[] = [];
  const layers: KerasLayer[] = [];
  for (const l of parsed) {
    if (l.className === 'InputLayer') {
      inputs.push(inputOf(l.name, l.config));
      continue;
    }
    const nodes = Array.isArray(l.raw.inbound_nodes) ? l.raw.inbound_nodes : [];
    const node = nodes[0];
    let args: TensorRef | TensorRef[] | undefined;
    let initialState: TensorRef[] = [];
    let mask: TensorRef | undefined;
    const callOptions: Json = {};
    if (isObject(node)) {
      // Keras 3: { args: [tensor | [tensors]], kwargs: { mask, initial_state, training } }
      const list = Array.isArray(node.args) ? node.args : [];
      args = tensorOf(list[0]) ?? tensors(list[0]);
      const kwargs = isObject(node.kwargs) ? node.kwargs : {};
      if (l.className === 'MultiHeadAttention') args = attentionInputs(list, kwargs);
      else if (list.length > 1) {
        const more = tensors(list.slice(1));
        if (more) initialState = more;
      }
      for (const key of CALL_OPTIONS) if (typeof kwargs[key] === 'boolean') callOptions[key] = kwargs[key];
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
    if (args === undefined && nodes.length > 0) problems.push({ code: 'MC7004', message: `${l.className} layer "${l.name}": its inbound node is not in a form modelc reads.` });
    layers.push({ name: l.name, className: l.className, module: l.module, config: { ...l.config, ...callOptions }, args, initialState, mask, calls: nodes.length, scope: [] });
  }
  return flatten({ name, kind: 'Functional', inputs: refList(config.input_layers, 'input_layers').map((r) => inputs.find((i) => i.name === r.layer) ?? fail('MC7004', `The model's input "${r.layer}" is not an InputLayer of the config.`)), layers, outputs: refList(config.output_layers, 'output_layers') }, problems);
}

/** Call arguments that are layer options in a spec (Attention's, AdditiveAttention's, MultiHeadAttention's). */
const CALL_OPTIONS = ['use_causal_mask', 'return_attention_scores'] as const;

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
 * layers' outputs.
 */
function flatten(model: KerasModel, problems: ImportProblem[]): KerasModel {
  if (!model.layers.some((l) => MODEL_CLASSES.has(l.className))) return model;
  const outputsOf = new Map<string, readonly TensorRef[]>();
  const layers: KerasLayer[] = [];
  for (const l of model.layers) {
    if (!MODEL_CLASSES.has(l.className) || !Array.isArray(l.config.layers)) {
      layers.push(l);
      continue;
    }
    if (l.calls > 1) problems.push({ code: 'MC7005', message: `${l.className} model "${l.name}" is applied ${l.calls} times (shared, one set of weights); modelc cannot import shared layers or models yet.` });
    const inner = readKerasModel({ class_name: l.className, config: l.config }, problems);
    const fed = l.args === undefined ? [] : Array.isArray(l.args) ? (l.args as TensorRef[]) : [l.args as TensorRef];
    const fromInput = new Map(inner.inputs.map((input, i) => [input.name, fed[i]]));
    const sub = (t: TensorRef): TensorRef => (fromInput.has(t.layer) ? (fromInput.get(t.layer) ?? t) : t);
    const subArgs = (a: KerasLayer['args']) => (a === undefined ? a : Array.isArray(a) ? (a as TensorRef[]).map(sub) : sub(a as TensorRef));
    for (const il of inner.layers) layers.push({ ...il, args: subArgs(il.args), initialState: il.initialState.map(sub), mask: il.mask && sub(il.mask), scope: [l.name, ...il.scope] });
    outputsOf.set(l.name, inner.outputs.map(sub));
  }
  const out = (t: TensorRef): TensorRef => outputsOf.get(t.layer)?.[t.tensor] ?? t;
  const outArgs = (a: KerasLayer['args']) => (a === undefined ? a : Array.isArray(a) ? (a as TensorRef[]).map(out) : out(a as TensorRef));
  return {
    ...model,
    layers: layers.map((l) => ({ ...l, args: outArgs(l.args), initialState: l.initialState.map(out), mask: l.mask && out(l.mask) })),
    outputs: model.outputs.map(out),
  };
}
