// Measures the variants of variants.ts against the generated module, interleaved like the bench,
// with the scalar ceiling kernels in the same rounds. Each variant must agree with the generated
// module (max |diff| ≤ 1e-5) unless marked inexact; heap bytes per call as in the bench.
//   npx tsx --expose-gc bench/experiments/run.ts [XS,S,M,L] [--write]   (--write: three S variants as whole modules to bench/experiments/out/)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../src/compile.js';
import { loadGeneratedModule } from '../../src/load-module.js';
import { measureAllocation } from '../lib/alloc.js';
import { ceilingKernels } from '../lib/ceiling.js';
import type { Contestant } from '../lib/contestants.js';
import { formatTime } from '../lib/report.js';
import { machine } from '../lib/machine.js';
import { flops, rng, SIZES, specText } from '../lib/sizes.js';
import { loadavg } from 'node:os';
import { interleave, median, warmUp, type Series } from '../lib/timing.js';
import { variants } from './variants.js';

const args = process.argv.slice(2);
const wanted = (args.find((a) => !a.startsWith('--')) ?? 'XS,S,M,L').split(',');
const write = args.includes('--write');
const here = dirname(fileURLToPath(import.meta.url));
const random = rng(99);
const kernels = ceilingKernels(random).filter((k) => k.name === 'axpy8' || k.name === 'gemm-4x8');
const ceilings: Contestant[] = kernels.map((k) => ({ key: `ceiling:${k.name}`, label: `ceiling ${k.name}`, kind: 'ceiling', flops: k.flops, isAsync: false, call: k.run }));

const m = machine();
console.log(`Machine: ${m.cpu} (${m.cpuFamily}), ${m.cores} cores, Node ${m.node}, ${m.date}; load average ${loadavg()[0]!.toFixed(2)} at the start.`);

for (const size of SIZES.filter((s) => wanted.includes(s.id))) {
  const base = compile(specText(size, false), `${size.id}.yaml`).output!.text;
  const unrolled = size.unrolled ? compile(specText(size, true), `${size.id}-unrolled.yaml`).output!.text : undefined;
  const list = variants(base, size, unrolled);
  if (write && size.id === 'S') {
    mkdirSync(join(here, 'out'), { recursive: true });
    for (const v of list.filter((x) => ['base', 'gemm4x4', 'gemm4x4 +proj table-exp'].includes(x.name))) writeFileSync(join(here, 'out', `S-${v.name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.ts`), v.text);
  }
  const x = new Float32Array(size.B * size.T * size.F).map(() => random());
  const inputs = { x };
  let weights: unknown;
  let expected: Float32Array | undefined;
  const contestants: Contestant[] = [];
  const diffs = new Map<string, number>();
  for (const v of list) {
    const mod = await loadGeneratedModule(v.text);
    weights ??= mod.initWeights(3);
    const model = new mod.Model(weights);
    const out = model.predict(inputs).head!.slice();
    expected ??= out;
    let d = 0;
    for (let i = 0; i < out.length; i++) d = Math.max(d, Math.abs(out[i]! - expected[i]!));
    diffs.set(v.name, d);
    if (v.exact && !(d <= 1e-5)) {
      console.log(`${size.id} ${v.name}: disagrees with the generated module (max |diff| ${d}); not timed`);
      continue;
    }
    contestants.push({ key: v.name, label: v.name, kind: 'modelc', flops: flops(size), isAsync: false, call: () => model.predict(inputs) });
  }
  const timed = [...contestants, ...ceilings];
  const series = new Map<string, Series>();
  for (const c of timed) series.set(c.key, await warmUp(c, 200, size.id === 'L' ? 1 : 3));
  await interleave(timed, series, size.id === 'L' ? 3 : 8, (c) => ({ slotMs: 60, maxSamples: series.get(c.key)!.estimate > 1000 ? 3 : Infinity }));
  const ceiling = Object.fromEntries(ceilings.map((c) => [c.key.slice(8), c.flops / (median(series.get(c.key)!.samples) * 1e6)]));
  const baseMs = median(series.get('base')!.samples);
  console.log(`\n### ${size.id}: B${size.B} T${size.T} F${size.F} U${size.U}; ceiling gemm-4x8 ${ceiling['gemm-4x8']!.toFixed(2)}, matrix-vector axpy8 ${ceiling['axpy8']!.toFixed(2)} GFLOP/s; load average ${loadavg()[0]!.toFixed(2)}\n`);
  console.log('| variant | time / call | GFLOP/s | % of gemm-4x8 ceiling | speed-up vs base | heap / call | max diff vs base |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of contestants) {
    const ms = median(series.get(c.key)!.samples);
    const gflops = c.flops / (ms * 1e6);
    const alloc = await measureAllocation(c, 200, 10000);
    console.log(
      `| ${c.label} | ${formatTime(ms)} | ${gflops.toFixed(2)} | ${((100 * gflops) / ceiling['gemm-4x8']!).toFixed(0)}% | ${(baseMs / ms).toFixed(2)}× | ${alloc.bytesPerCall < 1 ? '0' : `${alloc.bytesPerCall.toFixed(0)} B`} | ${diffs.get(c.key)!.toExponential(1)} |`,
    );
  }
}
process.exit(0);
