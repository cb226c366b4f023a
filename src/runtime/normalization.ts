// Normalization layers at inference, with Keras 3's formulas (keras/src/ops/nn.py and the JAX
// backend's batch_normalization): y = x · inv + (β − mean · inv), inv = γ / sqrt(var + ε).
// Statistics are summed in double precision. Copied into generated modules as needed.

/**
 * Keras LayerNormalization over a block of contiguous axes: x viewed as (outer, size, inner) is
 * normalized over `size` for every (outer, inner) pair, with the biased variance. `gamma` and
 * `beta` (either may be null) hold `size` values. With `rms` (Keras's deprecated rms_scaling),
 * y = x · γ / sqrt(var + ε), without centering.
 */
function layerNormalize(
  x: Float32Array, outer: number, size: number, inner: number,
  gamma: Float32Array | null, beta: Float32Array | null, epsilon: number, rms: boolean, out: Float32Array,
): void {
  for (let o = 0; o < outer; o++) {
    for (let n = 0; n < inner; n++) {
      const base = o * size * inner + n;
      let sum = 0;
      for (let s = 0; s < size; s++) sum += x[base + s * inner]!;
      const mean = sum / size;
      let squares = 0;
      for (let s = 0; s < size; s++) {
        const d = x[base + s * inner]! - mean;
        squares += d * d;
      }
      const inv = 1 / Math.sqrt(squares / size + epsilon);
      for (let s = 0; s < size; s++) {
        const i = base + s * inner;
        const scale = gamma === null ? inv : inv * gamma[s]!;
        out[i] = rms ? x[i]! * scale : (x[i]! - mean) * scale + (beta === null ? 0 : beta[s]!);
      }
    }
  }
}

/**
 * Keras BatchNormalization at inference: x viewed as (outer, size, inner), where `size` is the
 * normalized axis, y = (x − movingMean) · γ / sqrt(movingVariance + ε) + β; `gamma` and `beta` may be null.
 */
function batchNormalize(
  x: Float32Array, outer: number, size: number, inner: number,
  gamma: Float32Array | null, beta: Float32Array | null, movingMean: Float32Array, movingVariance: Float32Array, epsilon: number, out: Float32Array,
): void {
  for (let s = 0; s < size; s++) {
    const inv = (gamma === null ? 1 : gamma[s]!) / Math.sqrt(movingVariance[s]! + epsilon);
    const shift = (beta === null ? 0 : beta[s]!) - movingMean[s]! * inv;
    for (let o = 0; o < outer; o++) {
      const base = (o * size + s) * inner;
      for (let n = 0; n < inner; n++) out[base + n] = x[base + n]! * inv + shift;
    }
  }
}

export { layerNormalize, batchNormalize };
