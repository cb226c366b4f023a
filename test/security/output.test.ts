// Output in proportion to the input (finding 8 of issue 14): code frames cut long lines to a
// window around the span, as esbuild does; past 100 diagnostics the rest are counted; text from
// the spec (unknown keys, names, paths) reaches the terminal with its control characters escaped.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { codeFrame, escapeForTerminal, MAX_FRAME_COLUMNS } from '../../src/diagnostics/format.ts';
import { SourceFile } from '../../src/source/source-file.ts';

async function check(name: string, content: string | Buffer, format: 'text' | 'json' = 'text') {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-output-'));
  writeFileSync(join(dir, name), content);
  let out = '';
  const code = await main(['check', name, ...(format === 'json' ? ['--format', 'json'] : [])], { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, color: false });
  return { code, out };
}

describe('output in proportion', () => {
  it('a 70 KB one-line JSON spec with 1,500 mistakes prints about 40 KB, not 100 MB', async () => {
    const layers = Array.from({ length: 1500 }, (_, i) => ({ type: 'Dense', units: 2, [`unit${i}`]: 1 }));
    const text = JSON.stringify({ name: 'one', inputs: { x: { shape: [3] } }, layers });
    expect(text.length).toBeGreaterThan(50_000);
    const { code, out } = await check('one.json', text);
    expect(code).toBe(1);
    expect(out.length).toBeLessThan(100_000);
    expect(out).toContain('... and 1400 more errors not shown (the first 100 are above; `--format json` lists them all).');
    expect(out).toContain('Found 1500 errors.');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_FRAME_COLUMNS + 120);
    // JSON output still lists every one.
    const json = await check('one.json', text, 'json');
    expect(JSON.parse(json.out)).toHaveLength(1500);
  });

  it('a 10 MB line of garbage prints a few hundred bytes', async () => {
    const { code, out } = await check('garbage.yaml', Buffer.concat([Buffer.alloc(10_000_000, 'x'), Buffer.from(': [')]));
    expect(code).toBe(1);
    expect(out).toContain('error MC1001');
    expect(out.length).toBeLessThan(2_000);
  });

  it('unknown keys with newlines and ANSI escapes are escaped, in the message and in the frame', async () => {
    const spec = 'name: a\ninputs: { x: { shape: [3] } }\nlayers:\n  - { type: Dense, units: 2, "evil\\u001b[31mRED\\nerror MC0000: forged": 1 }\n';
    const { code, out } = await check('ansi.yaml', spec);
    expect(code).toBe(1);
    expect(out).not.toContain('\x1b');
    expect(out).toContain('has an unknown option "evil\\x1b[31mRED\\nerror MC0000: forged"');
    // No forged line: the only line that starts a diagnostic is the real one.
    expect(out.split('\n').filter((l) => /^(\S+:\d+:\d+ - )?error MC/.test(l))).toHaveLength(1);
    expect(out.split('\n').some((l) => l.startsWith('error MC0000'))).toBe(false);
  });

  it('a raw ESC or CR in the spec text shows as a dot in the frame', () => {
    const source = new SourceFile('f.yaml', 'a: "x\x1by\r"\n');
    const frame = codeFrame({ file: 'f.yaml', start: 3, end: 8 }, { color: false, sources: new Map([['f.yaml', source]]) });
    expect(frame[0]).toBe('1 a: "x·y·"');
    expect(escapeForTerminal('a\nb\x1b[0m\u009b\u2028')).toBe('a\\nb\\x1b[0m\\x9b\\u2028');
  });

  it('cuts a long line to a window around the span, with the squiggle under the span', () => {
    const line = `${'a'.repeat(5000)}ERROR${'b'.repeat(5000)}`;
    const source = new SourceFile('f.yaml', `${line}\n`);
    const [text, squiggle] = codeFrame({ file: 'f.yaml', start: 5000, end: 5005 }, { color: false, sources: new Map([['f.yaml', source]]) });
    expect(text!.length).toBeLessThanOrEqual(MAX_FRAME_COLUMNS + 4);
    expect(text!.startsWith('1 …a')).toBe(true);
    expect(text!.endsWith('b…')).toBe(true);
    const at = squiggle!.indexOf('~');
    expect(text!.slice(at, at + 5)).toBe('ERROR');
    expect(squiggle!.trim()).toBe('~~~~~');
    // The start and the end of a long line: cut on one side only.
    const [head] = codeFrame({ file: 'f.yaml', start: 0, end: 1 }, { color: false, sources: new Map([['f.yaml', source]]) });
    expect(head!.startsWith('1 aaa')).toBe(true);
    const [tail, tailSquiggle] = codeFrame({ file: 'f.yaml', start: 10004, end: 10005 }, { color: false, sources: new Map([['f.yaml', source]]) });
    expect(tail!.endsWith('bbb')).toBe(true);
    expect(tailSquiggle!.indexOf('~')).toBe(tail!.length - 1);
  });
});
