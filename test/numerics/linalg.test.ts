// The blocked matrix kernels against a plain float64 triple loop, on shapes that exercise every
// block and left-over path (rows in 4s and 1s; columns of a in 8s, a 4, and singles), with offsets
// and row strides. Tolerance: 1e-6 (float32 storage of sums of up to 128 terms of magnitude ≤ 0.25).
import { describe, expect, it } from 'vitest';
import { gemmAcc, matmulBias } from '../../src/runtime/linalg.ts';
import { randomArray } from './helpers.ts';

const shapes: [number, number, number][] = [[1, 1, 1], [4, 8, 8], [5, 7, 9], [3, 80, 20], [32, 80, 20], [17, 13, 33], [1, 512, 128], [8, 9, 12], [4, 3, 4], [4, 5, 13], [9, 4, 7]];

describe('gemmAcc: c += a · b on strided views', () => {
  it.each(shapes)('m %i, n %i, k %i', (m, n, k) => {
    const [lda, ldb, ldc, aOff, bOff, cOff] = [k + 3, n + 2, n + 4, 2, 5, 1];
    const a = randomArray(aOff + m * lda, m * 7 + 1, 0.5);
    const b = randomArray(bOff + k * ldb, n * 11 + 2, 0.5);
    const c = randomArray(cOff + m * ldc, k * 13 + 3, 0.5);
    const expected = Float64Array.from(c);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[aOff + i * lda + p]! * b[bOff + p * ldb + j]!;
      expected[cOff + i * ldc + j]! += s;
    }
    gemmAcc(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k);
    let worst = 0;
    for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i]! - expected[i]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});

describe('matmulBias: out = a · w + bias', () => {
  it('with a bias longer than the columns (its first row), and without one', () => {
    const [rows, inner, cols] = [6, 5, 7];
    const a = randomArray(rows * inner, 1), w = randomArray(inner * cols, 2), bias = randomArray(2 * cols, 3);
    for (const b of [bias, null]) {
      const out = new Float32Array(rows * cols).fill(99);
      matmulBias(a, rows, inner, w, cols, b, out);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
        let s = b === null ? 0 : b[c]!;
        for (let p = 0; p < inner; p++) s += a[r * inner + p]! * w[p * cols + c]!;
        expect(Math.abs(out[r * cols + c]! - s)).toBeLessThanOrEqual(1e-6);
      }
    }
  });
});
