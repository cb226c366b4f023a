// Moving elements between row-major layouts: transposing axes, concatenating along an axis,
// broadcasting. They work on any typed array, so int32 and bool tensors move too. Copied into
// generated modules as needed.

/**
 * Keras Permute: out = transpose(x, (0, ...perm)) for x of shape (batch, ...shape). `perm` lists,
 * for each output axis after the batch, the input axis (0-based, batch excluded) it takes.
 */
function transposeAxes(
  x: Float32Array | Int32Array | Uint8Array, batch: number, shape: readonly number[], perm: readonly number[], out: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = shape.length;
  const inStrides: number[] = [];
  let size = 1;
  for (let a = rank - 1; a >= 0; a--) {
    inStrides[a] = size;
    size *= shape[a]!;
  }
  const outShape = perm.map((a) => shape[a]!);
  const strides = perm.map((a) => inStrides[a]!);
  const index = new Array<number>(rank).fill(0);
  for (let b = 0; b < batch; b++) {
    const base = b * size;
    let from = base;
    for (let i = 0; i < size; i++) {
      out[base + i] = x[from]!;
      // Advance the output index like an odometer, moving `from` by the input strides.
      for (let a = rank - 1; a >= 0; a--) {
        from += strides[a]!;
        if (++index[a]! < outShape[a]!) break;
        from -= strides[a]! * outShape[a]!;
        index[a] = 0;
      }
    }
  }
}

/**
 * One input of Keras Concatenate: viewing x as (outer, inner) and out as (outer, outInner),
 * copies x[o, :] to out[o, offset : offset + inner] for every o.
 */
function concatenateInto(x: Float32Array | Int32Array | Uint8Array, outer: number, inner: number, out: Float32Array | Int32Array | Uint8Array, outInner: number, offset: number): void {
  for (let o = 0; o < outer; o++) out.set(x.subarray(o * inner, (o + 1) * inner), o * outInner + offset);
}

/**
 * NumPy broadcasting, as Keras's merge layers apply it: x of shape (batch, ...shape) written to
 * out of shape (batch, ...outShape), where shape has outShape's rank (1s prepended) and each of
 * its dimensions equals outShape's or is 1.
 */
function broadcastInto(x: Float32Array, batch: number, shape: readonly number[], outShape: readonly number[], out: Float32Array): void {
  const rank = outShape.length;
  const strides: number[] = [];
  let inSize = 1;
  let outSize = 1;
  for (let a = rank - 1; a >= 0; a--) {
    strides[a] = shape[a] === 1 ? 0 : inSize;
    inSize *= shape[a]!;
    outSize *= outShape[a]!;
  }
  const index = new Array<number>(rank).fill(0);
  for (let b = 0; b < batch; b++) {
    let from = b * inSize;
    for (let i = 0; i < outSize; i++) {
      out[b * outSize + i] = x[from]!;
      for (let a = rank - 1; a >= 0; a--) {
        from += strides[a]!;
        if (++index[a]! < outShape[a]!) break;
        from -= strides[a]! * outShape[a]!;
        index[a] = 0;
      }
    }
  }
}

export { transposeAxes, concatenateInto, broadcastInto };
