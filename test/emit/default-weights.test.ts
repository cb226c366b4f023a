// A spec's `weights` file is checked at compile time and embedded: the generated defaultWeights()
// returns exactly its numbers, and a Model built without weights runs with them. Without a file,
// defaultWeights() is initWeights() from the spec's seed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../src/commands/load.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';

const host = (cwd: string) => ({ stdout: () => {}, stderr: () => {}, cwd, color: false });

describe('defaultWeights', () => {
  it('embeds the spec\'s weights file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-weights-'));
    const file = { dense: { kernel: [[0.5, -1.25], [2, 0.125]], bias: [0.1, -0.2] } };
    writeFileSync(join(dir, 'w.json'), JSON.stringify(file));
    writeFileSync(join(dir, 'm.yaml'), 'name: m\nweights: w.json\ninputs:\n  x: { shape: [2] }\nlayers:\n  - type: Dense\n    units: 2\n');
    const { result } = compileFile(host(dir), 'm.yaml');
    expect(result.diagnostics).toEqual([]);
    const mod = await loadGeneratedModule(result.output!.text);
    const w = mod.defaultWeights() as { dense: { kernel: Float32Array; bias: Float32Array } };
    expect(Array.from(w.dense.kernel)).toEqual([0.5, -1.25, 2, 0.125]);
    expect(Array.from(w.dense.bias)).toEqual([0.1, -0.2].map(Math.fround));
    // x = [1, 1]: [0.5 + 2 + 0.1, -1.25 + 0.125 - 0.2]
    const out = new mod.Model().predict({ x: Float32Array.of(1, 1) });
    expect(Array.from(out.dense!)).toEqual([2.6, -1.325].map(Math.fround));
  });

  it('is initWeights() when the spec names no file', async () => {
    const { result } = compileFile(host(process.cwd()), 'models/seed_lstm.yaml');
    const mod = await loadGeneratedModule(result.output!.text);
    const a = mod.defaultWeights() as Record<string, Record<string, Float32Array>>;
    const b = mod.initWeights() as Record<string, Record<string, Float32Array>>;
    expect(Array.from(a.lstm!.kernel!)).toEqual(Array.from(b.lstm!.kernel!));
  });
});
