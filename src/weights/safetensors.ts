// The `.safetensors` weights file: an 8-byte little-endian header length, a JSON header
// `{ "layer/param": { "dtype": "F32", "shape": [...], "data_offsets": [begin, end] }, ... }`
// (an optional "__metadata__" of strings), then the tensors' bytes. modelc reads and writes
// float32 little-endian only. Keys are `layer/param`, `layer/forward/param` for Bidirectional,
// shapes in Keras's layout, as in the JSON weights file. Everything is checked before use:
// the header's size and JSON, each entry's dtype and shape, offsets in bounds, in order and
// without overlap, the byte count equal to the shape's.
import { DiagnosticBag, type Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Graph } from '../ir/graph.js';
import { weightTree, type LayerParams, type WeightGroup } from '../ir/params.js';
import { formatShape } from '../shapes/dim.js';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export class SafetensorsError extends Error {}

const maxHeader = 100 * 1024 * 1024;

/** Parses and checks a safetensors file; throws SafetensorsError with a message for people. */
export function decodeSafetensors(input: Uint8Array): Map<string, Tensor> {
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < 8) throw new SafetensorsError(`the file has ${bytes.length} bytes, too few for a safetensors header.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > maxHeader || 8 + headerLength > bytes.length) {
    throw new SafetensorsError(`its header declares ${headerLength} bytes, but the file has ${bytes.length - 8} after the length: not a safetensors file, or a truncated one.`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new SafetensorsError('its header is not valid UTF-8 JSON: not a safetensors file.');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('its header is not a JSON object.');
  const dataLength = bytes.length - 8 - headerLength;
  const entries: [string, { shape: number[]; begin: number; end: number }][] = [];
  for (const [key, entry] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor ${JSON.stringify(key)}`;
    if (typeof e !== 'object' || e === null) throw new SafetensorsError(`${where} has no dtype, shape and data_offsets.`);
    if (e.dtype !== 'F32') throw new SafetensorsError(`${where} has dtype ${JSON.stringify(e.dtype)}; modelc reads F32 (float32 little-endian) only.`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new SafetensorsError(`${where} has no valid shape (a list of sizes).`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw new SafetensorsError(`${where} has no valid data_offsets [begin, end].`);
    const [begin, end] = offsets as [number, number];
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1) * 4;
    if (begin > end || end > dataLength) throw new SafetensorsError(`${where} has data_offsets [${begin}, ${end}] outside the ${dataLength} bytes of data.`);
    if (end - begin !== size) throw new SafetensorsError(`${where} of shape ${formatShape(e.shape as number[])} needs ${size} bytes, but its data_offsets span ${end - begin}.`);
    entries.push([key, { shape: e.shape as number[], begin, end }]);
  }
  const sorted = [...entries].sort((a, b) => a[1].begin - b[1].begin);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![1].begin < sorted[i - 1]![1].end) throw new SafetensorsError(`tensors ${JSON.stringify(sorted[i - 1]![0])} and ${JSON.stringify(sorted[i]![0])} overlap.`);
  }
  const tensors = new Map<string, Tensor>();
  const base = 8 + headerLength;
  for (const [key, { shape, begin, end }] of entries) {
    const data = new Float32Array((end - begin) / 4);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + base + begin, end - begin);
    for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(i * 4, true);
    tensors.set(key, { shape, data });
  }
  return tensors;
}

/** Writes tensors (in the given order) as a safetensors file, float32 little-endian. */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [key, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Error(`internal: tensor ${key} has ${t.data.length} values for shape ${formatShape(t.shape)}`);
    header[key] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + size * 4] };
    offset += size * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // align the data to 8 bytes
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i]!, true);
    at += t.data.length * 4;
  }
  return out;
}

/** A flat row-major array as nested lists of `shape` (the JSON weights form). */
export function nested(data: Float32Array, shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  const build = (axis: number, offset: number): unknown => {
    if (axis === shape.length - 1) return Array.from(data.subarray(offset, offset + shape[axis]!));
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** Safetensors tensors as the JSON weights form: `{ layer: { param: nested, forward: {...} } }`. */
export function tensorsToWeightsJson(tensors: ReadonlyMap<string, Tensor>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, t] of tensors) {
    const path = key.split('/');
    let at = root;
    for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = nested(t.data, t.shape);
  }
  return root;
}

/**
 * Checks a safetensors weights file against the model at compile time (as check.ts does for
 * JSON): every parameter present, none extra, every shape exact, every value finite. Binary
 * files have no lines to point at: each diagnostic points at the spec's `weights:` entry.
 * Returns the weights in the JSON form, to embed.
 */
export function checkSafetensors(graph: Graph, layers: readonly LayerParams[], file: string, bytes: Uint8Array, span: Span, bag: DiagnosticBag): unknown {
  let tensors: Map<string, Tensor>;
  try {
    tensors = decodeSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    bag.error('MC7012', `The weights file "${file}" is not a valid .safetensors file: ${error.message}`, { span });
    return undefined;
  }
  return checkTensors(graph, layers, file, tensors, span, bag);
}

/** Checks tensors keyed `layer/param` against the model (see checkSafetensors); returns the JSON form. */
export function checkTensors(graph: Graph, layers: readonly LayerParams[], file: string, tensors: ReadonlyMap<string, Tensor>, span: Span, bag: DiagnosticBag): unknown {
  const expected = new Map<string, { layer: string; shape: readonly number[]; layout: string }>();
  const walk = (group: WeightGroup, prefix: string, layer: string): void => {
    for (const [key, child] of group.children) {
      if (child.kind === 'group') walk(child, `${prefix}${key}/`, layer || key);
      else expected.set(`${prefix}${key}`, { layer, shape: child.spec.shape, layout: child.spec.layout });
    }
  };
  walk(weightTree(layers, () => ''), '', '');
  const describe = (layer: string) => {
    const node = graph.layers.find((l) => l.name === layer);
    return node ? `${node.type} layer "${layer}"` : `layer "${layer}"`;
  };
  for (const [key, want] of expected) {
    const t = tensors.get(key);
    if (!t) {
      bag.error('MC5002', `The weights file "${file}" has no tensor "${key}" for ${describe(want.layer)}; expected shape ${formatShape(want.shape)}.`, { span });
      continue;
    }
    if (t.shape.join() !== want.shape.join()) {
      bag.error('MC5004', `Tensor "${key}" of ${describe(want.layer)} in "${file}" has the wrong shape: expected ${formatShape(want.shape)} (${want.layout}), found ${formatShape(t.shape)}.`, { span });
      continue;
    }
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) bag.error('MC5005', `Tensor "${key}" of ${describe(want.layer)} in "${file}" holds ${t.data[bad]} at flat index ${bad}, which is not a finite number.`, { span });
  }
  for (const key of tensors.keys()) {
    if (!expected.has(key)) {
      bag.error('MC5003', `The weights file "${file}" has a tensor "${key}" that no parameter of the model has.`, {
        span,
        hint: didYouMean(key, expected.keys()) ?? `its parameters: ${[...expected.keys()].join(', ')}.`,
      });
    }
  }
  return tensorsToWeightsJson(tensors);
}
