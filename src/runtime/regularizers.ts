// Weight regularizers and constraints with Keras 3's formulas (keras/src/regularizers,
// keras/src/constraints; epsilon 1e-7 as keras.backend.epsilon()). Copied into generated modules
// as needed.

/** Keras `L1L2` (also `L1`, `L2`): l1 · Σ|w| + l2 · Σw². */
function l1l2Loss(w: ArrayLike<number>, l1: number, l2: number): number {
  let a = 0;
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    a += Math.abs(v);
    s += v * v;
  }
  return l1 * a + l2 * s;
}

/**
 * Keras `OrthogonalRegularizer` on a (rows, cols) matrix: the rows (mode "rows") or columns are
 * L2-normalized, and the loss is factor · ½ · Σ|off-diagonal of their Gram matrix| / (n(n-1)/2).
 */
function orthogonalLoss(w: ArrayLike<number>, rows: number, cols: number, factor: number, byRows: boolean): number {
  const n = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (v: number, k: number): number => (byRows ? w[v * cols + k]! : w[k * cols + v]!);
  const inv = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let s = 0;
    for (let k = 0; k < len; k++) s += at(v, k) * at(v, k);
    inv[v] = Math.min(1 / Math.sqrt(s), 1e7);
  }
  let total = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      let dot = 0;
      for (let k = 0; k < len; k++) dot += at(a, k) * at(b, k);
      total += Math.abs(dot * inv[a]! * inv[b]!);
    }
  }
  return (factor * 0.5 * total) / ((n * (n - 1)) / 2);
}

/**
 * Keras `MinMaxNorm` (and `MaxNorm`: min 0, rate 1; `UnitNorm`: min = max = 1), in place: the
 * L2 norms along `axis` are moved to rate · clip(norm, min, max) + (1 - rate) · norm.
 */
function normConstraint(w: Float32Array, shape: readonly number[], axis: number, min: number, max: number, rate: number): void {
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const size = shape[axis]!;
  const outer = w.length / (size * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let s = 0;
      for (let k = 0; k < size; k++) s += w[base + k * inner]! * w[base + k * inner]!;
      const norm = Math.sqrt(s);
      const desired = rate * Math.min(Math.max(norm, min), max) + (1 - rate) * norm;
      const scale = desired / (1e-7 + norm);
      for (let k = 0; k < size; k++) w[base + k * inner]! *= scale;
    }
  }
}

/** Keras `NonNeg`, in place: max(w, 0). */
function nonNegConstraint(w: Float32Array): void {
  for (let i = 0; i < w.length; i++) if (w[i]! < 0) w[i] = 0;
}

export { l1l2Loss, orthogonalLoss, normConstraint, nonNegConstraint };
