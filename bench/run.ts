// `npm run bench`: modelc's generated LSTM -> Dense against tfjs (cpu, wasm), onnxruntime-node
// (1 and 2 threads) and onnxruntime-web (wasm) on identical weights, in one process, interleaved;
// then heap allocation per call, module sizes and compile speed. Writes bench/results/latest.md
// and bench/results/latest.json. Run with --expose-gc (the npm script does).
//   BENCH_SIZES=XS,S   only these sizes       BENCH_QUICK=1   fewer, shorter rounds (a smoke test)
// (either writes bench/results/partial.{md,json} instead of latest.{md,json})
//   BENCH_PART=build   only the build benchmark (time, memory, module size at 10 k, 1 M, 10 M
//                      parameters; bench/results/build.{md,json}); it also runs, last, in a full run
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAllocation, type Allocation } from './lib/alloc.js';
import { ceilingKernels } from './lib/ceiling.js';
import { prepare, type Contestant } from './lib/contestants.js';
import { machine } from './lib/machine.js';
import { compileTimings, denseChainSpec, moduleSizes } from './lib/module-sizes.js';
import { renderMarkdown, type CellResult, type Report, type SizeResult } from './lib/report.js';
import { FLOP_FORMULA, flops, rng, SIZES, specText } from './lib/sizes.js';
import { interleave, median, warmUp, type Series } from './lib/timing.js';
import { compile } from '../src/compile.js';
import { imdb, renderImdb } from './lib/imdb.js';
import { buildBench, renderBuild, type BuildRow } from './lib/build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_SIZES?.split(',').map((s) => s.trim().toUpperCase());
const TOLERANCE = 1e-4;
const log = (s: string) => process.stderr.write(s + '\n');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(e)) return NaN;
    if (e > d) d = e;
  }
  return d;
}

/** min, quartiles and max of the samples (ms per call), 4 significant digits. */
function spread(samples: readonly number[]): [number, number, number, number, number] {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))]!.toPrecision(4));
  return [at(0), at(0.25), at(0.5), at(0.75), at(1)];
}

/** The build benchmark alone, or as the last part of a full run: writes bench/results/build.{md,json}. */
function buildPart(random: () => number): { rows: BuildRow[]; markdown: string } {
  log('build: modelc build at 10 k, 1 M and 10 M parameters, weights embedded and --no-embed-weights, a child process per build');
  const rows = buildBench(root, random, quick, log);
  const markdown = renderBuild(rows);
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'build.md'), `# modelc build benchmark\n\n${machineLine()}\n\n${markdown}`);
  writeFileSync(join(out, 'build.json'), JSON.stringify({ machine: machine(), quick, loadAverage: loadavg()[0]!, rows }, null, 2) + '\n');
  log('wrote bench/results/build.md and build.json');
  return { rows, markdown };
}

function machineLine(): string {
  const m = machine();
  return `${m.cpu} (${m.cpuFamily}), ${m.cores} CPUs, Node ${m.node}, ${m.date}; load average ${loadavg()[0]!.toFixed(1)} at the end.`;
}

async function main(): Promise<void> {
  if (process.env.BENCH_PART === 'build') {
    process.stdout.write(buildPart(rng(20261202)).markdown);
    return;
  }
  const started = performance.now();
  const loadStart = loadavg()[0]!;
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') log('note: run with node --expose-gc for a clean heap before each allocation window (npm run bench does)');
  const random = rng(20250605);
  const kernels = ceilingKernels(random);
  const ceilingContestants: Contestant[] = kernels.map((k) => ({ key: `ceiling:${k.name}`, label: `ceiling ${k.name}`, kind: 'ceiling', flops: k.flops, isAsync: false, call: k.run }));

  const sizes: SizeResult[] = [];
  for (const size of SIZES.filter((s) => !only || only.includes(s.id))) {
    const t0 = performance.now();
    log(`size ${size.id}: B${size.B} T${size.T} F${size.F} U${size.U} -> Dense(${size.D}), ${(flops(size) / 1e6).toFixed(3)} MFLOP per call`);
    const prepared = await prepare(size, random);
    const refused: { key: string; label: string; reason: string }[] = prepared.failures.map((f) => ({ key: f.key, label: f.key, reason: `could not be built: ${f.reason}` }));
    const reference = prepared.contestants.find((c) => c.key === 'modelc')!;
    const expected = await reference.check!();
    const accepted: Contestant[] = [];
    const checkMs = new Map<string, number>();
    const diffs = new Map<string, number>();
    for (const c of prepared.contestants) {
      const c0 = performance.now();
      let out: Float32Array;
      try {
        out = await c.check!();
      } catch (error) {
        refused.push({ key: c.key, label: c.label, reason: `threw: ${String(error)}` });
        log(`  REFUSED ${c.label}: threw ${String(error)}`);
        continue;
      }
      checkMs.set(c.key, performance.now() - c0);
      const d = maxAbsDiff(out, expected);
      diffs.set(c.key, d);
      if (!(d <= TOLERANCE)) {
        const reason = out.length !== expected.length ? `output has ${out.length} values, modelc ${expected.length}` : `max abs difference to modelc is ${d} > ${TOLERANCE}`;
        refused.push({ key: c.key, label: c.label, reason });
        log(`  REFUSED ${c.label}: ${reason}; not timed`);
      } else {
        accepted.push(c);
        log(`  agrees: ${c.label} (max |diff| ${d.toExponential(2)})`);
      }
    }

    const timed = [...accepted, ...ceilingContestants];
    const series = new Map<string, Series>();
    for (const c of timed) {
      const first = checkMs.get(c.key) ?? 0;
      // a call of seconds has warmed up in its check; faster ones warm up for 150 ms
      const s = first > 2000 ? await warmUp(c, 0, 0) : await warmUp(c, quick ? 50 : 150, first > 300 ? 1 : 3);
      if (first > 2000) s.estimate = first;
      series.set(c.key, s);
    }
    const large = size.id === 'L';
    const rounds = quick ? (large ? 1 : 2) : large ? 3 : 8;
    await interleave(timed, series, rounds, (c) => ({
      slotMs: quick ? 20 : large ? 100 : 60,
      maxSamples: series.get(c.key)!.estimate > 1000 ? (quick ? 1 : 2) : Infinity,
    }));

    const allocations = new Map<string, Allocation>();
    for (const c of accepted) {
      const est = series.get(c.key)!.estimate;
      if (c.kind !== 'modelc' && est > 1000) continue; // one more tfjs-cpu call of seconds tells nothing new
      allocations.set(c.key, await measureAllocation(c, quick ? 50 : 200, c.kind === 'modelc' ? 100000 : 2000, est > 1000 ? 2 : 3));
    }
    prepared.dispose();

    const ceilingCells = ceilingContestants.map((c) => {
      const ms = median(series.get(c.key)!.samples);
      return { key: c.key, name: c.key.slice('ceiling:'.length), msPerCall: ms, gflops: c.flops / (ms * 1e6), samples: series.get(c.key)!.samples.length };
    });
    // The scalar ceiling (for the TypeScript path) and the wasm SIMD one (for the wasm engine), apart.
    const ceiling = ceilingCells.filter((k) => !k.name.startsWith('wasm')).reduce((best, k) => (k.gflops > best.gflops ? k : best));
    const simd = ceilingCells.find((k) => k.name.startsWith('wasm'));
    const cells: CellResult[] = accepted.map((c) => {
      const s = series.get(c.key)!;
      const ms = median(s.samples);
      const gflops = c.flops / (ms * 1e6);
      return {
        key: c.key,
        label: c.label,
        kind: c.kind as 'modelc' | 'peer',
        msPerCall: ms,
        gflops,
        fractionOfCeiling: gflops / ceiling.gflops,
        samples: s.samples.length,
        spreadMs: spread(s.samples),
        calls: s.calls,
        maxAbsDiff: diffs.get(c.key)!,
        ...(allocations.has(c.key) ? { heapBytesPerCall: allocations.get(c.key)!.bytesPerCall, heapCalls: allocations.get(c.key)!.calls, heapWindows: allocations.get(c.key)!.windows } : {}),
        ...(c.notes ? { notes: c.notes } : {}),
      };
    });
    const ratios: Record<string, Record<string, number>> = {};
    for (const a of cells) {
      ratios[a.key] = {};
      for (const b of cells) ratios[a.key]![b.key] = b.msPerCall / a.msPerCall; // > 1: a is faster than b
    }
    sizes.push({ size, flops: flops(size), cells, refused, ceiling: { best: ceiling.name, gflops: ceiling.gflops, kernels: ceilingCells, ...(simd ? { simdGflops: simd.gflops } : {}) }, ratios, moduleBytes: prepared.moduleBytes, seconds: (performance.now() - t0) / 1000, loadAverage: loadavg()[0]! });
    log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  log('module sizes and compile speed');
  const extra = SIZES.map((s) => {
    const r = compile(specText(s, false), `bench/${s.id}.yaml`);
    return { name: `bench size ${s.id} (in memory)`, text: r.output!.text };
  });
  const dense = compile(denseChainSpec(200), 'bench/chain_dense.yaml');
  if (dense.output) extra.push({ name: 'synthetic 200 × Dense(32)', text: dense.output.text });
  const { modules, tfjs } = await moduleSizes(root, extra);
  const compiles = compileTimings(root, quick ? 3 : 7, quick ? 1 : 3);
  log('size IMDB: Embedding(20000, 128) -> LSTM(128) -> Dense(1), modelc-js and modelc-wasm');
  const imdbResult = await imdb(random, quick);

  const report: Report = {
    machine: machine(),
    flopFormula: FLOP_FORMULA,
    tolerance: TOLERANCE,
    quick,
    sizes,
    modules,
    tfjs,
    compiles,
    seconds: (performance.now() - started) / 1000,
    loadAverage: { start: loadStart, end: loadavg()[0]! },
  };
  const built = buildPart(random);
  const markdown = `${renderMarkdown(report)}\n${renderImdb(imdbResult)}\n${built.markdown}`;
  process.stdout.write(markdown);
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  // a quick or partial run does not replace the record
  const name = quick || only ? 'partial' : 'latest';
  writeFileSync(join(out, `${name}.md`), markdown);
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ ...report, imdb: imdbResult, build: built.rows }, null, 2) + '\n');
  log(`wrote bench/results/${name}.md and ${name}.json in ${report.seconds.toFixed(0)} s`);
  process.exit(0); // onnxruntime-web and tfjs-wasm keep handles open
}

await main();
