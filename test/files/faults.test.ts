// Builds that survive faults (issue 14), with the real `modelc` binary: SIGKILL at random moments
// of a 56-spec build (many iterations, bounded in time), a full disk (a 256 KiB tmpfs where the
// machine lets us mount one, and `ulimit -f` everywhere), concurrent builds into one folder, a
// directory where a module goes (long names: commit.test.ts). The invariant each time: the modules in the
// folder are all those of one build (old or new), except while a journal says the renames of a
// committed build are under way, and the next build completes that; no temporary file survives
// it; files modelc did not write are untouched. Needs `npm run build` (dist/), as `npm test` does.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { contents, entries, ours, tempFolder } from './helpers.ts';

const bin = resolve('bin/modelc.js');
const SPECS = 56;
const counts: Record<string, number> = {};
const note = (what: string) => void (counts[what] = (counts[what] ?? 0) + 1);
afterAll(() => console.log(`faults: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`));

const specText = (i: number, v: number) => `name: m${String(i).padStart(2, '0')}\ninputs:\n  x: { shape: [${(i % 5) + 2}] }\nlayers:\n  - { type: Dense, units: ${v + 1} }\n`;

/** `count` small specs; version v gives each Dense layer v + 1 units, so every module changes. */
function specs(folder: string, v: number, count: number): void {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(folder, `m${String(i).padStart(2, '0')}.yaml`), specText(i, v));
}

function build(cwd: string, specFolder: string, out: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [bin, 'build', specFolder, '--out', out, '--engine', 'js', '-q'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** One folder of specs per version, and the modules each version's build writes (compiled in-process). */
function versions(n: number, count = 12) {
  const root = tempFolder('faults');
  const modules = Array.from({ length: n }, (_, v) => {
    specs(join(root, `v${v}`), v, count);
    return Object.fromEntries(
      Array.from({ length: count }, (_, i) => {
        const { output } = compile(specText(i, v), join(`v${v}`, `m${String(i).padStart(2, '0')}.yaml`), { engine: 'js' });
        return [output!.fileName, output!.text];
      }).sort(),
    );
  });
  return { root, modules };
}

/** Which version's modules the folder holds, or 'mixed'; the user's file must be untouched. */
function which(out: string, modules: readonly Record<string, string>[]): number | 'mixed' {
  const now = Object.fromEntries(Object.entries(contents(out)).filter(([n]) => n.endsWith('.ts')));
  expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('not ours');
  const v = modules.findIndex((m) => JSON.stringify(m) === JSON.stringify(now));
  return v < 0 ? 'mixed' : v;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

/** The journal's state and the process that wrote it, if a build left one. */
function journalOf(out: string): { state: string; pid: number } | undefined {
  try {
    const journal = JSON.parse(readFileSync(join(out, '.modelc-journal'), 'utf8')) as { state: string; folders: string[] };
    return { state: journal.state, pid: Number(/\.modelc-staging-(\d+)-/.exec(journal.folders[0]!)![1]) };
  } catch {
    return undefined;
  }
}

describe('SIGKILL at random moments', () => {
  it('leaves all old or all new modules (or a committed journal the next build completes), never a temporary file after it', async () => {
    const { root, modules } = versions(2, SPECS);
    const out = join(root, 'gen');
    mkdirSync(out);
    writeFileSync(join(out, 'README.md'), 'not ours');
    // A whole build, timed, with the moments its journal appears and goes: the kills are spread over both.
    const t0 = Date.now();
    const first = spawn(process.execPath, [bin, 'build', 'v0', '--out', 'gen', '--engine', 'js', '-q'], { cwd: root, stdio: 'ignore' });
    const firstExit = new Promise((done) => first.on('exit', done));
    let opened = 0;
    let closed = 0;
    while (first.exitCode === null && Date.now() - t0 < 60_000) {
      const open = existsSync(join(out, '.modelc-journal'));
      if (open && !opened) opened = Date.now();
      if (!open && opened && !closed) closed = Date.now();
      sleep(1);
      if (first.exitCode === null && closed) break;
    }
    await firstExit;
    const whole = Date.now() - t0;
    const writing = Math.max(5, (closed || Date.now()) - (opened || t0));
    expect(which(out, modules)).toBe(0);
    let current = 0;
    const budget = Date.now() + Number(process.env.MODELC_KILL_SECONDS ?? 15) * 1000;
    let iterations = 0;
    let random = 0x14;
    const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // At least 6 kills however loaded the machine is; more while the time budget lasts.
    while ((Date.now() < budget || iterations < 6) && iterations < 40) {
      iterations++;
      const target = 1 - current;
      const child = spawn(process.execPath, [bin, 'build', `v${target}`, '--out', 'gen', '--engine', 'js', '-q'], { cwd: root, stdio: 'ignore' });
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      // A third of the kills anywhere in the build; a third at a random moment of its write; a
      // third as soon as its journal says 'commit' (the renames take a millisecond or two).
      const until = Date.now() + whole * 3;
      if (iterations % 3 === 0) sleep(Math.floor(next() * whole * 1.1));
      else if (iterations % 3 === 1) {
        while (journalOf(out)?.pid !== child.pid && Date.now() < until) sleep(1);
        sleep(Math.floor(next() * writing * 1.2));
      } else {
        for (let j = journalOf(out); !(j?.pid === child.pid && j?.state === 'commit') && child.exitCode === null && Date.now() < until; j = journalOf(out));
      }
      child.kill('SIGKILL');
      const code = await exited;
      const left = journalOf(out);
      const journal = left?.state;
      const seen = which(out, modules);
      if (code === 0) note('kills after the build finished');
      else if (left?.pid === child.pid) note(`kills with the journal at '${journal}'`);
      else note(seen === target ? 'kills after the renames' : 'kills before writing began');
      // A mix is visible only in the middle of the renames of a committed build, which the next build completes.
      if (seen === 'mixed') {
        expect(journal, `iteration ${iterations}`).toBe('commit');
        note('mixes seen mid-rename (journal at commit)');
      }
      else current = seen as number;
      if (journal === 'commit') current = left!.pid === child.pid ? target : current;
    }
    // The next build recovers first (finishing a committed build's renames), then writes all or nothing.
    const after = build(root, `v${1 - current}`, 'gen');
    expect(after.status, after.stderr).toBe(0);
    expect(which(out, modules)).toBe(1 - current);
    expect(entries(out).filter(ours)).toEqual([]);
    counts['SIGKILL iterations'] = iterations;
    console.log(`a ${SPECS}-spec build took ${whole} ms, its write ${writing} ms`);
    expect(iterations).toBeGreaterThanOrEqual(6);
  }, 180_000);
});

describe('a full disk', () => {
  const mountTmpfs = (folder: string) => spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', folder]).status === 0;

  it.runIf(process.getuid?.() === 0)('on a 256 KiB tmpfs: MC1007, the modules of the last build intact, no truncated or temporary file', () => {
    const { root } = versions(1, SPECS);
    const disk = join(root, 'disk');
    mkdirSync(disk);
    if (!mountTmpfs(disk)) return void note('tmpfs not mountable: skipped');
    try {
      writeFileSync(join(disk, 'README.md'), 'not ours');
      specs(join(root, 'few'), 1, 8);
      expect(build(root, 'few', 'disk').status).toBe(0);
      const before = contents(disk);
      // All 56 modules (about 11 KiB each, 4 KiB blocks on the disk) do not fit in 256 KiB.
      const r = build(root, 'v0', 'disk');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/disk\/m\d\d\.ts:1:1 - error MC1007: Cannot write to disk: ENOSPC: no space left on device, write\. Nothing was written: the files there are as they were\./);
      expect(r.stderr).toContain('hint: free some space');
      expect(contents(disk)).toEqual(before);
      expect(entries(disk).filter(ours)).toEqual([]);
      note('tmpfs full-disk builds');
    } finally {
      spawnSync('umount', [disk]);
    }
  }, 60_000);

  it('with a file-size limit (ulimit -f): MC1007 and nothing written', () => {
    const { root } = versions(1);
    mkdirSync(join(root, 'gen'));
    writeFileSync(join(root, 'gen', 'README.md'), 'not ours');
    const r = spawnSync('bash', ['-c', `ulimit -f 8 && exec "${process.execPath}" "${bin}" build v0 --out gen -q`], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error MC1007: Cannot write to gen: EFBIG: file too large');
    expect(entries(join(root, 'gen'))).toEqual(['README.md']);
  }, 60_000);
});

describe('concurrent builds into one folder', () => {
  it('four at once wait for each other (the lock): every one succeeds and the folder holds exactly one version, with no leftovers', async () => {
    const { root, modules } = versions(4);
    mkdirSync(join(root, 'gen'));
    writeFileSync(join(root, 'gen', 'README.md'), 'not ours');
    const runs = [0, 1, 2, 3].map(
      (v) =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          const child = spawn(process.execPath, [bin, 'build', `v${v}`, '--out', 'gen', '--engine', 'js', '-q'], { cwd: root });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (code) => done({ code, stderr }));
        }),
    );
    for (const r of await Promise.all(runs)) expect(r.code, r.stderr).toBe(0);
    expect(which(join(root, 'gen'), modules)).not.toBe('mixed');
    expect(entries(join(root, 'gen')).filter(ours)).toEqual([]);
    note('concurrent builds');
  }, 120_000);
});

describe('what stands where a module goes', () => {
  it('a directory named like the 8th module: MC1004 before any module is replaced', () => {
    const { root, modules } = versions(2);
    expect(build(root, 'v0', 'gen').status).toBe(0);
    writeFileSync(join(root, 'gen', 'README.md'), 'not ours');
    rmSync(join(root, 'gen', 'm07.ts'));
    mkdirSync(join(root, 'gen', 'm07.ts'));
    const r = build(root, 'v1', 'gen');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gen/m07.ts:1:1 - error MC1004: Cannot write gen/m07.ts: it is a directory, not a regular file. Nothing was written.');
    rmSync(join(root, 'gen', 'm07.ts'), { recursive: true });
    const { 'm07.ts': _, ...rest } = modules[0]!;
    expect(Object.fromEntries(Object.entries(contents(join(root, 'gen'))).filter(([n]) => n.endsWith('.ts')))).toEqual(rest);
    expect(entries(join(root, 'gen')).filter(ours)).toEqual([]);
  }, 60_000);
});
