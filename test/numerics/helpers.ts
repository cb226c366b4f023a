// Shared helpers of the numerical tests: an input generator independent of modelc's own random
// stream, tfjs set up quietly as the oracle, in-memory compilation, and a summary of measured
// differences (printed only with NUMERICS_SUMMARY=1, so normal runs stay quiet).
import * as tf from '@tensorflow/tfjs';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule, type GeneratedModule } from '../../src/load-module.ts';

// Production mode silences tfjs's "install tfjs-node" notice (tfjs-core's warn() is a no-op in PROD).
tf.enableProdMode();

export { tf };

/** mulberry32: a small seeded generator of uniforms in [0, 1), unrelated to modelc's sfc32 stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` uniform values in [-scale, scale) from `seed`, as float32. */
export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng() - 1) * scale;
  return out;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Largest |a[i] - b[i]|; throws on a length mismatch and returns Infinity on any NaN. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}

/** Largest |a[i]|, to show that a comparison was not between near-zero arrays. */
export function maxAbs(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]!));
  return max;
}

/** Compile a spec given as text and load the generated module; throws with the diagnostics on errors. */
export async function compileModule(yaml: string): Promise<{ module: GeneratedModule; text: string }> {
  const result = compile(yaml, 'inline.yaml');
  if (!result.output) {
    const messages = result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
    throw new Error(`compile failed:\n${messages}\n--- spec ---\n${yaml}`);
  }
  return { module: await loadGeneratedModule(result.output.text), text: result.output.text };
}

/** Random weights for every parameter of a module (uniform in ±scale), keyed like `weightShapes`. */
export function randomWeights(
  shapes: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>,
  seed: number,
  scale = 0.5,
): Record<string, Record<string, Float32Array>> {
  const out: Record<string, Record<string, Float32Array>> = {};
  let stream = 0;
  for (const [layer, params] of Object.entries(shapes)) {
    out[layer] = {};
    for (const [param, shape] of Object.entries(params)) out[layer]![param] = randomArray(sizeOf(shape), seed * 1000 + stream++, scale);
  }
  return out;
}

/** A flat row-major array as nested arrays of `shape` (the weights-file form). */
export function nest(data: ArrayLike<number>, shape: readonly number[]): unknown {
  const walk = (axis: number, offset: number): unknown => {
    if (axis === shape.length) return data[offset]!;
    const stride = sizeOf(shape.slice(axis + 1));
    return Array.from({ length: shape[axis]! }, (_, i) => walk(axis + 1, offset + i * stride));
  };
  return walk(0, 0);
}

/** Set a tfjs layer's weights from flat arrays and Keras shapes, in the given order. */
export function setLayerWeights(layer: tf.layers.Layer, params: readonly { data: Float32Array; shape: readonly number[] }[]): void {
  const tensors = params.map((p) => tf.tensor(p.data, [...p.shape]));
  layer.setWeights(tensors);
  for (const t of tensors) t.dispose();
}

/** Run a tfjs model on one float32 input and return every output as a flat Float32Array, with its shape. */
export function tfPredict(model: tf.LayersModel, data: Float32Array, shape: readonly number[]): { data: Float32Array; shape: number[] }[] {
  const x = tf.tensor(data, [...shape]);
  const y = model.predict(x);
  const list = Array.isArray(y) ? y : [y];
  const out = list.map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape.slice() as number[] }));
  x.dispose();
  for (const t of list) t.dispose();
  return out;
}

/** tfjs's parameter order for a layer: LSTM [kernel, recurrent_kernel, bias], Dense [kernel, bias]. */
export const tfParamOrder = (names: readonly string[]): string[] => {
  const order = ['kernel', 'recurrent_kernel', 'bias'];
  for (const n of names) if (!order.includes(n)) throw new Error(`unexpected parameter ${n}`);
  return [...names].sort((a, b) => order.indexOf(a) - order.indexOf(b));
};

/** modelc activation names -> tfjs identifiers, for the ones tfjs defines the same way as Keras 3. */
/** tfjs's activation identifiers (the type tfjs does not export by name). */
export type TfActivation = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;

export const tfActivation: Readonly<Record<string, TfActivation>> = {
  linear: 'linear',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  silu: 'swish',
  swish: 'swish',
  mish: 'mish',
  gelu: 'gelu',
  // Over the last axis (Dense only).
  softmax: 'softmax',
  log_softmax: 'logSoftmax' as TfActivation, // registered by tfjs, missing from its type
  // Keras 2 / tfjs hard sigmoid, clip(0.2x + 0.5, 0, 1): modelc spells it hard_sigmoid_keras2.
  hard_sigmoid_keras2: 'hardSigmoid',
};

/** The tfjs activation for a spec activation value (null is linear). */
export function tfAct(name: string | null): TfActivation {
  if (name === null) return 'linear';
  const a = tfActivation[name];
  if (a === undefined) throw new Error(`no tfjs equivalent for ${name}`);
  return a;
}

// Measured differences, for the report. Printed by printSummary() when NUMERICS_SUMMARY=1.
const summary: { file: string; what: string; maxDiff: number; maxAbs: number; tol: number }[] = [];

export function record(file: string, what: string, maxDiff: number, magnitude: number, tol: number): void {
  summary.push({ file, what, maxDiff, maxAbs: magnitude, tol });
}

export function printSummary(file: string): void {
  if (!process.env.NUMERICS_SUMMARY) return;
  const rows = summary.filter((r) => r.file === file);
  const lines = rows.map((r) => `  ${r.what.padEnd(72)} max|Δ| ${r.maxDiff.toExponential(2)}  max|y| ${r.maxAbs === 0 ? '       -' : r.maxAbs.toFixed(3).padStart(8)}  tol ${r.tol.toExponential(0)}`);
  console.log(`numerics summary (${file}):\n${lines.join('\n')}`);
}
