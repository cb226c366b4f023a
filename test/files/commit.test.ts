// Builds that survive faults (issue 14), in-process through the file-system seam: a "power cut"
// after every single call of a write (every later call fails), a full disk after every byte
// count, a rename that fails after the commit point, a directory or a device where a file goes,
// long names, stale locks and leftovers of killed builds. After each, the folder holds all the old
// files or all the new ones, no temporary file survives the next write, and files that modelc did
// not write are untouched. `faults.test.ts` does the same with real processes, SIGKILL and disks.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { writeAll, type OutputFile } from '../../src/files/commit.ts';
import type { WriteFs } from '../../src/files/file-system.ts';
import { LOCK_FILE } from '../../src/files/lock.ts';
import { WriteError } from '../../src/files/write-error.ts';
import { contents, deadPid, entries, ours, tempFolder } from './helpers.ts';

const counts: Record<string, number> = {};
afterAll(() => console.log(`fault cases: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`));

/** Five modules; version 2 rewrites three of them, and adds two. */
function version(folder: string, v: 1 | 2): OutputFile[] {
  const names = v === 1 ? ['a', 'b', 'c', 'd', 'e'] : ['a', 'b', 'c', 'f', 'g'];
  return names.map((n) => ({ path: join(folder, `${n}.ts`), data: `// ${n}, version ${v}\n${'x'.repeat(300)}\n` }));
}

/** The folder's state: 'old' or 'new' when its modules are exactly one version's (user files aside). */
function state(folder: string, user: Record<string, string>): 'old' | 'new' | string {
  const now = contents(folder);
  for (const [name, text] of Object.entries(user)) expect(now[name], `${name} is the user's`).toBe(text);
  const modules = Object.fromEntries(Object.entries(now).filter(([n]) => n.endsWith('.ts')));
  const as = (v: 1 | 2) => Object.fromEntries(version(folder, v).map((o) => [o.path.slice(folder.length + 1), o.data as string]));
  const old = as(1);
  const fresh = { ...as(1), ...as(2) };
  if (JSON.stringify(modules) === JSON.stringify(Object.fromEntries(Object.entries(old).sort()))) return 'old';
  if (JSON.stringify(modules) === JSON.stringify(Object.fromEntries(Object.entries(fresh).sort()))) return 'new';
  return `a mix: ${JSON.stringify(Object.fromEntries(Object.entries(modules).map(([n, t]) => [n, t.split('\n')[0]])))}`;
}

/** A folder with version 1 written and a file of the user's. */
function prepared(): { folder: string; user: Record<string, string> } {
  const folder = tempFolder('commit');
  writeFileSync(join(folder, 'notes.md'), 'mine');
  writeFileSync(join(folder, '.modelc-notes'), 'mine too, despite the name');
  writeAll(folder, version(folder, 1));
  return { folder, user: { 'notes.md': 'mine', '.modelc-notes': 'mine too, despite the name' } };
}

class PowerCut extends Error {}

/** node:fs, but every call after the first `calls` fails (the process died there). */
function cutAfter(calls: number): { files: WriteFs; made: () => number } {
  let made = 0;
  const files = new Proxy(fs, {
    get(target, key: string) {
      const real = Reflect.get(target, key) as unknown;
      if (typeof real !== 'function') return real;
      return (...args: unknown[]) => {
        if (++made > calls) throw new PowerCut(`cut before ${key}`);
        return (real as (...a: unknown[]) => unknown)(...args);
      };
    },
  }) as WriteFs;
  return { files, made: () => made };
}

/** What a killed process leaves: its lock, and the lock it was making, name a process that is gone. */
function orphanLock(folder: string) {
  const dead = deadPid();
  const lock = join(folder, LOCK_FILE);
  if (fs.existsSync(lock)) writeFileSync(lock, JSON.stringify({ ...JSON.parse(readFileSync(lock, 'utf8')), pid: dead }));
  for (const name of entries(folder).filter((n) => n.startsWith(`${LOCK_FILE}-${process.pid}-`))) fs.renameSync(join(folder, name), join(folder, name.replace(`-${process.pid}-`, `-${dead}-`)));
}

const leftovers = (folder: string) => entries(folder).filter((n) => ours(n) && n !== '.modelc-notes');

describe('a write cut at every call (a kill or a power cut at any moment)', () => {
  it('leaves the old or the new files, and the next write finishes or rolls back, leaving nothing behind', () => {
    const { made } = (() => {
      const { folder } = prepared();
      const probe = cutAfter(Number.MAX_SAFE_INTEGER);
      writeAll(folder, version(folder, 2), { files: probe.files });
      return probe;
    })();
    const total = made();
    expect(total).toBeGreaterThan(30);
    const outcomes: Record<string, number> = {};
    for (let calls = 0; calls < total; calls++) {
      const { folder, user } = prepared();
      expect(() => writeAll(folder, version(folder, 2), { files: cutAfter(calls).files })).toThrow();
      orphanLock(folder);
      writeAll(folder, []); // the next command's recovery
      const after = state(folder, user);
      expect(['old', 'new'], `cut after ${calls} of ${total} calls`).toContain(after);
      expect(leftovers(folder), `cut after ${calls} calls`).toEqual([]);
      outcomes[after] = (outcomes[after] ?? 0) + 1;
      counts['cut points'] = (counts['cut points'] ?? 0) + 1;
    }
    // Cuts before the commit point roll back, cuts after it roll forward: both happen.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
    console.log(`power cut at each of ${total} calls: ${outcomes.old} rolled back, ${outcomes.new} rolled forward`);
  });
});

describe('a write into two folders (modules and `--types` sidecars beside the specs)', () => {
  it('cut at every call: both folders old, or both new, and nothing left in either', () => {
    const setup = () => {
      const { folder, user } = prepared();
      const specs = tempFolder('sidecars');
      writeAll(folder, [{ path: join(specs, 'a.d.yaml.ts'), data: 'sidecar 1' }]);
      const outputs = [...version(folder, 2), { path: join(specs, 'a.d.yaml.ts'), data: 'sidecar 2' }];
      return { folder, user, specs, outputs };
    };
    const probe = cutAfter(Number.MAX_SAFE_INTEGER);
    const first = setup();
    writeAll(first.folder, first.outputs, { files: probe.files });
    const total = probe.made();
    for (let calls = 0; calls < total; calls++) {
      const { folder, user, specs, outputs } = setup();
      expect(() => writeAll(folder, outputs, { files: cutAfter(calls).files })).toThrow();
      orphanLock(folder);
      writeAll(folder, []);
      const modules = state(folder, user);
      const sidecar = readFileSync(join(specs, 'a.d.yaml.ts'), 'utf8');
      expect([`${modules} ${sidecar}`], `cut after ${calls} of ${total} calls`).toEqual([modules === 'new' ? 'new sidecar 2' : 'old sidecar 1']);
      expect(leftovers(folder)).toEqual([]);
      expect(entries(specs)).toEqual(['a.d.yaml.ts']);
      counts['two-folder cut points'] = (counts['two-folder cut points'] ?? 0) + 1;
    }
  });
});

/** node:fs whose writes fail with ENOSPC once `budget` bytes are written. */
function diskOf(budget: number): WriteFs {
  let used = 0;
  return {
    ...fs,
    writeSync: ((fd: number, buffer: Uint8Array, offset: number, length: number) => {
      const room = Math.max(0, budget - used);
      if (room === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(room, length);
      used += n;
      return fs.writeSync(fd, buffer, offset, n);
    }) as WriteFs['writeSync'],
  };
}

describe('a full disk', () => {
  it('at every point of the write: MC1007, all old files, no partial or temporary file', () => {
    const { folder } = prepared();
    const needed = version(folder, 2).reduce((n, o) => n + Buffer.byteLength(o.data), 0);
    for (let budget = 0; budget < needed + 2000; budget += 97) {
      const { folder: f, user } = prepared();
      let error: unknown;
      try {
        writeAll(f, version(f, 2), { files: diskOf(budget) });
      } catch (e) {
        error = e;
      }
      if (error === undefined) {
        expect(state(f, user)).toBe('new');
        continue;
      }
      expect(error).toBeInstanceOf(WriteError);
      expect((error as WriteError).code).toBe('MC1007');
      expect((error as WriteError).message).toContain('no space left on device');
      expect(state(f, user)).toBe('old');
      expect(leftovers(f)).toEqual([]);
      counts['full-disk budgets'] = (counts['full-disk budgets'] ?? 0) + 1;
    }
  });
});

describe('failures after the commit point', () => {
  it('a rename that fails puts every old file back and removes the new ones', () => {
    const { folder, user } = prepared();
    let renames = 0;
    const files: WriteFs = {
      ...fs,
      renameSync: ((from: fs.PathLike, to: fs.PathLike) => {
        // The journal's renames pass; the third rename of a module fails.
        if (String(to).endsWith('.ts') && ++renames === 3) throw Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' });
        fs.renameSync(from, to);
      }) as WriteFs['renameSync'],
    };
    expect(() => writeAll(folder, version(folder, 2), { files })).toThrow(/MC6002|permission denied/);
    expect(state(folder, user)).toBe('old');
    expect(leftovers(folder)).toEqual([]);
  });

  it('where hard links are not supported, the old files are backed up by copying', () => {
    const { folder, user } = prepared();
    const files: WriteFs = { ...fs, linkSync: (() => { throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }); }) as WriteFs['linkSync'] };
    writeAll(folder, version(folder, 2), { files });
    expect(state(folder, user)).toBe('new');
    expect(leftovers(folder)).toEqual([]);
  });
});

describe('targets that are not files', () => {
  it('a directory where the fourth file goes: MC1004 before any file is replaced', () => {
    const { folder, user } = prepared();
    mkdirSync(join(folder, 'f.ts'));
    expect(() => writeAll(folder, version(folder, 2))).toThrow(expect.objectContaining({ code: 'MC1004', message: expect.stringContaining('it is a directory, not a regular file') }));
    expect(entries(join(folder, 'f.ts'))).toEqual([]);
    fs.rmdirSync(join(folder, 'f.ts'));
    expect(state(folder, user)).toBe('old');
    expect(leftovers(folder)).toEqual([]);
  });

  it('a device or FIFO is refused, never replaced; a symbolic link is written through and kept', () => {
    const folder = tempFolder('devices');
    expect(() => writeAll(folder, [{ path: '/dev/null', data: 'x' }])).toThrow(expect.objectContaining({ code: 'MC1004', message: expect.stringContaining('a character device') }));
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    writeFileSync(join(folder, 'real.ts'), 'old');
    symlinkSync('real.ts', join(folder, 'link.ts'));
    writeAll(folder, [{ path: join(folder, 'link.ts'), data: 'new' }]);
    expect(fs.lstatSync(join(folder, 'link.ts')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(folder, 'real.ts'), 'utf8')).toBe('new');
  });

  it('an output folder that is a file: MC1004', () => {
    const folder = tempFolder('file-folder');
    writeFileSync(join(folder, 'gen'), 'a file');
    expect(() => writeAll(join(folder, 'gen'), [{ path: join(folder, 'gen', 'a.ts'), data: 'x' }])).toThrow(expect.objectContaining({ code: 'MC1004', message: expect.stringContaining('a regular file, where a folder is needed') }));
  });
});

describe('long names', () => {
  it('a 250-character file name is written (staged names are short); 256 bytes is MC1005 with nothing written', () => {
    const folder = tempFolder('names');
    const long = `${'m'.repeat(247)}.ts`;
    writeAll(folder, [{ path: join(folder, long), data: 'x' }]);
    expect(entries(folder)).toEqual([long]);
    const tooLong = `${'é'.repeat(127)}.ts`; // 257 bytes in UTF-8
    expect(() => writeAll(folder, [{ path: join(folder, 'ok.ts'), data: 'y' }, { path: join(folder, tooLong), data: 'y' }])).toThrow(expect.objectContaining({ code: 'MC1005', message: expect.stringContaining('257 bytes long') }));
    expect(entries(folder)).toEqual([long]);
  });
});

describe('locks and leftovers', () => {
  it('a stale lock (its process is gone) is broken; temporary files of killed builds and of older versions are removed, other files kept', () => {
    const { folder, user } = prepared();
    const dead = deadPid();
    writeFileSync(join(folder, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), since: 0 }));
    writeFileSync(join(folder, `.modelc-tmp-${dead}-a.ts`), 'half a modu');
    writeFileSync(join(folder, `.modelc-tmp-${process.pid}-live.txt`), 'a live build of the old kind');
    mkdirSync(join(folder, `.modelc-staging-${dead}-0a1b2c3d`));
    writeFileSync(join(folder, `.modelc-staging-${dead}-0a1b2c3d`, '0'), 'staged');
    writeAll(folder, version(folder, 2));
    expect(state(folder, { ...user, [`.modelc-tmp-${process.pid}-live.txt`]: 'a live build of the old kind' })).toBe('new');
    expect(leftovers(folder)).toEqual([`.modelc-tmp-${process.pid}-live.txt`]);
  });

  it('a lock released while waiting: the write goes ahead', async () => {
    const { folder, user } = prepared();
    const lock = join(folder, LOCK_FILE);
    const holder = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').unlinkSync(${JSON.stringify(lock)}), 400); setTimeout(() => {}, 5000)`]);
    try {
      writeFileSync(lock, JSON.stringify({ pid: holder.pid, host: hostname(), since: Date.now() }));
      const started = Date.now();
      writeAll(folder, version(folder, 2), { waitMs: 10_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(state(folder, user)).toBe('new');
      expect(leftovers(folder)).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a lock held by a live process: waits, then MC1006 naming the process; nothing written', () => {
    const { folder, user } = prepared();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(join(folder, LOCK_FILE), JSON.stringify({ pid: holder.pid, host: hostname(), since: Date.now() }));
      const started = Date.now();
      expect(() => writeAll(folder, version(folder, 2), { waitMs: 300 })).toThrow(expect.objectContaining({ code: 'MC1006', message: expect.stringContaining(`(process ${holder.pid})`) }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(state(folder, user)).toBe('old');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('long model names through modelc build', () => {
  const spec = (name: string) => `name: ${name}\ninputs:\n  x: { shape: [3] }\nlayers:\n  - { type: Dense, units: 2 }\n`;
  const build = async (folder: string) => {
    let out = '';
    const code = await main(['build', 'm.yaml', '--out', 'gen', '--engine', 'js'], { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: folder, color: false });
    return { code, out };
  };

  it('a 240-character name builds, and leaves no temporary file (it once made a temporary name over 255 bytes)', async () => {
    const folder = tempFolder('long-name');
    writeFileSync(join(folder, 'm.yaml'), spec('m'.repeat(240)));
    const { code, out } = await build(folder);
    expect(code, out).toBe(0);
    expect(entries(join(folder, 'gen'))).toEqual([`${'m'.repeat(240)}.ts`]);
  });

  it('a 253-character name is MC2009 at compile time, at the name', async () => {
    const folder = tempFolder('long-name');
    writeFileSync(join(folder, 'm.yaml'), spec('m'.repeat(253)));
    const { code, out } = await build(folder);
    expect(code).toBe(1);
    expect(out).toContain('m.yaml:1:7 - error MC2009: The model name has 253 characters: its module file, <name>.ts, would have a name of 256 characters, and file systems allow at most 255.');
    expect(out).toContain('hint: shorten the name to at most 252 characters.');
    expect(existsSync(join(folder, 'gen'))).toBe(false);
  });
});
