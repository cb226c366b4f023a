// Orthogonal initialization (Keras `Orthogonal`) at scale (finding 6 of issue 14): the blocked,
// contiguous Gram-Schmidt gives the textbook algorithm's numbers (to the last bits), an orthonormal Q
// for square and non-square shapes both ways, R's diagonal positive (Keras's sign fix), gain
// applied, and LSTM(1000)'s (1000, 4000) recurrent kernel in seconds, not minutes.
import { describe, expect, it } from 'vitest';
import * as init from '../../src/runtime/init.ts';

/** The textbook loop the runtime replaced: modified Gram-Schmidt down the columns of the (max, min) matrix. */
function reference(rng: () => number, rows: number, cols: number, gain: number): Float32Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const q = new Float64Array(m * n);
  for (let i = 0; i < q.length; i++) q[i] = init.normalSample(rng);
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
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[r * n + c]! : q[c * n + r]!);
  return out;
}

/** max |QᵀQ − g²I| over the min(rows, cols) orthonormal columns (rows >= cols) or rows (rows < cols). */
function orthogonalityError(q: Float32Array, rows: number, cols: number, gain: number, stride = 1): number {
  const n = Math.min(rows, cols);
  const inner = Math.max(rows, cols);
  const at = (i: number, k: number) => (rows >= cols ? q[k * cols + i]! : q[i * cols + k]!);
  let worst = 0;
  for (let i = 0; i < n; i += stride) {
    for (let j = 0; j < n; j += stride) {
      let dot = 0;
      for (let k = 0; k < inner; k++) dot += at(i, k) * at(j, k);
      worst = Math.max(worst, Math.abs(dot - (i === j ? gain * gain : 0)));
    }
  }
  return worst;
}

const shapes: [number, number][] = [[1, 1], [1, 7], [7, 1], [8, 8], [9, 9], [16, 16], [17, 17], [50, 20], [20, 80], [9, 33], [64, 3], [24, 96], [100, 37], [37, 100]];

describe('fillOrthogonal', () => {
  it.each(shapes)('%i×%i: the textbook modified Gram-Schmidt numbers, to the last bits', (rows, cols) => {
    const fast = init.fillOrthogonal(new Float32Array(rows * cols), init.createRng(5, rows * 1000 + cols), rows, cols, 1.25);
    const slow = reference(init.createRng(5, rows * 1000 + cols), rows, cols, 1.25);
    let worst = 0;
    for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i]! - slow[i]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it.each(shapes.filter(([r, c]) => Math.min(r, c) > 1))('%i×%i: orthonormal to 1e-5, for gains 1 and 0.5', (rows, cols) => {
    for (const gain of [1, 0.5]) {
      const q = init.fillOrthogonal(new Float32Array(rows * cols), init.createRng(2, rows + cols), rows, cols, gain);
      expect(orthogonalityError(q, rows, cols, gain)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('fixes signs as Keras does: the diagonal of R = QᵀA is positive', () => {
    for (const [rows, cols] of [[30, 12], [12, 30], [16, 16]] as const) {
      const q = init.fillOrthogonal(new Float32Array(rows * cols), init.createRng(3, 1), rows, cols, 1);
      // A, the (max, min) normal matrix, drawn from the same stream in the same order.
      const m = Math.max(rows, cols), n = Math.min(rows, cols);
      const rng = init.createRng(3, 1);
      const a = Array.from({ length: m * n }, () => init.normalSample(rng));
      for (let j = 0; j < n; j++) {
        let r = 0;
        for (let i = 0; i < m; i++) r += (rows >= cols ? q[i * cols + j]! : q[j * cols + i]!) * a[i * n + j]!;
        expect(r).toBeGreaterThan(0);
      }
    }
  });

  it('is deterministic per (seed, stream)', () => {
    const draw = (seed: number, stream: number) => Array.from(init.fillOrthogonal(new Float32Array(40 * 12), init.createRng(seed, stream), 40, 12, 1));
    expect(draw(1, 1)).toEqual(draw(1, 1));
    expect(draw(1, 2)).not.toEqual(draw(1, 1));
  });

  it("LSTM(1000)'s recurrent kernel (1000, 4000): orthonormal rows, in seconds", { timeout: 120_000 }, () => {
    const rows = 1000, cols = 4000;
    const q = init.fillOrthogonal(new Float32Array(rows * cols), init.createRng(0, 1), rows, cols, 1);
    // Every 25th row against every 25th row (40 × 40 dot products of length 4000).
    expect(orthogonalityError(q, rows, cols, 1, 25)).toBeLessThanOrEqual(1e-5);
  });
});
