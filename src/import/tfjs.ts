// A TensorFlow.js layers model: `model.json` ({ modelTopology, weightsManifest }) and its
// `.bin` shards beside it. The shards of a manifest group are concatenated in order and the
// group's weights laid out consecutively, little-endian; float32 weights are read as they are,
// quantized ones (`quantization: { dtype: uint8 | uint16, scale, min }` or float16) are
// dequantized. Every size is checked against the shards: a shard too short or too long, a
// dtype modelc cannot decode, or a path that leaves the model's folder is an error.
import { errorText, fail } from './problems.js';

export interface TfjsWeights {
  readonly tensors: Map<string, { readonly shape: readonly number[]; readonly data: Float32Array }>;
  /** Weight names in manifest order. */
  readonly order: readonly string[];
}

interface WeightSpec {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
  quantization?: { dtype?: unknown; scale?: unknown; min?: unknown; original_dtype?: unknown } | undefined;
}

const SAFE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\\:\0]+$/;

/** Reads the manifest's shards with `read` (relative to model.json) and decodes every weight. */
export function readTfjsWeights(manifest: unknown, file: string, read: (path: string) => Uint8Array | undefined): TfjsWeights {
  if (!Array.isArray(manifest)) fail('MC7004', `"${file}" has no weightsManifest list: not a TensorFlow.js layers model.json.`);
  const tensors = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  const order: string[] = [];
  for (const group of manifest as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) fail('MC7004', `"${file}": a weightsManifest group needs "paths" and "weights".`);
    const parts: Uint8Array[] = [];
    for (const path of group.paths as unknown[]) {
      if (typeof path !== 'string' || !SAFE_PATH.test(path)) fail('MC7001', `"${file}" names a weight shard ${JSON.stringify(path)} outside its folder: refused.`);
      const bytes = read(path) ?? fail('MC7001', `Cannot read the weight shard "${path}" that "${file}" names (it must be beside model.json).`);
      parts.push(bytes);
    }
    const total = parts.reduce((a, p) => a + p.length, 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    const view = new DataView(data.buffer);
    let offset = 0;
    for (const spec of group.weights as WeightSpec[]) {
      const name = typeof spec?.name === 'string' ? spec.name : fail('MC7004', `"${file}": a weight in the manifest has no name.`);
      const shape = Array.isArray(spec.shape) && spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0) ? (spec.shape as number[]) : fail('MC7004', `"${file}": weight "${name}" has no valid shape.`);
      const count = shape.reduce((a, b) => a * b, 1);
      const q = spec.quantization;
      const stored = q ? q.dtype : spec.dtype;
      const width = stored === 'float32' ? 4 : stored === 'uint16' || stored === 'float16' ? 2 : stored === 'uint8' ? 1 : 0;
      if (width === 0 || (spec.dtype !== undefined && spec.dtype !== 'float32')) fail('MC7003', `"${file}": weight "${name}" is stored as ${JSON.stringify(stored)} (dtype ${JSON.stringify(spec.dtype)}); modelc reads float32 weights, or uint8, uint16 and float16 quantized ones.`);
      if (offset + count * width > total) fail('MC7003', `"${file}": weight "${name}" of shape (${shape.join(', ')}) needs bytes ${offset} to ${offset + count * width}, but the shards hold ${total}: a shard is missing or truncated.`);
      const values = new Float32Array(count);
      try {
        if (stored === 'float32') for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + i * 4, true);
        else if (stored === 'float16') for (let i = 0; i < count; i++) values[i] = float16(view.getUint16(offset + i * 2, true));
        else {
          const scale = Number(q?.scale);
          const min = Number(q?.min);
          if (!Number.isFinite(scale) || !Number.isFinite(min)) fail('MC7003', `"${file}": quantized weight "${name}" has no finite scale and min.`);
          for (let i = 0; i < count; i++) values[i] = (stored === 'uint8' ? view.getUint8(offset + i) : view.getUint16(offset + i * 2, true)) * scale + min;
        }
      } catch (error) {
        if ((error as { problems?: unknown }).problems) throw error;
        fail('MC7003', `"${file}": cannot decode weight "${name}" (${errorText(error)}).`);
      }
      offset += count * width;
      if (tensors.has(name)) fail('MC7004', `"${file}": weight "${name}" appears twice in the manifest.`);
      tensors.set(name, { shape, data: values });
      order.push(name);
    }
    if (offset !== total) fail('MC7003', `"${file}": the shards hold ${total} bytes but the manifest's weights use ${offset}: the shards do not match the manifest.`);
  }
  return { tensors, order };
}

/** IEEE 754 half precision to a number. */
function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
