// Where the generated forward pass spends its time: a V8 CPU profile (node:inspector, 50 µs
// sampling) of Model.predict at sizes S, M and L, with the samples of the generated module
// attributed to its source lines. The module is transpiled to a file so the lines are readable.
//   npx tsx bench/experiments/profile.ts [S,M,L]
import { Session } from 'node:inspector/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { compile } from '../../src/compile.js';
import { rng, SIZES, specText } from '../lib/sizes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

const wanted = (process.argv[2] ?? 'XS,S,M,L').split(',');
const dir = mkdtempSync(join(tmpdir(), 'modelc-profile-'));
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });

for (const size of SIZES.filter((s) => wanted.includes(s.id))) {
  const text = compile(specText(size, false), `${size.id}.yaml`).output!.text;
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = join(dir, `${size.id}.mjs`);
  writeFileSync(file, js);
  const url = pathToFileURL(file).href;
  const mod = await import(url);
  const model = new mod.Model(mod.initWeights(1));
  const random = rng(1);
  const inputs = { x: new Float32Array(size.B * size.T * size.F).map(() => random()) };
  const budget = size.id === 'L' ? 5000 : 1500;
  for (let t0 = performance.now(); performance.now() - t0 < budget / 3; ) model.predict(inputs);
  await session.post('Profiler.start');
  let calls = 0;
  for (let t0 = performance.now(); performance.now() - t0 < budget; calls++) model.predict(inputs);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[] } };
  const lines = js.split('\n');
  const byLine = new Map<string, number>();
  let total = 0;
  let inModule = 0;
  for (const node of profile.nodes) {
    total += node.hitCount;
    const name = node.callFrame.url === url ? node.callFrame.functionName || '(module)' : `${node.callFrame.functionName || node.callFrame.url || '?'} [outside]`;
    if (node.callFrame.url !== url) {
      byLine.set(name, (byLine.get(name) ?? 0) + node.hitCount);
      continue;
    }
    inModule += node.hitCount;
    const ticks = node.positionTicks ?? [];
    let attributed = 0;
    for (const p of ticks) {
      const key = `${name}:${p.line} ${lines[p.line - 1]!.trim()}`;
      byLine.set(key, (byLine.get(key) ?? 0) + p.ticks);
      attributed += p.ticks;
    }
    if (node.hitCount > attributed) byLine.set(`${name} (no line)`, (byLine.get(`${name} (no line)`) ?? 0) + node.hitCount - attributed);
  }
  console.log(`\n== ${size.id} (B${size.B} T${size.T} F${size.F} U${size.U}): ${calls} calls, ${total} samples, ${((100 * inModule) / total).toFixed(0)}% in the generated module`);
  for (const [key, ticks] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`${((100 * ticks) / total).toFixed(1).padStart(5)}%  ${key}`);
}
session.disconnect();
