// Resizing channels-last images by interpolation. Copied into generated modules as needed.

/**
 * Keras UpSampling2D(interpolation="bilinear"), which is jax.image.resize's bilinear on (batch,
 * height, width, channels): each output pixel samples the input at ((y + 0.5)·height / outHeight
 * − 0.5, (x + 0.5)·width / outWidth − 0.5) (half-pixel centres), weighting the 2 × 2 nearest
 * pixels by their distance. Past the edges the weights of the pixels inside are renormalized,
 * which for upsampling equals clamping the sample into the image.
 */
function resizeBilinear(x: Float32Array, batch: number, height: number, width: number, channels: number, outHeight: number, outWidth: number, out: Float32Array): void {
  const taps = (o: number, size: number, outSize: number): [number, number, number] => {
    const at = Math.min(Math.max(((o + 0.5) * size) / outSize - 0.5, 0), size - 1);
    const low = Math.floor(at);
    return [low, Math.min(low + 1, size - 1), at - low];
  };
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const [y0, y1, fy] = taps(oy, height, outHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const [x0, x1, fx] = taps(ox, width, outWidth);
        const pixel = (y: number, xx: number) => ((b * height + y) * width + xx) * channels;
        const [p00, p01, p10, p11] = [pixel(y0, x0), pixel(y0, x1), pixel(y1, x0), pixel(y1, x1)];
        const o = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const top = x[p00 + c]! * (1 - fx) + x[p01 + c]! * fx;
          const bottom = x[p10 + c]! * (1 - fx) + x[p11 + c]! * fx;
          out[o + c] = top * (1 - fy) + bottom * fy;
        }
      }
    }
  }
}

export { resizeBilinear };
