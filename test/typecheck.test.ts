// Every generated module type-checks in-process under the strictest common settings, and the
// shapes in its types make the type checker reject misuse (test/types/*.ts fixtures: every
// `// @ts-expect-error` there must be needed, so each marks a rejected misuse).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { typeCheck } from './support/strict.ts';

const check = typeCheck;

describe('generated modules type-check', () => {
  const modules = readdirSync('generated').filter((f) => f.endsWith('.ts')).map((f) => `generated/${f}`);

  it('has modules to check', () => {
    expect(modules.length).toBeGreaterThan(0);
  });

  it('under strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, noUnused*, with no lib beyond ES2022 (no DOM, no Node)', () => {
    expect(check(modules)).toEqual([]);
  }, 60_000); // one program of every module, each with its WebAssembly engine
});

describe('shapes in the generated types', () => {
  const fixtures = readdirSync('test/types').filter((f) => f.endsWith('.ts')).map((f) => `test/types/${f}`);

  it.each(fixtures)('%s: every @ts-expect-error is a rejected misuse, the rest compiles', (fixture) => {
    expect(check([fixture])).toEqual([]);
  });
});
