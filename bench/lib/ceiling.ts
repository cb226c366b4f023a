// The scalar ceiling: tight Float32Array multiply-add kernels with every size a literal, timed in
// the same slots as the contestants. Each kernel is its own function literal, so V8 compiles and
// optimizes it for its own sizes only. The ceiling is the fastest of them.
//
//   naive-axpy  z[0:1024] += h[k] · W[k, 0:1024] for k < 256, one row of W per pass: the loop shape
//               the generated code has today (a matrix-vector product)
//   axpy8       the same product, 8 rows of W per pass: z is loaded and stored once per 8 multiply-adds
//   gemm-4x4    C[64, 1024] += A[64, 256] · W[256, 1024], 4 rows of A × 4 rows of W per pass: every W
//               load feeds 4 multiply-adds and every C load/store 4 (a register-blocked GEMM)
//   gemm-4x8    the same with 4 rows of A × 8 rows of W

//   wasm-simd-4x8  the gemm-4x8 product through modelc's WebAssembly gemmAcc (f32x4, 4 rows × 8 columns
//               of accumulators): the wasm SIMD ceiling the modelc-wasm engine is measured against

import { FunctionBuilder, ModuleBuilder } from '../../src/emit-wasm/encoder.js';
import { addKernel } from '../../src/emit-wasm/kernels.js';

const K = 256;
const N = 1024;
const M = 64;

export interface CeilingKernel {
  readonly name: string;
  readonly description: string;
  /** FLOPs of one call (2 per multiply-add). */
  readonly flops: number;
  readonly run: () => void;
}

/** C[64, 1024] += A[64, 256] · W[256, 1024] by the wasm gemmAcc kernel, in its own memory. */
function wasmSimdGemm(random: () => number): () => void {
  const m = new ModuleBuilder();
  const gemm = addKernel(m, 'gemmAcc');
  const w = new FunctionBuilder([], []);
  const [a, b, c] = [4096, 4096 + 4 * M * K, 4096 + 4 * (M * K + K * N)];
  for (const v of [a, 0, K, b, 0, N, c, 0, N, M, N, K]) w.i32(v);
  w.call(gemm);
  m.define('run', w, true);
  const api = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer }; Instance: new (m: object, i: object) => { exports: Record<string, () => void> }; Module: new (b: Uint8Array) => object } }).WebAssembly;
  const memory = new api.Memory({ initial: Math.ceil((c + 4 * M * N) / 65536) });
  new Float32Array(memory.buffer, a, M * K).set(Float32Array.from({ length: M * K }, () => random()));
  new Float32Array(memory.buffer, b, K * N).set(Float32Array.from({ length: K * N }, () => random() * 0.1));
  return new api.Instance(new api.Module(m.encode(1)), { env: { memory } }).exports.run!;
}

export function ceilingKernels(random: () => number): CeilingKernel[] {
  const W = new Float32Array(K * N).map(() => random() * 0.1);
  const A = new Float32Array(M * K).map(() => random());
  const C = new Float32Array(M * N);
  const h = new Float32Array(K).map(() => random());
  const z = new Float32Array(N);

  function naiveAxpy(): void {
    for (let k = 0; k < 256; k++) {
      const hk = h[k]!;
      const r = k * 1024;
      for (let j = 0; j < 1024; j++) z[j]! += hk * W[r + j]!;
    }
  }

  function axpy8(): void {
    for (let k = 0; k < 256; k += 8) {
      const h0 = h[k]!, h1 = h[k + 1]!, h2 = h[k + 2]!, h3 = h[k + 3]!, h4 = h[k + 4]!, h5 = h[k + 5]!, h6 = h[k + 6]!, h7 = h[k + 7]!;
      const r = k * 1024;
      for (let j = 0; j < 1024; j++) {
        const q = r + j;
        z[j]! += h0 * W[q]! + h1 * W[q + 1024]! + h2 * W[q + 2048]! + h3 * W[q + 3072]! + h4 * W[q + 4096]! + h5 * W[q + 5120]! + h6 * W[q + 6144]! + h7 * W[q + 7168]!;
      }
    }
  }

  function gemm4x4(): void {
    for (let i = 0; i < 64; i += 4) {
      const o0 = i * 1024, o1 = o0 + 1024, o2 = o1 + 1024, o3 = o2 + 1024;
      for (let k = 0; k < 256; k += 4) {
        const p0 = i * 256 + k, p1 = p0 + 256, p2 = p1 + 256, p3 = p2 + 256;
        const a00 = A[p0]!, a01 = A[p0 + 1]!, a02 = A[p0 + 2]!, a03 = A[p0 + 3]!;
        const a10 = A[p1]!, a11 = A[p1 + 1]!, a12 = A[p1 + 2]!, a13 = A[p1 + 3]!;
        const a20 = A[p2]!, a21 = A[p2 + 1]!, a22 = A[p2 + 2]!, a23 = A[p2 + 3]!;
        const a30 = A[p3]!, a31 = A[p3 + 1]!, a32 = A[p3 + 2]!, a33 = A[p3 + 3]!;
        const r = k * 1024;
        for (let j = 0; j < 1024; j++) {
          const q = r + j;
          const w0 = W[q]!, w1 = W[q + 1024]!, w2 = W[q + 2048]!, w3 = W[q + 3072]!;
          C[o0 + j]! += a00 * w0 + a01 * w1 + a02 * w2 + a03 * w3;
          C[o1 + j]! += a10 * w0 + a11 * w1 + a12 * w2 + a13 * w3;
          C[o2 + j]! += a20 * w0 + a21 * w1 + a22 * w2 + a23 * w3;
          C[o3 + j]! += a30 * w0 + a31 * w1 + a32 * w2 + a33 * w3;
        }
      }
    }
  }

  function gemm4x8(): void {
    for (let i = 0; i < 64; i += 4) {
      const o0 = i * 1024, o1 = o0 + 1024, o2 = o1 + 1024, o3 = o2 + 1024;
      for (let k = 0; k < 256; k += 8) {
        const p0 = i * 256 + k, p1 = p0 + 256, p2 = p1 + 256, p3 = p2 + 256;
        const a00 = A[p0]!, a01 = A[p0 + 1]!, a02 = A[p0 + 2]!, a03 = A[p0 + 3]!, a04 = A[p0 + 4]!, a05 = A[p0 + 5]!, a06 = A[p0 + 6]!, a07 = A[p0 + 7]!;
        const a10 = A[p1]!, a11 = A[p1 + 1]!, a12 = A[p1 + 2]!, a13 = A[p1 + 3]!, a14 = A[p1 + 4]!, a15 = A[p1 + 5]!, a16 = A[p1 + 6]!, a17 = A[p1 + 7]!;
        const a20 = A[p2]!, a21 = A[p2 + 1]!, a22 = A[p2 + 2]!, a23 = A[p2 + 3]!, a24 = A[p2 + 4]!, a25 = A[p2 + 5]!, a26 = A[p2 + 6]!, a27 = A[p2 + 7]!;
        const a30 = A[p3]!, a31 = A[p3 + 1]!, a32 = A[p3 + 2]!, a33 = A[p3 + 3]!, a34 = A[p3 + 4]!, a35 = A[p3 + 5]!, a36 = A[p3 + 6]!, a37 = A[p3 + 7]!;
        const r = k * 1024;
        for (let j = 0; j < 1024; j++) {
          const q = r + j;
          const w0 = W[q]!, w1 = W[q + 1024]!, w2 = W[q + 2048]!, w3 = W[q + 3072]!, w4 = W[q + 4096]!, w5 = W[q + 5120]!, w6 = W[q + 6144]!, w7 = W[q + 7168]!;
          C[o0 + j]! += a00 * w0 + a01 * w1 + a02 * w2 + a03 * w3 + a04 * w4 + a05 * w5 + a06 * w6 + a07 * w7;
          C[o1 + j]! += a10 * w0 + a11 * w1 + a12 * w2 + a13 * w3 + a14 * w4 + a15 * w5 + a16 * w6 + a17 * w7;
          C[o2 + j]! += a20 * w0 + a21 * w1 + a22 * w2 + a23 * w3 + a24 * w4 + a25 * w5 + a26 * w6 + a27 * w7;
          C[o3 + j]! += a30 * w0 + a31 * w1 + a32 * w2 + a33 * w3 + a34 * w4 + a35 * w5 + a36 * w6 + a37 * w7;
        }
      }
    }
  }

  // The accumulators only grow (linearly, far from overflow) across calls: no clearing wrapper, so
  // every timed call runs the kernel itself.
  return [
    { name: 'naive-axpy', description: 'matrix-vector 256×1024, one row of W per pass (the shape of the generated loop)', flops: 2 * K * N, run: naiveAxpy },
    { name: 'axpy8', description: 'matrix-vector 256×1024, 8 rows of W per pass', flops: 2 * K * N, run: axpy8 },
    { name: 'gemm-4x4', description: 'GEMM 64×256×1024, 4 rows of A × 4 rows of W per pass', flops: 2 * M * K * N, run: gemm4x4 },
    { name: 'gemm-4x8', description: 'GEMM 64×256×1024, 4 rows of A × 8 rows of W per pass', flops: 2 * M * K * N, run: gemm4x8 },
    { name: 'wasm-simd-4x8', description: "GEMM 64×256×1024 by modelc's WebAssembly gemmAcc (f32x4)", flops: 2 * M * K * N, run: wasmSimdGemm(random) },
  ];
}
