// The transposed convolution over the steps axis of (batch, steps, channels) tensors, channels
// last: Keras's Conv1DTranspose (the gradient of Conv1D with respect to its input). Each input step
// scatters its window of taps into the output; taps that land outside [0, outSteps) are dropped
// (the padding Keras trims). The geometry comes from the compiler (src/shapes/conv-transpose.ts).
// Copied into generated modules.

/**
 * out[b, i·stride + k·dilation − offset, f] += x[b, i, c] · kernel[k, f, c], after out[b, o, :] = bias.
 * `kernel` is Keras's (kernelSize, filters, channels); `bias` may be null; `offset` is
 * dilation·(kernelSize − 1) minus the zeros JAX pads before the dilated input.
 */
function transposeConvolve1d(
  x: Float32Array, batch: number, steps: number, channels: number,
  kernel: Float32Array, kernelSize: number, filters: number,
  stride: number, dilation: number, offset: number, outSteps: number,
  bias: Float32Array | null, out: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outSteps; o++) {
      const at = (b * outSteps + o) * filters;
      if (bias === null) out.fill(0, at, at + filters);
      else out.set(bias, at);
    }
    for (let i = 0; i < steps; i++) {
      const xs = (b * steps + i) * channels;
      for (let k = 0; k < kernelSize; k++) {
        const o = i * stride + k * dilation - offset;
        if (o < 0 || o >= outSteps) continue;
        const os = (b * outSteps + o) * filters;
        for (let f = 0; f < filters; f++) {
          const w = (k * filters + f) * channels;
          let sum = 0;
          for (let c = 0; c < channels; c++) sum += x[xs + c]! * kernel[w + c]!;
          out[os + f]! += sum;
        }
      }
    }
  }
}

export { transposeConvolve1d };
