// The runtime kernels copied into generated modules, checked against formulas written here
// (Keras 3's definitions), against tfjs where tfjs defines the same function, and, for the
// initializers, against the distributions' bounds, moments and orthogonality.
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import * as act from '../../src/runtime/activations.ts';
import * as init from '../../src/runtime/init.ts';
import { compileModule, printSummary, record, tf } from './helpers.ts';

const FILE = 'runtime';
afterAll(() => printSummary(FILE));

/** Float32-exact grid from lo to hi, plus points where branches switch. */
function grid(lo: number, hi: number, step: number): number[] {
  const xs: number[] = [];
  for (let x = lo; x <= hi + 1e-12; x += step) xs.push(Math.fround(x));
  xs.push(0, -0, 3, -3, 6, -6, 1e-8, -1e-8, Math.fround(2.5), Math.fround(-2.5));
  return xs;
}

/** max over xs of |f(x) - g(x)| / max(1, |g(x)|). */
function maxRelErr(xs: readonly number[], f: (x: number) => number, g: (x: number) => number): number {
  let worst = 0;
  for (const x of xs) {
    const a = f(x), b = g(x);
    const e = Math.abs(a - b) / Math.max(1, Math.abs(b));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

/**
 * erf by the everywhere-convergent series with positive terms (no cancellation):
 * erf(x) = 2/√π · e^{-x²} · Σ_{n≥0} 2^n x^{2n+1} / (1·3·…·(2n+1)), in float64 (~1e-15).
 */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 2000; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

// Keras 3's definitions (keras/src/activations/activations.py), written out here.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
const softplusRef = (x: number) => (x > 30 ? x + Math.exp(-x) : Math.log(1 + Math.exp(x)));
const keras: Record<string, (x: number) => number> = {
  sigmoid: (x) => 0.5 * (1 + Math.tanh(x / 2)), // the same function in another form
  hardSigmoid: (x) => relu6(x + 3) / 6, // Keras 3
  hardSigmoidKeras2: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)), // Keras 2 and tfjs
  relu: (x) => Math.max(x, 0),
  relu6,
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  softplus: softplusRef,
  softsign: (x) => x / (1 + Math.abs(x)),
  silu: (x) => x * (0.5 * (1 + Math.tanh(x / 2))),
  hardSilu: (x) => (x * relu6(x + 3)) / 6,
  gelu: (x) => 0.5 * x * (1 + erfSeries(x / Math.SQRT2)),
  exponential: (x) => Math.exp(x),
  leakyRelu: (x) => (x >= 0 ? x : 0.2 * x), // Keras 3 default negative_slope 0.2
  mish: (x) => x * Math.tanh(softplusRef(x)),
};

/** Run a tfjs element-wise function on float32 inputs. */
function tfMap(xs: readonly number[], f: (t: tf.Tensor) => tf.Tensor): Float32Array {
  return tf.tidy(() => f(tf.tensor1d(xs as number[])).dataSync() as Float32Array);
}
const tfLayerAct = (name: string) => (t: tf.Tensor) => tf.layers.activation({ activation: name as never }).apply(t) as tf.Tensor;

describe('activations vs Keras 3 formulas (float64, relative 1e-12 unless stated)', () => {
  const xs = grid(-12, 12, 0.01);
  const runtime = act as unknown as Record<string, (x: number) => number>;

  // sigmoid and tanh use the runtime's own exp (expClamped, about 5e-11 relative): 1e-10 for them.
  const tolerance = (name: string) => (name === 'sigmoid' || name === 'tanh' ? 1e-10 : 1e-12);
  for (const name of Object.keys(keras)) {
    if (name === 'gelu') continue; // erf-limited: below
    it(`${name}`, () => {
      expect(typeof runtime[name], `runtime exports ${name}`).toBe('function');
      const e = maxRelErr(xs, runtime[name]!, keras[name]!);
      record(FILE, `${name} vs Keras 3 formula (relative)`, e, 0, tolerance(name));
      expect(e).toBeLessThanOrEqual(tolerance(name));
    });
  }

  it('expClamped is e^x to 1e-10 relative on [-100, 100], and saturates beyond', () => {
    let worst = 0;
    for (let x = -100; x <= 100; x += 0.00731) worst = Math.max(worst, Math.abs(act.expClamped(x) / Math.exp(x) - 1));
    record(FILE, 'expClamped vs Math.exp on [-100, 100] (relative)', worst, 0, 1e-10);
    expect(worst).toBeLessThanOrEqual(1e-10);
    expect(act.expClamped(1000)).toBe(act.expClamped(100));
    expect(act.expClamped(-1000)).toBe(act.expClamped(-100));
    expect(act.sigmoid(-1000)).toBeLessThan(1e-43);
    expect(act.tanh(1000)).toBe(1);
    expect(act.tanh(-1000)).toBe(-1);
  });

  it('gelu (exact, approximate=False): x/2 · (1 + erf(x/√2)), to 2e-7 · max(1, |x|)', () => {
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, Math.abs(act.gelu(x) - keras.gelu!(x)) / Math.max(1, Math.abs(x)));
    record(FILE, 'gelu vs x/2 (1 + erf_series(x/√2)) (relative to max(1,|x|))', worst, 0, 2e-7);
    expect(worst).toBeLessThanOrEqual(2e-7);
  });

  it('large and tiny arguments stay finite where the function is', () => {
    for (const x of [-1000, -100, -40, 40, 100, 1000]) {
      expect(act.sigmoid(x)).toBeGreaterThanOrEqual(0);
      expect(act.sigmoid(x)).toBeLessThanOrEqual(1);
      expect(Number.isFinite(act.softplus(x))).toBe(true);
      expect(Number.isFinite(act.mish(x))).toBe(true);
      expect(Number.isFinite(act.silu(x))).toBe(true);
      expect(Number.isFinite(act.elu(x))).toBe(true);
    }
    expect(Math.abs(act.softplus(1000) - 1000)).toBeLessThanOrEqual(1e-12);
    expect(act.softplus(-1000)).toBeGreaterThanOrEqual(0);
  });

  it('Keras 3 hard_sigmoid relu6(x+3)/6 differs from Keras 2 clip(0.2x+0.5, 0, 1)', () => {
    expect(act.hardSigmoid(0)).toBe(0.5);
    expect(act.hardSigmoidKeras2(0)).toBe(0.5);
    expect(act.hardSigmoid(1)).toBeCloseTo(4 / 6, 14);
    expect(act.hardSigmoidKeras2(1)).toBeCloseTo(0.7, 14);
    // Keras 3 saturates at ±3, Keras 2 at ±2.5.
    expect(act.hardSigmoid(2.5)).toBeLessThan(1);
    expect(act.hardSigmoidKeras2(2.5)).toBe(1);
    expect(act.hardSigmoid(-2.75)).toBeGreaterThan(0);
    expect(act.hardSigmoidKeras2(-2.75)).toBe(0);
  });
});

describe('activations vs tfjs (float32 oracle, 1e-6 · max(1, |y|))', () => {
  const xs = grid(-12, 12, 0.01);
  const cases: [string, (x: number) => number, (t: tf.Tensor) => tf.Tensor][] = [
    ['sigmoid', act.sigmoid, (t) => tf.sigmoid(t)],
    ['relu', act.relu, (t) => tf.relu(t)],
    ['relu6', act.relu6, (t) => tf.relu6(t)],
    ['elu', act.elu, (t) => tf.elu(t)],
    ['selu', act.selu, (t) => tf.selu(t)],
    ['softplus', act.softplus, (t) => tf.softplus(t)],
    ['softsign (tfjs layers)', act.softsign, tfLayerAct('softsign')],
    ['tanh (Math.tanh, as emitted)', Math.tanh, (t) => tf.tanh(t)],
    ['hardSigmoidKeras2 vs tfjs hardSigmoid (layers)', act.hardSigmoidKeras2, tfLayerAct('hardSigmoid')],
    ['silu vs tfjs swish (layers)', act.silu, tfLayerAct('swish')],
    ['mish (layers)', act.mish, tfLayerAct('mish')],
    ['gelu (layers)', act.gelu, tfLayerAct('gelu')],
    ['exponential', act.exponential, (t) => tf.exp(t)],
  ];
  for (const [label, ours, theirs] of cases) {
    it(label, () => {
      const y = tfMap(xs, theirs);
      let worst = 0;
      xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(ours(x) - y[i]!) / Math.max(1, Math.abs(y[i]!)))));
      record(FILE, `${label} vs tfjs (relative)`, worst, 0, 1e-6);
      expect(worst).toBeLessThanOrEqual(1e-6);
    });
  }

  it('Keras 3 hard_sigmoid is not tfjs hardSigmoid', () => {
    const y = tfMap(xs, tfLayerAct('hardSigmoid'));
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(act.hardSigmoid(x) - y[i]!))));
    expect(worst).toBeGreaterThan(0.03);
  });
});

describe('softmax and log_softmax over the last axis', () => {
  const rows = 7, cols = 5;
  const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.fround(Math.sin(i * 1.7) * (i % 3 === 0 ? 40 : 3)));
  const reference = (log: boolean) => {
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(data.subarray(r * cols, (r + 1) * cols));
      const m = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
      row.forEach((v, c) => (out[r * cols + c] = log ? v - m - Math.log(z) : Math.exp(v - m) / z));
    }
    return out;
  };
  it('softmaxRows vs exp(x - max) / Σ (1e-7) and tf.softmax (1e-6)', () => {
    const ours = Float32Array.from(data);
    act.softmaxRows(ours, rows, cols);
    const ref = reference(false);
    let worst = 0;
    ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[i]!))));
    expect(worst).toBeLessThanOrEqual(1e-7);
    const t = tf.tidy(() => tf.softmax(tf.tensor2d(data, [rows, cols])).dataSync() as Float32Array);
    let worstTf = 0;
    ours.forEach((v, i) => (worstTf = Math.max(worstTf, Math.abs(v - t[i]!))));
    record(FILE, 'softmaxRows vs tf.softmax', worstTf, 1, 1e-6);
    expect(worstTf).toBeLessThanOrEqual(1e-6);
  });
  it('logSoftmaxRows vs x - max - log Σ (1e-6 relative) and tf.logSoftmax (1e-6 relative)', () => {
    const ours = Float32Array.from(data);
    act.logSoftmaxRows(ours, rows, cols);
    const ref = reference(true);
    const t = tf.tidy(() => tf.logSoftmax(tf.tensor2d(data, [rows, cols])).dataSync() as Float32Array);
    let worst = 0, worstTf = 0;
    ours.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
      worstTf = Math.max(worstTf, Math.abs(v - t[i]!) / Math.max(1, Math.abs(t[i]!)));
    });
    record(FILE, 'logSoftmaxRows vs tf.logSoftmax (relative)', worstTf, 0, 1e-6);
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(worstTf).toBeLessThanOrEqual(1e-6);
  });
});

describe('erf (gelu)', () => {
  it('the reference series is right (known values, odd, limits)', () => {
    expect(erfSeries(0)).toBe(0);
    expect(erfSeries(1)).toBeCloseTo(0.8427007929497149, 15); // erf(1) = 0.84270079294971486934...
    expect(erfSeries(0.5)).toBeCloseTo(0.5204998778130465, 15); // erf(1/2)
    expect(erfSeries(-2)).toBeCloseTo(-0.9953222650189527, 15); // erf(2) = 0.99532226501895273416...
    expect(Math.abs(1 - erfSeries(6))).toBeLessThan(1e-15);
  });

  it('runtime erf is within 2e-7 of the series on [-6, 6]', () => {
    let worst = 0;
    for (let i = -60000; i <= 60000; i++) {
      const x = i / 10000;
      worst = Math.max(worst, Math.abs(act.erf(x) - erfSeries(x)));
    }
    record(FILE, 'erf vs series on [-6, 6]', worst, 1, 2e-7);
    expect(worst).toBeLessThanOrEqual(2e-7);
    expect(act.erf(0)).toBeCloseTo(0, 7);
    expect(act.erf(30)).toBe(1);
    expect(act.erf(-30)).toBe(-1);
  });
});

function minOf(a: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!);
  return m;
}
function maxOf(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!);
  return m;
}

/** Sample mean and (population) variance. */
function moments(a: ArrayLike<number>): { mean: number; variance: number; maxAbs: number } {
  let s = 0, m = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]!;
    m = Math.max(m, Math.abs(a[i]!));
  }
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - mean) ** 2;
  return { mean, variance: v / a.length, maxAbs: m };
}

/** Q (rows×cols, row-major): max |QᵀQ - g²I| when rows >= cols, else max |QQᵀ - g²I|. */
function orthogonalityError(q: Float32Array, rows: number, cols: number, gain: number): number {
  const n = Math.min(rows, cols);
  const inner = Math.max(rows, cols);
  const at = (i: number, k: number) => (rows >= cols ? q[k * cols + i]! : q[i * cols + k]!); // i-th column (or row), k-th entry
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < inner; k++) dot += at(i, k) * at(j, k);
      worst = Math.max(worst, Math.abs(dot - (i === j ? gain * gain : 0)));
    }
  }
  return worst;
}

// The truncated standard normal on [-2, 2]: variance 1 - 2·2·φ(2) / (Φ(2) - Φ(-2)), from erf.
const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
const TRUNCATED_VARIANCE = 1 - (4 * phi2) / erfSeries(2 / Math.SQRT2);

describe('initializers (src/runtime/init.ts)', () => {
  const N_IN = 300, N_OUT = 200;

  it('createRng: uniforms in [0, 1), mean 1/2, variance 1/12, deterministic per (seed, stream)', () => {
    const rng = init.createRng(5, 0);
    const a = Float64Array.from({ length: 100000 }, () => rng());
    expect(minOf(a)).toBeGreaterThanOrEqual(0);
    expect(maxOf(a)).toBeLessThan(1);
    const m = moments(a);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(0.002);
    const again = init.createRng(5, 0);
    expect(Array.from({ length: 1000 }, () => again())).toEqual(Array.from(a.subarray(0, 1000)));
  });

  it('glorot_uniform: within ±sqrt(6 / (fan_in + fan_out)), reaching it, variance limit²/3', () => {
    const out = init.fillVarianceScaling(new Float32Array(N_IN * N_OUT), init.createRng(1, 0), 1, 'fan_avg', 'uniform', N_IN, N_OUT);
    const limit = Math.sqrt(6 / (N_IN + N_OUT));
    const m = moments(out);
    expect(m.maxAbs).toBeLessThanOrEqual(Math.fround(limit) * (1 + 1e-7));
    expect(m.maxAbs).toBeGreaterThan(0.999 * limit);
    expect(Math.abs(m.mean)).toBeLessThan(0.01 * limit);
    expect(Math.abs(m.variance / (limit * limit / 3) - 1)).toBeLessThan(0.03);
  });

  it('he_normal: stddev sqrt(2 / fan_in) after truncation at two (untruncated) standard deviations', () => {
    const out = init.fillVarianceScaling(new Float32Array(N_IN * N_OUT), init.createRng(2, 0), 2, 'fan_in', 'truncated_normal', N_IN, N_OUT);
    const target = Math.sqrt(2 / N_IN);
    const raw = target / Math.sqrt(TRUNCATED_VARIANCE); // Keras's 0.87962566... correction, derived here
    const m = moments(out);
    expect(Math.abs(Math.sqrt(m.variance) / target - 1)).toBeLessThan(0.02);
    expect(m.maxAbs).toBeLessThanOrEqual(2 * raw * (1 + 1e-6));
    expect(m.maxAbs).toBeGreaterThan(1.95 * raw);
    expect(Math.abs(m.mean)).toBeLessThan(0.01 * target);
  });

  it('other variance scalings: he_uniform, lecun_normal, glorot_normal, untruncated normal', () => {
    const cases: [number, string, string, number, number][] = [
      // scale, mode, distribution, fan, bound (in units of the target stddev; Infinity: none)
      [2, 'fan_in', 'uniform', N_IN, Math.sqrt(3)],
      [1, 'fan_in', 'truncated_normal', N_IN, 2 / Math.sqrt(TRUNCATED_VARIANCE)],
      [1, 'fan_avg', 'truncated_normal', (N_IN + N_OUT) / 2, 2 / Math.sqrt(TRUNCATED_VARIANCE)],
      [1, 'fan_out', 'untruncated_normal', N_OUT, Infinity],
      [3, 'fan_out', 'uniform', N_OUT, Math.sqrt(3)],
    ];
    cases.forEach(([scale, mode, distribution, fan, bound], k) => {
      const out = init.fillVarianceScaling(new Float32Array(N_IN * N_OUT), init.createRng(3, k), scale, mode, distribution, N_IN, N_OUT);
      const target = Math.sqrt(scale / fan);
      const m = moments(out);
      expect(Math.abs(Math.sqrt(m.variance) / target - 1), `${mode} ${distribution}`).toBeLessThan(0.02);
      if (Number.isFinite(bound)) expect(m.maxAbs / target, `${mode} ${distribution}`).toBeLessThanOrEqual(bound * (1 + 1e-6));
      else expect(m.maxAbs / target, 'untruncated reaches beyond 2 stddev').toBeGreaterThan(3);
    });
  });

  it('fillTruncatedNormal: nothing beyond 2 stddev of the mean; the truncated variance', () => {
    const mean = 0.3, stddev = 2;
    const out = init.fillTruncatedNormal(new Float32Array(100000), init.createRng(4, 0), mean, stddev);
    let far = 0;
    for (const v of out) far = Math.max(far, Math.abs(v - mean));
    expect(far).toBeLessThanOrEqual(2 * stddev * (1 + 1e-6));
    expect(far).toBeGreaterThan(1.95 * stddev);
    const m = moments(out);
    expect(Math.abs(m.mean - mean)).toBeLessThan(0.02);
    expect(Math.abs(m.variance / (stddev * stddev * TRUNCATED_VARIANCE) - 1)).toBeLessThan(0.02);
  });

  it('fillNormal and fillUniform: moments', () => {
    const n = init.fillNormal(new Float32Array(100000), init.createRng(6, 0), -1, 0.5);
    const mn = moments(n);
    expect(Math.abs(mn.mean + 1)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(mn.variance) / 0.5 - 1)).toBeLessThan(0.02);
    const u = init.fillUniform(new Float32Array(100000), init.createRng(6, 1), 2, 5);
    expect(minOf(u)).toBeGreaterThanOrEqual(2);
    expect(maxOf(u)).toBeLessThanOrEqual(5);
    expect(Math.abs(moments(u).mean - 3.5)).toBeLessThan(0.02);
  });

  for (const [rows, cols, gain] of [[50, 20, 1], [20, 80, 1], [16, 16, 1], [30, 12, 1.5], [7, 40, 0.5]] as const) {
    it(`fillOrthogonal ${rows}×${cols}, gain ${gain}: ${rows >= cols ? 'QᵀQ' : 'QQᵀ'} = gain²·I to 1e-5`, () => {
      const q = init.fillOrthogonal(new Float32Array(rows * cols), init.createRng(8, rows * 100 + cols), rows, cols, gain);
      const e = orthogonalityError(q, rows, cols, gain);
      record(FILE, `orthogonal ${rows}×${cols} gain ${gain}: max |QᵀQ − g²I|`, e, gain, 1e-5);
      expect(e).toBeLessThanOrEqual(1e-5);
      // Not a trivial matrix: entries spread over the whole matrix.
      let nonzero = 0;
      for (const v of q) if (Math.abs(v) > 1e-6) nonzero++;
      expect(nonzero).toBeGreaterThan(0.9 * rows * cols);
    });
  }

  it('fillUnitForgetBias and fillIdentity', () => {
    // Keras: the bias_initializer's values in the i, c and o blocks, ones in the forget block.
    const b = init.fillUnitForgetBias(new Float32Array(12).fill(7), 3);
    expect(Array.from(b)).toEqual([7, 7, 7, 1, 1, 1, 7, 7, 7, 7, 7, 7]);
    const id = init.fillIdentity(new Float32Array(6).fill(7), 2, 3, 2);
    expect(Array.from(id)).toEqual([2, 0, 0, 0, 2, 0]);
  });

  it("LSTM unit_forget_bias keeps the bias_initializer outside the forget block (keras/src/layers/rnn/lstm.py)", async () => {
    const { compile } = await import('../../src/compile.ts');
    const { loadGeneratedModule } = await import('../../src/load-module.ts');
    const spec = 'name: m\ninputs:\n  x: { shape: [2, 3] }\nlayers:\n  - { name: lstm, type: LSTM, units: 2, bias_initializer: { class_name: Constant, config: { value: 0.25 } } }\n';
    const mod = await loadGeneratedModule(compile(spec, 'm.yaml').output!.text);
    const w = mod.initWeights() as { lstm: { bias: Float32Array } };
    expect(Array.from(w.lstm.bias)).toEqual([0.25, 0.25, 1, 1, 0.25, 0.25, 0.25, 0.25]);
  });

  it('determinism: same (seed, stream) same values; another stream or seed other values', () => {
    const draw = (seed: number, stream: number) =>
      Array.from(init.fillVarianceScaling(new Float32Array(64), init.createRng(seed, stream), 1, 'fan_avg', 'uniform', 8, 8));
    expect(draw(9, 2)).toEqual(draw(9, 2));
    expect(draw(9, 3)).not.toEqual(draw(9, 2));
    expect(draw(10, 2)).not.toEqual(draw(9, 2));
    const orth = (seed: number, stream: number) => Array.from(init.fillOrthogonal(new Float32Array(64), init.createRng(seed, stream), 8, 8, 1));
    expect(orth(1, 1)).toEqual(orth(1, 1));
    expect(orth(1, 2)).not.toEqual(orth(1, 1));
    // Streams are not shifted copies of each other.
    const a = draw(0, 0), b = draw(0, 1);
    expect(a.slice(1)).not.toEqual(b.slice(0, -1));
    expect(b.slice(1)).not.toEqual(a.slice(0, -1));
  });
});

describe('initWeights of a compiled module draws Keras 3 defaults', () => {
  it('LSTM: glorot_uniform kernel (F, 4U), orthogonal recurrent kernel (U, 4U) with QQᵀ = I, unit forget bias', async () => {
    const F = 6, U = 10;
    const { module } = await compileModule(stringify({ name: 'init_lstm', inputs: { x: { shape: [3, F] } }, layers: [{ name: 'lstm', type: 'LSTM', units: U }] }));
    const w = module.initWeights(4) as Record<string, Record<string, Float32Array>>;
    const limit = Math.sqrt(6 / (F + 4 * U));
    const k = moments(w.lstm!.kernel!);
    expect(k.maxAbs).toBeLessThanOrEqual(Math.fround(limit) * (1 + 1e-7));
    expect(k.maxAbs).toBeGreaterThan(0.9 * limit);
    expect(orthogonalityError(w.lstm!.recurrent_kernel!, U, 4 * U, 1)).toBeLessThanOrEqual(1e-5);
    const bias = Array.from(w.lstm!.bias!);
    expect(bias).toEqual([...Array(U).fill(0), ...Array(U).fill(1), ...Array(2 * U).fill(0)]);
    expect(Array.from((module.initWeights(4) as typeof w).lstm!.kernel!)).toEqual(Array.from(w.lstm!.kernel!));
    expect(Array.from((module.initWeights(5) as typeof w).lstm!.kernel!)).not.toEqual(Array.from(w.lstm!.kernel!));
  });

  it('Dense kernel_initializer he_normal: stddev sqrt(2 / fan_in); bias zeros', async () => {
    const N = 200;
    const { module } = await compileModule(
      stringify({ name: 'init_dense', inputs: { x: { shape: [N] } }, layers: [{ name: 'dense', type: 'Dense', units: 300, kernel_initializer: 'he_normal' }] }),
    );
    const w = module.initWeights(0) as Record<string, Record<string, Float32Array>>;
    const m = moments(w.dense!.kernel!);
    expect(Math.abs(Math.sqrt(m.variance) / Math.sqrt(2 / N) - 1)).toBeLessThan(0.02);
    expect(m.maxAbs).toBeLessThanOrEqual((2 * Math.sqrt(2 / N)) / Math.sqrt(TRUNCATED_VARIANCE) * (1 + 1e-6));
    expect(Array.from(w.dense!.bias!).every((v) => v === 0)).toBe(true);
  });
});
