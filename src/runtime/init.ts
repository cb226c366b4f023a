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
 */
function fillOrthogonal(out: Float32Array, rng: () => number, rows: number, cols: number, gain: number): Float32Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const q = new Float64Array(m * n);
  for (let i = 0; i < q.length; i++) q[i] = normalSample(rng);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i * n + k]! * q[i * n + j]!;
      for (let i = 0; i < m; i++) q[i * n + j]! -= dot * q[i * n + k]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j]! * q[i * n + j]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j]! /= norm;
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[r * n + c]! : q[c * n + r]!);
  return out;
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

export { createRng, normalSample, fillConstant, fillUniform, fillNormal, fillTruncatedNormal, fillVarianceScaling, fillOrthogonal, fillIdentity, fillUnitForgetBias };
