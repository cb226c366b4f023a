// The build benchmark (issue 11 item 6): `modelc build` of a model at 10 k, 1 M and 10 M
// parameters (Embedding -> LSTM -> Dense(1); the Embedding's vocabulary sets the size), with its
// weights embedded from a .safetensors file and with `--no-embed-weights`. Each build runs in a
// child process of its own, so its peak resident memory (getrusage's ru_maxrss, Node included) is
// that build's alone; the child times `main()` in-process, the parent the whole command (Node's
// start-up and the compiler's loading included). Needs dist/ (`npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, type Tensor } from '../../src/weights/safetensors.js';
import { median } from './timing.js';

export interface BuildSize {
  readonly id: string;
  /** Embedding(vocabulary, embed) -> LSTM(units) -> Dense(1). */
  readonly vocabulary: number;
  readonly embed: number;
  readonly units: number;
}

/** Sizes of 10,001, 1,000,001 and 10,000,001 parameters. */
export const BUILD_SIZES: readonly BuildSize[] = [
  { id: '10k', vocabulary: 492, embed: 16, units: 16 },
  { id: '1M', vocabulary: 14079, embed: 64, units: 128 },
  { id: '10M', vocabulary: 75043, embed: 128, units: 256 },
];

export const buildParams = (s: BuildSize): number => s.vocabulary * s.embed + 4 * (s.units * (s.embed + s.units) + s.units) + s.units + 1;

export interface BuildRow {
  readonly size: string;
  readonly params: number;
  readonly embedded: boolean;
  /** Median wall ms of the whole `modelc build` command. */
  readonly commandMs: number;
  /** Median ms of the build itself (main() in the child: read, compile, write). */
  readonly buildMs: number;
  /** Median CPU ms (user + system) of the build itself: what the machine's load does not inflate. */
  readonly cpuMs: number;
  /** Largest peak resident set of the runs, MiB. */
  readonly peakRssMiB: number;
  readonly moduleBytes: number;
  readonly weightsFileBytes: number;
  readonly runs: number;
}

function specText(s: BuildSize): string {
  return [
    `name: build_${s.id}`,
    'weights: weights.safetensors',
    'inputs:',
    '  tokens: { shape: [50], dtype: int32 }',
    'layers:',
    `  - { name: embedding, type: Embedding, input_dim: ${s.vocabulary}, output_dim: ${s.embed} }`,
    `  - { name: lstm, type: LSTM, units: ${s.units} }`,
    '  - { name: head, type: Dense, units: 1, activation: sigmoid }',
    '',
  ].join('\n');
}

/** Random weights of the spec's shapes (uniform in [-0.05, 0.05)), as modelc import writes them. */
function weightsFile(s: BuildSize, random: () => number): Uint8Array {
  const tensor = (...shape: number[]): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random() - 0.5) / 10) });
  const g = 4 * s.units;
  return encodeSafetensors(
    new Map([
      ['embedding/embeddings', tensor(s.vocabulary, s.embed)],
      ['lstm/kernel', tensor(s.embed, g)],
      ['lstm/recurrent_kernel', tensor(s.units, g)],
      ['lstm/bias', tensor(g)],
      ['head/kernel', tensor(s.units, 1)],
      ['head/bias', tensor(1)],
    ]),
    { source: 'bench', format: 'random' },
  );
}

/** What the child prints on stderr's last line: the build's own time and the process's peak RSS. */
const CHILD = `
import { main } from ${JSON.stringify('DIST')};
const args = JSON.parse(process.argv[1]);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const code = await main(args, { stdout: () => {}, stderr: (t) => process.stderr.write(t), cwd: process.cwd(), color: false });
const cpu = process.cpuUsage(cpu0);
process.stderr.write('\\n' + JSON.stringify({ code, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');
`;

function buildOnce(root: string, dir: string, name: string, embedded: boolean): { commandMs: number; buildMs: number; cpuMs: number; rssKiB: number; moduleBytes: number } {
  const out = join(dir, 'out');
  const args = ['build', 'spec.yaml', '--out', out, '--quiet', ...(embedded ? [] : ['--no-embed-weights'])];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD.replace('DIST', join(root, 'dist/cli.js')), JSON.stringify(args)], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
  const commandMs = performance.now() - t0;
  const last = JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as { code?: number; ms: number; cpuMs: number; maxRssKiB: number };
  if (r.status !== 0 || last.code !== 0) throw new Error(`modelc build failed in ${dir}: ${r.stderr.slice(0, 500)}`);
  const module = join(out, `${name}.ts`);
  return { commandMs, buildMs: last.ms, cpuMs: last.cpuMs, rssKiB: last.maxRssKiB, moduleBytes: statSync(module).size };
}

export function buildBench(root: string, random: () => number, quick: boolean, log: (s: string) => void): BuildRow[] {
  if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('the build benchmark runs dist/cli.js: run `npm run build` first');
  const rows: BuildRow[] = [];
  for (const size of BUILD_SIZES) {
    const dir = mkdtempSync(join(tmpdir(), `modelc-build-${size.id}-`));
    try {
      writeFileSync(join(dir, 'spec.yaml'), specText(size));
      const weights = weightsFile(size, random);
      writeFileSync(join(dir, 'weights.safetensors'), weights);
      for (const embedded of [true, false]) {
        const runs = quick ? 1 : 3;
        const results = Array.from({ length: runs }, () => buildOnce(root, dir, `build_${size.id}`, embedded));
        const row: BuildRow = {
          size: size.id,
          params: buildParams(size),
          embedded,
          commandMs: median(results.map((r) => r.commandMs)),
          buildMs: median(results.map((r) => r.buildMs)),
          cpuMs: median(results.map((r) => r.cpuMs)),
          peakRssMiB: Math.max(...results.map((r) => r.rssKiB)) / 1024,
          moduleBytes: results[0]!.moduleBytes,
          weightsFileBytes: weights.length,
          runs,
        };
        log(`  ${size.id} ${embedded ? 'embedded' : '--no-embed-weights'}: ${row.buildMs.toFixed(0)} ms build (${row.cpuMs.toFixed(0)} ms CPU), ${row.commandMs.toFixed(0)} ms command, ${row.peakRssMiB.toFixed(0)} MiB peak, ${(row.moduleBytes / 1024).toFixed(0)} KiB module`);
        rows.push(row);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

const kib = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

export function renderBuild(rows: readonly BuildRow[]): string {
  const lines = [
    '## Build: time, memory and module size by parameter count',
    '',
    '`modelc build` of Embedding(V, E) -> LSTM(U) -> Dense(1, sigmoid) on 50 token ids, its weights in a `.safetensors` file beside the spec, in a child process per build (median of the runs; peak resident memory of the whole process, Node included, the largest of the runs). "build" is `main()` inside the child: loading the compiler (TypeScript and ajv, which the CLI loads on first use), reading, checking, compiling and writing, in wall time and in CPU time (user + system, which a loaded machine inflates less); "command" adds Node\'s own start-up.',
    '',
    '| size | parameters | weights | build | build, CPU | command | peak RSS | module (.ts) | weights file |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.size} | ${r.params.toLocaleString('en-US')} | ${r.embedded ? 'embedded' : '`--no-embed-weights`'} | ${r.buildMs.toFixed(0)} ms | ${r.cpuMs.toFixed(0)} ms | ${r.commandMs.toFixed(0)} ms | ${r.peakRssMiB.toFixed(0)} MiB | ${kib(r.moduleBytes)} | ${kib(r.weightsFileBytes)} |`),
    '',
  ];
  return lines.join('\n');
}
