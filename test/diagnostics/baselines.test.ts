// Error baselines: every broken spec in test/errors/ against its committed
// test/errors/<name>.baseline.txt (the printed diagnostics, then the spec with `~~~` under each
// span). Run with UPDATE_BASELINES=1 to rewrite them, then review the diff by eye.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBaseline } from './baseline.js';

const dir = 'test/errors';
const update = process.env.UPDATE_BASELINES === '1';
const specs = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

describe('error baselines', () => {
  it('has a broken spec for every interesting mistake', () => {
    expect(specs.length).toBeGreaterThanOrEqual(12);
    const names = specs.map((f) => basename(f, extname(f)));
    expect(new Set(names).size, 'two specs would share one baseline').toBe(names.length);
  });

  it.each(specs)('%s', (spec) => {
    const file = `${dir}/${spec}`;
    const baselinePath = join(dir, `${basename(spec, extname(spec))}.baseline.txt`);
    const actual = renderBaseline(file, readFileSync(file, 'utf8'));
    expect(actual, 'a broken spec must produce at least one diagnostic').toMatch(/ - (error|warning) MC\d{4}: /);
    if (update) {
      writeFileSync(baselinePath, actual);
      return;
    }
    expect(existsSync(baselinePath), `${baselinePath} is missing: run UPDATE_BASELINES=1 npx vitest run test/diagnostics/baselines.test.ts`).toBe(true);
    expect(actual).toBe(readFileSync(baselinePath, 'utf8'));
  });

  it('has no baseline without its spec', () => {
    const baselines = readdirSync(dir).filter((f) => f.endsWith('.baseline.txt'));
    const names = new Set(specs.map((f) => basename(f, extname(f))));
    expect(baselines.filter((b) => !names.has(b.replace(/\.baseline\.txt$/, '')))).toEqual([]);
  });
});
