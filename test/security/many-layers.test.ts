// Thousands of layers: `check` is linear in the spec (finding 5 of issue 14). No timing
// assertions: a smoke test that 20,000 layers complete well inside a generous timeout (the
// quadratic parser took minutes at 5,000), that the duplicate-key report still names the right
// layer at the end of a long list, and that `check` does not run the emitter.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { DiagnosticBag } from '../../src/diagnostics/diagnostic.ts';
import { parseSpec } from '../../src/source/parse.ts';

function dense(n: number, extra = ''): string {
  const lines = ['name: many', 'inputs:', '  x: { shape: [8] }', 'layers:'];
  for (let i = 0; i < n; i++) lines.push(`  - type: Dense\n    units: 8${i === n - 1 ? extra : ''}`);
  return `${lines.join('\n')}\n`;
}

describe('a spec with thousands of layers', () => {
  it('checks 20,000 layers (shapes inferred, no code emitted)', { timeout: 120_000 }, () => {
    const result = compile(dense(20_000), 'many.yaml', { emit: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.graph!.layers).toHaveLength(20_000);
    expect(result.graph!.layers.at(-1)!.name).toBe('dense_19999');
    expect(result.output).toBeUndefined();
  });

  it('names the right layer in a duplicate key at the end of 5,000 layers', { timeout: 60_000 }, () => {
    const bag = new DiagnosticBag();
    parseSpec('many.yaml', dense(5_000, '\n    units: 9'), bag);
    const list = bag.sorted();
    expect(list.map((d) => [d.code, d.message])).toEqual([['MC1002', 'Dense layer "dense_4999" gives "units" twice.']]);
  });

  it('reports 5,000 errors, each once', { timeout: 60_000 }, () => {
    const lines = ['name: errs', 'inputs:', '  x: { shape: [4] }', 'layers:'];
    for (let i = 0; i < 5_000; i++) lines.push('  - { type: Dense, units: 4, unit: 3 }');
    const result = compile(`${lines.join('\n')}\n`, 'errs.yaml', { emit: false });
    expect(result.diagnostics).toHaveLength(5_000);
    expect(new Set(result.diagnostics.map((d) => d.span.start)).size).toBe(5_000);
    expect(result.diagnostics.every((d) => d.code === 'MC2002')).toBe(true);
  });

  it('emits code by default, and not with emit: false', () => {
    const text = dense(3);
    expect(compile(text, 'm.yaml').output?.fileName).toBe('many.ts');
    expect(compile(text, 'm.yaml', { emit: false }).output).toBeUndefined();
  });
});
