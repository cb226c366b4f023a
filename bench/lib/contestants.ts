// The contestants of one size, all built from the same weights: modelc's generated module (looped,
// unrolled, streaming step), tfjs (cpu and wasm backends), onnxruntime-node (1 and 2 intra-op
// threads) and onnxruntime-web (wasm, 1 thread), the last three on an ONNX model built by onnx.ts.
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { compile } from '../../src/compile.js';
import { loadGeneratedModule, type GeneratedModel } from '../../src/load-module.js';
import { lstmDenseOnnx } from './onnx.js';
import { flops, specText, type Size } from './sizes.js';

export interface Contestant {
  readonly key: string;
  readonly label: string;
  readonly kind: 'modelc' | 'peer' | 'ceiling';
  /** FLOPs of one call. */
  readonly flops: number;
  /** One call; returns a promise for asynchronous APIs (onnxruntime). */
  readonly call: () => unknown;
  readonly isAsync: boolean;
  /** Called before each slot (tfjs: switch to this contestant's backend). */
  readonly enter?: () => Promise<void>;
  /** A copy of the output of one call made from the initial state, for the agreement check. */
  readonly check?: () => Promise<Float32Array>;
  readonly notes?: string;
}

export interface ModelWeights {
  readonly lstm: { readonly kernel: Float32Array; readonly recurrent_kernel: Float32Array; readonly bias: Float32Array };
  readonly head: { readonly kernel: Float32Array; readonly bias: Float32Array };
}

export interface Prepared {
  readonly contestants: Contestant[];
  readonly weights: ModelWeights;
  readonly x: Float32Array;
  readonly moduleBytes: { looped: number; unrolled?: number };
  /** Peers that failed to build, with the reason. */
  readonly failures: { key: string; reason: string }[];
  dispose(): void;
}

const quiet = async <T>(f: () => Promise<T> | T): Promise<T> => {
  // tfjs prints a banner ("looks like you are running TensorFlow.js in Node.js") and initializer warnings
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  try {
    return await f();
  } finally {
    console.log = log;
    console.warn = warn;
  }
};

let ortWebConfigured = false;
let tfReady = false;

async function compileModule(size: Size, unroll: boolean) {
  const result = compile(specText(size, unroll), `bench/${size.id}${unroll ? '-unrolled' : ''}.yaml`);
  if (!result.output) throw new Error(`modelc failed to compile size ${size.id}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return { text: result.output.text, module: await loadGeneratedModule(result.output.text) };
}

/** A group runner of its own function literal per contestant, so V8 never shares its call site between contestants. */
export function groupRunner(isAsync: boolean): (call: () => unknown, n: number) => unknown {
  return isAsync
    ? (new Function('call', 'n', 'return (async () => { for (let i = 0; i < n; i++) await call(); })();') as (call: () => unknown, n: number) => Promise<void>)
    : (new Function('call', 'n', 'for (let i = 0; i < n; i++) call();') as (call: () => unknown, n: number) => void);
}

export async function prepare(size: Size, random: () => number): Promise<Prepared> {
  const { B, T, F, U, D } = size;
  const G = 4 * U;
  const n = flops(size);
  const looped = await compileModule(size, false);
  // Keras's initializers through the generated module; the biases randomized as well, so the
  // check also covers every gate's bias (the ONNX model reorders the gates)
  const weights = looped.module.initWeights(7) as ModelWeights;
  for (let i = 0; i < G; i++) weights.lstm.bias[i]! += 0.2 * random();
  for (let i = 0; i < D; i++) weights.head.bias[i] = 0.2 * random();
  const x = new Float32Array(B * T * F).map(() => random());
  const inputs = { x };

  const contestants: Contestant[] = [];
  const failures: { key: string; reason: string }[] = [];
  const disposers: (() => void)[] = [];

  const modelcContestant = (key: string, label: string, model: GeneratedModel, notes?: string): Contestant => ({
    key,
    label,
    kind: 'modelc',
    flops: n,
    isAsync: false,
    call: () => model.predict(inputs),
    check: async () => model.predict(inputs).head!.slice(),
    ...(notes ? { notes } : {}),
  });
  contestants.push(modelcContestant('modelc', 'modelc-js looped', new looped.module.Model(weights, { engine: 'js' })));
  contestants.push(modelcContestant('modelc-wasm', 'modelc-wasm', new looped.module.Model(weights, { engine: 'wasm' }), 'the WebAssembly SIMD128 engine embedded in the same module'));
  let unrolledBytes: number | undefined;
  if (size.unrolled) {
    const unrolled = await compileModule(size, true);
    unrolledBytes = Buffer.byteLength(unrolled.text);
    contestants.push(modelcContestant('modelc-unrolled', 'modelc-js unrolled', new unrolled.module.Model(weights, { engine: 'js' })));
  }
  for (const engine of T === 1 ? (['js', 'wasm'] as const) : []) {
    const streaming = new looped.module.Model(weights, { engine });
    if (streaming.step && streaming.resetStates) {
      const step = streaming.step.bind(streaming);
      const reset = streaming.resetStates.bind(streaming);
      contestants.push({
        key: engine === 'js' ? 'modelc-step' : 'modelc-wasm-step',
        label: `modelc-${engine} step()`,
        kind: 'modelc',
        flops: n,
        isAsync: false,
        call: () => step(inputs),
        check: async () => {
          reset();
          return step(inputs).head!.slice();
        },
        notes: 'Model.step(): one timestep continuing the carried states (what a streaming caller runs)',
      });
    }
  }

  // tfjs: one Sequential model per backend, built while that backend is active, same weights
  if (!tfReady) {
    await quiet(async () => {
      await tf.setBackend('cpu');
      await tf.setBackend('wasm');
      await tf.ready();
    });
    tfReady = true;
  }
  for (const backend of ['cpu', 'wasm'] as const) {
    try {
      const built = await quiet(async () => {
        await tf.setBackend(backend);
        const model = tf.sequential();
        model.add(
          tf.layers.lstm({
            units: U,
            recurrentActivation: 'sigmoid', // Keras 3's default; tfjs defaults to hard_sigmoid
            inputShape: [T, F],
            batchSize: B,
            kernelInitializer: 'zeros',
            recurrentInitializer: 'zeros',
          }),
        );
        model.add(tf.layers.dense({ units: D, kernelInitializer: 'zeros' }));
        model.setWeights([
          tf.tensor2d(weights.lstm.kernel, [F, G]),
          tf.tensor2d(weights.lstm.recurrent_kernel, [U, G]),
          tf.tensor1d(weights.lstm.bias),
          tf.tensor2d(weights.head.kernel, [U, D]),
          tf.tensor1d(weights.head.bias),
        ]);
        const xt = tf.tensor3d(x, [B, T, F]);
        return { model, xt };
      });
      const { model, xt } = built;
      const call = () => {
        const y = tf.tidy(() => model.predict(xt) as tf.Tensor);
        const data = y.dataSync();
        y.dispose();
        return data;
      };
      contestants.push({
        key: `tfjs-${backend}`,
        label: `tfjs ${backend}`,
        kind: 'peer',
        flops: n,
        isAsync: false,
        call,
        enter: async () => {
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
        },
        check: async () => {
          await tf.setBackend(backend);
          return Float32Array.from(call() as Float32Array);
        },
        notes: backend === 'wasm' ? `threads: ${tfwasm.getThreadsCount()}` : 'tf.layers.lstm + dense, model.predict in tf.tidy, dataSync, dispose',
      });
      disposers.push(() => {
        model.dispose();
        xt.dispose();
      });
    } catch (error) {
      failures.push({ key: `tfjs-${backend}`, reason: String(error) });
    }
  }

  // onnxruntime: the same weights as an ONNX model (Transpose -> LSTM -> Squeeze -> MatMul -> Add)
  const onnx = lstmDenseOnnx(B, T, F, U, D, {
    kernel: weights.lstm.kernel,
    recurrentKernel: weights.lstm.recurrent_kernel,
    bias: weights.lstm.bias,
    denseKernel: weights.head.kernel,
    denseBias: weights.head.bias,
  });
  for (const threads of [1, 2]) {
    try {
      const session = await ortNode.InferenceSession.create(onnx, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      const feeds = { x: new ortNode.Tensor('float32', x, [B, T, F]) };
      const call = () => session.run(feeds);
      contestants.push({
        key: `ort-node-${threads}t`,
        label: `onnxruntime-node ${threads} thread${threads > 1 ? 's' : ''}`,
        kind: 'peer',
        flops: n,
        isAsync: true,
        call,
        check: async () => Float32Array.from((await session.run(feeds)).y!.data as Float32Array),
      });
      disposers.push(() => void session.release());
    } catch (error) {
      failures.push({ key: `ort-node-${threads}t`, reason: String(error) });
    }
  }
  try {
    if (!ortWebConfigured) {
      ortWeb.env.wasm.numThreads = 1;
      ortWebConfigured = true;
    }
    const session = await ortWeb.InferenceSession.create(onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const feeds = { x: new ortWeb.Tensor('float32', x, [B, T, F]) };
    const call = () => session.run(feeds);
    contestants.push({
      key: 'ort-web',
      label: 'onnxruntime-web wasm',
      kind: 'peer',
      flops: n,
      isAsync: true,
      call,
      check: async () => Float32Array.from((await session.run(feeds)).y!.data as Float32Array),
      notes: 'wasm backend in Node, env.wasm.numThreads = 1',
    });
    disposers.push(() => void session.release());
  } catch (error) {
    failures.push({ key: 'ort-web', reason: String(error) });
  }

  return {
    contestants,
    weights,
    x,
    moduleBytes: { looped: Buffer.byteLength(looped.text), ...(unrolledBytes !== undefined ? { unrolled: unrolledBytes } : {}) },
    failures,
    dispose: () => disposers.forEach((d) => d()),
  };
}
