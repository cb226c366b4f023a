// A Keras file as a spec's weights (`weights: model.keras`, `.weights.h5`, `.h5`), read by layer
// name, so the Keras file can stay the source of truth: in Keras 3 files (a `.keras` archive's
// model.weights.h5, or a `.weights.h5` from save_weights) each layer is the `layers/<x>` group
// whose `vars` carry the layer's name (Keras 3.6 and later), its variables in order under
// `cell/` (recurrent), `layer/` (TimeDistributed), `forward_layer/` and `backward_layer/`
// (Bidirectional), `query_dense/`, ..., `output_dense/` (MultiHeadAttention); in legacy `.h5` files it is the group named after the layer (under
// `model_weights/` in a full-model file), in its `weight_names` order. The variables of a
// matched layer that no parameter takes are returned too, so the check reports them.
import type { LayerParams } from '../ir/params.js';
import { H5File } from '../import/hdf5.js';
import { ImportFailure } from '../import/problems.js';
import { kerasSublayer, legacySublayer } from '../import/convert.js';
import { readZip } from '../import/zip.js';
import type { Tensor } from './safetensors.js';

const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN']);

/** Tensors keyed `layer/param`; throws Error with a message for people when the file cannot be read. */
export function kerasWeightTensors(bytes: Uint8Array, file: string, layers: readonly LayerParams[]): Map<string, Tensor> {
  try {
    let h5Bytes = bytes;
    let where = file;
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
      h5Bytes = readZip(bytes, ['model.weights.h5'], file).get('model.weights.h5') ?? fail(`"${file}" has no model.weights.h5.`);
      where = `${file} (model.weights.h5)`;
    }
    const h5 = new H5File(h5Bytes, where);
    return h5.isGroup('layers') ? keras3(h5, layers, file) : legacy(h5, h5.isGroup('model_weights') ? 'model_weights' : '', layers);
  } catch (error) {
    if (error instanceof ImportFailure) throw new Error(error.problems.map((p) => p.message).join(' '));
    throw error;
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function keras3(h5: H5File, layers: readonly LayerParams[], file: string): Map<string, Tensor> {
  const groups = new Map<string, string>();
  for (const key of h5.keys('layers')) {
    const name = h5.attr(`layers/${key}/vars`, 'name');
    if (typeof name === 'string') groups.set(name, `layers/${key}`);
  }
  if (groups.size === 0 && h5.keys('layers').length > 0) fail(`"${file}" does not name its layers (it was saved by Keras before 3.6): import it with \`modelc import\` instead.`);
  const tensors = new Map<string, Tensor>();
  for (const { layer, params } of layers) {
    const base = groups.get(layer.name);
    if (base === undefined) continue; // reported as missing by the check
    const inner = layer.inner?.type;
    const used = new Set<string>();
    const counters = new Map<string, number>();
    for (const param of params) {
      const parts = param.name.split('/');
      const container = parts.length > 1 ? parts[0]! : '';
      const index = counters.get(container) ?? 0;
      counters.set(container, index + 1);
      let path = base;
      let cls = layer.type;
      if (layer.type === 'Bidirectional') {
        path += container === 'backward' ? '/backward_layer' : '/forward_layer';
        cls = (container === 'backward' ? layer.backward?.type : undefined) ?? inner ?? '';
      } else if (layer.type === 'TimeDistributed') {
        path += '/layer';
        cls = inner ?? '';
      } else if (layer.type === 'MultiHeadAttention') path += `/${kerasSublayer(container)}`;
      if (RECURRENT.has(cls)) path += '/cell';
      path += `/vars/${index}`;
      if (!h5.isDataset(path)) continue;
      used.add(path);
      tensors.set(`${layer.name}/${param.name}`, h5.float32(path));
    }
    for (const path of h5.datasets(base)) if (!used.has(path)) tensors.set(`${layer.name}/${path.slice(base.length + 1)}`, h5.float32(path));
  }
  return tensors;
}

function legacy(h5: H5File, root: string, layers: readonly LayerParams[]): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  for (const { layer, params } of layers) {
    const group = root === '' ? layer.name : `${root}/${layer.name}`;
    if (!h5.isGroup(group)) continue;
    const names: string[] = [];
    const whole = h5.attr(group, 'weight_names');
    if (whole !== undefined) names.push(...(Array.isArray(whole) ? whole : [whole]).map(String));
    else for (let i = 0; h5.attr(group, `weight_names${i}`) !== undefined; i++) names.push(...[h5.attr(group, `weight_names${i}`)].flat().map(String));
    const used = new Set<string>();
    const counters = new Map<string, number>();
    for (const param of params) {
      const container = param.name.includes('/') ? param.name.split('/')[0]! : '';
      const index = counters.get(container) ?? 0;
      counters.set(container, index + 1);
      const half = layer.type === 'Bidirectional' ? names.filter((n) => /(^|\/)backward_/.test(n) === (container === 'backward')) : layer.type === 'MultiHeadAttention' ? names.filter((n) => legacySublayer(n) === container) : names;
      const name = half[index];
      if (name === undefined || !h5.isDataset(`${group}/${name}`)) continue;
      used.add(name);
      tensors.set(`${layer.name}/${param.name}`, h5.float32(`${group}/${name}`));
    }
    for (const name of names) if (!used.has(name)) tensors.set(`${layer.name}/${name}`, h5.float32(`${group}/${name}`));
  }
  return tensors;
}
