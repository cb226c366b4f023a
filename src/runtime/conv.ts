// Sliding windows over the spatial axes of channels-last tensors, (batch, height, width,
// channels), convolution and pooling; the 1-D kernels are the 2-D ones over an image of one row.
// Padding is never materialized: taps outside the image are skipped.
// The window geometry comes from the compiler (src/shapes/conv.ts). Copied into generated modules.

/**
 * Keras Conv2D (a cross-correlation) on (batch, height, width, channels):
 * out[b, y, x, f] = bias[f] + Σky Σkx Σc in[b, y·strideH − padTop + ky·dilationH, x·strideW − padLeft + kx·dilationW, g·cg + c] · kernel[ky, kx, c, f],
 * where g = floor(f / (filters / groups)) is the group of filter f and cg = channels / groups.
 * `kernel` is Keras's (kernelH, kernelW, cg, filters); `bias` may be null.
 */
function convolve2d(
  x: Float32Array, batch: number, height: number, width: number, channels: number,
  kernel: Float32Array, kernelH: number, kernelW: number, filters: number, groups: number,
  strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number,
  outHeight: number, outWidth: number, bias: Float32Array | null, out: Float32Array,
): void {
  const cg = channels / groups;
  const fg = filters / groups;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const o = ((b * outHeight + oy) * outWidth + ox) * filters;
        if (bias === null) out.fill(0, o, o + filters);
        else out.set(bias, o);
        for (let ky = 0; ky < kernelH; ky++) {
          const sy = oy * strideH - padTop + ky * dilationH;
          if (sy < 0 || sy >= height) continue;
          for (let kx = 0; kx < kernelW; kx++) {
            const sx = ox * strideW - padLeft + kx * dilationW;
            if (sx < 0 || sx >= width) continue;
            const xs = ((b * height + sy) * width + sx) * channels;
            for (let g = 0; g < groups; g++) {
              for (let c = 0; c < cg; c++) {
                const v = x[xs + g * cg + c]!;
                if (v === 0) continue;
                const w = ((ky * kernelW + kx) * cg + c) * filters;
                for (let f = g * fg; f < (g + 1) * fg; f++) out[o + f]! += v * kernel[w + f]!;
              }
            }
          }
        }
      }
    }
  }
}

/** Keras Conv1D: Conv2D over an image of one row, (batch, steps, channels) with a (kernelSize, cg, filters) kernel. */
function convolve1d(
  x: Float32Array, batch: number, steps: number, channels: number,
  kernel: Float32Array, kernelSize: number, filters: number, groups: number,
  stride: number, dilation: number, pad: number, outSteps: number,
  bias: Float32Array | null, out: Float32Array,
): void {
  convolve2d(x, batch, 1, steps, channels, kernel, 1, kernelSize, filters, groups, 1, stride, 1, dilation, 0, pad, 1, outSteps, bias, out);
}

/** Keras MaxPooling2D: the maximum over each poolH × poolW window of (batch, height, width, channels); padding never wins (it is −∞). */
function maxPool2d(
  x: Float32Array, batch: number, height: number, width: number, channels: number,
  poolH: number, poolW: number, strideH: number, strideW: number, padTop: number, padLeft: number,
  outHeight: number, outWidth: number, out: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const o = ((b * outHeight + oy) * outWidth + ox) * channels;
        out.fill(-Infinity, o, o + channels);
        for (let sy = Math.max(oy * strideH - padTop, 0); sy < Math.min(oy * strideH - padTop + poolH, height); sy++) {
          for (let sx = Math.max(ox * strideW - padLeft, 0); sx < Math.min(ox * strideW - padLeft + poolW, width); sx++) {
            const xs = ((b * height + sy) * width + sx) * channels;
            for (let c = 0; c < channels; c++) out[o + c] = Math.max(out[o + c]!, x[xs + c]!);
          }
        }
      }
    }
  }
}

/** Keras MaxPooling1D: MaxPooling2D over an image of one row. */
function maxPool1d(x: Float32Array, batch: number, steps: number, channels: number, size: number, stride: number, pad: number, outSteps: number, out: Float32Array): void {
  maxPool2d(x, batch, 1, steps, channels, 1, size, 1, stride, 0, pad, 1, outSteps, out);
}

/** Keras AveragePooling2D: the mean over each window, counting only real elements (with `same` padding, edge windows average fewer). */
function averagePool2d(
  x: Float32Array, batch: number, height: number, width: number, channels: number,
  poolH: number, poolW: number, strideH: number, strideW: number, padTop: number, padLeft: number,
  outHeight: number, outWidth: number, out: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const [top, bottom] = [Math.max(oy * strideH - padTop, 0), Math.min(oy * strideH - padTop + poolH, height)];
      for (let ox = 0; ox < outWidth; ox++) {
        const [left, right] = [Math.max(ox * strideW - padLeft, 0), Math.min(ox * strideW - padLeft + poolW, width)];
        const o = ((b * outHeight + oy) * outWidth + ox) * channels;
        out.fill(0, o, o + channels);
        for (let sy = top; sy < bottom; sy++) {
          for (let sx = left; sx < right; sx++) {
            const xs = ((b * height + sy) * width + sx) * channels;
            for (let c = 0; c < channels; c++) out[o + c]! += x[xs + c]!;
          }
        }
        const count = (bottom - top) * (right - left);
        for (let c = 0; c < channels; c++) out[o + c]! /= count;
      }
    }
  }
}

/** Keras AveragePooling1D: AveragePooling2D over an image of one row. */
function averagePool1d(x: Float32Array, batch: number, steps: number, channels: number, size: number, stride: number, pad: number, outSteps: number, out: Float32Array): void {
  averagePool2d(x, batch, 1, steps, channels, 1, size, 1, stride, 0, pad, 1, outSteps, out);
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

export { convolve2d, convolve1d, maxPool2d, maxPool1d, averagePool2d, averagePool1d, globalMaxPool1d, globalAveragePool1d };
