// Weights as bytes in generated modules: the embedded default weights (little-endian float32,
// base64 in one string literal, decoded once) and `.safetensors` files (a JSON header, then the
// tensors' bytes). Copied into generated modules as needed; no host API (atob, Buffer) is assumed.

const base64Digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The float32 values of base64 text holding little-endian float32 bytes. */
function float32FromBase64(text: string): Float32Array {
  const value = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) value[base64Digits.charCodeAt(i)] = i;
  const end = text.endsWith('==') ? text.length - 2 : text.endsWith('=') ? text.length - 1 : text.length;
  const bytes = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < end; i++) {
    const digit = value[text.charCodeAt(i) & 127]!;
    if (digit < 0) throw new TypeError('the embedded weights are not base64');
    bits = (bits << 6) | digit;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >> count) & 255;
    }
  }
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** The tensors of a .safetensors file, by key: dtype, shape and the bytes of the data, all checked against the file's size. */
function safetensorsTensors(file: Uint8Array | ArrayBuffer): Map<string, { readonly dtype: string; readonly shape: readonly number[]; readonly data: DataView }> {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  if (bytes.length < 8) throw new RangeError('a .safetensors file has at least 8 bytes (the header length); got ' + bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
  if (headerLength > bytes.length - 8) throw new RangeError('the .safetensors header claims ' + headerLength + ' bytes; the file has ' + (bytes.length - 8) + ' after the length');
  let text = '';
  for (let i = 8; i < 8 + headerLength; i++) text += String.fromCharCode(bytes[i]!);
  let header: unknown;
  try {
    header = JSON.parse(decodeURIComponent(escape(text)));
  } catch {
    throw new TypeError('the .safetensors header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new TypeError('the .safetensors header must be a JSON object');
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, { readonly dtype: string; readonly shape: readonly number[]; readonly data: DataView }>();
  for (const [key, entry] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offsets = e.data_offsets;
    if (typeof e.dtype !== 'string' || !Array.isArray(e.shape) || !Array.isArray(offsets) || offsets.length !== 2) throw new TypeError('tensor "' + key + '" of the .safetensors header has no dtype, shape and data_offsets');
    const [begin, end] = offsets as [unknown, unknown];
    if (typeof begin !== 'number' || typeof end !== 'number' || !(begin >= 0 && end >= begin && dataStart + end <= bytes.length)) {
      throw new RangeError('tensor "' + key + '" lies outside the .safetensors file (data_offsets ' + JSON.stringify(offsets) + ', ' + (bytes.length - dataStart) + ' bytes of data)');
    }
    tensors.set(key, { dtype: e.dtype, shape: e.shape as number[], data: new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin) });
  }
  return tensors;
}

/** Tensor `key` of exactly `shape`, float32, as a Float32Array; throws naming the layer, the parameter and the expected shape. */
function safetensorsParam(tensors: ReturnType<typeof safetensorsTensors>, key: string, shape: readonly number[]): Float32Array {
  const expected = 'expected float32 of shape [' + shape.join(', ') + ']';
  const tensor = tensors.get(key);
  if (tensor === undefined) throw new TypeError('the .safetensors file has no tensor "' + key + '"; ' + expected);
  if (tensor.dtype !== 'F32') throw new TypeError('tensor "' + key + '" is ' + tensor.dtype + '; ' + expected);
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) throw new RangeError('tensor "' + key + '" has shape [' + tensor.shape.join(', ') + ']; ' + expected);
  const out = new Float32Array(tensor.data.byteLength >> 2);
  if (tensor.data.byteLength !== out.length * 4 || out.length !== shape.reduce((a, b) => a * b, 1)) throw new RangeError('tensor "' + key + '" has ' + tensor.data.byteLength + ' bytes of data; ' + expected);
  for (let i = 0; i < out.length; i++) {
    const v = tensor.data.getFloat32(4 * i, true);
    if (!Number.isFinite(v)) throw new TypeError('tensor "' + key + '" holds ' + v + ' at index ' + i + '; weights must be finite');
    out[i] = v;
  }
  return out;
}

/** Throw when a .safetensors file has tensors beyond `known`. */
function safetensorsOnly(tensors: ReturnType<typeof safetensorsTensors>, known: readonly string[]): void {
  for (const key of tensors.keys()) if (known.indexOf(key) < 0) throw new TypeError('the .safetensors file has tensor "' + key + '", which the model does not have');
}

export { base64Digits, float32FromBase64, safetensorsTensors, safetensorsParam, safetensorsOnly };
