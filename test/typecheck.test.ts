// Every generated module type-checks in-process under the strictest common settings, and the
// shapes in its types make the type checker reject misuse (test/types/*.ts fixtures: every
// `// @ts-expect-error` there must be needed, so each marks a rejected misuse).
import { readdirSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const strictest: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noFallthroughCasesInSwitch: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: false,
};

function check(files: string[]): string[] {
  const program = ts.createProgram(files, strictest);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('generated modules type-check', () => {
  const modules = readdirSync('generated').filter((f) => f.endsWith('.ts')).map((f) => `generated/${f}`);

  it('has modules to check', () => {
    expect(modules.length).toBeGreaterThan(0);
  });

  it('under strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, noUnused*, with no lib beyond ES2022 (no DOM, no Node)', () => {
    expect(check(modules)).toEqual([]);
  });
});

describe('shapes in the generated types', () => {
  const fixtures = readdirSync('test/types').filter((f) => f.endsWith('.ts')).map((f) => `test/types/${f}`);

  it.each(fixtures)('%s: every @ts-expect-error is a rejected misuse, the rest compiles', (fixture) => {
    expect(check([fixture])).toEqual([]);
  });
});
