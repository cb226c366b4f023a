// The code catalogue: every code is well formed and described, and every code the compiler
// uses anywhere in src/ is in the catalogue.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes, formatMessage, templates, type TemplatedCode } from '../../src/diagnostics/codes.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.ts$/.test(entry) ? [path] : [];
  });
}

describe('diagnostic codes', () => {
  const catalogue = Object.keys(codes);

  it('are MC followed by the stage digit (1 parse .. 6 emit, 7 import) and three digits', () => {
    expect(catalogue.length).toBeGreaterThan(0);
    for (const code of catalogue) expect(code).toMatch(/^MC[1-7]\d{3}$/);
  });

  it('each have a description', () => {
    for (const [code, description] of Object.entries(codes)) expect(description.trim(), code).not.toBe('');
  });

  it('cover every code used in src/', () => {
    const used = new Map<string, string[]>();
    for (const file of sourceFiles('src')) {
      if (file === join('src', 'diagnostics', 'codes.ts')) continue;
      for (const [code] of readFileSync(file, 'utf8').matchAll(/MC\d{4}/g)) used.set(code, [...(used.get(code) ?? []), file]);
    }
    expect(used.size).toBeGreaterThan(10);
    const unknown = [...used].filter(([code]) => !catalogue.includes(code)).map(([code, files]) => `${code} (${[...new Set(files)].join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('templates belong to catalogue codes, and filling every placeholder leaves none', () => {
    for (const [code, template] of Object.entries(templates)) {
      expect(catalogue, code).toContain(code);
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      expect(names.length, `${code} has no placeholder`).toBeGreaterThan(0);
      const filled = formatMessage(code as TemplatedCode, Object.fromEntries(names.map((n) => [n, `<${n}>`])) as never);
      expect(filled, code).not.toMatch(/\{\w+\}/);
      for (const n of names) expect(filled, code).toContain(`<${n}>`);
    }
  });
});
