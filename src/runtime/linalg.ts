// Dense products for generated modules. Row-major throughout; inner loops run over contiguous
// memory. Copied into generated modules as needed.

/** out[r, c] = bias[c] + Σk a[r, k] · w[k, c], for `rows` rows; `bias` may be null, or longer than `cols` (its first row is used). */
function matmulBias(a: Float32Array, rows: number, inner: number, w: Float32Array, cols: number, bias: Float32Array | null, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (bias === null) out.fill(0, o, o + cols);
    else for (let c = 0; c < cols; c++) out[o + c] = bias[c]!;
    const ar = r * inner;
    for (let k = 0; k < inner; k++) {
      const x = a[ar + k]!;
      if (x === 0) continue;
      const wk = k * cols;
      for (let c = 0; c < cols; c++) out[o + c]! += x * w[wk + c]!;
    }
  }
}

/**
 * The input projection under input dropout: out[b, t, c] = bias[c] + Σk x[b, t, k] · mask[g, b, k] · w[k, c],
 * where g is c's gate block when there are several masks (one per gate, Keras's implementation 1).
 */
function maskedProjection(x: Float32Array, rows: number, time: number, inner: number, w: Float32Array, cols: number, bias: Float32Array | null, mask: Float32Array, masks: number, out: Float32Array): void {
  const block = cols / masks;
  for (let b = 0; b < rows; b++) {
    for (let t = 0; t < time; t++) {
      const r = b * time + t;
      for (let c = 0; c < cols; c++) {
        const m = (Math.floor(c / block) * rows + b) * inner;
        let acc = bias === null ? 0 : bias[c]!;
        for (let k = 0; k < inner; k++) acc += x[r * inner + k]! * mask[m + k]! * w[k * cols + c]!;
        out[r * cols + c] = acc;
      }
    }
  }
}

/** Inverted dropout masks: each value 0 with probability `rate`, else 1 / (1 - rate). */
function fillDropoutMask(mask: Float32Array, rng: () => number, rate: number): void {
  const keep = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng() < rate ? 0 : keep;
}

export { matmulBias, maskedProjection, fillDropoutMask };
