// Moving tensors in and out of generated modules: checking inputs, reading nested-array weights.
// Copied into generated modules as needed.

/** The batch size of a flat input: its length over the size of one row, checked. */
function batchOf(data: ArrayLike<number>, input: string, rowSize: number, fixedBatch: number): number {
  if (fixedBatch > 0 ? data.length !== fixedBatch * rowSize : data.length % rowSize !== 0 || data.length === 0) {
    throw new RangeError(
      'input "' + input + '" has ' + data.length + ' values; expected ' + (fixedBatch > 0 ? fixedBatch + ' × ' + rowSize : 'a positive multiple of ' + rowSize) + ' (row-major, batch first)',
    );
  }
  return fixedBatch > 0 ? fixedBatch : data.length / rowSize;
}

/** An input must be the typed array its dtype says; anything else (missing, a plain array, another typed array) is a TypeError naming it. */
function expectArray(value: unknown, input: string, kind: 'Float32Array' | 'Int32Array' | 'Uint8Array'): void {
  const ok = kind === 'Float32Array' ? value instanceof Float32Array : kind === 'Int32Array' ? value instanceof Int32Array : value instanceof Uint8Array;
  if (ok) return;
  const got =
    value === undefined ? 'nothing: the input is missing' : value === null ? 'null' : Array.isArray(value) ? 'a plain array' : typeof value === 'object' ? 'a ' + String((value as { constructor?: { name?: unknown } }).constructor?.name ?? 'object') : 'a ' + typeof value;
  throw new TypeError('input "' + input + '" must be ' + (kind === 'Int32Array' ? 'an ' : 'a ') + kind + ' (row-major, batch first); got ' + got);
}

/** Member `key` of a weights object (path names it), a nested array of exactly `shape`, as a Float32Array; throws on any mismatch. */
function readParam(parent: unknown, key: string, path: string, shape: readonly number[]): Float32Array {
  const value = member(parent, key, path.slice(0, path.lastIndexOf('.')), '; expected shape [' + shape.join(', ') + ']');
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Float32Array(size);
  let offset = 0;
  const walk = (node: unknown, axis: number, where: string): void => {
    if (axis === shape.length) {
      if (typeof node !== 'number' || !Number.isFinite(node)) throw new TypeError(where + ' must be a finite number, got ' + JSON.stringify(node));
      out[offset++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[axis]) {
      throw new RangeError(where + ' must be an array of ' + shape[axis] + ' (expected shape [' + shape.join(', ') + '])' + (Array.isArray(node) ? ', got ' + node.length : ', got ' + typeof node));
    }
    for (let i = 0; i < node.length; i++) walk(node[i], axis + 1, where + '[' + i + ']');
  };
  walk(value, 0, path);
  return out;
}

/** The member `key` of a JSON object, or a thrown error that says where it is missing. */
function member(value: unknown, key: string, path: string, expected: string = ''): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(path + ' must be an object');
  if (!Object.prototype.hasOwnProperty.call(value, key)) throw new TypeError(path + ' has no "' + key + '"' + expected);
  return (value as Record<string, unknown>)[key];
}

/** Throw when a JSON object has keys beyond `known`. */
function onlyKeys(value: unknown, known: readonly string[], path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(path + ' must be an object');
  for (const key of Object.keys(value)) if (known.indexOf(key) < 0) throw new TypeError(path + ' has "' + key + '", which the model does not have');
}

/** A state given to setStates must hold `batch` × `units` values, the batch a positive whole number; a RangeError names it otherwise. */
function checkState(source: Float32Array, batch: number, units: number, what: string): void {
  const rows = Number.isInteger(batch) && batch > 0;
  if (rows && source.length === batch * units) return;
  throw new RangeError(what + ' has ' + source.length + ' values; expected ' + (rows ? batch + ' × ' + units : 'a positive multiple of ' + units) + ' (batch × units)');
}

/** The run-time length of an input: its size over batch × the known row size, checked to be a positive whole number. */
function lengthOf(data: ArrayLike<number>, input: string, batch: number, rowSize: number): number {
  const length = data.length / (batch * rowSize);
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError('input "' + input + '" has ' + data.length + ' values; expected ' + batch + ' × timesteps × ' + rowSize + ' (row-major, batch first)');
  }
  return length;
}

/** A length a layer computes from a run-time length (`time - 2` after a valid window of 3) must be at least one step. */
function checkLength(length: number, layer: string, formula: string, symbol: string, value: number): void {
  if (length < 1) throw new RangeError(layer + ' would output ' + formula + ' = ' + length + ' steps for ' + symbol + ' = ' + value + ': the input is too short for its window');
}

/** Inputs that share a run-time length must agree on it. */
function sameLength(length: number, expected: number, input: string): void {
  if (length !== expected) throw new RangeError('input "' + input + '" has ' + length + ' timesteps; the other inputs have ' + expected);
}

/** The batch size a caller passed, required when the inputs' sizes cannot tell it. */
function requireBatch(batch: number | undefined): number {
  if (batch === undefined || !Number.isInteger(batch) || batch < 1) {
    throw new RangeError('every input of this model has a run-time length and the batch size is not fixed: pass it as predict(inputs, ..., { batch })');
  }
  return batch;
}

export { requireBatch, lengthOf, checkLength, sameLength, batchOf, expectArray, readParam, member, onlyKeys, checkState };
