// The WebAssembly runtime kernels: the counterparts of src/runtime's gemmAcc, matmulBias, sigmoid,
// tanh and the simple activations, written once with the encoder and added to a module when its
// printed code calls them. Scalar math is float64 with the same operations in the same order as
// the TypeScript kernels (expClamped uses the same tables, placed in linear memory by a data
// segment), so scalar results are the TypeScript path's bit for bit; the matrix products are
// register-blocked f32x4 (float32 accumulation: within 1e-6 relative of the float64 sums).
import { FunctionBuilder, type ModuleBuilder, type ValType } from './encoder.js';

/** Linear memory below this holds the exp tables; the module's buffers start here. */
export const ARENA_BASE = 4096;
const POW2_AT = 0;
const SIXTEENTHS_AT = 321 * 8;

/** How each runtime kernel takes its arguments: 'ptr' for an array (byte address), else a number type. */
export interface KernelSig {
  readonly args: readonly ('ptr' | 'i32' | 'f64' | 'ptr?' | 'v128')[];
  readonly result?: ValType;
}

export const kernelSigs: Readonly<Record<string, KernelSig>> = {
  expClamped: { args: ['f64'], result: 'f64' },
  sigmoid: { args: ['f64'], result: 'f64' },
  tanh: { args: ['f64'], result: 'f64' },
  relu: { args: ['f64'], result: 'f64' },
  relu6: { args: ['f64'], result: 'f64' },
  hardSigmoid: { args: ['f64'], result: 'f64' },
  hardSigmoidKeras2: { args: ['f64'], result: 'f64' },
  leakyRelu: { args: ['f64'], result: 'f64' },
  softsign: { args: ['f64'], result: 'f64' },
  hardSilu: { args: ['f64'], result: 'f64' },
  // f32x4 versions for vectorized loops (v128 in, v128 out)
  vexp: { args: ['v128'], result: 'v128' },
  vsigmoid: { args: ['v128'], result: 'v128' },
  vtanh: { args: ['v128'], result: 'v128' },
  gemmAcc: { args: ['ptr', 'i32', 'i32', 'ptr', 'i32', 'i32', 'ptr', 'i32', 'i32', 'i32', 'i32', 'i32'] },
  // bias: a pointer, or -1 for none (null)
  matmulBias: { args: ['ptr', 'i32', 'i32', 'ptr', 'i32', 'ptr?', 'ptr'] },
};

/** Add runtime kernel `name` (and what it calls) to the module, once. */
export function addKernel(m: ModuleBuilder, name: string): number {
  const index = m.declare(`rt_${name}`);
  if (m.has(`rt_${name}`)) return index;
  const sig = kernelSigs[name];
  if (!sig) throw new Error(`internal: no wasm kernel ${name}`);
  const params = sig.args.map((a) => (a === 'f64' || a === 'v128' ? a : 'i32') as ValType);
  const f = new FunctionBuilder(params, sig.result ? [sig.result] : []);
  // Define first (so a recursive declare sees it), then fill the body.
  m.define(`rt_${name}`, f, false);
  build[name]!(f, m);
  return index;
}

/** `x ? a : b` on f64 with an i32 test already on the stack: if/else with a result. */
const unary = (body: (f: FunctionBuilder) => void) => (f: FunctionBuilder) => body(f);

const build: Record<string, (f: FunctionBuilder, m: ModuleBuilder) => void> = {
  expClamped(f, m) {
    addTables(m);
    const y = f.local('f64');
    const mm = f.local('f64');
    const r = f.local('f64');
    const k = f.local('i32');
    // y = x > 100 ? 100 : x < -100 ? -100 : x (NaN stays NaN, as in the TypeScript)
    f.get(0).f64(100).op('f64.min').f64(-100).op('f64.max').set(y);
    f.get(y).f64(23.083120654223414).op('f64.mul').f64(6755399441055744).op('f64.add').f64(6755399441055744).op('f64.sub').set(mm);
    f.get(y).get(mm).f64(0.04332169867120683).op('f64.mul').op('f64.sub').get(mm).f64(1.1378974845710488e-10).op('f64.mul').op('f64.sub').set(r);
    f.get(mm).op('i32.trunc_sat_f64_s').set(k);
    // 1 + r * (1 + r * (0.5 + r * (1/6 + r * (1/24))))
    f.f64(1).get(r).f64(1).get(r).f64(0.5).get(r).f64(1 / 6).get(r).f64(1 / 24).op('f64.mul').op('f64.add').op('f64.mul').op('f64.add').op('f64.mul').op('f64.add').op('f64.mul').op('f64.add');
    f.get(k).i32(15).op('i32.and').i32(3).op('i32.shl').mem('f64.load', SIXTEENTHS_AT).op('f64.mul');
    f.get(k).i32(4).op('i32.shr_s').i32(160).op('i32.add').i32(3).op('i32.shl').mem('f64.load', POW2_AT).op('f64.mul');
  },
  sigmoid(f, m) {
    const exp = addKernel(m, 'expClamped');
    f.f64(1).f64(1).get(0).op('f64.neg').call(exp).op('f64.add').op('f64.div');
  },
  tanh(f, m) {
    const exp = addKernel(m, 'expClamped');
    f.f64(1).f64(2).f64(1).f64(2).get(0).op('f64.mul').call(exp).op('f64.add').op('f64.div').op('f64.sub');
  },
  relu: unary((f) => {
    f.get(0).f64(0).op('f64.gt').open('if', 'f64').get(0).op('else').f64(0).end();
  }),
  relu6: unary((f) => {
    f.get(0).f64(0).op('f64.le').open('if', 'f64').f64(0).op('else').get(0).f64(6).op('f64.ge').open('if', 'f64').f64(6).op('else').get(0).end().end();
  }),
  hardSigmoid: unary((f) => {
    f.get(0).f64(-3).op('f64.le').open('if', 'f64').f64(0).op('else').get(0).f64(3).op('f64.ge').open('if', 'f64').f64(1).op('else').get(0).f64(3).op('f64.add').f64(6).op('f64.div').end().end();
  }),
  hardSigmoidKeras2: unary((f) => {
    const y = f.local('f64');
    f.f64(0.2).get(0).op('f64.mul').f64(0.5).op('f64.add').set(y);
    f.get(y).f64(0).op('f64.le').open('if', 'f64').f64(0).op('else').get(y).f64(1).op('f64.ge').open('if', 'f64').f64(1).op('else').get(y).end().end();
  }),
  leakyRelu: unary((f) => {
    f.get(0).f64(0).op('f64.ge').open('if', 'f64').get(0).op('else').f64(0.2).get(0).op('f64.mul').end();
  }),
  softsign: unary((f) => {
    f.get(0).f64(1).get(0).op('f64.abs').op('f64.add').op('f64.div');
  }),
  hardSilu: unary((f) => {
    f.get(0).f64(-3).op('f64.le').open('if', 'f64').f64(0).op('else').get(0).f64(3).op('f64.ge').open('if', 'f64').get(0).op('else').get(0).get(0).f64(3).op('f64.add').op('f64.mul').f64(6).op('f64.div').end().end();
  }),
  /**
   * e^x on four float32 lanes, within 2 ulp (Cephes expf): x clamped to [-87.3, 88.3],
   * n = nearest(x·log2 e), r = x - n·ln 2 (in two parts), a degree-6 polynomial for e^r, 2^n by
   * building the exponent bits.
   */
  vexp(f) {
    const x = f.local('v128');
    const n = f.local('v128');
    const r = f.local('v128');
    f.get(0).f32x4(-87.3).op('f32x4.max').f32x4(88.3).op('f32x4.min').set(x);
    f.get(x).f32x4(1.4426950408889634).op('f32x4.mul').op('f32x4.nearest').set(n);
    f.get(x).get(n).f32x4(0.693359375).op('f32x4.mul').op('f32x4.sub').get(n).f32x4(-2.12194440e-4).op('f32x4.mul').op('f32x4.sub').set(r);
    f.f32x4(1.9875691500e-4);
    for (const c of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) f.get(r).op('f32x4.mul').f32x4(c).op('f32x4.add');
    f.get(r).op('f32x4.mul').get(r).op('f32x4.mul').get(r).op('f32x4.add').f32x4(1).op('f32x4.add');
    f.get(n).op('i32x4.trunc_sat_f32x4_s').i32x4(127).op('i32x4.add').i32(23).op('i32x4.shl').op('f32x4.mul');
  },
  vsigmoid(f, m) {
    const exp = addKernel(m, 'vexp');
    f.f32x4(1).f32x4(1).get(0).op('f32x4.neg').call(exp).op('f32x4.add').op('f32x4.div');
  },
  vtanh(f, m) {
    const exp = addKernel(m, 'vexp');
    f.f32x4(1).f32x4(2).f32x4(1).get(0).f32x4(2).op('f32x4.mul').call(exp).op('f32x4.add').op('f32x4.div').op('f32x4.sub');
  },
  gemmAcc: buildGemm,
  matmulBias(f, m) {
    // (a, rows, inner, w, cols, bias, out): out rows = bias (or 0), then gemmAcc.
    const gemm = addKernel(m, 'gemmAcc');
    const [a, rows, inner, w, cols, bias, out] = [0, 1, 2, 3, 4, 5, 6];
    const r = f.local('i32');
    f.get(bias).i32(-1).op('i32.eq').open('if');
    f.get(out).i32(0).get(rows).get(cols).op('i32.mul').i32(2).op('i32.shl').op('memory.fill');
    f.op('else');
    loop(f, r, () => f.get(rows), () => {
      f.get(out).get(r).get(cols).op('i32.mul').i32(2).op('i32.shl').op('i32.add').get(bias).get(cols).i32(2).op('i32.shl').op('memory.copy');
    });
    f.end();
    f.get(a).i32(0).get(inner).get(w).i32(0).get(cols).get(out).i32(0).get(cols).get(rows).get(cols).get(inner).call(gemm);
  },
};

/** for (i = 0; i < bound; i++) body, with an i32 counter. */
function loop(f: FunctionBuilder, i: number, bound: () => void, body: () => void, step = 1, from?: () => void): void {
  if (from) from();
  else f.i32(0);
  f.set(i);
  f.open('block').open('loop');
  f.get(i).i32(step - 1).op('i32.add');
  bound();
  f.op('i32.ge_s').op('br_if', 1);
  body();
  f.get(i).i32(step).op('i32.add').set(i).op('br', 0);
  f.end().end();
}

function addTables(m: ModuleBuilder): void {
  if (m.has('tables')) return;
  const pow2 = Float64Array.from({ length: 321 }, (_, i) => 2 ** (i - 160));
  const sixteenths = Float64Array.from({ length: 16 }, (_, j) => 2 ** (j / 16));
  m.addData(POW2_AT, new Uint8Array(pow2.buffer));
  m.addData(SIXTEENTHS_AT, new Uint8Array(sixteenths.buffer));
  // A marker function so the tables are added once; never called.
  m.define('tables', new FunctionBuilder([], []), false);
}

/**
 * c[i, j] += Σp a[i, p] · b[p, j] (row-major views: offsets and row strides in elements), as the
 * TypeScript gemmAcc. Blocks of R rows × V f32x4 vectors of columns keep R·V accumulators in
 * registers over the whole of p, then add them to c once: 4 × 2 vectors (4 rows of a batch), 1 × 8
 * vectors (one row: matrix-vector products), 1 × 2, then 1-vector blocks and single columns for the rest.
 */
function buildGemm(f: FunctionBuilder): void {
  const [pa, paOff, lda, pb, pbOff, ldb, pc, pcOff, ldc, m, n, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const A = f.local('i32'), B = f.local('i32'), C = f.local('i32');
  const lda4 = f.local('i32'), ldb4 = f.local('i32'), ldc4 = f.local('i32');
  const i = f.local('i32'), j = f.local('i32'), p = f.local('i32');
  const ap = f.local('i32'), bp = f.local('i32'), cp = f.local('i32');
  const acc = Array.from({ length: 8 }, () => f.local('v128'));
  const bv = Array.from({ length: 4 }, () => f.local('v128'));
  const av = f.local('v128');
  const sacc = Array.from({ length: 4 }, () => f.local('f32'));
  // Byte addresses and strides.
  f.get(pa).get(paOff).i32(2).op('i32.shl').op('i32.add').set(A);
  f.get(pb).get(pbOff).i32(2).op('i32.shl').op('i32.add').set(B);
  f.get(pc).get(pcOff).i32(2).op('i32.shl').op('i32.add').set(C);
  f.get(lda).i32(2).op('i32.shl').set(lda4);
  f.get(ldb).i32(2).op('i32.shl').set(ldb4);
  f.get(ldc).i32(2).op('i32.shl').set(ldc4);

  /** One R × V block at rows i.., columns j.. (V vectors; V = 0 means one scalar column). */
  const block = (R: number, V: number) => {
    const lanes = V === 0 ? 1 : V;
    for (let r = 0; r < R; r++) for (let v = 0; v < lanes; v++) V === 0 ? f.f32(0).set(sacc[r]!) : f.f32x4(0).set(acc[r * lanes + v]!);
    // ap = A + i·lda4, bp = B + j·4
    f.get(A).get(i).get(lda4).op('i32.mul').op('i32.add').set(ap);
    f.get(B).get(j).i32(2).op('i32.shl').op('i32.add').set(bp);
    loop(f, p, () => f.get(k), () => {
      if (R === 1 && V > 0) {
        // One row: each vector of b is loaded and used at once (short live ranges, up to 8 accumulators).
        f.get(ap).mem('v128.load32_splat').set(av);
        for (let v = 0; v < V; v++) f.get(acc[v]!).get(av).get(bp).mem('v128.load', 16 * v).op('f32x4.mul').op('f32x4.add').set(acc[v]!);
      } else for (let v = 0; v < V; v++) f.get(bp).mem('v128.load', 16 * v).set(bv[v]!);
      for (let r = 0; r < R && !(R === 1 && V > 0); r++) {
        if (V === 0) {
          f.get(sacc[r]!).get(ap);
          if (r > 0) f.get(lda4).i32(r).op('i32.mul').op('i32.add');
          f.mem('f32.load').get(bp).mem('f32.load').op('f32.mul').op('f32.add').set(sacc[r]!);
          continue;
        }
        f.get(ap);
        if (r > 0) f.get(lda4).i32(r).op('i32.mul').op('i32.add');
        f.mem('v128.load32_splat').set(av);
        for (let v = 0; v < V; v++) f.get(acc[r * V + v]!).get(av).get(bv[v]!).op('f32x4.mul').op('f32x4.add').set(acc[r * V + v]!);
      }
      f.get(ap).i32(4).op('i32.add').set(ap);
      f.get(bp).get(ldb4).op('i32.add').set(bp);
    });
    // c += acc
    for (let r = 0; r < R; r++) {
      f.get(C).get(i).i32(r).op('i32.add').get(ldc4).op('i32.mul').op('i32.add').get(j).i32(2).op('i32.shl').op('i32.add').set(cp);
      if (V === 0) {
        f.get(cp).get(cp).mem('f32.load').get(sacc[r]!).op('f32.add').mem('f32.store');
      } else {
        for (let v = 0; v < V; v++) f.get(cp).get(cp).mem('v128.load', 16 * v).get(acc[r * V + v]!).op('f32x4.add').mem('v128.store', 16 * v);
      }
    }
  };
  /** Columns for rows block R: blocks of V vectors, then 1 vector, then scalars. */
  const columns = (R: number, V: number) => {
    f.i32(0).set(j);
    const run = (width: number, v: number) => {
      f.open('block').open('loop');
      f.get(j).i32(width).op('i32.add').get(n).op('i32.gt_s').op('br_if', 1);
      block(R, v);
      f.get(j).i32(width).op('i32.add').set(j).op('br', 0);
      f.end().end();
    };
    run(4 * V, V);
    if (V > 2) run(8, 2);
    if (V > 1) run(4, 1);
    run(1, 0);
  };
  // Rows in blocks of 4 (two vectors of columns), then single rows (four vectors).
  f.i32(0).set(i);
  f.open('block').open('loop');
  f.get(i).i32(4).op('i32.add').get(m).op('i32.gt_s').op('br_if', 1);
  columns(4, 2);
  f.get(i).i32(4).op('i32.add').set(i).op('br', 0);
  f.end().end();
  f.open('block').open('loop');
  f.get(i).get(m).op('i32.ge_s').op('br_if', 1);
  columns(1, 8);
  f.get(i).i32(1).op('i32.add').set(i).op('br', 0);
  f.end().end();
}
