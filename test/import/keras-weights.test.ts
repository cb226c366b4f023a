// A Keras file as a spec's weights, read by layer name (`weights: model.keras`, or a legacy
// `.h5`), and as `modelc run --weights`: the imported spec pointed at the Keras file itself gives
// Keras's outputs; a spec whose layers the file lacks, or of other shapes, is a compile-time
// error naming the layer and parameter.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, FIXTURES } from './helpers.ts';

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

async function runWithKerasWeights(fixture: string, how: 'spec' | 'flag'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-kw-'));
  const io = JSON.parse(readFileSync(join(FIXTURES, fixture.replace(/\.\w+$/, '.io.json')), 'utf8')) as { inputs: Record<string, unknown>; outputs: unknown[] };
  expect((await cli(['import', join(process.cwd(), FIXTURES, fixture), '--out', dir, '--name', 'model'], dir)).code).toBe(0);
  copyFileSync(join(FIXTURES, fixture), join(dir, fixture));
  const specPath = join(dir, 'model.yaml');
  const spec = readFileSync(specPath, 'utf8');
  if (how === 'spec') writeFileSync(specPath, spec.replace('weights: model.safetensors', `weights: ${fixture}`));
  const names = Object.keys((parse(spec) as { inputs: Record<string, unknown> }).inputs);
  writeFileSync(join(dir, 'in.json'), JSON.stringify(Object.fromEntries(names.map((n, i) => [n, Object.values(io.inputs)[i]]))));
  const run = await cli(['run', 'model.yaml', '--input', 'in.json', ...(how === 'flag' ? ['--weights', fixture] : [])], dir);
  expect(run.err).toBe('');
  const result = Object.values(JSON.parse(run.out) as Record<string, unknown>);
  return Math.max(...io.outputs.map((o, i) => flat(result[i]).reduce((m, v, j) => Math.max(m, Math.abs(v - flat(o)[j]!)), 0)));
}

describe('weights: a Keras file, read by layer name', () => {
  for (const fixture of ['bidirectional.keras', 'states.keras', 'two_inputs.keras', 'time_distributed.keras', 'attention.keras', 'bidirectional.h5', 'two_inputs.h5', 'attention.h5']) {
    it(`${fixture} in the spec's weights:`, async () => expect(await runWithKerasWeights(fixture, 'spec')).toBeLessThanOrEqual(1e-5), 30_000);
  }
  it('gru_reset_after.keras as run --weights', async () => expect(await runWithKerasWeights('gru_reset_after.keras', 'flag')).toBeLessThanOrEqual(1e-5), 30_000);

  it('a layer the file lacks, or of another shape, is MC5002 / MC5004 / MC5003 at the weights line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-kw-'));
    copyFileSync(join(FIXTURES, 'dense.keras'), join(dir, 'dense.keras'));
    writeFileSync(join(dir, 'x.yaml'), 'name: x\nweights: dense.keras\ninputs:\n  x: { shape: [4] }\nlayers:\n  - name: dense\n    type: Dense\n    units: 5\n  - name: other\n    type: Dense\n    units: 2\n');
    const check = await cli(['check', 'x.yaml'], dir);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/x\.yaml:2:10 - error MC5004: Tensor "dense\/kernel" of Dense layer "dense" in "dense.keras" has the wrong shape: expected \(4, 5\) .*found \(4, 3\)/);
    expect(check.out).toContain('error MC5002: The weights file "dense.keras" has no tensor "other/kernel" for Dense layer "other"');
  });

  it('a damaged Keras file is MC7012', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-kw-'));
    writeFileSync(join(dir, 'bad.keras'), readFileSync(join(FIXTURES, 'dense.keras')).subarray(0, 500));
    writeFileSync(join(dir, 'x.yaml'), 'name: x\nweights: bad.keras\ninputs:\n  x: { shape: [4] }\nlayers:\n  - name: dense\n    type: Dense\n    units: 3\n');
    const check = await cli(['check', 'x.yaml'], dir);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/error MC7012: The weights file "bad.keras" cannot be read as Keras weights: .*damaged or truncated zip/);
  });
});
