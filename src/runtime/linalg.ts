// Dense products for generated modules. Row-major throughout; inner loops run over contiguous
// memory. Copied into generated modules as needed.

/**
 * c[i, j] += Σp a[i, p] · b[p, j] for i < m, j < n, p < k, on row-major views given by an offset and
 * a row stride each. Register-blocked: 4 rows of a × 8 of its columns are held in locals while
 * one pass over j streams 8 rows of b, so each c element is loaded and stored once per 8
 * multiply-adds; left-over rows take 1 × 8 blocks, left-over columns of a a block of 4, then
 * single ones.
 */
function gemmAcc(a: Float32Array, aOff: number, lda: number, b: Float32Array, bOff: number, ldb: number, c: Float32Array, cOff: number, ldc: number, m: number, n: number, k: number): void {
  const k8 = k - (k % 8);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    const r0 = aOff + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
    for (let p = 0; p < k8; p += 8) {
      const a00 = a[r0 + p]!, a01 = a[r0 + p + 1]!, a02 = a[r0 + p + 2]!, a03 = a[r0 + p + 3]!, a04 = a[r0 + p + 4]!, a05 = a[r0 + p + 5]!, a06 = a[r0 + p + 6]!, a07 = a[r0 + p + 7]!;
      const a10 = a[r1 + p]!, a11 = a[r1 + p + 1]!, a12 = a[r1 + p + 2]!, a13 = a[r1 + p + 3]!, a14 = a[r1 + p + 4]!, a15 = a[r1 + p + 5]!, a16 = a[r1 + p + 6]!, a17 = a[r1 + p + 7]!;
      const a20 = a[r2 + p]!, a21 = a[r2 + p + 1]!, a22 = a[r2 + p + 2]!, a23 = a[r2 + p + 3]!, a24 = a[r2 + p + 4]!, a25 = a[r2 + p + 5]!, a26 = a[r2 + p + 6]!, a27 = a[r2 + p + 7]!;
      const a30 = a[r3 + p]!, a31 = a[r3 + p + 1]!, a32 = a[r3 + p + 2]!, a33 = a[r3 + p + 3]!, a34 = a[r3 + p + 4]!, a35 = a[r3 + p + 5]!, a36 = a[r3 + p + 6]!, a37 = a[r3 + p + 7]!;
      const q0 = bOff + p * ldb, q1 = q0 + ldb, q2 = q1 + ldb, q3 = q2 + ldb, q4 = q3 + ldb, q5 = q4 + ldb, q6 = q5 + ldb, q7 = q6 + ldb;
      for (let j = 0; j < n; j++) {
        const w0 = b[q0 + j]!, w1 = b[q1 + j]!, w2 = b[q2 + j]!, w3 = b[q3 + j]!, w4 = b[q4 + j]!, w5 = b[q5 + j]!, w6 = b[q6 + j]!, w7 = b[q7 + j]!;
        c[c0 + j]! += a00 * w0 + a01 * w1 + a02 * w2 + a03 * w3 + a04 * w4 + a05 * w5 + a06 * w6 + a07 * w7;
        c[c1 + j]! += a10 * w0 + a11 * w1 + a12 * w2 + a13 * w3 + a14 * w4 + a15 * w5 + a16 * w6 + a17 * w7;
        c[c2 + j]! += a20 * w0 + a21 * w1 + a22 * w2 + a23 * w3 + a24 * w4 + a25 * w5 + a26 * w6 + a27 * w7;
        c[c3 + j]! += a30 * w0 + a31 * w1 + a32 * w2 + a33 * w3 + a34 * w4 + a35 * w5 + a36 * w6 + a37 * w7;
      }
    }
    let p = k8;
    if (p + 4 <= k) {
      // A block of 4 left-over columns of a.
      const a00 = a[r0 + p]!, a01 = a[r0 + p + 1]!, a02 = a[r0 + p + 2]!, a03 = a[r0 + p + 3]!;
      const a10 = a[r1 + p]!, a11 = a[r1 + p + 1]!, a12 = a[r1 + p + 2]!, a13 = a[r1 + p + 3]!;
      const a20 = a[r2 + p]!, a21 = a[r2 + p + 1]!, a22 = a[r2 + p + 2]!, a23 = a[r2 + p + 3]!;
      const a30 = a[r3 + p]!, a31 = a[r3 + p + 1]!, a32 = a[r3 + p + 2]!, a33 = a[r3 + p + 3]!;
      const q0 = bOff + p * ldb, q1 = q0 + ldb, q2 = q1 + ldb, q3 = q2 + ldb;
      for (let j = 0; j < n; j++) {
        const w0 = b[q0 + j]!, w1 = b[q1 + j]!, w2 = b[q2 + j]!, w3 = b[q3 + j]!;
        c[c0 + j]! += a00 * w0 + a01 * w1 + a02 * w2 + a03 * w3;
        c[c1 + j]! += a10 * w0 + a11 * w1 + a12 * w2 + a13 * w3;
        c[c2 + j]! += a20 * w0 + a21 * w1 + a22 * w2 + a23 * w3;
        c[c3 + j]! += a30 * w0 + a31 * w1 + a32 * w2 + a33 * w3;
      }
      p += 4;
    }
    for (; p < k; p++) {
      const a0 = a[r0 + p]!, a1 = a[r1 + p]!, a2 = a[r2 + p]!, a3 = a[r3 + p]!;
      const q = bOff + p * ldb;
      for (let j = 0; j < n; j++) {
        const w = b[q + j]!;
        c[c0 + j]! += a0 * w;
        c[c1 + j]! += a1 * w;
        c[c2 + j]! += a2 * w;
        c[c3 + j]! += a3 * w;
      }
    }
  }
  for (; i < m; i++) {
    const c0 = cOff + i * ldc;
    const r0 = aOff + i * lda;
    for (let p = 0; p < k8; p += 8) {
      const a0 = a[r0 + p]!, a1 = a[r0 + p + 1]!, a2 = a[r0 + p + 2]!, a3 = a[r0 + p + 3]!, a4 = a[r0 + p + 4]!, a5 = a[r0 + p + 5]!, a6 = a[r0 + p + 6]!, a7 = a[r0 + p + 7]!;
      const q0 = bOff + p * ldb, q1 = q0 + ldb, q2 = q1 + ldb, q3 = q2 + ldb, q4 = q3 + ldb, q5 = q4 + ldb, q6 = q5 + ldb, q7 = q6 + ldb;
      for (let j = 0; j < n; j++) {
        c[c0 + j]! += a0 * b[q0 + j]! + a1 * b[q1 + j]! + a2 * b[q2 + j]! + a3 * b[q3 + j]! + a4 * b[q4 + j]! + a5 * b[q5 + j]! + a6 * b[q6 + j]! + a7 * b[q7 + j]!;
      }
    }
    for (let p = k8; p < k; p++) {
      const a0 = a[r0 + p]!;
      const q = bOff + p * ldb;
      for (let j = 0; j < n; j++) c[c0 + j]! += a0 * b[q + j]!;
    }
  }
}

/** out[r, c] = bias[c] + Σk a[r, k] · w[k, c], for `rows` rows; `bias` may be null, or longer than `cols` (its first row is used). */
function matmulBias(a: Float32Array, rows: number, inner: number, w: Float32Array, cols: number, bias: Float32Array | null, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (bias === null) out.fill(0, o, o + cols);
    else for (let c = 0; c < cols; c++) out[o + c] = bias[c]!;
  }
  gemmAcc(a, 0, inner, w, 0, cols, out, 0, cols, rows, cols, inner);
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

export { gemmAcc, matmulBias, maskedProjection, fillDropoutMask };
