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
 * the O(max·min²) work streams through memory (see `orthonormalizeRows`): LSTM(1000)'s
 * (1000, 4000) recurrent kernel takes about a second, where the strided loop took minutes.
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
 * projection on rows 0..j-1 in that order, then is scaled to unit length. The work is O(n²·m), so
 * it is arranged for memory: rows are reduced four at a time, and one pass over memory removes
 * two finished rows k, k+1 from each of the four while it accumulates their dot products with
 * rows k+2, k+3 for the next pass. The projection on row k+1 is MGS's, q_{k+1}·(t − d_k·q_k),
 * computed as q_{k+1}·t − d_k·(q_{k+1}·q_k) with q_{k+1}·q_k kept from when row k+1 was finished;
 * the rounding differs from the one-row-at-a-time loop (`orthonormalizeRow`) only in the last bits.
 */
function orthonormalizeRows(a: Float64Array, n: number, m: number): void {
  // g[k] = q_k · q_{k+1}, for consecutive finished rows.
  const g = new Float64Array(n);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const t0 = j * m, t1 = t0 + m, t2 = t1 + m, t3 = t2 + m;
    if (j > 0) {
      // d = q_0 · t and c = q_1 · t for the four rows t.
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      const k1 = j > 1 ? m : 0;
      for (let i = 0; i < m; i++) {
        const q = a[i]!, p = a[k1 + i]!;
        const w0 = a[t0 + i]!, w1 = a[t1 + i]!, w2 = a[t2 + i]!, w3 = a[t3 + i]!;
        d0 += q * w0; d1 += q * w1; d2 += q * w2; d3 += q * w3;
        c0 += p * w0; c1 += p * w1; c2 += p * w2; c3 += p * w3;
      }
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const kk = k * m, kp = kk + m, ku = kp + m, ks = ku + m;
        // The projections on row k+1 of the rows after row k is removed.
        const gk = g[k]!;
        const b0 = c0 - d0 * gk, b1 = c1 - d1 * gk, b2 = c2 - d2 * gk, b3 = c3 - d3 * gk;
        // Dot products with the next one or two finished rows (row k+1 stands in when there are none).
        const u = k + 2 < j ? ku : kp, s = k + 3 < j ? ks : kp;
        let e0 = 0, e1 = 0, e2 = 0, e3 = 0, f0 = 0, f1 = 0, f2 = 0, f3 = 0;
        for (let i = 0; i < m; i++) {
          const q = a[kk + i]!, p = a[kp + i]!, x = a[u + i]!, y = a[s + i]!;
          const v0 = a[t0 + i]! - d0 * q - b0 * p;
          const v1 = a[t1 + i]! - d1 * q - b1 * p;
          const v2 = a[t2 + i]! - d2 * q - b2 * p;
          const v3 = a[t3 + i]! - d3 * q - b3 * p;
          a[t0 + i] = v0; a[t1 + i] = v1; a[t2 + i] = v2; a[t3 + i] = v3;
          e0 += x * v0; e1 += x * v1; e2 += x * v2; e3 += x * v3;
          f0 += y * v0; f1 += y * v1; f2 += y * v2; f3 += y * v3;
        }
        d0 = e0; d1 = e1; d2 = e2; d3 = e3;
        c0 = f0; c1 = f1; c2 = f2; c3 = f3;
      }
      if (k < j) {
        // An odd number of finished rows: the last one alone.
        const kk = k * m;
        for (let i = 0; i < m; i++) {
          const q = a[kk + i]!;
          a[t0 + i]! -= d0 * q; a[t1 + i]! -= d1 * q; a[t2 + i]! -= d2 * q; a[t3 + i]! -= d3 * q;
        }
      }
    }
    // Within the four: each row against the ones before it, then its norm; then g for the new rows.
    for (let t = j; t < j + 4; t++) {
      orthonormalizeRow(a, m, j, t);
      if (t > 0) {
        const pp = (t - 1) * m, tt = t * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += a[pp + i]! * a[tt + i]!;
        g[t - 1] = dot;
      }
    }
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

/**
 * LSTM `unit_forget_bias`: ones in the forget gate's block [units, 2·units) of a bias the
 * bias_initializer has filled (Keras: bias_initializer for the i, c and o blocks, ones for f).
 */
function fillUnitForgetBias(out: Float32Array, units: number): Float32Array {
  out.fill(1, units, 2 * units);
  return out;
}

export { createRng, normalSample, fillConstant, fillUniform, fillNormal, fillTruncatedNormal, fillVarianceScaling, fillOrthogonal, orthonormalizeRows, orthonormalizeRow, fillIdentity, fillUnitForgetBias };
