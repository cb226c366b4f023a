// `modelc import`: a trained model file -> a spec (YAML text) and its weights (.safetensors
// bytes), or the list of problems. Nothing here writes files. The steps: read the container
// (zip, HDF5), read the Keras config (keras-config.ts), convert it (convert.ts), compile the
// spec with modelc itself (so the spec is known to be valid and every parameter's name and
// shape comes from modelc's own layer rules), then take each parameter from the weights file
// in Keras's variable order and check its shape. Every variable must be used exactly once.
import { compile } from '../compile.js';
import { formatShape } from '../shapes/dim.js';
import { graphParams } from '../ir/params.js';
import { encodeSafetensors, type Tensor } from '../weights/safetensors.js';
import { convertModel, isRecurrentClass, kerasSublayer, legacySublayer, type ConvertedModel, type Provenance } from './convert.js';
import { H5File } from './hdf5.js';
import { readKerasModel, type KerasLayer, type KerasModel } from './keras-config.js';
import { errorText, fail, ImportFailure, type ImportProblem } from './problems.js';
import { writeSpec } from './write-spec.js';
import { readTfjsWeights } from './tfjs.js';
import { readZip } from './zip.js';

export interface Imported {
  readonly specText: string;
  readonly weights: Uint8Array;
  /** One line for the command's output: what was imported. */
  readonly summary: string;
}

export interface ImportOptions {
  /** The model file's name, for messages and the spec's header. */
  readonly file: string;
  /** The spec's `name` (the generated module's). */
  readonly name: string;
  /** The weights file name written beside the spec (`NAME.safetensors`). */
  readonly weightsFile: string;
  /** Reads a file beside the model file (TensorFlow.js weight shards); absent: none can be read. */
  readonly readSibling?: (path: string) => Uint8Array | undefined;
}

/** Imports a model file; returns the files to write, or the problems (never throws for a bad file). */
export function importModel(bytes: Uint8Array, options: ImportOptions): Imported | { problems: readonly ImportProblem[] } {
  try {
    if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) return importKeras3(bytes, options);
    if (bytes.length >= 4 && bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) return importLegacyH5(bytes, options);
    const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    if (first >= 0 && bytes[first] === 0x7b) return importTfjs(bytes, options);
    if (/\.keras$/i.test(options.file)) fail('MC7002', `"${options.file}" is not a zip archive, as a .keras file must be (it may be truncated or damaged).`);
    return fail('MC7001', `"${options.file}" is neither a Keras 3 .keras archive, a Keras .h5 file nor a TensorFlow.js model.json.`, 'modelc imports .keras files, legacy full-model .h5 files and TensorFlow.js layers models.');
  } catch (error) {
    if (error instanceof ImportFailure) return { problems: error.problems };
    // A file shaped in a way no check foresaw: still a diagnostic, never a stack trace.
    return { problems: [{ code: 'MC7004', message: `"${options.file}" could not be imported: its content is not what a ${/\.json$/i.test(options.file) ? 'TensorFlow.js model' : 'Keras model file'} holds (${errorText(error)}).`, hint: 'if the file loads in Keras or TensorFlow.js, this is a modelc bug worth reporting.' }] };
  }
}

function parseJson(bytes: Uint8Array | undefined, what: string): unknown {
  if (bytes === undefined) fail('MC7002', `The archive has no ${what}: not a Keras 3 .keras file.`);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return fail('MC7004', `The archive's ${what} is not valid JSON (${errorText(error)}).`);
  }
}

function importKeras3(bytes: Uint8Array, options: ImportOptions): Imported | { problems: readonly ImportProblem[] } {
  const entries = readZip(bytes, ['config.json', 'metadata.json', 'model.weights.h5'], options.file);
  const config = parseJson(entries.get('config.json'), 'config.json');
  const metadata = entries.has('metadata.json') ? parseJson(entries.get('metadata.json'), 'metadata.json') : {};
  const version = String((metadata as { keras_version?: unknown }).keras_version ?? 'unknown');
  const h5Bytes = entries.get('model.weights.h5') ?? fail('MC7002', `"${options.file}" has no model.weights.h5: not a complete Keras 3 .keras file.`);
  const h5 = new H5File(h5Bytes, `${options.file} (model.weights.h5)`);
  const problems: ImportProblem[] = [];
  const model = readKerasModel(config, problems);
  const locate = keras3Locator(h5, model);
  return finish(model, problems, { hardSigmoidIsKeras2: version.startsWith('2.'), legacyDefaults: version.startsWith('2.') }, `Keras ${version} .keras archive`, h5, locate, 'layers', options);
}

function importLegacyH5(bytes: Uint8Array, options: ImportOptions): Imported | { problems: readonly ImportProblem[] } {
  const h5 = new H5File(bytes, options.file);
  const configText = h5.attr('', 'model_config');
  if (typeof configText !== 'string') fail('MC7004', `"${options.file}" has no model_config attribute: it holds weights only (save the whole model with model.save("x.h5")), or is not a Keras file.`);
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (error) {
    fail('MC7004', `The model_config of "${options.file}" is not valid JSON (${errorText(error)}).`);
  }
  const version = String(h5.attr('', 'keras_version') ?? 'unknown');
  const problems: ImportProblem[] = [];
  const model = readKerasModel(config, problems);
  return finish(model, problems, { hardSigmoidIsKeras2: !version.startsWith('3.'), legacyDefaults: !version.startsWith('3.') }, `Keras ${version} legacy .h5`, h5, legacyLocator(h5), 'model_weights', options);
}

function importTfjs(bytes: Uint8Array, options: ImportOptions): Imported | { problems: readonly ImportProblem[] } {
  const json = parseJson(bytes, 'model.json') as { modelTopology?: unknown; weightsManifest?: unknown; format?: unknown };
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) fail('MC7004', `"${options.file}" has no modelTopology: not a TensorFlow.js layers model.json.`);
  if (json.format !== undefined && json.format !== 'layers-model') fail('MC7004', `"${options.file}" is a TensorFlow.js ${String(json.format)}; modelc imports layers models (tf.LayersModel, format "layers-model").`);
  const topology = json.modelTopology as { model_config?: unknown; keras_version?: unknown };
  const config = topology.model_config ?? topology;
  const version = String(topology.keras_version ?? 'tfjs-layers');
  const weights = readTfjsWeights(json.weightsManifest, options.file, (path) => options.readSibling?.(path));
  const source: WeightSource = {
    isDataset: (path) => weights.tensors.has(path),
    float32: (path) => weights.tensors.get(path)!,
    datasets: () => [...weights.order],
  };
  const byLayer = new Map<string, string[]>();
  for (const name of weights.order) {
    const layer = name.split('/')[0]!;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), name]);
  }
  const locate: Locator = ({ name: layer, className }, _inner, param, index) => {
    const names = byLayer.get(layer) ?? [];
    const half = className === 'Bidirectional' ? names.filter((n) => /(^|\/)backward_/.test(n.slice(layer.length)) === param.startsWith('backward/')) : names;
    return half[index];
  };
  const problems: ImportProblem[] = [];
  const model = readKerasModel(config, problems);
  return finish(model, problems, { hardSigmoidIsKeras2: true, legacyDefaults: true }, `TensorFlow.js model.json (${version})`, source, locate, '', options);
}

/** Where a parameter of a layer is stored: its dataset path, or undefined when there is none. */
type Locator = (layer: KerasLayer, innerClass: string | undefined, param: string, index: number) => string | undefined;

/**
 * Keras 3: `layers/<snake_case class name>[_N]/` per layer (found by the `name` attribute of its
 * `vars` group since Keras 3.6, else by counting classes in layer order), then `cell/` for a
 * recurrent layer, `layer/` inside TimeDistributed, `forward_layer/` and `backward_layer/`
 * inside Bidirectional, then `vars/<i>` in the layer's variable order.
 */
function keras3Locator(h5: H5File, model: KerasModel): Locator {
  // The groups of one `layers` folder by the `name` attribute of their `vars`.
  const named = new Map<string, Map<string, string>>();
  const byName = (root: string): Map<string, string> => {
    let map = named.get(root);
    if (!map) {
      map = new Map();
      for (const key of h5.keys(root)) {
        const name = h5.attr(`${root}/${key}/vars`, 'name');
        if (typeof name === 'string') map.set(name, `${root}/${key}`);
      }
      named.set(root, map);
    }
    return map;
  };
  // Before Keras 3.6 there is no name attribute: count classes in layer order (top level only).
  const counted = new Map<string, string>();
  const counts = new Map<string, number>();
  const classes = [...(model.kind === 'Functional' ? model.inputs.map((i) => ({ name: i.name, className: 'InputLayer', scope: [] as string[] })) : []), ...model.layers];
  for (const l of classes) {
    if (l.scope.length > 0) continue;
    const snake = snakeCase(l.className);
    const n = counts.get(snake) ?? 0;
    counts.set(snake, n + 1);
    counted.set(l.name, `layers/${snake}${n === 0 ? '' : `_${n}`}`);
  }
  return (layer, innerClass, param, index) => {
    let root = 'layers';
    for (const scope of layer.scope) {
      const group = byName(root).get(scope);
      if (group === undefined) return undefined;
      root = `${group}/layers`;
    }
    const base = byName(root).get(layer.name) ?? (layer.scope.length === 0 ? counted.get(layer.name) : undefined);
    if (base === undefined) return undefined;
    const className = layer.className;
    const parts = param.split('/');
    let path = base;
    let cls = className;
    if (className === 'Bidirectional') {
      path += parts[0] === 'backward' ? '/backward_layer' : '/forward_layer';
      cls = innerClass ?? '';
    } else if (className === 'TimeDistributed') {
      path += '/layer';
      cls = innerClass ?? '';
    } else if (className === 'MultiHeadAttention') path += `/${kerasSublayer(parts[0]!)}`;
    if (isRecurrentClass(cls)) path += '/cell';
    return `${path}/vars/${index}`;
  };
}

/**
 * Legacy .h5: `model_weights/<layer>/` with the datasets listed, in order, by its `weight_names`
 * attribute (split as weight_names0, 1, ... when large). A layer of a nested model has its weights
 * in the group of the outermost model, named `<model>/.../<layer>/...`.
 */
function legacyLocator(h5: H5File): Locator {
  return ({ name: layer, className, scope }, _inner, param, index) => {
    const group = `model_weights/${scope[0] ?? layer}`;
    const prefix = `${[...scope, layer].join('/')}/`;
    const names = chunkedAttr(h5, group, 'weight_names').filter((n) => scope.length === 0 || n.startsWith(prefix));
    // Keras orders a Bidirectional's weights forward then backward; `index` counts within a half.
    const half = className === 'Bidirectional' ? names.filter((n) => /(^|\/)backward_/.test(n) === param.startsWith('backward/')) : className === 'MultiHeadAttention' ? names.filter((n) => legacySublayer(n) === param.split('/')[0]) : names;
    const name = half[index];
    return name === undefined ? undefined : `${group}/${name}`;
  };
}

function chunkedAttr(h5: H5File, path: string, name: string): string[] {
  const whole = h5.attr(path, name);
  const list: unknown[] = [];
  if (whole !== undefined) list.push(...(Array.isArray(whole) ? whole : [whole]));
  else for (let i = 0; ; i++) {
    const part = h5.attr(path, `${name}${i}`);
    if (part === undefined) break;
    list.push(...(Array.isArray(part) ? part : [part]));
  }
  return list.map(String);
}

export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Where the weight variables come from: an HDF5 file, or a TensorFlow.js manifest's shards. */
export interface WeightSource {
  isDataset(path: string): boolean;
  float32(path: string): { readonly shape: readonly number[]; readonly data: Float32Array };
  /** Every variable under `root`. */
  datasets(root: string): string[];
}

function finish(model: KerasModel, problems: ImportProblem[], provenance: Provenance, format: string, h5: WeightSource, locate: Locator, weightsRoot: string, options: ImportOptions): Imported | { problems: readonly ImportProblem[] } {
  const converted: ConvertedModel = convertModel(model, provenance, problems);
  if (problems.length > 0) return { problems };
  const base = options.file.replace(/^.*[\\/]/, '');
  const specText = writeSpec(
    {
      comment: [`Imported by \`modelc import\` from ${JSON.stringify(base)}: ${format}, ${model.kind} model ${JSON.stringify(model.name)}.`, `The weights are in ${options.weightsFile}. Re-import rather than edit when the model changes.`],
      name: options.name,
      weights: options.weightsFile,
    },
    converted,
  );
  // modelc compiles the spec (without weights): its diagnostics become import problems, and its
  // parameter list says which variable goes where.
  const compiled = compile(specText, `${options.name}.yaml`);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !compiled.graph || !compiled.types) {
    return { problems: errors.map((d) => ({ code: 'MC7006', message: `modelc cannot compile the imported model: ${d.code} ${d.message}`, hint: d.hint })) };
  }
  const tensors = new Map<string, Tensor>();
  const used = new Set<string>();
  const kerasLayer = new Map(model.layers.map((l) => [l.name, l]));
  for (const { layer, params } of graphParams(compiled.graph, compiled.types)) {
    const keras = kerasLayer.get(layer.name)!;
    const inner = (keras.config.layer as { class_name?: string } | undefined)?.class_name;
    const counters = new Map<string, number>();
    for (const param of params) {
      const container = param.name.includes('/') ? param.name.split('/')[0]! : '';
      const index = counters.get(container) ?? 0;
      counters.set(container, index + 1);
      const what = `variable "${param.name}" (${index}) of ${keras.className} layer "${layer.name}"`;
      const path = locate(keras, inner, param.name, index);
      if (path === undefined || !h5.isDataset(path)) {
        problems.push({ code: 'MC7007', message: `The weights have no ${what}${path ? ` at "${path}"` : ''}; expected shape ${formatShape(param.shape)}.` });
        continue;
      }
      used.add(path);
      const tensor = h5.float32(path);
      if (tensor.shape.join() !== param.shape.join()) {
        problems.push({ code: 'MC7008', message: `The ${what} at "${path}" has shape ${formatShape(tensor.shape)}; modelc's ${layer.type} needs ${formatShape(param.shape)} (${param.layout}).` });
        continue;
      }
      const bad = tensor.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        problems.push({ code: 'MC5005', message: `The ${what} holds ${tensor.data[bad]} at flat index ${bad}, which is not a finite number.` });
        continue;
      }
      tensors.set(`${layer.name}/${param.name}`, tensor);
    }
  }
  for (const path of h5.datasets(weightsRoot)) {
    if (!used.has(path)) problems.push({ code: 'MC7009', message: `The weights have a variable "${path}" that no layer of the imported model uses.`, hint: 'a layer of the model may have options modelc dropped; this is a bug worth reporting.' });
  }
  if (problems.length > 0) return { problems };
  const count = [...tensors.values()].reduce((a, t) => a + t.data.length, 0);
  return {
    specText,
    weights: encodeSafetensors(tensors, { source: base, format }),
    summary: `${format}: ${model.layers.length} layers, ${count} parameters`,
  };
}
