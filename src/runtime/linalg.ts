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

export { matmulBias };
