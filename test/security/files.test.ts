// Files a spec names: a weights path stays inside the spec's folder tree after symlinks are
// resolved, names a regular file, is read with a size limit, and a file that is not weights is
// refused without echoing its content (finding 1 of issue 14).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { readFileLimited, resolveInside } from '../../src/source/read-file.ts';

const SECRET = 'FAKE_SECRET_TOKEN=fake-not-real-123';
const weights = { d: { kernel: [[1, 2], [3, 4], [5, 6]], bias: [0, 0] } };

async function check(dir: string, spec = 'm.yaml') {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', spec, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, color: false });
  const text = await main(['check', spec], { stdout: () => undefined, stderr: () => undefined, cwd: dir, color: false }).then(async () => {
    let out = '';
    await main(['check', spec], { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, color: false });
    return out;
  });
  const list = code === 0 ? [] : (JSON.parse(stdout) as { code: string; message: string; line: number }[]);
  return { code, list, text, stderr };
}

/** `outside/secret.txt` and `spec/m.yaml` naming `weights: <path>`. */
function layout(path: string): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'modelc-files-'));
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'secret.txt'), `PWD=/home/x\n${SECRET}\n`);
  writeFileSync(join(root, 'outside', 'secret.json'), JSON.stringify({ d: { kernel: SECRET } }));
  const dir = join(root, 'spec');
  mkdirSync(dir);
  writeFileSync(join(dir, 'm.yaml'), `name: m\ninputs: { x: { shape: [3] } }\nlayers: [{ name: d, type: Dense, units: 2 }]\nweights: ${JSON.stringify(path)}\n`);
  return { root, dir };
}

afterEach(() => {
  delete process.env.MODELC_MAX_FILE_BYTES;
});

describe('weights paths stay inside the spec folder', () => {
  it.each([
    ['a .. escape', '../outside/secret.txt'],
    ['a deep .. escape to /proc/self/environ', '../../../../../../../../proc/self/environ'],
    ['an absolute path', '/etc/passwd'],
    ['a JSON file outside', '../outside/secret.json'],
  ])('refuses %s with MC5006 and never shows the file', async (_, path) => {
    const { dir } = layout(path);
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.list.map((d) => d.code)).toEqual(['MC5006']);
    expect(r.text).toContain("spec's folder");
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain('root:');
    expect(r.text).toMatch(/^m\.yaml:4:10 - error MC5006: /);
  });

  it('refuses a symlink inside the folder that leads out, and follows one that stays inside', async () => {
    const { root, dir } = layout('link.json');
    symlinkSync(join(root, 'outside', 'secret.json'), join(dir, 'link.json'));
    const r = await check(dir);
    expect(r.list.map((d) => d.code)).toEqual(['MC5006']);
    expect(r.text).toContain('symbolic link');
    expect(r.text).not.toContain(SECRET);

    const inside = layout('link.json');
    mkdirSync(join(inside.dir, 'w'));
    writeFileSync(join(inside.dir, 'w', 'real.json'), JSON.stringify(weights));
    symlinkSync(join(inside.dir, 'w', 'real.json'), join(inside.dir, 'link.json'));
    expect((await check(inside.dir)).code).toBe(0);
  });

  it('refuses a symlink to /dev/zero (outside) without reading it', async () => {
    const { dir } = layout('zero.json');
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    const r = await check(dir);
    expect(r.list.map((d) => d.code)).toEqual(['MC5006']);
  });

  it('still reads weights in a subfolder', async () => {
    const { dir } = layout('sub/w.json');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'w.json'), JSON.stringify(weights));
    expect((await check(dir)).code).toBe(0);
  });
});

describe('weights paths name regular files', () => {
  it('refuses a directory with MC5007', async () => {
    const { dir } = layout('sub');
    mkdirSync(join(dir, 'sub'));
    const r = await check(dir);
    expect(r.list.map((d) => d.code)).toEqual(['MC5007']);
    expect(r.text).toContain('it is a directory, not a regular file');
  });

  it('refuses a FIFO with MC5007 at once, without blocking', () => {
    const { dir } = layout('pipe.json');
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    // In a child process with a timeout: a blocking open would hang the test run itself.
    const child = spawnSync(process.execPath, [join(process.cwd(), 'bin/modelc.js'), 'check', 'm.yaml'], { cwd: dir, timeout: 20_000, encoding: 'utf8' });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(1);
    expect(child.stdout).toContain('error MC5007');
    expect(child.stdout).toContain('FIFO');
  });

  it('refuses a spec that is a FIFO or a device with MC1003', async () => {
    const root = mkdtempSync(join(tmpdir(), 'modelc-files-'));
    execFileSync('mkfifo', [join(root, 'spec.yaml')]);
    const child = spawnSync(process.execPath, [join(process.cwd(), 'bin/modelc.js'), 'check', 'spec.yaml', '/dev/zero'], { cwd: root, timeout: 20_000, encoding: 'utf8' });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(1);
    expect(child.stdout).toContain('spec.yaml:1:1 - error MC1003: Cannot read the spec file "spec.yaml": it is a FIFO (named pipe), not a regular file.');
    expect(child.stdout).toContain('/dev/zero:1:1 - error MC1003: Cannot read the spec file "/dev/zero": it is a character device, not a regular file.');
  });
});

describe('size limit', () => {
  it('refuses a weights file over MODELC_MAX_FILE_BYTES with MC5008, naming both sizes', async () => {
    const { dir } = layout('w.json');
    writeFileSync(join(dir, 'w.json'), JSON.stringify(weights, null, 100));
    expect((await check(dir)).code).toBe(0);
    process.env.MODELC_MAX_FILE_BYTES = '500';
    const r = await check(dir);
    expect(r.list.map((d) => d.code)).toEqual(['MC5008']);
    expect(r.text).toContain(`it is ${JSON.stringify(weights, null, 100).length.toLocaleString('en-US')} bytes, over the limit of 500 bytes`);
    expect(r.text).toContain('MODELC_MAX_FILE_BYTES');
  });

  it('reads at most limit + 1 bytes of a file whose size is not known up front', () => {
    const r = readFileLimited('/proc/self/environ', 8);
    if (!r.ok) expect(r.reason).toBe('too-large');
    const zero = readFileLimited('/dev/zero', 1024);
    expect(zero).toMatchObject({ ok: false, reason: 'not-regular', kind: 'a character device' });
  });

  it('resolveInside refuses escapes and accepts the folder tree', () => {
    const { dir } = layout('x');
    writeFileSync(join(dir, 'w.json'), '{}');
    expect(resolveInside(join(dir, 'm.yaml'), 'w.json').ok).toBe(true);
    expect(resolveInside(join(dir, 'm.yaml'), './w.json').ok).toBe(true);
    expect(resolveInside(join(dir, 'm.yaml'), '../spec/w.json').ok).toBe(true);
    expect(resolveInside(join(dir, 'm.yaml'), '..')).toMatchObject({ ok: false, reason: 'outside' });
    expect(resolveInside(join(dir, 'm.yaml'), `${dir}/w.json`)).toMatchObject({ ok: false, reason: 'absolute' });
  });
});

describe('a file that is not weights', () => {
  it.each([
    ['an environment dump', `PWD=/x\n${SECRET}\n`, /found \d+ bytes of text/],
    ['a YAML file', `token: ${SECRET}\nother: 1\n`, /found \d+ bytes of text/],
    ['binary data', Buffer.from([0, 1, 2, 3, 200, 255, ...Buffer.from(SECRET)]), /found \d+ bytes of binary data/],
    ['a JSON object of strings', JSON.stringify({ PWD: '/x', TOKEN: SECRET }), /a JSON object of 2 entries, none of them an object of parameters/],
  ])('refuses %s with MC5009 and shows none of it', async (_, content, found) => {
    const { dir } = layout('w.json');
    writeFileSync(join(dir, 'w.json'), content);
    const r = await check(dir);
    expect(r.list.map((d) => d.code)).toEqual(['MC5009']);
    expect(r.text).toMatch(found);
    expect(r.text).toContain('expected a JSON object with one entry per layer');
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain('PWD');
    // One diagnostic, pointing at the spec's `weights:` line, not into the file.
    expect(r.text).toMatch(/^m\.yaml:4:10 - error MC5009: /);
  });

  it('`modelc run --weights` does not quote a file that is not JSON', async () => {
    const { dir } = layout('w.json');
    writeFileSync(join(dir, 'w.json'), JSON.stringify(weights));
    writeFileSync(join(dir, 'bad.txt'), `${SECRET}\n`);
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: [[1, 2, 3]] }));
    let stderr = '';
    const code = await main(['run', 'm.yaml', '--input', 'in.json', '--weights', 'bad.txt'], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: dir, color: false });
    expect(code).toBe(1);
    expect(stderr).toContain('is not valid JSON (expected a JSON object; found');
    expect(stderr).not.toContain(SECRET);
  });
});

describe('large weights files', () => {
  it('a 12 MB weights file is checked without a syntax tree; a problem in it is still reported by layer and parameter', { timeout: 120_000 }, async () => {
    const { dir } = layout('w.json');
    const rows = 300, units = 4000;
    const row = `[${Array.from({ length: units }, (_, i) => ((i % 97) / 97 - 0.5).toFixed(6)).join(',')}]`;
    const text = `{"d": {"kernel": [${Array.from({ length: rows }, () => row).join(',')}], "bias": [${new Array(units).fill(0).join(',')}]}}`;
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    writeFileSync(join(dir, 'w.json'), text);
    writeFileSync(join(dir, 'm.yaml'), `name: m\ninputs: { x: { shape: [${rows}] } }\nlayers: [{ name: d, type: Dense, units: ${units} }]\nweights: w.json\n`);
    expect((await check(dir)).code).toBe(0);
    writeFileSync(join(dir, 'm.yaml'), `name: m\ninputs: { x: { shape: [${rows}] } }\nlayers: [{ name: d, type: Dense, units: ${units - 1} }]\nweights: w.json\n`);
    const r = await check(dir);
    expect(r.list.map((d) => d.code)).toEqual(['MC5004', 'MC5004']);
    expect(r.text).toContain(`Parameter "kernel" of Dense layer "d" has the wrong shape: expected (${rows}, ${units - 1})`);
    expect(r.text.length).toBeLessThan(5_000);
  });
});
