// Seeded weight initializers with Keras 3's distributions (keras/src/initializers/). The random
// stream is our own (Keras's backends each have theirs), so values differ from Keras's while the
// distributions (bounds, moments, orthogonality) are the same. Copied into generated modules.

/** A deterministic generator of uniform numbers in [0, 1): sfc32 seeded through splitmix32 from (seed, stream). */
function createRng(seed: number, stream: number): () => number {
  let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  const next32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box-Muller). */
function normalSample(rng: () => number): number {
  let u = rng();
  while (u <= 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function fillConstant(out: Float32Array, value: number): Float32Array {
  return out.fill(value);
}

function fillUniform(out: Float32Array, rng: () => number, minval: number, maxval: number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = minval + (maxval - minval) * rng();
  return out;
}

function fillNormal(out: Float32Array, rng: () => number, mean: number, stddev: number): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = mean + stddev * normalSample(rng);
  return out;
}

/** Keras `TruncatedNormal`: samples further than two standard deviations from the mean are drawn again. */
function fillTruncatedNormal(out: Float32Array, rng: () => number, mean: number, stddev: number): Float32Array {
  for (let i = 0; i < out.length; i++) {
    let z = normalSample(rng);
    while (z < -2 || z > 2) z = normalSample(rng);
    out[i] = mean + stddev * z;
  }
  return out;
}

/**
 * Keras `VarianceScaling`: scale divided by fan_in, fan_out or their average, then a truncated
 * normal (stddev corrected by 0.8796...), an untruncated normal, or a uniform in ±sqrt(3·scale).
 */
function fillVarianceScaling(out: Float32Array, rng: () => number, scale: number, mode: string, distribution: string, fanIn: number, fanOut: number): Float32Array {
  const fan = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
  const s = scale / Math.max(1, fan);
  if (distribution === 'truncated_normal') return fillTruncatedNormal(out, rng, 0, Math.sqrt(s) / 0.8796256610342398);
  if (distribution === 'untruncated_normal' || distribution === 'normal') return fillNormal(out, rng, 0, Math.sqrt(s));
  const limit = Math.sqrt(3 * s);
  return fillUniform(out, rng, -limit, limit);
}

/**
 * Keras `Orthogonal`: the Q of a QR decomposition of a normal matrix, signs fixed so R has a
 * positive diagonal, transposed when there are fewer rows than columns, times gain. `rows` is the
 * product of all axes but the last, `cols` the last. Modified Gram-Schmidt gives that Q directly.
 * The (max, min) normal matrix is held transposed, so each of its columns is a contiguous row and
 * the O(max·min²) work streams through memory; rows are reduced eight at a time (see
 * `orthonormalizeRows`). LSTM(1000)'s (1000, 4000) recurrent kernel takes well under a second.
 */
function fillOrthogonal(out: Float32Array, rng: () => number, rows: number, cols: number, gain: number): Float32Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  // a[j·m + i] is entry (i, j) of the (m, n) normal matrix, drawn in its row-major order.
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = normalSample(rng);
  orthonormalizeRows(a, n, m);
  // Row j of `a` is column j of Q: Q itself when rows >= cols, Qᵀ (already row-major) otherwise.
  if (rows < cols) for (let i = 0; i < out.length; i++) out[i] = gain * a[i]!;
  else for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * a[c * m + r]!;
  return out;
}

/**
 * Modified Gram-Schmidt on the `n` rows (each of length `m`) of `a`, in place: row j loses its
 * projection on rows 0..j-1 in that order, then is scaled to unit length. Rows are taken eight at
 * a time: one pass over memory subtracts finished row k from each of the eight and accumulates
 * their dot products with row k+1, so a finished row is read once per eight rows, not once per
 * row, and the eight sums run independently. Every row sees exactly the operations, in exactly
 * the order, of the textbook loop (`orthonormalizeRow`), so the numbers are the same.
 */
function orthonormalizeRows(a: Float64Array, n: number, m: number): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const t0 = j * m, t1 = t0 + m, t2 = t1 + m, t3 = t2 + m, t4 = t3 + m, t5 = t4 + m, t6 = t5 + m, t7 = t6 + m;
    if (j > 0) {
      // The eight rows' dot products with row 0; then per finished row k, one fused pass.
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
      for (let i = 0; i < m; i++) {
        const q = a[i]!;
        d0 += q * a[t0 + i]!;
        d1 += q * a[t1 + i]!;
        d2 += q * a[t2 + i]!;
        d3 += q * a[t3 + i]!;
        d4 += q * a[t4 + i]!;
        d5 += q * a[t5 + i]!;
        d6 += q * a[t6 + i]!;
        d7 += q * a[t7 + i]!;
      }
      for (let k = 0; k < j; k++) {
        const kk = k * m;
        if (k + 1 < j) {
          const nn = kk + m;
          let e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0, e7 = 0;
          for (let i = 0; i < m; i++) {
            const q = a[kk + i]!, p = a[nn + i]!;
            const v0 = a[t0 + i]! - d0 * q;
            const v1 = a[t1 + i]! - d1 * q;
            const v2 = a[t2 + i]! - d2 * q;
            const v3 = a[t3 + i]! - d3 * q;
            const v4 = a[t4 + i]! - d4 * q;
            const v5 = a[t5 + i]! - d5 * q;
            const v6 = a[t6 + i]! - d6 * q;
            const v7 = a[t7 + i]! - d7 * q;
            a[t0 + i] = v0;
            a[t1 + i] = v1;
            a[t2 + i] = v2;
            a[t3 + i] = v3;
            a[t4 + i] = v4;
            a[t5 + i] = v5;
            a[t6 + i] = v6;
            a[t7 + i] = v7;
            e0 += p * v0;
            e1 += p * v1;
            e2 += p * v2;
            e3 += p * v3;
            e4 += p * v4;
            e5 += p * v5;
            e6 += p * v6;
            e7 += p * v7;
          }
          d0 = e0; d1 = e1; d2 = e2; d3 = e3; d4 = e4; d5 = e5; d6 = e6; d7 = e7;
        } else {
          for (let i = 0; i < m; i++) {
            const q = a[kk + i]!;
            a[t0 + i]! -= d0 * q;
            a[t1 + i]! -= d1 * q;
            a[t2 + i]! -= d2 * q;
            a[t3 + i]! -= d3 * q;
            a[t4 + i]! -= d4 * q;
            a[t5 + i]! -= d5 * q;
            a[t6 + i]! -= d6 * q;
            a[t7 + i]! -= d7 * q;
          }
        }
      }
    }
    // Within the eight: each row against the ones before it, then its norm.
    for (let t = j; t < j + 8; t++) orthonormalizeRow(a, m, j, t);
  }
  for (; j < n; j++) orthonormalizeRow(a, m, 0, j);
}

/** Row t of `a` minus its projections on rows from..t-1 (in order), then scaled to unit length. */
function orthonormalizeRow(a: Float64Array, m: number, from: number, t: number): void {
  const tt = t * m;
  for (let k = from; k < t; k++) {
    const kk = k * m;
    let dot = 0;
    for (let i = 0; i < m; i++) dot += a[kk + i]! * a[tt + i]!;
    for (let i = 0; i < m; i++) a[tt + i]! -= dot * a[kk + i]!;
  }
  let norm = 0;
  for (let i = 0; i < m; i++) norm += a[tt + i]! * a[tt + i]!;
  norm = Math.sqrt(norm);
  for (let i = 0; i < m; i++) a[tt + i]! /= norm;
}

/** Keras `Identity`: gain on the diagonal of a (rows, cols) matrix. */
function fillIdentity(out: Float32Array, rows: number, cols: number, gain: number): Float32Array {
  out.fill(0);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain;
  return out;
}

/** LSTM `unit_forget_bias`: zeros, and ones in the forget gate's block [units, 2·units). */
function fillUnitForgetBias(out: Float32Array, units: number): Float32Array {
  out.fill(0);
  out.fill(1, units, 2 * units);
  return out;
}

export { createRng, normalSample, fillConstant, fillUniform, fillNormal, fillTruncatedNormal, fillVarianceScaling, fillOrthogonal, orthonormalizeRows, orthonormalizeRow, fillIdentity, fillUnitForgetBias };
