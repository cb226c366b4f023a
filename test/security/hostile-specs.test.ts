// Hostile specs from the reliability campaign of issue 14 (findings 2, 3 and 4): each one, which
// once passed `check` silently, crashed with an internal error or allocated without bound, is now
// a diagnostic with a code, a position and the figure at fault, and never reaches the emitter.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { DEFAULT_LIMITS } from '../../src/ir/limits.ts';

const spec = (inputs: string, layers: string) => `name: m\ninputs:\n${inputs}\nlayers:\n${layers}\n`;

function diagnose(text: string, file = 'm.yaml', limits = DEFAULT_LIMITS) {
  // emit: true, as `build` runs it: nothing may throw on the way to the emitter.
  const result = compile(text, file, { limits });
  return { result, codes: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), messages: result.diagnostics.map((d) => d.message).join('\n') };
}

describe('batch sizes (finding 2)', () => {
  it('two inputs with different batch_size are an error naming both', () => {
    const { codes, messages, result } = diagnose(spec('  x: { shape: [5, 3], batch_size: 2 }\n  m: { shape: [5], dtype: bool, batch_size: 4 }', '  - { type: LSTM, units: 4, input: x, mask: m }'));
    expect(codes).toEqual(['MC3012']);
    expect(messages).toContain('Input "m" has batch_size 4, but input "x" has batch_size 2');
    expect(result.diagnostics[0]!.related[0]!.message).toContain('input "x" sets batch_size 2 here');
  });

  it('equal batch sizes are fine', () => {
    expect(diagnose(spec('  a: { shape: [3], batch_size: 2 }\n  b: { shape: [3], batch_size: 2 }', '  - { type: Add, inputs: [a, b] }')).codes).toEqual([]);
  });
});

describe('internal errors become diagnostics (finding 3)', () => {
  it('Bidirectional wrapping a Bidirectional (Keras refuses it too)', () => {
    const { codes, messages } = diagnose(spec('  x: { shape: [5, 3] }', '  - type: Bidirectional\n    layer: { type: Bidirectional, layer: { type: LSTM, units: 4 } }'));
    expect(codes).toEqual(['MC4009']);
    expect(messages).toContain('wraps Bidirectional, which is not a recurrent layer');
  });

  it('units: 1e308', () => {
    const { codes, messages } = diagnose(spec('  x: { shape: [3] }', '  - { name: d, type: Dense, units: 1e308 }'));
    expect(codes).toEqual(['MC4008']);
    expect(messages).toContain('Dense layer "d"');
    expect(messages).toContain('more than 2^53');
  });

  it('TimeDistributed nested 40 deep is refused before the schema validator recurses', () => {
    let inner = '{ type: Dense, units: 2 }';
    for (let i = 0; i < 40; i++) inner = `{ type: TimeDistributed, layer: ${inner} }`;
    const { codes, messages } = diagnose(spec('  x: { shape: [2, 3] }', `  - ${inner}`));
    expect(codes).toEqual(['MC2008']);
    expect(messages).toContain('more than 8 deep');
  });

  it('JSON nested 5,000 deep, and YAML flow nested 5,000 deep', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const json = diagnose(`{"name": "m", "inputs": {"x": {"shape": [3]}}, "layers": [{"type": "Dense", "units": 2, "extra": ${deep}}]}`, 'm.json');
    expect(json.codes).toEqual(['MC1001']);
    expect(json.messages).toContain('nested more than 100 levels deep');
    const yaml = diagnose(spec('  x: { shape: [3] }', `  - { type: Dense, units: 2, extra: ${deep} }`));
    expect(yaml.codes).toEqual(['MC1001']);
    expect(yaml.messages).toContain('nested more than 100 levels deep');
  });

  it('a chain of 20,000 layers listed consumer-first does not overflow the topological sort', { timeout: 120_000 }, () => {
    const n = 20_000;
    const layers = Array.from({ length: n }, (_, i) => `  - { name: l${i}, type: Dense, units: 2, input: ${i === n - 1 ? 'x' : `l${i + 1}`} }`).join('\n');
    const text = `name: m\ninputs:\n  x: { shape: [2] }\nlayers:\n${layers}\noutputs: [l0]\n`;
    const result = compile(text, 'm.yaml', { emit: false });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.graph!.layers[0]!.name).toBe(`l${n - 1}`);
  });

  it('SimpleRNN unroll: true over 200,000 and 2^31 steps', () => {
    for (const steps of [200_000, 2 ** 31]) {
      const { codes, messages } = diagnose(spec(`  x: { shape: [${steps}, 2] }`, '  - { name: s, type: SimpleRNN, units: 2, unroll: true }'));
      expect(codes).toEqual(['MC4022']);
      expect(messages).toContain(`unrolls ${steps.toLocaleString('en-US')} timesteps`);
    }
  });
});

describe('sizes checked before allocation (finding 4)', () => {
  it.each([
    ['Dense units: 1e9 with an open batch', '  x: { shape: [5] }', '  - { name: d, type: Dense, units: 1000000000 }', 'MC4008', 'Dense layer "d" would output a tensor of shape (batch, 1000000000): 1,000,000,000 values per batch row (3.7 GiB)'],
    ['Dense with 5e9 parameters', '  x: { shape: [50000] }', '  - { name: d, type: Dense, units: 100000 }', 'MC4021', 'Dense layer "d" has a parameter "kernel" of shape (50000, 100000): 5,000,000,000 values (18.6 GiB)'],
    ['an Embedding of 2^40 x 2^20, exactly', '  x: { shape: [4], dtype: int32 }', '  - { name: e, type: Embedding, input_dim: 1099511627776, output_dim: 1048576 }', 'MC4021', '1,152,921,504,606,846,976 values'],
    ['RepeatVector n: 2^40', '  x: { shape: [4] }', '  - { name: r, type: RepeatVector, n: 1099511627776 }', 'MC4008', 'RepeatVector layer "r" would output a tensor of shape (batch, 1099511627776, 4): 4,398,046,511,104 values per batch row'],
    ['Flatten to 2^54', '  x: { shape: [134217728, 134217728] }', '  - { name: f, type: Flatten }', 'MC4008', 'values per batch row'],
  ])('%s', (_, inputs, layers, code, message) => {
    const { codes, messages, result } = diagnose(spec(inputs, layers));
    expect(codes).toEqual([code]);
    expect(messages).toContain(message);
    expect(messages).toContain('per buffer');
    expect(result.output).toBeUndefined();
  });

  it('all parameters together against the total budget, and the limits are configurable', () => {
    // Two Dense layers of 2^27 parameters each (512 MiB each): within the defaults.
    const text = spec('  x: { shape: [16384] }', '  - { name: a, type: Dense, units: 8192, use_bias: false }\n  - { name: b, type: Dense, units: 16384, use_bias: false }');
    const ok = compile(text, 'm.yaml', { emit: false, limits: DEFAULT_LIMITS });
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const total = compile(text, 'm.yaml', { emit: false, limits: { ...DEFAULT_LIMITS, maxTotalBytes: 600 * 2 ** 20 } });
    expect(total.diagnostics.map((d) => d.code)).toEqual(['MC4021']);
    expect(total.diagnostics[0]!.message).toContain('The model has 268,435,456 parameters (1 GiB), over the limit of 600 MiB for all parameters');
    const buffer = compile(text, 'm.yaml', { emit: false, limits: { ...DEFAULT_LIMITS, maxBufferBytes: 2 ** 20 } });
    expect(buffer.diagnostics.map((d) => d.code)).toEqual(['MC4021', 'MC4021']);
    expect(buffer.diagnostics[0]!.message).toContain('over the limit of 1 MiB (262,144 float32 values) per buffer');
    const unroll = compile(spec('  x: { shape: [50, 2] }', '  - { type: SimpleRNN, units: 2, unroll: true }'), 'm.yaml', { emit: false, limits: { ...DEFAULT_LIMITS, maxUnrolledSteps: 10 } });
    expect(unroll.diagnostics.map((d) => d.code)).toContain('MC4022');
  });
});

describe('run time and weights (finding 9, the parts outside the emitter)', () => {
  it('a weight of 1e39 (Infinity as float32) is MC5005', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { compileFile } = await import('../../src/commands/load.ts');
    const dir = mkdtempSync(join(tmpdir(), 'modelc-w-'));
    writeFileSync(join(dir, 'm.yaml'), 'name: m\nweights: w.json\ninputs: { x: { shape: [1] } }\nlayers: [{ name: d, type: Dense, units: 1 }]\n');
    const host = { stdout: () => {}, stderr: () => {}, cwd: dir, color: false };
    writeFileSync(join(dir, 'w.json'), '{ "d": { "kernel": [[1e39]], "bias": [0] } }');
    const bad = compileFile(host, 'm.yaml').result.diagnostics;
    expect(bad.map((d) => d.code)).toEqual(['MC5005']);
    expect(bad[0]!.message).toContain('holds 1e+39, which is not a finite float32 number');
    writeFileSync(join(dir, 'w.json'), '{ "d": { "kernel": [[3.4e38]], "bias": [0] } }');
    expect(compileFile(host, 'm.yaml').result.diagnostics).toEqual([]);
  });

  it('`modelc run` reports an input named `constructor` left out as missing', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../../src/cli.ts');
    const dir = mkdtempSync(join(tmpdir(), 'modelc-run-'));
    writeFileSync(join(dir, 'm.yaml'), 'name: m\ninputs:\n  x: { shape: [1] }\n  constructor: { shape: [1] }\nlayers: [{ type: Add, inputs: [x, constructor] }]\n');
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: [[1]] }));
    let stderr = '';
    const code = await main(['run', 'm.yaml', '--input', 'in.json'], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: dir, color: false });
    expect(code).toBe(1);
    expect(stderr).toContain('missing input "constructor", shape (batch, 1)');
  });
});
