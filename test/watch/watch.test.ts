// `modelc build --watch` and `check --watch`, driven through real file changes: the binary is
// spawned in a temporary folder, files are changed, added, removed and renamed there, and its
// output is read as it comes. Each step waits for the next "Watching for file changes." line
// (generous timeouts: the machine may be loaded), then checks that one save made one run.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const binary = resolve('bin/modelc.js');
const WAIT = 30_000;
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A spawned `modelc ... --watch`, with its output so far and a way to wait for the n-th run. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [binary, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let output = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const runs = () => output.split('Watching for file changes.').length - 1;
  return {
    child,
    exited,
    get output() {
      return output;
    },
    runs,
    /** Wait until `n` runs have finished; returns the output of the last one. */
    async until(n: number): Promise<string> {
      const deadline = Date.now() + WAIT;
      while (runs() < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for run ${n}; output so far:\n${output}`);
        if (child.exitCode !== null) throw new Error(`modelc exited ${child.exitCode} before run ${n}:\n${output}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 250);
        });
      }
      const parts = output.split('Watching for file changes.');
      return parts[n - 1]! + 'Watching for file changes.';
    },
  };
}

const settle = (ms = 800) => new Promise((wake) => setTimeout(wake, ms));

const spec = (units: number, extra = '', weightsPath = 'w.json') => `name: tiny\ninputs:\n  x: { shape: [3] }\nweights: ${weightsPath}\nlayers:\n  - name: dense\n    type: Dense\n    units: ${units}\n${extra}`;
const weights = (bias: number) => JSON.stringify({ dense: { kernel: [[1, 0], [0, 1], [1, 1]], bias: [bias, 0] } });
/** The module embeds those weights as base64 of little-endian float32, kernel then bias. */
const embedded = (bias: number) => Buffer.from(Float32Array.of(1, 0, 0, 1, 1, 1, bias, 0).buffer).toString('base64');

describe('modelc build --watch', () => {
  it('rebuilds once per save of a spec or its weights (changed, added, removed, renamed), keeps earlier output on errors, stops on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-watch-'));
    mkdirSync(join(dir, 'specs', 'weights'), { recursive: true });
    writeFileSync(join(dir, 'specs', 'a.yaml'), spec(2, '', 'weights/w.json'));
    writeFileSync(join(dir, 'specs', 'weights', 'w.json'), weights(0.5));
    const w = start(['build', 'specs', '--out', 'gen', '--watch'], dir);
    const generated = () => readFileSync(join(dir, 'gen', 'tiny.ts'), 'utf8');

    let out = await w.until(1);
    expect(out).toMatch(/^\d\d:\d\d:\d\d - Starting compilation in watch mode\.\.\.$/m);
    expect(out).toMatch(/^\d\d:\d\d:\d\d - Found 0 errors\. Watching for file changes\.$/m);
    expect(generated()).toContain(embedded(0.5));

    // The weights file (in a folder of its own, so not taken for a spec) changes: the embedded weights follow.
    writeFileSync(join(dir, 'specs', 'weights', 'w.json'), weights(0.25));
    out = await w.until(2);
    expect(out).toMatch(/File change detected \(specs\/weights\/w\.json\)\. Starting incremental compilation\.\.\./);
    expect(out).toContain('Found 0 errors.');
    expect(generated()).toContain(embedded(0.25));
    const good = generated();

    // A mistake: diagnostics, "Found 1 error.", and the earlier module stays as it was.
    writeFileSync(join(dir, 'specs', 'a.yaml'), spec(2, '    return_sequence: true\n', 'weights/w.json'));
    out = await w.until(3);
    expect(out).toContain('specs/a.yaml:9:5 - error MC2002');
    expect(out).toContain('Nothing was written.');
    expect(out).toMatch(/Found 1 error\. Watching for file changes\.$/);
    expect(generated()).toBe(good);

    // Fixed by an editor's save-by-rename (write a temporary file, rename it over the spec).
    writeFileSync(join(dir, 'specs', '.a.yaml.swp'), spec(2, '', 'weights/w.json'));
    renameSync(join(dir, 'specs', '.a.yaml.swp'), join(dir, 'specs', 'a.yaml'));
    out = await w.until(4);
    expect(out).toContain('Found 0 errors.');

    // A spec added to the folder is built; removing it runs again.
    writeFileSync(join(dir, 'specs', 'b.yaml'), spec(2, '', 'weights/w.json').replace('name: tiny', 'name: other'));
    out = await w.until(5);
    expect(out).toContain('specs/b.yaml -> gen/other.ts');
    rmSync(join(dir, 'specs', 'b.yaml'));
    out = await w.until(6);
    expect(out).toContain('(specs/b.yaml)');
    expect(out).not.toContain('specs/b.yaml ->');

    // The weights file renamed away: the spec's weights are missing; renamed back: fine again.
    renameSync(join(dir, 'specs', 'weights', 'w.json'), join(dir, 'specs', 'weights', 'w.moved'));
    out = await w.until(7);
    expect(out).toContain('error MC5001');
    renameSync(join(dir, 'specs', 'weights', 'w.moved'), join(dir, 'specs', 'weights', 'w.json'));
    out = await w.until(8);
    expect(out).toContain('Found 0 errors.');

    // A file nobody reads changes: no run.
    writeFileSync(join(dir, 'specs', 'notes.txt'), 'hello');
    writeFileSync(join(dir, 'gen', 'extra.yaml.ts'), '');
    await settle();
    // Each save made exactly one run (8 so far), and nothing ran since.
    expect(w.runs()).toBe(8);
    expect(w.output.split('File change detected').length - 1).toBe(7);

    w.child.kill('SIGINT');
    expect(await w.exited).toBe(0);
    expect(readdirSync(join(dir, 'gen')).filter((f) => f.startsWith('.modelc-'))).toEqual([]);
    expect(w.output).not.toMatch(/internal error|\n\s+at /);
  }, 180_000);
});

describe('modelc check --watch', () => {
  it('checks a named spec again when it changes, prints "Found N errors", stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-watch-check-'));
    writeFileSync(join(dir, 'm.yaml'), spec(2));
    writeFileSync(join(dir, 'w.json'), weights(1));
    const w = start(['check', 'm.yaml', '--watch'], dir);
    expect(await w.until(1)).toContain('Found 0 errors. Watching for file changes.');
    writeFileSync(join(dir, 'm.yaml'), spec(2, '    units: 3\n'));
    const out = await w.until(2);
    expect(out).toContain('m.yaml:9:5 - error');
    expect(out).toContain('Found 1 error. Watching for file changes.');
    // The weights file does not fit the spec any more (units 4): a weights error.
    writeFileSync(join(dir, 'm.yaml'), spec(4));
    expect(await w.until(3)).toContain('error MC5');
    await settle();
    expect(w.runs()).toBe(3);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  }, 120_000);

  it('refuses --watch with --format json (exit 2)', async () => {
    const w = start(['check', 'models/seed_lstm.yaml', '--watch', '--format', 'json'], process.cwd());
    expect(await w.exited).toBe(2);
    expect(w.output).toContain('--watch prints text');
  }, 30_000);
});
