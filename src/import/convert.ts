// A Keras model (keras-config.ts) as a modelc spec: the model's own input and layer names, only
// the options that differ from modelc's defaults, wiring written only where it is not the
// previous layer's main output. Every layer class modelc lacks, every option it does not
// support and every name a spec cannot hold is collected as a problem naming the layer, its
// class and what is supported. Options that only matter for training (initializers,
// regularizers, constraints, seeds) are left out: the imported weights replace the
// initializers, and the generated module does not train.
import { layerByType } from '../layers/registry.js';
import type { LayerDef } from '../layers/layer.js';
import type { KerasCall, KerasLayer, KerasModel, TensorRef } from './keras-config.js';
import type { ImportProblem } from './problems.js';

/** Semantics that depend on where the file comes from, never on names alone. */
export interface Provenance {
  /** Keras 2 and TensorFlow.js mean clip(0.2x + 0.5, 0, 1) by "hard_sigmoid". */
  readonly hardSigmoidIsKeras2: boolean;
  /**
   * Keras 2 and TensorFlow.js configs: an option written as null means "the default", and a GRU
   * without reset_after is reset_after: false (TensorFlow.js's default, and old Keras's).
   */
  readonly legacyDefaults: boolean;
}

export type SpecValue = string | number | boolean | null | readonly SpecValue[] | { readonly [key: string]: SpecValue };
export type SpecObject = Record<string, SpecValue>;

export interface SpecLayer {
  readonly name: string;
  readonly className: string;
  /** The nested models it was flattened out of, outermost first. */
  readonly scope: readonly string[];
  /** The options, `type` first, in modelc's option order; wiring (`input`, `inputs`, ...) last. */
  readonly entry: SpecObject;
}

export interface ConvertedModel {
  readonly inputs: [string, SpecObject][];
  readonly layers: SpecLayer[];
  readonly outputs: string[] | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Keys that carry no inference semantics, or that modelc handles itself. */
const IGNORED = new Set(['name', 'trainable', 'dtype', 'seed', 'build_config', 'registered_name', 'module', 'shared_object_id', 'batch_input_shape', 'batch_shape', 'input_dtype']);
/** Training-time options: left out of the spec (see the header). */
const TRAINING = /(_initializer|_regularizer|_constraint)$/;
/** Keys whose value must be null/false/0 (Keras features modelc does not have), else a problem. */
const MUST_BE_OFF = new Set(['quantization_config', 'lora_rank', 'sparse', 'ragged', 'lora_alpha', 'renorm', 'use_cudnn']);
/** BatchNormalization options that mean something only with renorm (which must be off). */
const RENORM = new Set(['renorm_clipping', 'renorm_momentum']);
/** Options written as one-element tuples by Keras (`kernel_size: [3]`). */
const SINGLE = new Set(['kernel_size', 'strides', 'dilation_rate', 'pool_size']);
const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN', 'ConvLSTM1D', 'ConvLSTM2D']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function convertModel(model: KerasModel, provenance: Provenance, problems: ImportProblem[]): ConvertedModel {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const inputNames = new Set(model.inputs.map((i) => i.name));
  const badName = (name: string, what: string) => {
    if (NAME.test(name)) return false;
    problems.push({ code: 'MC7010', message: `The ${what} name ${show(name)} cannot be used in a spec: names are letters, digits, "_" and "-", not starting with a digit.`, hint: 'rename it in Keras (layer.name) and save the model again.' });
    return true;
  };

  // Keras casts what an Embedding reads to integers: such an input holds token ids, whatever
  // dtype the file gives it (TensorFlow.js and Keras 2 leave it float32).
  const tokenInputs = new Set(model.layers.filter((l) => l.className === 'Embedding').flatMap((l) => [l, ...l.moreCalls]).flatMap((c) => (c.args && !Array.isArray(c.args) ? [(c.args as TensorRef).layer] : [])));
  const inputs: [string, SpecObject][] = model.inputs.map((input) => {
    badName(input.name, 'input');
    const entry: SpecObject = { shape: input.batchShape.slice(1) };
    if (input.batchShape[0] !== null && input.batchShape[0] !== undefined) entry.batch_size = input.batchShape[0];
    const dtype = /^u?int(8|16|32|64)$/.test(input.dtype) || (tokenInputs.has(input.name) && /^float/.test(input.dtype)) ? 'int32' : input.dtype;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') problems.push({ code: 'MC7006', message: `Input "${input.name}" has dtype ${input.dtype}; modelc supports float32, int32 (token ids) and bool inputs.` });
    else if (dtype !== 'float32') entry.dtype = dtype;
    return [input.name, entry];
  });

  // A shared layer's calls after the first are entries `{ name: <layer>_call_<node>, shares: <layer> }`
  // (Keras's node index, as its summary writes `layer[node][tensor]`), named clear of every other name.
  const taken = new Set([...inputNames, ...model.layers.map((l) => l.name)]);
  const callNames = new Map<string, string>();
  for (const layer of model.layers) {
    layer.moreCalls.forEach((_, i) => {
      let name = `${layer.name}_call_${i + 1}`;
      while (taken.has(name)) name = `${name}_`;
      taken.add(name);
      callNames.set(`${layer.name}[${i + 1}]`, name);
    });
  }

  // The spec reference of a Keras tensor: an input, a layer's main output, or NAME.OUTPUT.
  const converted = new Map<string, SpecObject>();
  const failed = new Set<string>();
  const refOf = (t: TensorRef, user: KerasLayer): string => {
    if (inputNames.has(t.layer)) return t.layer;
    const producer = byName.get(t.layer);
    const options = converted.get(t.layer);
    if (failed.has(t.layer)) return t.layer; // reported where it is defined: no cascade
    if (!producer || !options) {
      problems.push({ code: 'MC7004', message: `${user.className} layer "${user.name}" reads "${t.layer}", which is not an earlier layer or input of the model.` });
      return t.layer;
    }
    const call = t.node === 0 ? t.layer : callNames.get(`${t.layer}[${t.node}]`);
    if (call === undefined) {
      problems.push({ code: 'MC7004', message: `${user.className} layer "${user.name}" reads call ${t.node} of "${t.layer}", which is called ${producer.calls} time${producer.calls === 1 ? '' : 's'}.` });
      return t.layer;
    }
    if (t.tensor === 0) return call;
    const names = layerByType.get(String(options.type))?.outputNames(options) ?? [];
    const output = names[t.tensor];
    if (output === undefined) {
      problems.push({ code: 'MC7004', message: `${user.className} layer "${user.name}" reads output ${t.tensor} of "${t.layer}", which modelc's ${producer.className} does not have (its outputs: ${names.join(', ')}).` });
      return call;
    }
    return `${call}.${output}`;
  };

  const layers: SpecLayer[] = [];
  let previous: string | undefined = model.inputs.length === 1 ? model.inputs[0]!.name : undefined;
  /** One entry: the layer's options (or `shares`), then its wiring, written only where it is not the previous entry's main output. */
  const push = (name: string, layer: KerasLayer, entry: SpecObject, call: KerasCall, scope: readonly string[]): void => {
    if (call.args !== undefined) {
      if (Array.isArray(call.args)) entry.inputs = (call.args as TensorRef[]).map((t) => refOf(t, layer));
      else {
        const ref = refOf(call.args as TensorRef, layer);
        if (ref !== previous) entry.input = ref;
      }
    }
    if (call.initialState.length > 0) entry.initial_state = call.initialState.map((t) => refOf(t, layer));
    if (call.mask) entry.mask = refOf(call.mask, layer);
    layers.push({ name, className: layer.className, scope, entry });
    previous = name;
  };
  // Later calls of shared layers, each written once everything it reads is (at the end, the rest, which then report what is missing).
  const pending: { layer: KerasLayer; call: KerasCall; name: string }[] = [];
  const ready = (t: TensorRef) => inputNames.has(t.layer) || (converted.has(t.layer) && (t.node === 0 || written.has(callNames.get(`${t.layer}[${t.node}]`) ?? '')));
  const written = new Set<string>();
  const flush = (all = false): void => {
    for (let i = 0; i < pending.length; ) {
      const { layer, call, name } = pending[i]!;
      const reads = [...(call.args === undefined ? [] : Array.isArray(call.args) ? (call.args as TensorRef[]) : [call.args as TensorRef]), ...call.initialState, ...(call.mask ? [call.mask] : [])];
      if (!all && !reads.every(ready)) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      if (failed.has(layer.name)) continue;
      push(name, layer, { shares: layer.name }, call, layer.scope);
      written.add(name);
      i = 0;
    }
  };
  for (const layer of model.layers) {
    if (badName(layer.name, `${layer.className} layer`)) {
      failed.add(layer.name);
      continue;
    }
    if (inputNames.has(layer.name)) problems.push({ code: 'MC7010', message: `Layer "${layer.name}" has the name of a model input; a spec needs them distinct.` });
    const options = convertLayer(layer, provenance, problems, false);
    if (!options) {
      failed.add(layer.name);
      continue;
    }
    converted.set(layer.name, options);
    push(layer.name, layer, { ...options }, layer, layer.scope);
    layer.moreCalls.forEach((call, i) => pending.push({ layer, call, name: callNames.get(`${layer.name}[${i + 1}]`)! }));
    flush();
  }
  flush(true);

  const outputs = model.outputs.map((t) => (inputNames.has(t.layer) ? t.layer : refOf(t, { name: 'outputs', className: 'model' } as KerasLayer)));
  const last = layers[layers.length - 1]?.name;
  const plain = outputs.length === 1 && outputs[0] === last;
  return { inputs, layers, outputs: plain ? undefined : outputs };
}

/** One layer's options in spec form (`type` first), or undefined (with a problem) when modelc lacks the class. */
function convertLayer(layer: { name: string; className: string; module: string; config: Record<string, unknown> }, provenance: Provenance, problems: ImportProblem[], wrapped: boolean): SpecObject | undefined {
  const where = `${layer.className} layer "${layer.name}"`;
  if (!/^keras(\.src)?\.layers|^keras$|^tensorflow|^tfjs/.test(layer.module) && layer.module !== '') {
    problems.push({ code: 'MC7005', message: `"${layer.name}" is a ${layer.className} from module ${layer.module}, not a Keras layer; modelc imports Keras layers only.`, hint: `supported layers: ${[...layerByType.keys()].join(', ')}.` });
    return undefined;
  }
  const def = layerByType.get(layer.className);
  if (!def) {
    const nested = layer.className === 'Sequential' || layer.className === 'Functional' || layer.className === 'Model';
    problems.push({
      code: 'MC7005',
      message: nested ? `${where} is a nested model; modelc cannot import nested models yet.` : `${where}: modelc has no layer ${layer.className}.`,
      hint: nested ? 'save the inner model\'s layers in one flat model.' : `supported layers: ${[...layerByType.keys()].join(', ')}.`,
    });
    return undefined;
  }
  if (isObject(layer.config.dtype) ? !same((layer.config.dtype.config as Record<string, unknown> | undefined)?.name, 'float32') : layer.config.dtype !== undefined && layer.config.dtype !== 'float32') {
    problems.push({ code: 'MC7006', message: `${where} computes in dtype ${show(layer.config.dtype)}; modelc computes in float32.` });
  }
  const entry: SpecObject = { type: def.type };
  const config = layer.config;
  // modelc's option order (the registry's), then whatever else the Keras config has.
  const keys = [...Object.keys(def.options).filter((k) => k in config), ...Object.keys(config).filter((k) => !(k in def.options))];
  for (const key of keys) {
    const raw = config[key];
    if (RENORM.has(key) && config.renorm !== true) continue;
    if (IGNORED.has(key) || TRAINING.test(key) || key === 'layer' || key === 'backward_layer') continue;
    if (wrapped && key === 'zero_output_for_mask' && layer.className !== 'TimeDistributed') continue; // Bidirectional sets it from return_sequences
    if (MUST_BE_OFF.has(key)) {
      if (raw !== null && raw !== false && raw !== 0 && raw !== undefined) problems.push({ code: 'MC7006', message: `${where} has ${key} = ${show(raw)}; modelc supports this layer without ${key}.` });
      continue;
    }
    const schema = def.options[key];
    if (!schema) {
      if (raw === null || raw === false || raw === undefined) continue;
      problems.push({ code: 'MC7006', message: `${where} has the option ${key} = ${show(raw)}, which modelc's ${def.type} does not support.`, hint: `${def.type} options: ${Object.keys(def.options).join(', ')}.` });
      continue;
    }
    if (raw === null && provenance.legacyDefaults && !/activation$/.test(key)) continue;
    const value = optionValue(def, key, raw, config, where, provenance, problems);
    if (value === undefined) continue;
    const fallback = 'default' in schema ? schema.default : undefined;
    if (same(value, fallback) || (fallback === undefined && value === null)) continue;
    entry[key] = value;
  }
  if (def.type === 'GRU' && provenance.legacyDefaults && config.reset_after === undefined) entry.reset_after = false;
  if (def.wrapper) {
    const inner = innerLayer(config.layer, layer.name, 'layer', problems);
    if (!inner) return undefined;
    const innerEntry = convertLayer(inner, provenance, problems, true);
    if (!innerEntry) return undefined;
    entry.layer = innerEntry;
    if (def.backwardLayer && config.backward_layer !== undefined && config.backward_layer !== null) {
      const back = innerLayer(config.backward_layer, layer.name, 'backward_layer', problems);
      const backEntry = back && convertLayer(back, provenance, problems, true);
      if (!backEntry) return undefined;
      // Keras saves the backward copy it made itself: leave it out when it is just that.
      const flipped = { ...innerEntry, go_backwards: !(innerEntry.go_backwards ?? false) };
      if (flipped.go_backwards === false) delete (flipped as Record<string, unknown>).go_backwards;
      if (!same(sorted(flipped), sorted(backEntry))) entry.backward_layer = backEntry;
    }
  }
  return entry;
}

function sorted(o: SpecObject): SpecObject {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function innerLayer(value: unknown, outer: string, key: string, problems: ImportProblem[]) {
  if (!isObject(value) || typeof value.class_name !== 'string' || !isObject(value.config)) {
    problems.push({ code: 'MC7004', message: `Wrapper layer "${outer}" has no valid "${key}" in its config.` });
    return undefined;
  }
  const config = value.config as Record<string, unknown>;
  return { name: typeof config.name === 'string' ? `${outer}/${config.name}` : outer, className: value.class_name, module: typeof value.module === 'string' ? value.module : 'keras.layers', config };
}

/** A Keras option value in modelc's spelling; undefined (with a problem) when it cannot be written. */
function optionValue(def: LayerDef, key: string, raw: unknown, config: Record<string, unknown>, where: string, provenance: Provenance, problems: ImportProblem[]): SpecValue | undefined {
  let value = raw;
  if (SINGLE.has(key) && Array.isArray(value) && value.length === 1) value = value[0];
  if (key === 'strides' && /^(Max|Average)Pooling[12]D$/.test(def.type)) {
    const pool = Array.isArray(config.pool_size) && config.pool_size.length === 1 ? config.pool_size[0] : config.pool_size;
    if (same(value, pool)) return null; // modelc's default: strides = pool_size
  }
  if ((key === 'activation' || key === 'recurrent_activation') && value === null) value = 'linear'; // Keras: None is linear
  if ((key === 'activation' || key === 'recurrent_activation') && typeof value === 'string') {
    if (value === 'linear') value = def.options[key] && 'default' in def.options[key]! && def.options[key]!.default === null ? null : 'linear';
    else if (value === 'hard_sigmoid' && provenance.hardSigmoidIsKeras2) value = 'hard_sigmoid_keras2';
  }
  if ((key === 'activation' || key === 'recurrent_activation') && isObject(value)) {
    problems.push({ code: 'MC7006', message: `${where} has a custom ${key} ${show(value)}; modelc supports Keras's built-in activations by name.` });
    return undefined;
  }
  if (key === 'axis' && Array.isArray(value) && value.length === 1) value = value[0];
  if (key === 'noise_shape' || key === 'target_shape' || key === 'dims') value = Array.isArray(value) ? [...value] : value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    problems.push({ code: 'MC7006', message: `${where} has ${key} = ${show(value)}, a value modelc cannot take over.` });
    return undefined;
  }
  return value as SpecValue;
}

/** Whether a class is one of the recurrent layers (their weights live under `cell/`). */
export function isRecurrentClass(className: string): boolean {
  return RECURRENT.has(className);
}

/**
 * The folder of a MultiHeadAttention parameter's EinsumDense in a Keras 3 weights file, named after
 * the attribute that holds it: `query/kernel` -> query_dense, `attention_output/...` ->
 * output_dense, `gate/...` -> _gate_dense (no property exposes it, so its underscore stays).
 */
export function kerasSublayer(container: string): string {
  return container === 'gate' ? '_gate_dense' : `${container === 'attention_output' ? 'output' : container}_dense`;
}

/** The sublayer a legacy `.h5` weight name belongs to: `mha/query/kernel` (or `...:0`) -> query. */
export function legacySublayer(weightName: string): string | undefined {
  return weightName.split('/').at(-2);
}
