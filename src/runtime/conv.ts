// Sliding windows over the steps axis of (batch, steps, channels) tensors, channels last:
// convolution and pooling. Padding is never materialized: taps outside [0, steps) are skipped.
// The window geometry comes from the compiler (src/shapes/conv.ts). Copied into generated modules.

/**
 * Keras Conv1D (a cross-correlation): out[b, t, f] = bias[f] + Σk Σc x[b, t·stride − pad + k·dilation, g·cg + c] · kernel[k, c, f],
 * where g = floor(f / (filters / groups)) is the group of filter f and cg = channels / groups.
 * `kernel` is Keras's (kernelSize, cg, filters); `bias` may be null.
 */
function convolve1d(
  x: Float32Array, batch: number, steps: number, channels: number,
  kernel: Float32Array, kernelSize: number, filters: number, groups: number,
  stride: number, dilation: number, pad: number, outSteps: number,
  bias: Float32Array | null, out: Float32Array,
): void {
  const cg = channels / groups;
  const fg = filters / groups;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      const o = (b * outSteps + t) * filters;
      if (bias === null) out.fill(0, o, o + filters);
      else out.set(bias, o);
      for (let k = 0; k < kernelSize; k++) {
        const s = t * stride - pad + k * dilation;
        if (s < 0 || s >= steps) continue;
        const xs = (b * steps + s) * channels;
        for (let g = 0; g < groups; g++) {
          for (let c = 0; c < cg; c++) {
            const v = x[xs + g * cg + c]!;
            if (v === 0) continue;
            const w = (k * cg + c) * filters;
            for (let f = g * fg; f < (g + 1) * fg; f++) out[o + f]! += v * kernel[w + f]!;
          }
        }
      }
    }
  }
}

/** Keras MaxPooling1D: the maximum over each window of `size` steps; padding never wins (it is −∞). */
function maxPool1d(x: Float32Array, batch: number, steps: number, channels: number, size: number, stride: number, pad: number, outSteps: number, out: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      const o = (b * outSteps + t) * channels;
      out.fill(-Infinity, o, o + channels);
      for (let k = 0; k < size; k++) {
        const s = t * stride - pad + k;
        if (s < 0 || s >= steps) continue;
        const xs = (b * steps + s) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = Math.max(out[o + c]!, x[xs + c]!);
      }
    }
  }
}

/** Keras AveragePooling1D: the mean over each window, counting only real steps (with `same` padding, edge windows average fewer). */
function averagePool1d(x: Float32Array, batch: number, steps: number, channels: number, size: number, stride: number, pad: number, outSteps: number, out: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      const o = (b * outSteps + t) * channels;
      const first = Math.max(t * stride - pad, 0);
      const end = Math.min(t * stride - pad + size, steps);
      out.fill(0, o, o + channels);
      for (let s = first; s < end; s++) {
        const xs = (b * steps + s) * channels;
        for (let c = 0; c < channels; c++) out[o + c]! += x[xs + c]!;
      }
      for (let c = 0; c < channels; c++) out[o + c]! /= end - first;
    }
  }
}

/** Keras GlobalMaxPooling1D: out[b, c] = max over t of x[b, t, c]. */
function globalMaxPool1d(x: Float32Array, batch: number, steps: number, channels: number, out: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    const o = b * channels;
    out.fill(-Infinity, o, o + channels);
    for (let t = 0; t < steps; t++) {
      const xs = (b * steps + t) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = Math.max(out[o + c]!, x[xs + c]!);
    }
  }
}

/**
 * Keras GlobalAveragePooling1D: out[b, c] = mean over t of x[b, t, c]; with a mask (1 = keep,
 * one byte per (b, t), or null), the mean of the kept steps only: Σ x / Σ mask, NaN when a row keeps none, as in Keras.
 */
function globalAveragePool1d(x: Float32Array, batch: number, steps: number, channels: number, mask: Uint8Array | null, out: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    const o = b * channels;
    out.fill(0, o, o + channels);
    let kept = 0;
    for (let t = 0; t < steps; t++) {
      if (mask !== null && mask[b * steps + t] === 0) continue;
      kept++;
      const xs = (b * steps + t) * channels;
      for (let c = 0; c < channels; c++) out[o + c]! += x[xs + c]!;
    }
    for (let c = 0; c < channels; c++) out[o + c]! /= kept;
  }
}

export { convolve1d, maxPool1d, averagePool1d, globalMaxPool1d, globalAveragePool1d };
