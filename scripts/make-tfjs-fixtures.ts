// Make the TensorFlow.js model files that `modelc import` is tested on:
// test/fixtures/import/tfjs/<name>/model.json, its weight shard, and io.json with inputs and
// TensorFlow.js's own outputs (cpu backend). Weights are drawn from a fixed seed, so the output
// is the same on every run. Run once: `npx tsx scripts/make-tfjs-fixtures.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'import', 'tfjs');
const BATCH = 2;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sequential(layers: tf.layers.Layer[]): tf.LayersModel {
  const m = tf.sequential();
  for (const l of layers) m.add(l);
  return m;
}

function twoInputs(): tf.LayersModel {
  const series = tf.input({ shape: [5, 3], name: 'series' });
  const context = tf.input({ shape: [2], name: 'context' });
  const h = tf.layers.lstm({ units: 4, name: 'encoder' }).apply(series) as tf.SymbolicTensor;
  const c = tf.layers.dense({ units: 4, activation: 'relu', name: 'context_dense' }).apply(context) as tf.SymbolicTensor;
  const m = tf.layers.concatenate({ name: 'merge' }).apply([h, c]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(m) as tf.SymbolicTensor;
  return tf.model({ inputs: [series, context], outputs: out, name: 'two_inputs' });
}

/** One LSTM and one Dense applied to two inputs (shared layers: one set of weights, two inbound nodes). */
function shared(): tf.LayersModel {
  const a = tf.input({ shape: [5, 3], name: 'a' });
  const b = tf.input({ shape: [4, 3], name: 'b' });
  const encoder = tf.layers.lstm({ units: 4, name: 'encoder' });
  const project = tf.layers.dense({ units: 3, activation: 'tanh', name: 'project' });
  const pa = project.apply(encoder.apply(a)) as tf.SymbolicTensor;
  const pb = project.apply(encoder.apply(b)) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, name: 'score' }).apply(tf.layers.concatenate({ name: 'merge' }).apply([pa, pb]) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: out, name: 'shared' });
}

/** A Sequential encoder nested in a functional model, and a Sequential block nested in a Sequential model. */
function nested(): tf.LayersModel {
  const encoder = sequential([tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }), tf.layers.dense({ units: 2 })]);
  const x = tf.input({ shape: [5, 3], name: 'x' });
  const y = tf.layers.gru({ units: 3, name: 'decoder' }).apply(encoder.apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'nested' });
}

/** A Sequential encoder called on two inputs: a shared nested model. */
function sharedNested(): tf.LayersModel {
  const encoder = sequential([tf.layers.lstm({ units: 4, inputShape: [5, 3] }), tf.layers.dense({ units: 3, activation: 'tanh' })]);
  const a = tf.input({ shape: [5, 3], name: 'a' });
  const b = tf.input({ shape: [5, 3], name: 'b' });
  const diff = tf.layers.add({ name: 'both' }).apply([encoder.apply(a) as tf.SymbolicTensor, encoder.apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 1, name: 'score' }).apply(diff) as tf.SymbolicTensor, name: 'shared_nested' });
}

const MODELS: Record<string, { make: () => tf.LayersModel; quantize?: 'uint8' | 'float16' }> = {
  dense: { make: () => sequential([tf.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 2 })]) },
  lstm: { make: () => sequential([tf.layers.lstm({ units: 6, inputShape: [5, 2] })]) },
  gru: { make: () => sequential([tf.layers.gru({ units: 4, returnSequences: true, inputShape: [6, 3] }), tf.layers.gru({ units: 3 })]) },
  simple_rnn: { make: () => sequential([tf.layers.simpleRNN({ units: 4, goBackwards: true, inputShape: [6, 2] })]) },
  bidirectional: {
    make: () =>
      sequential([
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN, inputShape: [5, 2] }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
        tf.layers.gru({ units: 2 }),
      ]),
  },
  embedding: { make: () => sequential([tf.layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputShape: [6] }), tf.layers.lstm({ units: 4 })]) },
  conv1d: {
    make: () =>
      sequential([
        tf.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [10, 3] }),
        tf.layers.maxPooling1d({ poolSize: 2 }),
        tf.layers.globalAveragePooling1d(),
        tf.layers.dense({ units: 2 }),
      ]),
  },
  two_inputs: { make: twoInputs },
  shared: { make: shared },
  shared_nested: { make: sharedNested },
  nested: { make: nested },
  nested_sequential: { make: () => sequential([tf.layers.dense({ units: 3, inputShape: [4] }), sequential([tf.layers.dense({ units: 3, activation: 'relu', inputShape: [3] }), tf.layers.dense({ units: 2 })]), tf.layers.dense({ units: 1 })]) },
  quantized_uint8: { make: () => sequential([tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tf.layers.dense({ units: 2 })]), quantize: 'uint8' },
  quantized_float16: { make: () => sequential([tf.layers.lstm({ units: 3, inputShape: [4, 2] })]), quantize: 'float16' },
};

function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign; // small weights flush to zero (none here)
  return sign | (exponent << 10) | Math.round(mantissa / 8192);
}

function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  return exponent === 0 ? sign * 2 ** -14 * (fraction / 1024) : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

async function make(name: string): Promise<void> {
  const spec = MODELS[name]!;
  const random = rng([...name].reduce((a, c) => a * 31 + c.charCodeAt(0), 7));
  const model = spec.make();
  // Weights uniform in [-0.5, 0.5]; quantized models keep their dequantized values, so TensorFlow.js
  // computes with exactly what the import reads.
  const manifestWeights: object[] = [];
  const blobs: Uint8Array[] = [];
  const weights = model.weights.map((w) => {
    const shape = w.shape as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    let values = Float32Array.from({ length: count }, () => random() - 0.5);
    if (spec.quantize === 'uint8') {
      const min = Math.min(...values);
      const scale = (Math.max(...values) - min) / 255;
      const q = Uint8Array.from(values, (v) => Math.round((v - min) / scale));
      values = Float32Array.from(q, (v) => v * scale + min);
      blobs.push(q);
      manifestWeights.push({ name: w.originalName, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min, original_dtype: 'float32' } });
    } else if (spec.quantize === 'float16') {
      const q = Uint16Array.from(values, float16Bits);
      values = Float32Array.from(q, float16Value);
      blobs.push(new Uint8Array(q.buffer));
      manifestWeights.push({ name: w.originalName, shape, dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } });
    }
    return tf.tensor(values, shape);
  });
  model.setWeights(weights);
  const inputs: Record<string, number[]> = {};
  const feeds = model.inputs.map((input, i) => {
    const shape = [BATCH, ...input.shape.slice(1)] as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    const values = name === 'embedding' ? Array.from({ length: count }, (_, j) => (j === 4 || j === 5 || j === 6 ? 0 : 1 + Math.floor(random() * 9))) : Array.from({ length: count }, () => random() * 2 - 1);
    inputs[input.name ?? `input_${i}`] = (tf.tensor(values, shape).arraySync() as number[]);
    return tf.tensor(values, shape);
  });
  const predicted = model.predict(feeds.length === 1 ? feeds[0]! : feeds);
  const outputs = (Array.isArray(predicted) ? predicted : [predicted]).map((t) => t.arraySync());
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const shard = 'group1-shard1of1.bin';
      let data = new Uint8Array(artifacts.weightData as ArrayBuffer);
      let specs: object[] = artifacts.weightSpecs!;
      if (spec.quantize) {
        data = new Uint8Array(blobs.reduce((a, b) => a + b.length, 0));
        let at = 0;
        for (const b of blobs) {
          data.set(b, at);
          at += b.length;
        }
        specs = manifestWeights;
      }
      writeFileSync(join(dir, shard), data);
      const json = { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null, modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: [shard], weights: specs }] };
      writeFileSync(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  writeFileSync(join(dir, 'io.json'), `${JSON.stringify({ tfjs_version: tf.version.tfjs, inputs, outputs })}\n`);
  console.log(name, outputs.map((o) => JSON.stringify(o).length));
}

await tf.setBackend('cpu');
for (const name of process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(MODELS)) await make(name);
