// What Keras `Orthogonal` costs in the runtime (src/runtime/init.ts): fillOrthogonal at LSTM-sized
// shapes, three runs each, split into the normal draws and the Gram-Schmidt, with the worst
// |QᵀQ − I| (QQᵀ when rows < cols) over every 7th pair of orthonormal vectors.
//   npx tsx bench/experiments/orthogonal.ts [rows×cols,...]     (default 1000×4000,4000×1000,500×2000,1000×1000)
import * as init from '../../src/runtime/init.js';

const shapes = (process.argv[2] ?? '1000x4000,4000x1000,500x2000,1000x1000').split(',').map((s) => s.split(/[x×]/).map(Number) as [number, number]);

/** max |vᵢ·vⱼ − δᵢⱼ| over every `stride`-th pair of the min(rows, cols) orthonormal columns or rows of q. */
function orthogonalityError(q: Float32Array, rows: number, cols: number, stride: number): number {
  const n = Math.min(rows, cols), inner = Math.max(rows, cols);
  const at = (i: number, k: number) => (rows >= cols ? q[k * cols + i]! : q[i * cols + k]!);
  let worst = 0;
  for (let i = 0; i < n; i += stride) {
    for (let j = 0; j < n; j += stride) {
      let dot = 0;
      for (let k = 0; k < inner; k++) dot += at(i, k) * at(j, k);
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/** Milliseconds of the draws (same order as fillOrthogonal) and of orthonormalizeRows alone. */
function phases(rows: number, cols: number): [number, number] {
  const m = Math.max(rows, cols), n = Math.min(rows, cols);
  const rng = init.createRng(0, 1);
  const t0 = performance.now();
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = init.normalSample(rng);
  const t1 = performance.now();
  init.orthonormalizeRows(a, n, m);
  return [t1 - t0, performance.now() - t1];
}

for (const [rows, cols] of shapes) {
  const walls: string[] = [], splits: string[] = [];
  let q: Float32Array = new Float32Array(0);
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    q = init.fillOrthogonal(new Float32Array(rows * cols), init.createRng(0, 1), rows, cols, 1);
    walls.push((performance.now() - t0).toFixed(0));
    splits.push(phases(rows, cols).map((t) => t.toFixed(0)).join('+'));
  }
  const flops = 2 * Math.max(rows, cols) * Math.min(rows, cols) ** 2;
  console.log(`${rows}×${cols}: fillOrthogonal ${walls.join(', ')} ms; draws+Gram-Schmidt ${splits.join(', ')} ms; ` +
    `${(flops / 1e9).toFixed(1)} GFLOP; max |QᵀQ − I| ${orthogonalityError(q, rows, cols, 7).toExponential(2)}`);
}
