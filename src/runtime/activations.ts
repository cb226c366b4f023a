// Element-wise activations with Keras 3's definitions (keras/src/activations/activations.py).
// Copied into generated modules as needed: no imports, no closures.

/** 2^n for n in [-160, 160], at index n + 160. */
const POW2 = Float64Array.from({ length: 321 }, (_, i) => 2 ** (i - 160));

/** 2^(j/16) for j in [0, 16). */
const POW2_SIXTEENTHS = Float64Array.from({ length: 16 }, (_, j) => 2 ** (j / 16));

/**
 * e^x to about 5e-11 relative, for |x| ≤ 100 (beyond, e^±100: sigmoid and tanh are saturated far
 * below float32's resolution). Math.exp is a call V8 does not inline (about 9 ns here); this is
 * about 3 ns: x = (16n + j)·ln2/16 + r with |r| ≤ ln2/32 (rounded by the 1.5·2^52 trick, ln2/16
 * in two parts), a degree-4 Taylor polynomial for e^r, and tables for 2^(j/16) and 2^n.
 */
function expClamped(x: number): number {
  const y = x > 100 ? 100 : x < -100 ? -100 : x;
  const m = y * 23.083120654223414 + 6755399441055744 - 6755399441055744;
  const r = y - m * 0.04332169867120683 - m * 1.1378974845710488e-10;
  const k = m | 0;
  return (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24))))) * POW2_SIXTEENTHS[k & 15]! * POW2[(k >> 4) + 160]!;
}

/** Keras `sigmoid`: 1 / (1 + e^-x). */
function sigmoid(x: number): number {
  return 1 / (1 + expClamped(-x));
}

/** Keras `tanh`: 1 - 2 / (1 + e^2x), one exp instead of the slower Math.tanh call. */
function tanh(x: number): number {
  return 1 - 2 / (1 + expClamped(2 * x));
}

/** Keras 3 `hard_sigmoid`: relu6(x + 3) / 6. */
function hardSigmoid(x: number): number {
  return x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6;
}

/** Keras 2 and TensorFlow.js `hardSigmoid`: clip(0.2 x + 0.5, 0, 1). Divergence from Keras 3, spelled `hard_sigmoid_keras2`. */
function hardSigmoidKeras2(x: number): number {
  const y = 0.2 * x + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

/** Keras `relu`: max(x, 0). */
function relu(x: number): number {
  return x > 0 ? x : 0;
}

/** Keras `relu6`: min(max(x, 0), 6). */
function relu6(x: number): number {
  return x <= 0 ? 0 : x >= 6 ? 6 : x;
}

/** Keras `elu` with alpha 1: x for x > 0, else e^x - 1. */
function elu(x: number): number {
  return x > 0 ? x : Math.expm1(x);
}

/** Keras `selu`: scale * elu(x, alpha) with the self-normalizing constants. */
function selu(x: number): number {
  return x > 0 ? 1.0507009873554805 * x : 1.0507009873554805 * 1.6732632423543772 * Math.expm1(x);
}

/** Keras `softplus`: log(1 + e^x), computed without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Keras `softsign`: x / (1 + |x|). */
function softsign(x: number): number {
  return x / (1 + Math.abs(x));
}

/** Keras `silu` (also `swish`): x * sigmoid(x). */
function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/** Keras `hard_silu` (also `hard_swish`): x * relu6(x + 3) / 6. */
function hardSilu(x: number): number {
  return x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6;
}

/** Keras `gelu` with approximate=False (its default): x/2 * (1 + erf(x / sqrt 2)). */
function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x * 0.7071067811865476));
}

/** The error function, to about 1e-7 (Numerical Recipes' erfc Chebyshev fit). */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Keras `exponential`: e^x. */
function exponential(x: number): number {
  return Math.exp(x);
}

/** Keras 3 `leaky_relu` with its default negative_slope 0.2. */
function leakyRelu(x: number): number {
  return x >= 0 ? x : 0.2 * x;
}

/** Keras `mish`: x * tanh(softplus(x)). */
function mish(x: number): number {
  return x * Math.tanh(softplus(x));
}

/** Keras `softmax` over the last axis, in place on `rows` rows of `cols`: e^(x - max) / Σ e^(x - max). */
function softmaxRows(data: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[o + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(data[o + c]! - max);
      data[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) data[o + c]! /= sum;
  }
}

/** Keras `log_softmax` over the last axis, in place: x - max - log Σ e^(x - max). */
function logSoftmaxRows(data: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[o + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(data[o + c]! - max);
    const shift = max + Math.log(sum);
    for (let c = 0; c < cols; c++) data[o + c]! -= shift;
  }
}

export { POW2, POW2_SIXTEENTHS, expClamped, tanh, softmaxRows, logSoftmaxRows, sigmoid, hardSigmoid, hardSigmoidKeras2, relu, relu6, elu, selu, softplus, softsign, silu, hardSilu, gelu, erf, exponential, leakyRelu, mish };
