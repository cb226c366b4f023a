// Sizes of the generated modules (raw TypeScript, minified JavaScript by esbuild, gzip -9 of the
// minified text) against tfjs's bundle, and compile speed: compile() in-process (parse, schema,
// shapes, emit), and the `modelc build` command end to end (a fresh Node process, dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { compile } from '../../src/compile.js';
import { median } from './timing.js';

export interface ModuleSize {
  readonly spec: string;
  readonly raw: number;
  readonly minified: number;
  readonly gzipped: number;
}

export interface CompileTiming {
  readonly what: string;
  readonly layers: number;
  readonly specs: number;
  /** Median ms of compile() over `runs` runs, after one warm-up run. */
  readonly inProcessMs: number;
  readonly runs: number;
  /** Median wall ms of `node bin/modelc.js build ... --out <tmp>`, when dist/ is built. */
  readonly cliMs?: number;
  readonly cliRuns?: number;
  readonly generatedBytes: number;
}

async function sizeOf(spec: string, text: string): Promise<ModuleSize> {
  const minified = (await transform(text, { loader: 'ts', minify: true, format: 'esm', target: 'es2022' })).code;
  return { spec, raw: Buffer.byteLength(text), minified: Buffer.byteLength(minified), gzipped: gzipSync(minified, { level: 9 }).length };
}

export async function moduleSizes(root: string, extra: { name: string; text: string }[]): Promise<{ modules: ModuleSize[]; tfjs: ModuleSize | undefined }> {
  const modules: ModuleSize[] = [];
  for (const file of readdirSync(join(root, 'models')).filter((f) => f.endsWith('.yaml')).sort()) {
    const path = join(root, 'models', file);
    const result = compile(readFileSync(path, 'utf8'), `models/${file}`, { readWeights: (p) => readIfExists(join(dirname(path), p)) });
    if (result.output) modules.push(await sizeOf(`models/${file}`, result.output.text));
  }
  for (const e of extra) modules.push(await sizeOf(e.name, e.text));
  const tfPath = join(root, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');
  let tfjs: ModuleSize | undefined;
  if (existsSync(tfPath)) {
    const text = readFileSync(tfPath);
    tfjs = { spec: '@tensorflow/tfjs dist/tf.min.js', raw: text.length, minified: text.length, gzipped: gzipSync(text, { level: 9 }).length };
  }
  return { modules, tfjs };
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** 200 Dense layers of 32 units on a (32,) input. */
export function denseChainSpec(layers: number): string {
  const lines = ['name: chain_dense', 'inputs:', '  x: { shape: [32], batch_size: 8 }', 'layers:'];
  for (let i = 0; i < layers; i++) lines.push(`  - { name: d${i}, type: Dense, units: 32, activation: ${i % 2 ? 'relu' : 'tanh'} }`);
  return lines.join('\n') + '\n';
}

/** layers/2 pairs of LSTM(16, return_sequences) and TimeDistributed(Dense(16)) on a (10, 16) input. */
export function lstmChainSpec(layers: number): string {
  const lines = ['name: chain_lstm', 'inputs:', '  x: { shape: [10, 16], batch_size: 4 }', 'layers:'];
  for (let i = 0; i < layers / 2; i++) {
    lines.push(`  - { name: l${i}, type: LSTM, units: 16, return_sequences: true }`);
    lines.push(`  - { name: t${i}, type: TimeDistributed, layer: { type: Dense, units: 16 } }`);
  }
  return lines.join('\n') + '\n';
}

function timeCompile(files: { path: string; text: string }[], runs: number): { ms: number; bytes: number; layers: number } {
  let bytes = 0;
  let layers = 0;
  const once = () => {
    bytes = 0;
    layers = 0;
    for (const f of files) {
      const r = compile(f.text, f.path);
      if (!r.output) throw new Error(`${f.path} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
      bytes += Buffer.byteLength(r.output.text);
      layers += r.graph?.layers.length ?? 0;
    }
  };
  once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    once();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), bytes, layers };
}

function timeCli(root: string, args: (dir: string) => string[], runs: number): number | undefined {
  if (!existsSync(join(root, 'dist/cli.js'))) return undefined;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'modelc-bench-'));
    try {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(root, 'bin/modelc.js'), ...args(out)], { cwd: root, encoding: 'utf8' });
      const t = performance.now() - t0;
      if (r.status !== 0) return undefined;
      times.push(t);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return median(times);
}

export function compileTimings(root: string, runs: number, cliRuns: number): CompileTiming[] {
  const modelFiles = readdirSync(join(root, 'models'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ path: `models/${f}`, text: readFileSync(join(root, 'models', f), 'utf8') }));
  const results: CompileTiming[] = [];
  const models = timeCompile(modelFiles, runs);
  const modelsCli = timeCli(root, (dir) => ['build', 'models', '--out', join(dir, 'generated')], cliRuns);
  results.push({
    what: 'models/*.yaml',
    layers: models.layers,
    specs: modelFiles.length,
    inProcessMs: models.ms,
    runs,
    ...(modelsCli !== undefined ? { cliMs: modelsCli, cliRuns } : {}),
    generatedBytes: models.bytes,
  });
  for (const [what, text] of [
    ['200 × Dense(32)', denseChainSpec(200)],
    ['100 × (LSTM(16) + TimeDistributed(Dense(16)))', lstmChainSpec(200)],
  ] as const) {
    const name = text.startsWith('name: chain_dense') ? 'chain_dense' : 'chain_lstm';
    const t = timeCompile([{ path: `bench/${name}.yaml`, text }], runs);
    const cli = timeCli(
      root,
      (dir) => {
        const file = join(dir, `${name}.yaml`);
        writeFileSync(file, text);
        return ['build', file, '--out', join(dir, 'generated')];
      },
      cliRuns,
    );
    results.push({ what, layers: t.layers, specs: 1, inProcessMs: t.ms, runs, ...(cli !== undefined ? { cliMs: cli, cliRuns } : {}), generatedBytes: t.bytes });
  }
  // what every command pays before compiling: Node, the CLI and the TypeScript compiler API
  const first = modelFiles[0];
  if (first) {
    const startup = timeCli(root, () => ['check', first.path], cliRuns);
    if (startup !== undefined) results.push({ what: `\`modelc check ${first.path}\` (start-up: Node + CLI + typescript)`, layers: 0, specs: 1, inProcessMs: NaN, runs: 0, cliMs: startup, cliRuns, generatedBytes: 0 });
  }
  return results;
}
