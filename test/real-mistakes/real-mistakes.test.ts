// Real mistakes: shape mistakes Keras users asked about in public (Stack Overflow, GitHub issues),
// each reproduced as a spec in this folder. Its header names the question, its URL, what Keras
// said, and `# expect: MCxxxx at line N`: the code and line of the first error modelc must give.
// Every spec must fail with that error first, the error must carry a hint (the fix), and the
// whole output must match test/real-mistakes/<name>.baseline.txt, rendered as the error baselines
// of test/errors/ are. Run with UPDATE_BASELINES=1 to rewrite the baselines, then review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { renderBaseline } from '../diagnostics/baseline.js';

const dir = 'test/real-mistakes';
const update = process.env.UPDATE_BASELINES === '1';
const specs = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

interface Header {
  readonly title: string;
  readonly source: string;
  readonly keras: string;
  readonly code: string;
  readonly line: number;
}

/** The spec's header comment: `# Real mistake: ...`, `# Source: URL`, `# Keras: ...`, `# expect: MCxxxx at line N`. */
function headerOf(text: string): Header {
  const field = (name: string) => new RegExp(`^# ${name}: (.+)$`, 'm').exec(text)?.[1]?.trim();
  const expectation = /^# expect: (MC\d{4}) at line (\d+)\s*$/m.exec(text);
  const title = field('Real mistake');
  const source = field('Source');
  const keras = field('Keras');
  if (!title || !source || !keras || !expectation) throw new Error('the header needs `# Real mistake:`, `# Source:`, `# Keras:` and `# expect: MCxxxx at line N` lines');
  return { title, source, keras, code: expectation[1]!, line: Number(expectation[2]) };
}

describe('real mistakes from public questions', () => {
  it('has at least 15 of them, each from a different question', () => {
    expect(specs.length).toBeGreaterThanOrEqual(15);
    const sources = specs.map((f) => headerOf(readFileSync(join(dir, f), 'utf8')).source);
    expect(new Set(sources).size, 'two specs cite the same question').toBe(sources.length);
    for (const source of sources) expect(source).toMatch(/^https:\/\/(stackoverflow\.com|github\.com)\//);
  });

  it.each(specs)('%s', (spec) => {
    const file = `${dir}/${spec}`;
    const text = readFileSync(file, 'utf8');
    const header = headerOf(text);
    const result = compile(text, file);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length, 'the mistake must be an error').toBeGreaterThanOrEqual(1);
    const first = errors[0]!;
    const at = result.source.position(first.span.start);
    expect(`${first.code} at line ${at.line}`, `first error: ${first.message}`).toBe(`${header.code} at line ${header.line}`);
    expect(first.hint, `${first.code} at line ${at.line} says no fix`).toBeTruthy();

    const baselinePath = join(dir, `${basename(spec, extname(spec))}.baseline.txt`);
    const actual = renderBaseline(file, text);
    if (update) {
      writeFileSync(baselinePath, actual);
      return;
    }
    expect(existsSync(baselinePath), `${baselinePath} is missing: run UPDATE_BASELINES=1 npx vitest run test/real-mistakes`).toBe(true);
    expect(actual).toBe(readFileSync(baselinePath, 'utf8'));
  });

  it('has no baseline without its spec', () => {
    const baselines = readdirSync(dir).filter((f) => f.endsWith('.baseline.txt'));
    const names = new Set(specs.map((f) => basename(f, extname(f))));
    expect(baselines.filter((b) => !names.has(b.replace(/\.baseline\.txt$/, '')))).toEqual([]);
  });
});
