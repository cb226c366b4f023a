// Reading the HDF5 subset that Keras writes (groups, attributes, float32 datasets) with jsfive,
// guarded so that nothing is ever read silently wrong: a file jsfive cannot parse, a dataset of
// a dtype other than little-endian float32, a dataset that declares more values than the file
// could hold, or data that comes back with holes (missing chunks, unallocated storage) is an
// error (MC7003), never zeros or undefined.
import * as jsfive from 'jsfive';
import { errorText, fail } from './problems.js';

export interface H5Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A dataset may not declare more float32 values than 8 times the file's bytes could hold (compressed weights never shrink that much). */
const maxExpansion = 8;

export class H5File {
  private readonly root: jsfive.Group;

  constructor(
    bytes: Uint8Array,
    /** The name used in messages: `model.keras (model.weights.h5)`. */
    readonly where: string,
  ) {
    if (bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) fail('MC7003', `${where} is not an HDF5 file (no HDF5 signature).`);
    this.size = bytes.length;
    try {
      this.root = new jsfive.File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, where);
    } catch (error) {
      fail('MC7003', `${where} is a damaged HDF5 file (${errorText(error)}).`);
    }
  }

  private readonly size: number;

  private guarded<T>(path: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if ((error as { problems?: unknown }).problems) throw error;
      return fail('MC7003', `${this.where}: cannot read "${path}": the HDF5 file is damaged or uses a feature the reader does not decode (${errorText(error)}).`);
    }
  }

  private node(path: string): jsfive.Group | jsfive.Dataset | undefined {
    if (path === '') return this.root;
    // jsfive throws "<name> not found in group" for a missing link: that is absence, not damage.
    let parent: jsfive.Group = this.root;
    const parts = path.split('/');
    for (const [i, part] of parts.entries()) {
      const at = parent;
      if (!this.guarded(path, () => at.keys.includes(part))) return undefined;
      const child = this.guarded(path, () => at.get(part) ?? undefined);
      if (child === undefined || i === parts.length - 1) return child;
      if (!Array.isArray((child as jsfive.Group).keys)) return undefined;
      parent = child as jsfive.Group;
    }
    return undefined;
  }

  isGroup(path: string): boolean {
    const node = this.node(path);
    return node !== undefined && Array.isArray((node as jsfive.Group).keys);
  }

  isDataset(path: string): boolean {
    const node = this.node(path);
    return node !== undefined && Array.isArray((node as jsfive.Dataset).shape) && !Array.isArray((node as jsfive.Group).keys);
  }

  /** The names in a group, or [] when the path is not a group. */
  keys(path: string): string[] {
    if (!this.isGroup(path)) return [];
    return this.guarded(path, () => [...(this.node(path) as jsfive.Group).keys]);
  }

  attr(path: string, name: string): unknown {
    const node = this.node(path);
    if (!node) return undefined;
    return this.guarded(path, () => node.attrs[name]);
  }

  /** Every dataset under a group, as paths, depth first in name order. */
  datasets(path: string): string[] {
    // A group is known by the file offset of its object header: a link back to a group on the
    // way down (an HDF5 link cycle) is refused rather than walked forever.
    const offsetOf = (at: string) => (this.node(at) as { _dataobjects?: { offset?: number } } | undefined)?._dataobjects?.offset;
    const walk = (at: string, above: readonly number[]): string[] => {
      if (this.isDataset(at)) return [at];
      const offset = offsetOf(at) ?? -1;
      if (above.length > 32 || (offset >= 0 && above.includes(offset))) fail('MC7003', `${this.where}: group "${at.length > 80 ? `...${at.slice(-77)}` : at}" links back to a group that contains it (an HDF5 link cycle), or nests deeper than 32 levels.`);
      return this.keys(at).sort().flatMap((k) => walk(at === '' ? k : `${at}/${k}`, [...above, offset]));
    };
    return walk(path, []);
  }

  /** A float32 dataset, checked: dtype, size against the file, every value present and a number. */
  float32(path: string): H5Tensor {
    const node = this.node(path);
    if (!node || !this.isDataset(path)) fail('MC7003', `${this.where}: "${path}" is not a dataset.`);
    const dataset = node as jsfive.Dataset;
    const shape = this.guarded(path, () => [...dataset.shape]);
    const dtype = this.guarded(path, () => dataset.dtype);
    if (dtype !== '<f4') fail('MC7003', `${this.where}: dataset "${path}" has dtype ${JSON.stringify(dtype)}; modelc reads little-endian float32 ("<f4") weights only.`);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail('MC7003', `${this.where}: dataset "${path}" has an invalid shape ${JSON.stringify(shape)}.`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (count * 4 > this.size * maxExpansion) {
      fail('MC7003', `${this.where}: dataset "${path}" declares shape (${shape.join(', ')}), ${count * 4} bytes, in a file of ${this.size} bytes: refused as damaged or hostile.`);
    }
    const values = this.guarded(path, () => dataset.value);
    if (!values || values.length !== count) fail('MC7003', `${this.where}: dataset "${path}" decodes to ${values?.length ?? 0} values, not the ${count} of its shape (${shape.join(', ')}).`);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (typeof v !== 'number') fail('MC7003', `${this.where}: dataset "${path}" has no data at flat index ${i} (storage missing or not decodable): refused rather than read as zeros.`);
      data[i] = v;
    }
    return { shape, data };
  }
}
