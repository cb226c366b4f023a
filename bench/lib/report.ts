// The markdown report (stdout and bench/results/latest.md) and the shape of latest.json.
import type { Machine } from './machine.js';
import type { CompileTiming, ModuleSize } from './module-sizes.js';
import type { Size } from './sizes.js';

export interface CellResult {
  readonly key: string;
  readonly label: string;
  readonly kind: 'modelc' | 'peer';
  readonly msPerCall: number;
  readonly gflops: number;
  readonly fractionOfCeiling: number;
  readonly samples: number;
  /** ms per call: min, 25th percentile, median, 75th percentile, max of the samples. */
  readonly spreadMs: [number, number, number, number, number];
  readonly calls: number;
  readonly maxAbsDiff: number;
  readonly heapBytesPerCall?: number;
  readonly heapCalls?: number;
  /** Bytes per call in each measuring window (the cell shows the least). */
  readonly heapWindows?: number[];
  readonly notes?: string;
}

export interface SizeResult {
  readonly size: Size;
  readonly flops: number;
  readonly cells: CellResult[];
  readonly refused: { key: string; label: string; reason: string }[];
  readonly ceiling: { best: string; gflops: number; kernels: { name: string; msPerCall: number; gflops: number; samples: number }[]; simdGflops?: number };
  /** ratios[a][b] = time of b / time of a: how many times a is faster than b. */
  readonly ratios: Record<string, Record<string, number>>;
  readonly moduleBytes: { looped: number; unrolled?: number };
  readonly seconds: number;
  /** 1-minute load average when this size finished (other processes share the cores). */
  readonly loadAverage: number;
}

export interface Report {
  readonly machine: Machine;
  readonly flopFormula: string;
  readonly tolerance: number;
  readonly quick: boolean;
  readonly sizes: SizeResult[];
  readonly modules: ModuleSize[];
  readonly tfjs: ModuleSize | undefined;
  readonly compiles: CompileTiming[];
  readonly seconds: number;
  /** 1-minute load average at the start and at the end of the run. */
  readonly loadAverage: { start: number; end: number };
}

export function formatTime(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 10) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const kb = (b: number) => (b < 1024 ? `${b} B` : b < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${(b / 1024 / 1024).toFixed(2)} MiB`);
const ratio = (r: number) => (r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
const bytes = (b: number | undefined) => (b === undefined ? '–' : b < 1 ? '0' : b < 10 * 1024 ? `${b.toFixed(0)} B` : kb(b));

interface Target {
  readonly target: string;
  readonly met: boolean | undefined;
  readonly numbers: string;
}

function cell(s: SizeResult | undefined, key: string): CellResult | undefined {
  return s?.cells.find((c) => c.key === key);
}

export function targets(r: Report): Target[] {
  const by = (id: string) => r.sizes.find((s) => s.size.id === id);
  const out: Target[] = [];
  for (const id of ['S', 'M', 'L']) {
    const s = by(id);
    const m = cell(s, 'modelc');
    if (!s || !m) continue;
    out.push({
      target: `${id}: modelc ≥ 70% of the scalar ceiling`,
      met: m.fractionOfCeiling >= 0.7,
      numbers: `${(m.fractionOfCeiling * 100).toFixed(0)}% (${m.gflops.toFixed(2)} of ${s.ceiling.gflops.toFixed(2)} GFLOP/s, ${s.ceiling.best})`,
    });
  }
  const faster = (id: string, peer: string, key = 'modelc') => {
    const s = by(id);
    const m = cell(s, key);
    const p = cell(s, peer);
    if (!s || !m) return;
    if (!p) {
      out.push({ target: `${id}: modelc faster than ${peer}`, met: undefined, numbers: s.refused.find((x) => x.key === peer)?.reason ?? 'not measured' });
      return;
    }
    out.push({ target: `${id}: ${key === 'modelc' ? 'modelc' : m.label} faster than ${p.label}`, met: m.msPerCall < p.msPerCall, numbers: `${formatTime(m.msPerCall)} vs ${formatTime(p.msPerCall)} (${ratio(p.msPerCall / m.msPerCall)})` });
  };
  // The WebAssembly engine (issue 10): faster than onnxruntime-web and tfjs wasm everywhere, than onnxruntime-node 1 thread at XS and S.
  for (const id of ['XS', 'S', 'M', 'L']) for (const peer of ['ort-web', 'tfjs-wasm', 'ort-node-1t']) faster(id, peer, id === 'XS' && cell(by(id), 'modelc-wasm-step') ? 'modelc-wasm-step' : 'modelc-wasm');
  const l = by('L');
  const lw = cell(l, 'modelc-wasm');
  if (l && lw && l.ceiling.simdGflops !== undefined)
    out.push({ target: 'L: modelc-wasm ≥ 50% of the wasm SIMD ceiling', met: lw.gflops / l.ceiling.simdGflops >= 0.5, numbers: `${((lw.gflops / l.ceiling.simdGflops) * 100).toFixed(0)}% (${lw.gflops.toFixed(2)} of ${l.ceiling.simdGflops.toFixed(2)} GFLOP/s)` });
  faster('XS', 'ort-node-1t');
  faster('XS', 'ort-node-2t');
  for (const id of ['XS', 'S', 'M']) for (const peer of ['tfjs-cpu', 'tfjs-wasm', 'ort-web']) faster(id, peer);
  const s = by('S');
  const m = cell(s, 'modelc');
  const t = cell(s, 'tfjs-cpu');
  if (m && t) out.push({ target: 'S: modelc ≥ 20× faster than tfjs cpu', met: t.msPerCall / m.msPerCall >= 20, numbers: ratio(t.msPerCall / m.msPerCall) });
  const heap = r.sizes.flatMap((x) => x.cells.filter((c) => c.kind === 'modelc' && c.heapBytesPerCall !== undefined).map((c) => ({ id: x.size.id, c })));
  for (const key of [...new Set(heap.map((h) => h.c.key))]) {
    const cells = heap.filter((h) => h.c.key === key);
    out.push({
      target: `no heap allocation per call in steady state: ${cells[0]!.c.label}`,
      met: cells.every((h) => h.c.heapBytesPerCall! < 1),
      numbers: cells
        .map((h) => `${h.id}: ${bytes(h.c.heapBytesPerCall)}/call (${h.c.heapWindows!.length} windows of ${h.c.heapCalls} call${h.c.heapCalls === 1 ? '' : 's'}: ${h.c.heapWindows!.map((w) => bytes(w)).join(', ')})`)
        .join('; '),
    });
  }
  return out;
}

export function renderMarkdown(r: Report): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push('# modelc benchmark: LSTM → Dense, identical weights, one process');
  lines.push('');
  lines.push(`Machine: ${m.cpu}${m.cpuFamily ? ` (${m.cpuFamily})` : ''}, ${m.cores} cores, Node ${m.node} (V8 ${m.v8}), ${m.platform}, ${m.date}${r.quick ? ' — QUICK run (BENCH_QUICK=1), not for the record' : ''}.`);
  // the bench itself keeps about one core busy (two with onnxruntime's second thread)
  const busy = Math.max(r.loadAverage.end, ...r.sizes.map((s) => s.loadAverage)) > m.cores + 0.5;
  lines.push('');
  lines.push(
    `Load average (1 min): ${r.loadAverage.start.toFixed(2)} at the start, ${r.sizes.map((s) => `${s.loadAverage.toFixed(2)} after ${s.size.id}`).join(', ')}, ${r.loadAverage.end.toFixed(2)} at the end` +
      ' (the bench itself accounts for about 1)' + (busy ? ' — **other processes were running: absolute times are inflated; ratios within a size hold better, as every slot interleaves**.' : '.'),
  );
  lines.push('');
  lines.push(
    `Every size is Keras \`LSTM(U)\` (tanh, sigmoid gates) followed by \`Dense(10)\` on the last hidden state. ${r.flopFormula}. ` +
      `Time: median over interleaved slots (every round visits every contestant, rotated order). ` +
      `"% ceil." is GFLOP/s over the best scalar kernel timed in the same rounds. "vs modelc": the peer's time over modelc looped's (> 1: modelc is faster). ` +
      `Heap: V8 heap bytes allocated per call in steady state (GC profiler, see bench/README.md). Every contestant agreed with modelc within ${r.tolerance} before it was timed.`,
  );
  lines.push('');
  lines.push('| size | contestant | time / call | GFLOP/s | % ceil. | vs modelc | heap / call |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const s of r.sizes) {
    const z = s.size;
    const ref = cell(s, 'modelc');
    const head = `**${z.id}** B${z.B} T${z.T} F${z.F} U${z.U}`;
    s.cells.forEach((c, i) => {
      lines.push(
        `| ${i === 0 ? head : ''} | ${c.label} | ${formatTime(c.msPerCall)} | ${c.gflops.toFixed(c.gflops < 0.1 ? 3 : 2)} | ${(c.fractionOfCeiling * 100).toFixed(c.fractionOfCeiling < 0.1 ? 1 : 0)}% | ${ref ? ratio(c.msPerCall / ref.msPerCall) : '–'} | ${bytes(c.heapBytesPerCall)} |`,
      );
    });
    lines.push(`| | *scalar ceiling (${s.ceiling.best})* | | ${s.ceiling.gflops.toFixed(2)} | 100% | | |`);
    if (s.ceiling.simdGflops !== undefined) {
      const w = cell(s, 'modelc-wasm');
      lines.push(`| | *wasm SIMD ceiling (wasm-simd-4x8)* | | ${s.ceiling.simdGflops.toFixed(2)} | ${w ? `modelc-wasm: ${((w.gflops / s.ceiling.simdGflops) * 100).toFixed(0)}% of it` : ''} | | |`);
    }
    for (const x of s.refused) lines.push(`| | ~~${x.label}~~ | refused: ${x.reason} | | | | |`);
  }
  lines.push('');
  lines.push('Ceiling kernels (GFLOP/s, median in each size\'s rounds; the scalar ceiling is the best scalar one, wasm-simd-4x8 the wasm SIMD ceiling):');
  lines.push('');
  const names = r.sizes[0]?.ceiling.kernels.map((k) => k.name) ?? [];
  lines.push(`| kernel | ${r.sizes.map((s) => s.size.id).join(' | ')} |`);
  lines.push(`| --- | ${r.sizes.map(() => '---:').join(' | ')} |`);
  for (const n of names) lines.push(`| ${n} | ${r.sizes.map((s) => s.ceiling.kernels.find((k) => k.name === n)!.gflops.toFixed(2)).join(' | ')} |`);
  lines.push('');
  lines.push('## Targets (issue 5)');
  lines.push('');
  lines.push('| target | met | measured |');
  lines.push('| --- | :---: | --- |');
  for (const t of targets(r)) lines.push(`| ${t.target} | ${t.met === undefined ? '?' : t.met ? 'yes' : '**no**'} | ${t.numbers} |`);
  lines.push('');
  lines.push('## Ratios (row is × faster than column; time of column / time of row)');
  for (const s of r.sizes) {
    lines.push('');
    lines.push(`**${s.size.id}**`);
    lines.push('');
    lines.push(`| | ${s.cells.map((c) => c.label).join(' | ')} |`);
    lines.push(`| --- | ${s.cells.map(() => '---:').join(' | ')} |`);
    for (const a of s.cells) lines.push(`| ${a.label} | ${s.cells.map((b) => (a.key === b.key ? '' : ratio(s.ratios[a.key]![b.key]!))).join(' | ')} |`);
  }
  lines.push('');
  lines.push('## Generated module sizes');
  lines.push('');
  lines.push('| spec | TypeScript | minified (esbuild) | minified + gzip -9 |');
  lines.push('| --- | ---: | ---: | ---: |');
  for (const x of r.modules) lines.push(`| ${x.spec} | ${kb(x.raw)} | ${kb(x.minified)} | ${kb(x.gzipped)} |`);
  if (r.tfjs) lines.push(`| *${r.tfjs.spec}* | | ${kb(r.tfjs.minified)} | ${kb(r.tfjs.gzipped)} |`);
  lines.push('');
  lines.push('## Compile speed');
  lines.push('');
  lines.push('| input | specs | layers | compile() in-process, median | the `modelc` command (new process, dist/), median | generated |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of r.compiles) {
    const inProcess = c.runs > 0 && c.inProcessMs !== null && Number.isFinite(c.inProcessMs) ? `${c.inProcessMs.toFixed(1)} ms (${c.runs} run${c.runs === 1 ? '' : 's'})` : '–';
    lines.push(`| ${c.what} | ${c.specs} | ${c.layers || '–'} | ${inProcess} | ${c.cliMs !== undefined ? `${c.cliMs.toFixed(0)} ms (${c.cliRuns} run${c.cliRuns === 1 ? '' : 's'})` : 'dist/ not built'} | ${c.generatedBytes ? kb(c.generatedBytes) : '–'} |`);
  }
  lines.push('');
  const notes = r.sizes.flatMap((s) => s.cells.filter((c) => c.notes).map((c) => `${c.label}: ${c.notes}`));
  if (notes.length > 0) {
    lines.push('Notes: ' + [...new Set(notes)].join('; ') + '.');
    lines.push('');
  }
  lines.push(`Whole run: ${r.seconds.toFixed(0)} s.`);
  lines.push('');
  return lines.join('\n');
}
