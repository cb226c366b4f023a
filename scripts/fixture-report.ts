// Prints the largest absolute difference between modelc and Keras for every case in
// test/fixtures/keras (the numbers the closing notes quote): `npx tsx scripts/fixture-report.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { compile } from '../src/compile.ts';
import { loadGeneratedModule } from '../src/load-module.ts';
const dir = 'test/fixtures/keras';
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v === true ? 1 : v === false ? 0 : (v as number)]);
const rows: [string, number][] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && !['activations.json', 'summaries.json'].includes(f)).sort()) {
  const fx = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const r = compile(JSON.stringify(fx.spec), f);
  if (!r.output) { rows.push([fx.case, NaN]); continue; }
  const mod = await loadGeneratedModule(r.output.text);
  const model = new mod.Model(mod.loadWeights(fx.weights));
  let worst = 0;
  const calls = fx.calls ?? [{ inputs: fx.inputs, outputs: fx.outputs }];
  for (const call of calls) {
    if (call === 'reset_states') { model.resetStates!(); continue; }
    const inputs = Object.fromEntries(Object.entries(call.inputs).map(([n, v]) => { const dt = fx.spec.inputs[n].dtype ?? 'float32'; return [n, dt === 'int32' ? Int32Array.from(flat(v)) : dt === 'bool' ? Uint8Array.from(flat(v)) : Float32Array.from(flat(v))]; }));
    const out = model.predict(inputs, { batch: (Object.values(call.inputs)[0] as unknown[]).length });
    for (const [n, e] of Object.entries(call.outputs)) { const a = out[n]!; flat(e).forEach((x, i) => (worst = Math.max(worst, Math.abs(a[i]! - x)))); }
  }
  rows.push([fx.case, worst]);
}
for (const [c, w] of rows) console.log(c.padEnd(48), w.toExponential(1));
