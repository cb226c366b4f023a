// Names from a spec reach generated code only as allocated identifiers or string literals made by
// the factory: names that are keywords, globals or JavaScript's own property names compile into
// code that type-checks and runs, and names that try to break out of an identifier, a string or a
// comment never pass the schema.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';

const hostile = `name: function
inputs:
  delete: { shape: [4, 2] }
  constructor: { shape: [3] }
layers:
  - name: return
    type: LSTM
    units: 3
    input: delete
  - name: x-y
    type: Dense
    units: 2
    input: constructor
  - name: toString
    type: Concatenate
    inputs: [return, x-y]
  - name: Math
    type: Dense
    units: 1
outputs: { class: Math, hasOwnProperty: return, "const": x-y }
`;

describe('hostile but valid names', () => {
  const result = compile(hostile, 'hostile.yaml');

  it('compile without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('give a module that type-checks under strict settings', () => {
    const file = ts.createSourceFile('hostile.ts', result.output!.text, ts.ScriptTarget.ES2022, true);
    const host = ts.createCompilerHost({ strict: true, noUnusedLocals: true, noUncheckedIndexedAccess: true, lib: ['lib.es2022.d.ts'], types: [] });
    const original = host.getSourceFile;
    host.getSourceFile = (name, ...rest) => (name === 'hostile.ts' ? file : original.call(host, name, ...rest));
    const program = ts.createProgram(['hostile.ts'], { strict: true, noUnusedLocals: true, noUncheckedIndexedAccess: true, lib: ['lib.es2022.d.ts'], types: [], noEmit: true }, host);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it('declare no identifier named like a keyword or a global, and run', async () => {
    const text = result.output!.text;
    expect(text).not.toMatch(/\b(const|let|function) (delete|return|function|constructor|Math|class)\b/);
    const mod = await loadGeneratedModule(text);
    const out = new mod.Model(mod.initWeights(1)).predict({ delete: new Float32Array(8), constructor: new Float32Array(3) });
    expect(Object.keys(out).sort()).toEqual(['class', 'const', 'hasOwnProperty']);
    expect(out.class!.length).toBe(1);
    expect(Number.isFinite(out.class![0]!)).toBe(true);
  });
});

describe('names that would break out of an identifier, a string or a comment', () => {
  it.each([
    ['a layer name with a comment terminator', 'layers:\n  - name: "a*/evil()/*"\n    type: Dense\n    units: 1\n'],
    ['a layer name with a quote', 'layers:\n  - name: "a\\"b"\n    type: Dense\n    units: 1\n'],
    ['a layer name with a newline', 'layers:\n  - name: "a\\nb"\n    type: Dense\n    units: 1\n'],
    ['an input name with a space and parentheses', 'layers:\n  - type: Dense\n    units: 1\n    input: "x) {"\n'],
    ['an output name with a backtick', 'layers:\n  - type: Dense\n    units: 1\noutputs: { "`${1}`": dense }\n'],
    ['the name __proto__', 'layers:\n  - name: __proto__\n    type: Dense\n    units: 1\n'],
  ])('%s is rejected by the schema (MC2007), nothing is emitted', (_label, rest) => {
    const result = compile(`name: m\ninputs:\n  x: { shape: [2] }\n${rest}`, 'inline.yaml');
    expect(result.diagnostics.map((d) => d.code)).toContain('MC2007');
    expect(result.output).toBeUndefined();
  });
});
