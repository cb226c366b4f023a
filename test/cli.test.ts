// The command line, in-process through main() with a recording host, and once as the real
// `modelc` binary: commands, output formats, exit codes (0 ok, 1 errors, 2 usage), and a failed
// build that leaves earlier output untouched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';

async function cli(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, color: false });
  return { code, stdout, stderr };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'modelc-cli-'));
}

describe('modelc check', () => {
  it('exits 0 on valid specs', async () => {
    const r = await cli(['check', 'models/seed_lstm.yaml', 'models/seed_lstm_state.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 specs checked: no errors.');
  });

  it('reports the tutorial mistake with location, spec line, note and hint, and exits 1', async () => {
    const r = await cli(['check', 'models/errors/time_distributed_2d.yaml']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^models\/errors\/time_distributed_2d\.yaml:12:5 - error MC4002: TimeDistributed layer "head" .*Received: a 2-D input of shape \(32, 20\)\.$/);
    expect(r.stdout).toContain('12   - name: head');
    expect(r.stdout).toMatch(/\n {7}~+\n/);
    expect(r.stdout).toContain('LSTM "lstm" is defined here');
    expect(r.stdout).toContain('hint: set `return_sequences: true` on LSTM "lstm"');
  });

  it('prints a JSON list with --format json', async () => {
    const r = await cli(['check', 'models/errors/time_distributed_2d.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: 'MC4002', severity: 'error', file: 'models/errors/time_distributed_2d.yaml', line: 12, column: 5 });
    expect(String(list[0]!.hint)).toContain('return_sequences: true');
  });

  it('reports every file of one run, and an unreadable file as MC1003', async () => {
    const r = await cli(['check', 'models/errors/time_distributed_2d.yaml', 'models/missing.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { code: string }[]).map((d) => d.code).sort()).toEqual(['MC1003', 'MC4002']);
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['check'])).code).toBe(2);
    expect((await cli(['frobnicate', 'x.yaml'])).code).toBe(2);
    expect((await cli(['check', 'models/seed_lstm.yaml', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['check', 'models/seed_lstm.yaml', '--out', 'x'])).code).toBe(2);
    expect((await cli(['run', 'models/seed_lstm.yaml'])).code).toBe(2);
    expect((await cli(['summary', 'a.yaml', 'b.yaml'])).code).toBe(2);
  });
});

describe('modelc build', () => {
  it('compiles a folder into --out, one module per spec, identical to generated/', async () => {
    const out = scratch();
    const r = await cli(['build', 'models', '--out', out]);
    expect(r.code).toBe(0);
    const written = readdirSync(out).sort();
    expect(written).toEqual(readdirSync('generated').filter((f) => f.endsWith('.ts')).sort());
    for (const f of written) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join('generated', f), 'utf8'));
  });

  it('writes nothing when any spec fails, and leaves earlier output untouched', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'specs'));
    copyFileSync('models/seed_lstm.yaml', join(dir, 'specs', 'a.yaml'));
    expect((await cli(['build', 'specs', '--out', 'out'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'out', 'seed_lstm.ts'), 'utf8');
    // Break the spec and add a second one: neither may be written.
    writeFileSync(join(dir, 'specs', 'a.yaml'), readFileSync('models/seed_lstm.yaml', 'utf8').replace('units: 20', 'units: 20\n    return_sequence: true'));
    copyFileSync('models/seed_lstm_dense.yaml', join(dir, 'specs', 'b.yaml'));
    const r = await cli(['build', 'specs', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MC2002');
    expect(r.stderr).toContain('Nothing was written.');
    expect(readdirSync(join(dir, 'out'))).toEqual(['seed_lstm.ts']);
    expect(readFileSync(join(dir, 'out', 'seed_lstm.ts'), 'utf8')).toBe(before);
  });
});

describe('modelc summary', () => {
  it('prints a Keras-like table', async () => {
    const r = await cli(['summary', 'models/seed_lstm_state.yaml']);
    expect(r.code).toBe(0);
    // A chain: Keras prints no "Connected to" column for it.
    expect(r.stdout).toMatch(/lstm \(LSTM\)\s+\(32, 25, 20\), \(32, 20\), \(32, 20\)\s+1,760\n/);
    expect(r.stdout).toMatch(/head \(TimeDistributed\)\s+\(32, 25, 10\)\s+210\n/);
    expect(r.stdout).not.toContain('Connected to');
    expect(r.stdout).toContain('Total params: 1,970');
  });

  it('prints Keras\'s "Connected to" column for a graph: layer[call][tensor], a shared layer once', async () => {
    const r = await cli(['summary', 'models/siamese_lstm.yaml']);
    expect(r.stdout).toMatch(/encoder \(LSTM\)\s+\(batch, 32\)\s+8,320\s+embed\[0\]\[0\], embed\[1\]\[0\]\n/);
    expect(r.stdout).toMatch(/features \(Concatenate\)\s+\(batch, 96\)\s+0\s+encoder\[0\]\[0\], encoder\[1\]\[0\], difference\[0\]\[0\]\n/);
    expect(r.stdout).not.toContain('encoder_b');
    const decoder = await cli(['summary', 'models/encoder_decoder.yaml']);
    expect(decoder.stdout).toMatch(/decoder \(LSTM\)\s+\S.*future\[0\]\[0\], encoder\[0\]\[1\], encoder\[0\]\[2\]\n/);
    expect(r.stdout).toContain('Total params: 168,417');
  });

  it('prints JSON with null for the unknown batch', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.yaml'), 'name: m\ninputs:\n  x: { shape: [25, 1] }\nlayers:\n  - type: LSTM\n    units: 20\n    return_sequences: true\n    return_state: true\n  - type: Dense\n    units: 10\n    input: lstm\n');
    const r = await cli(['summary', 'm.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    // LSTM: 4·(units·(features + units) + units) = 4·(20·21 + 20) = 1760; Dense: 20·10 + 10 = 210.
    expect(JSON.parse(r.stdout)).toEqual({
      layers: [
        { name: 'lstm', type: 'LSTM', output_shape: [[null, 25, 20], [null, 20], [null, 20]], params: 1760, connected_to: ['x[0][0]'] },
        { name: 'dense', type: 'Dense', output_shape: [null, 25, 10], params: 210, connected_to: ['lstm[0][0]'] },
      ],
      total_params: 1970,
    });
  });
});

describe('modelc run', () => {
  it('runs a spec on nested-array inputs with a weights file, and a list of calls', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.yaml'), 'name: m\ninputs:\n  x: { shape: [2, 1] }\nlayers:\n  - type: Dense\n    units: 2\n    activation: relu\n');
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ dense: { kernel: [[1, -1]], bias: [0.5, 0] } }));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: [[[1], [2]]] }));
    const r = await cli(['run', 'm.yaml', '--input', 'in.json', '--weights', 'w.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // relu(x·[1, -1] + [0.5, 0]) per timestep: x=1 -> [1.5, 0]; x=2 -> [2.5, 0].
    expect(JSON.parse(r.stdout)).toEqual({ dense: [[[1.5, 0], [2.5, 0]]] });
    writeFileSync(join(dir, 'calls.json'), JSON.stringify([{ x: [[[1], [2]]] }, 'reset_states', { x: [[[0], [0]], [[-1], [1]]] }]));
    const r2 = await cli(['run', 'm.yaml', '--input', 'calls.json', '--weights', 'w.json', '--output', 'out.json'], dir);
    expect(r2.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual([{ dense: [[[1.5, 0], [2.5, 0]]] }, null, { dense: [[[0.5, 0], [0.5, 0]], [[0, 1], [1.5, 0]]] }]);
  });

  it('exits 1 with a clear message on inputs or weights that do not fit', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.yaml'), 'name: m\ninputs:\n  x: { shape: [2, 1] }\nlayers:\n  - type: Dense\n    units: 2\n');
    writeFileSync(join(dir, 'bad-in.json'), JSON.stringify({ x: [[[1], [2], [3]]] }));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: [[[1], [2]]] }));
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ dense: { kernel: [[1, -1, 0]], bias: [0.5, 0] } }));
    const badInput = await cli(['run', 'm.yaml', '--input', 'bad-in.json'], dir);
    expect(badInput.code).toBe(1);
    expect(badInput.stderr).toContain('x[0] must be a list of 2');
    const badWeights = await cli(['run', 'm.yaml', '--input', 'in.json', '--weights', 'w.json'], dir);
    expect(badWeights.code).toBe(1);
    expect(badWeights.stderr).toContain('weights.dense.kernel[0] must be an array of 2');
  });
});

describe('the modelc binary', () => {
  it('runs as `modelc` with the same exit codes', () => {
    const ok = spawnSync(process.execPath, ['bin/modelc.js', 'check', 'models/seed_lstm.yaml'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, ['bin/modelc.js', 'check', 'models/errors/time_distributed_2d.yaml'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('error MC4002');
    expect(bad.stdout).not.toContain('\x1b[');
    expect(spawnSync(process.execPath, ['bin/modelc.js'], { encoding: 'utf8' }).status).toBe(2);
  }, 30_000); // three Node + TypeScript start-ups: over 5 s on a loaded 2-CPU machine
});
