// The WebAssembly engine against the TypeScript one and against plain float64 loops: the encoder's
// LEB128, the f32x4 gemmAcc kernel, both engines on every Keras fixture (1e-6 of each other, on
// top of test/keras's 1e-5 of Keras for each), stateful calls and streaming steps, which layers
// the printer lowers, the engine option, createModel(), and deterministic bytes.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.ts';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { FunctionBuilder, ModuleBuilder, sleb, uleb } from '../../src/emit-wasm/encoder.ts';
import { addKernel } from '../../src/emit-wasm/kernels.ts';
import { loadGeneratedModule, type GeneratedInputs, type GeneratedModel } from '../../src/load-module.ts';

const TOLERANCE = 1e-6;

// ES2022's lib has no WebAssembly types: the members these tests use.
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
};

/** The largest difference, absolute below 1 and relative above (as test/keras measures). */
function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
}

describe('encoder', () => {
  it('writes LEB128 as the format defines it', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('makes a module that validates and runs', () => {
    const m = new ModuleBuilder();
    const f = new FunctionBuilder(['i32', 'i32'], ['i32']);
    f.get(0).get(1).op('i32.add');
    m.define('add', f, true);
    const bytes = m.encode(1);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
    expect((instance.exports.add as (a: number, b: number) => number)(40, 2)).toBe(42);
  });
});

describe('gemmAcc (f32x4, register-blocked) against a float64 loop', () => {
  const m = new ModuleBuilder();
  const gemm = addKernel(m, 'gemmAcc');
  const wrapper = new FunctionBuilder(Array(12).fill('i32'), []);
  for (let i = 0; i < 12; i++) wrapper.get(i);
  wrapper.call(gemm);
  m.define('gemm', wrapper, true);
  const memory = new WebAssembly.Memory({ initial: 64 });
  const run = new WebAssembly.Instance(new WebAssembly.Module(m.encode(1)), { env: { memory } }).exports.gemm as (...args: number[]) => void;

  // Shapes that exercise every block: 4-row and 1-row blocks, 8/16-, 4- and 1-column tails.
  it.each([[1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 20, 80], [7, 37, 13], [32, 80, 20], [1, 512, 128], [9, 19, 33]])('m=%i n=%i k=%i', (rows, cols, inner) => {
    const [lda, ldb, ldc] = [inner + 3, cols + 2, cols + 5];
    const a = random(rows * lda + 4, 1), b = random(inner * ldb + 4, 2), c0 = random(rows * ldc + 4, 3);
    const [pa, pb, pc] = [4096, 4096 + 4 * 70000, 4096 + 8 * 70000];
    const view = new Float32Array(memory.buffer);
    view.set(a, pa / 4);
    view.set(b, pb / 4);
    view.set(c0, pc / 4);
    run(pa, 1, lda, pb, 2, ldb, pc, 3, ldc, rows, cols, inner);
    const got = new Float32Array(memory.buffer, pc, c0.length);
    // float32 accumulation: the error is measured against Σ|c| + Σp |a·b| (its forward error bound is k·2^-24 of that).
    let worst = 0;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let sum = c0[3 + i * ldc + j]!;
        let size = Math.abs(sum);
        for (let p = 0; p < inner; p++) (sum += a[1 + i * lda + p]! * b[2 + p * ldb + j]!), (size += Math.abs(a[1 + i * lda + p]! * b[2 + p * ldb + j]!));
        worst = Math.max(worst, Math.abs(got[3 + i * ldc + j]! - sum) / size);
      }
    expect(worst).toBeLessThan(1e-6);
    // Nothing outside c's rows and columns is written.
    for (let i = 0; i < rows; i++) for (let j = cols; j < ldc && 3 + i * ldc + j < c0.length; j++) expect(got[3 + i * ldc + j]).toBe(c0[3 + i * ldc + j]);
  });
});

describe('f32x4 exp, sigmoid and tanh against float64', () => {
  const m = new ModuleBuilder();
  for (const name of ['vexp', 'vsigmoid', 'vtanh']) {
    const kernel = addKernel(m, name);
    // (in, out, n): out[i..i+4) = kernel(in[i..i+4))
    const w = new FunctionBuilder(['i32', 'i32', 'i32'], []);
    const i = w.local('i32');
    w.i32(0).set(i).open('block').open('loop').get(i).get(2).op('i32.ge_s').op('br_if', 1);
    w.get(1).get(i).i32(2).op('i32.shl').op('i32.add').get(0).get(i).i32(2).op('i32.shl').op('i32.add').mem('v128.load').call(kernel).mem('v128.store');
    w.get(i).i32(4).op('i32.add').set(i).op('br', 0).end().end();
    m.define(name, w, true);
  }
  const memory = new WebAssembly.Memory({ initial: 16 });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(m.encode(1)), { env: { memory } }).exports as Record<string, (a: number, b: number, n: number) => void>;
  const n = 80000;
  const xs = Float32Array.from({ length: n }, (_, k) => -40 + (80 * k) / n);
  const run = (name: string) => {
    new Float32Array(memory.buffer, 4096, n).set(xs);
    exports[name]!(4096, 4096 + 4 * n, n);
    return new Float32Array(memory.buffer, 4096 + 4 * n, n);
  };
  it('exp: within 4e-7 relative on [-40, 40]', () => {
    const got = run('vexp');
    let worst = 0;
    xs.forEach((x, k) => (worst = Math.max(worst, Math.abs(got[k]! - Math.exp(x)) / Math.exp(x))));
    expect(worst).toBeLessThan(4e-7);
  });
  it.each([['vsigmoid', (x: number) => 1 / (1 + Math.exp(-x))], ['vtanh', Math.tanh]] as const)('%s: within 1e-6 (absolute below 1, as the engines are compared) on [-40, 40]', (name, exact) => {
    const got = run(name);
    let worst = 0;
    xs.forEach((x, k) => (worst = Math.max(worst, Math.abs(got[k]! - exact(x)))));
    expect(worst).toBeLessThan(1e-6);
  });
});

interface Call {
  readonly inputs: Record<string, unknown>;
}
interface Fixture {
  readonly case: string;
  readonly spec: { readonly inputs: Record<string, { dtype?: string }> };
  readonly weights: unknown;
  readonly inputs?: Record<string, unknown>;
  readonly calls?: readonly (Call | 'reset_states')[];
}
const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value === true ? 1 : value === false ? 0 : (value as number)]);
const toInputs = (spec: Fixture['spec'], values: Record<string, unknown>): GeneratedInputs =>
  Object.fromEntries(Object.entries(values).map(([name, v]) => [name, spec.inputs[name]?.dtype === 'int32' ? Int32Array.from(flat(v)) : spec.inputs[name]?.dtype === 'bool' ? Uint8Array.from(flat(v)) : Float32Array.from(flat(v))]));

const dir = 'test/fixtures/keras';
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'activations.json' && f !== 'summaries.json')
  .sort()
  .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Fixture)
  .map((fixture) => ({ fixture, result: compile(JSON.stringify(fixture.spec, null, 2), `${fixture.case}.json`) }))
  .filter((c) => c.result.output !== undefined);

describe('both engines on the Keras fixtures, within 1e-6 of each other', () => {
  it.each(fixtures.map((c) => [c.fixture.case, c] as const))('%s', async (_name, { fixture, result }) => {
    const mod = await loadGeneratedModule(result.output!.text);
    const weights = mod.loadWeights(fixture.weights);
    const [wasm, js] = [new mod.Model(weights, { engine: 'wasm' }), new mod.Model(weights, { engine: 'js' })];
    for (const call of fixture.calls ?? [{ inputs: fixture.inputs! }]) {
      if (call === 'reset_states') {
        wasm.resetStates!();
        js.resetStates!();
        continue;
      }
      const batch = (Object.values(call.inputs)[0] as unknown[]).length;
      const inputs = toInputs(fixture.spec, call.inputs);
      const a = wasm.predict(inputs, { batch });
      const b = js.predict(inputs, { batch });
      for (const name of Object.keys(b)) expect(maxError(a[name]!, b[name]!), `${fixture.case}: ${name}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

const specs = readdirSync('models').filter((f) => f.endsWith('.yaml')).sort();
const compiledModel = (file: string) => compile(readFileSync(`models/${file}`, 'utf8'), `models/${file}`, { readWeights: (p) => readFileSync(`models/${p}`, 'utf8') });

function inputsFor(shapes: Readonly<Record<string, readonly (number | null)[]>>, dtypes: Record<string, string>, seed: number): GeneratedInputs {
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape], k) => {
      const n = shape.map((d) => d ?? 2).reduce((a, b) => a * b, 1);
      const values = random(n, seed + k);
      return [name, dtypes[name] === 'int32' ? Int32Array.from(values, (v) => Math.floor(Math.abs(v) * 50)) : dtypes[name] === 'bool' ? Uint8Array.from(values, (v) => (v > -0.5 ? 1 : 0)) : values];
    }),
  );
}

describe('the example models on both engines', () => {
  it.each(specs)('%s: predict, then streaming steps and states, agree within 1e-6', async (file) => {
    const result = compiledModel(file);
    const mod = await loadGeneratedModule(result.output!.text);
    const dtypes = Object.fromEntries(result.graph!.inputs.map((i) => [i.name, i.dtype]));
    const [wasm, js] = [new mod.Model(undefined, { engine: 'wasm' }), new mod.Model(undefined, { engine: 'js' })];
    expect([wasm.engine, js.engine]).toEqual(['wasm', 'js']);
    for (let call = 0; call < 3; call++) {
      const inputs = inputsFor(mod.inputShapes, dtypes, 7 + call);
      const batch = mod.inputShapes[Object.keys(mod.inputShapes)[0]!]![0] ?? 2;
      const a = wasm.predict(inputs, { batch });
      const b = js.predict(inputs, { batch });
      for (const name of Object.keys(b)) expect(maxError(a[name]!, b[name]!), `${file}: ${name}`).toBeLessThanOrEqual(TOLERANCE);
    }
    const stepShapes = (mod as unknown as { stepInputShapes?: Record<string, readonly (number | null)[]> }).stepInputShapes;
    if (wasm.step && js.step && stepShapes) {
      for (let t = 0; t < 5; t++) {
        const inputs = inputsFor(stepShapes, dtypes, 100 + t);
        const a = wasm.step(inputs);
        const b = js.step(inputs);
        for (const name of Object.keys(b)) expect(maxError(a[name]!, b[name]!), `${file}: step ${t} ${name}`).toBeLessThanOrEqual(TOLERANCE);
      }
      const [sa, sb] = [wasm.getStates!(), js.getStates!()];
      for (const layer of Object.keys(sb)) for (const role of Object.keys(sb[layer]!)) expect(maxError(sa[layer]![role]!, sb[layer]![role]!)).toBeLessThanOrEqual(TOLERANCE);
      // setStates on the wasm engine, then one more step each: the same again.
      wasm.setStates!(sb);
      const inputs = inputsFor(stepShapes, dtypes, 200);
      const a = wasm.step(inputs);
      const b = js.step(inputs);
      for (const name of Object.keys(b)) expect(maxError(a[name]!, b[name]!)).toBeLessThanOrEqual(TOLERANCE);
    }
  }, 60_000);

  it('lowers every kernel function of the seed models to WebAssembly', () => {
    for (const file of specs.filter((f) => f.startsWith('seed_') || f === 'streaming_lstm.yaml' || f === 'stacked_gru.yaml')) {
      const match = /(\d+) of (\d+) kernel functions printed to WebAssembly/.exec(compiledModel(file).output!.text);
      expect(match, file).not.toBeNull();
      expect(match![1], file).toBe(match![2]);
    }
  });

  it('gives the same bytes for the same spec, and `engine: js` builds carry no WebAssembly', () => {
    expect(compiledModel('seed_lstm.yaml').output!.text).toBe(compiledModel('seed_lstm.yaml').output!.text);
    const js = compile(readFileSync('models/seed_lstm.yaml', 'utf8'), 'models/seed_lstm.yaml', { engine: 'js' }).output!.text;
    expect(js).not.toContain('const WASM');
    expect(js).not.toContain('class WasmEngine');
    expect(js).toContain('readonly engine: "wasm" | "js"');
  });

  it('`modelc build --engine js` writes the TypeScript path alone; another engine name is a usage error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'modelc-engine-'));
    const err: string[] = [];
    const host = { stdout: () => {}, stderr: (t: string) => void err.push(t), cwd: process.cwd(), color: false };
    expect(await main(['build', 'models/seed_lstm.yaml', '--engine', 'js', '--out', out], host)).toBe(0);
    expect(readFileSync(join(out, 'seed_lstm.ts'), 'utf8')).toBe(compile(readFileSync('models/seed_lstm.yaml', 'utf8'), 'models/seed_lstm.yaml', { engine: 'js' }).output!.text);
    expect(await main(['build', 'models/seed_lstm.yaml', '--engine', 'wat', '--out', out], host)).toBe(2);
    expect(err.join('')).toContain('--engine must be "js" or "wasm"');
  });

  it("takes wasm for 'auto' on Node, and createModel() compiles asynchronously", async () => {
    const mod = await loadGeneratedModule(compiledModel('seed_lstm.yaml').output!.text);
    expect(new mod.Model().engine).toBe('wasm');
    const created: GeneratedModel = await mod.createModel!(undefined, { engine: 'wasm' });
    expect(created.engine).toBe('wasm');
    const x = random(32 * 25, 5);
    expect(maxError(created.predict({ x }).lstm!, new mod.Model(undefined, { engine: 'js' }).predict({ x }).lstm!)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('reports an input of the wrong size, and an Embedding id out of range, as the TypeScript path does', async () => {
    const mod = await loadGeneratedModule(compiledModel('text_classifier.yaml').output!.text);
    const model = new mod.Model(mod.initWeights(), { engine: 'wasm' });
    const tokens = new Int32Array(2 * 20).fill(1);
    tokens[27] = 1234;
    expect(() => model.predict({ tokens })).toThrow(new RangeError('Embedding "embedding": token id 1234 at position 27 is outside [0, 1000)'));
    expect(() => model.predict({ tokens: new Int32Array(7) })).toThrow(RangeError);
    tokens[27] = 3;
    expect(Object.values(model.predict({ tokens }))[0]!.length).toBeGreaterThan(0);
  });
});

describe('module size', () => {
  it('the seed module, with its WebAssembly, stays under 40 KiB minified', async () => {
    const { transform } = await import('esbuild');
    const minified = await transform(readFileSync('generated/seed_lstm.ts', 'utf8'), { loader: 'ts', minify: true });
    expect(readFileSync('generated/seed_lstm.ts', 'utf8')).toContain('const WASM = "');
    expect(minified.code.length).toBeLessThan(40 * 1024);
  });
});
