// Property-based tests (issue 14, item 1), bounded so `npm test` stays fast: MODELC_FUZZ_RUNS
// scales every category (default 1; e.g. 20 for a long run). Each category prints its count.
//
// - valid: random sequential specs over many layer kinds and options compile, give the same bytes
//   twice, load, and run on random inputs with finite outputs of the inferred shapes;
// - mutated: a valid spec's text, mutated (keys deleted, duplicated, retyped; zero, negative,
//   fractional, huge and NaN dimensions; unicode and very long names; BOMs, CRLF, tabs, an empty
//   file, random bytes, deep nesting, many layers on one line) never throws, and its printed
//   diagnostics are in proportion to the input and free of raw control characters;
// - hostile names: never reach the terminal unescaped;
// - strict: random valid specs with run-time lengths, an input no layer reads, stateful layers,
//   dropout, every layer as an output, either engine, with or without embedded weights give modules
//   that type-check under test/support/strict.ts's settings (noUnusedLocals and all), in one program.
// A failing case is shrunk by fast-check and printed as the spec text.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { formatDiagnostic } from '../../src/diagnostics/format.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';
import { typeCheck } from '../support/strict.ts';

const scale = Math.max(1, Number(process.env.MODELC_FUZZ_RUNS ?? 1) || 1);
const counts: Record<string, number> = {};
const count = (category: string) => void (counts[category] = (counts[category] ?? 0) + 1);

afterAll(() => {
  console.log(`fuzz cases per category (MODELC_FUZZ_RUNS=${scale}): ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

// --- Valid specs -------------------------------------------------------------------------

type Layer = Record<string, unknown>;
const units = fc.integer({ min: 1, max: 6 });
const activation = fc.constantFrom('linear', 'relu', 'tanh', 'sigmoid', 'softmax', 'elu', 'selu', 'gelu', 'swish', 'hard_sigmoid', 'softplus', 'mish');
const recurrent = fc.record({
  type: fc.constantFrom('LSTM', 'GRU', 'SimpleRNN'),
  units,
  return_sequences: fc.constant(true),
  go_backwards: fc.boolean(),
  unroll: fc.boolean(),
});
/** A layer taking and giving (batch, time, features). */
const sequenceLayer: fc.Arbitrary<Layer> = fc.oneof(
  recurrent,
  fc.record({ type: fc.constant('TimeDistributed'), layer: fc.record({ type: fc.constant('Dense'), units, activation }) }),
  fc.record({ type: fc.constant('Bidirectional'), layer: recurrent, merge_mode: fc.constantFrom('concat', 'sum', 'mul', 'ave') }),
  fc.record({ type: fc.constant('Conv1D'), filters: units, kernel_size: fc.integer({ min: 1, max: 2 }), padding: fc.constant('same'), activation }),
  fc.record({ type: fc.constant('Dense'), units, activation, use_bias: fc.boolean() }),
  fc.record({ type: fc.constant('Dropout'), rate: fc.double({ min: 0, max: 0.9, noNaN: true }) }),
  fc.record({ type: fc.constant('LayerNormalization') }),
  fc.record({ type: fc.constant('Activation'), activation }),
);
/** A layer from (batch, time, features) to (batch, features). */
const reduceLayer: fc.Arbitrary<Layer> = fc.oneof(
  fc.record({ type: fc.constantFrom('LSTM', 'GRU', 'SimpleRNN'), units }),
  fc.record({ type: fc.constantFrom('GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'Flatten') }),
);
const validSpec = fc
  .record({
    time: fc.integer({ min: 1, max: 4 }),
    features: fc.integer({ min: 1, max: 4 }),
    body: fc.array(sequenceLayer, { minLength: 0, maxLength: 3 }),
    reduce: reduceLayer,
    head: fc.record({ type: fc.constant('Dense'), units, activation }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ time, features, body, reduce, head, seed }) => ({
    name: 'fuzz',
    seed,
    inputs: { x: { shape: [time, features] } },
    layers: [...body, reduce, head],
  }));

describe('property: random valid specs', () => {
  it('compile, give the same bytes twice, and run with finite outputs of the inferred shapes', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(validSpec, fc.integer({ min: 1, max: 3 }), async (spec, batch) => {
        count('valid');
        const text = JSON.stringify(spec, null, 1);
        const result = compile(text, 'fuzz.json');
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) throw new Error(`a valid spec failed:\n${errors.map((d) => `${d.code} ${d.message}`).join('\n')}`);
        expect(compile(text, 'fuzz.json').output!.text).toBe(result.output!.text);
        const mod = await loadGeneratedModule(result.output!.text);
        const model = new mod.Model();
        const [time, features] = spec.inputs.x.shape as [number, number];
        const x = Float32Array.from({ length: batch * time * features }, (_, i) => Math.sin(i + 1));
        const outputs = model.predict({ x }, { batch });
        for (const [name, data] of Object.entries(outputs)) {
          const shape = mod.outputShapes[name]!;
          const known = shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
          expect(data.length).toBe(batch * known);
          expect(data.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: 12 * scale, seed: 14, endOnFailure: true },
    );
  });
});

// --- Valid specs under the strictest compiler settings -------------------------------------

/** A valid spec with the options that change what the module contains: a run-time length, an
 * input no layer reads, stateful layers, dropout (the training path), every layer as an output,
 * and the build options (engine, embedded weights). */
const strictCase = fc
  .record({
    spec: validSpec,
    runTime: fc.boolean(),
    unusedInput: fc.boolean(),
    stateful: fc.boolean(),
    dropout: fc.boolean(),
    everyOutput: fc.boolean(),
    engine: fc.constantFrom('js', 'wasm') as fc.Arbitrary<'js' | 'wasm'>,
    embedWeights: fc.boolean(),
  })
  .map(({ spec, runTime, unusedInput, stateful, dropout, everyOutput, engine, embedWeights }) => {
    const layers = spec.layers.map((layer, i) => ({ ...layer, name: `l${i}` }) as Layer);
    const recurrentTypes = new Set(['LSTM', 'GRU', 'SimpleRNN']);
    for (const layer of layers) {
      const cell = (layer.type === 'Bidirectional' ? layer.layer : layer) as Layer;
      if (!recurrentTypes.has(cell.type as string)) continue;
      if (dropout) Object.assign(cell, { dropout: 0.25, recurrent_dropout: 0.25 });
      if (stateful && layer.type !== 'Bidirectional') Object.assign(layer, { stateful: true });
    }
    const [time, features] = spec.inputs.x.shape as [number, number];
    const x = { shape: [runTime ? null : time, features], ...(stateful ? { batch_size: 2 } : {}) };
    if (unusedInput) layers[0] = { ...layers[0], input: 'x' };
    return {
      spec: { ...spec, inputs: { x, ...(unusedInput ? { aux: { shape: [2], ...(stateful ? { batch_size: 2 } : {}) } } : {}) }, layers, ...(everyOutput ? { outputs: layers.map((l) => l.name as string) } : {}) },
      options: { engine, embedWeights },
    };
  });

describe('property: random valid specs under the strictest settings', () => {
  it('give modules that type-check with noUnused*, exactOptionalPropertyTypes, noUncheckedIndexedAccess, ...', { timeout: 300_000 }, () => {
    const folder = mkdtempSync(join(tmpdir(), 'modelc-strict-fuzz-'));
    const files: string[] = [];
    const specs = new Map<string, string>();
    fc.assert(
      fc.property(strictCase, ({ spec, options }) => {
        const text = JSON.stringify(spec, null, 1);
        const result = compile(text, 'fuzz.json', options);
        // Some combinations are refused by design (Flatten or unroll over a run-time length, a stateful layer without its batch): counted, not checked.
        if (!result.output) return void count('strict: refused');
        count('strict: type-checked');
        const file = join(folder, `m${files.length}.ts`);
        writeFileSync(file, result.output.text);
        files.push(file);
        specs.set(file, text);
      }),
      { numRuns: 24 * scale, seed: 14, endOnFailure: true },
    );
    expect(files.length).toBeGreaterThan(12 * scale);
    // One program for all of them (a program per module would take a second each).
    const errors = typeCheck(files);
    const first = errors[0]?.split(':')[0];
    expect(errors, first ? `the spec of ${first}:\n${specs.get(first)}` : '').toEqual([]);
  });
});

// --- Mutated specs -----------------------------------------------------------------------

const base = 'name: m\ninputs:\n  x: { shape: [4, 3], batch_size: 2 }\nlayers:\n  - name: lstm\n    type: LSTM\n    units: 5\n    return_sequences: true\n  - type: TimeDistributed\n    layer: { type: Dense, units: 2 }\noutputs: [time_distributed]\n';
const hostile = fc.constantFrom('\x1b[31mred\x1b[0m', 'a\nb', '\u202eevil', '__proto__', 'constructor', '名前', '😀', 'x'.repeat(300), '', ' ', '\r', '\u0000', '"', "'", '\\', '${x}', '*/', '</script>');
const number = fc.constantFrom('0', '-1', '1.5', '1e308', '.nan', '.inf', '-.inf', '99999999999999999999', '2147483648', 'null', 'true', '"3"', '[]', '{}');
const lines = base.split('\n');
const mutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.nat({ max: lines.length - 1 }).map((i) => (t: string) => t.split('\n').filter((_, k) => k !== i).join('\n')),
  fc.nat({ max: lines.length - 1 }).map((i) => (t: string) => t.split('\n').flatMap((l, k) => (k === i ? [l, l] : [l])).join('\n')),
  fc.tuple(fc.constantFrom('4', '3', '5', '2'), number).map(([from, to]) => (t: string) => t.replace(from, to)),
  fc.tuple(fc.constantFrom('lstm', 'x', 'LSTM', 'Dense', 'units', 'shape'), hostile).map(([from, to]) => (t: string) => t.split(from).join(to)),
  fc.constant((t: string) => `\uFEFF${t}`),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc.constant((t: string) => t.replace(/ {2}/g, '\t')),
  fc.constant(() => ''),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => () => Buffer.from(bytes).toString('latin1')),
  fc.integer({ min: 50, max: 3000 }).map((n) => (t: string) => `${t}extra: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.integer({ min: 100, max: 2000 }).map((n) => () => `{"name":"m","inputs":{"x":{"shape":[3]}},"layers":[${Array.from({ length: n }, () => '{"type":"Dense","units":2,"junk":1}').join(',')}]}`),
  fc.string({ maxLength: 40 }).map((s) => (t: string) => `${t}${s}\n`),
);

describe('property: mutated specs', () => {
  it('never throw, and print diagnostics in proportion to the input, escaped', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (mutations, json) => {
        count('mutated');
        const text = mutations.reduce((t, m) => m(t), base);
        const file = json ? 'm.json' : 'm.yaml';
        let result;
        try {
          result = compile(text, file);
        } catch (error) {
          throw new Error(`internal error ${(error as Error).message} on the spec:\n${JSON.stringify(text.slice(0, 2000))}`);
        }
        const sources = new Map([[file, result.source]]);
        const printed = result.diagnostics.slice(0, 100).map((d) => formatDiagnostic(d, { color: false, sources })).join('\n');
        // In proportion: a few KB per printed diagnostic at most, whatever the length of the input.
        expect(printed.length).toBeLessThanOrEqual(6000 * Math.max(1, Math.min(100, result.diagnostics.length)));
        expect(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(printed)).toBe(false);
        if (result.diagnostics.some((d) => d.severity === 'error')) count('mutated: rejected');
        else count('mutated: accepted');
      }),
      { numRuns: 150 * scale, seed: 14, endOnFailure: true },
    );
  });
});

describe('property: hostile names', () => {
  it('are refused or escaped, never printed raw', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('input', 'layer', 'output', 'weights', 'option'), (name, where) => {
        count('hostile names');
        const q = JSON.stringify(name);
        const text =
          where === 'input' ? `name: m\ninputs:\n  ${q}: { shape: [3] }\nlayers:\n  - { type: Dense, units: 2 }\n`
          : where === 'layer' ? `name: m\ninputs: { x: { shape: [3] } }\nlayers:\n  - { type: Dense, units: 2, name: ${q} }\n`
          : where === 'output' ? `name: m\ninputs: { x: { shape: [3] } }\nlayers:\n  - { type: Dense, units: 2 }\noutputs: [${q}]\n`
          : where === 'weights' ? `name: m\ninputs: { x: { shape: [3] } }\nlayers:\n  - { type: Dense, units: 2 }\nweights: ${q}\n`
          : `name: m\ninputs: { x: { shape: [3] } }\nlayers:\n  - { type: Dense, units: 2, ${q}: 1 }\n`;
        const result = compile(text, 'm.yaml', { readWeights: () => undefined });
        const sources = new Map([['m.yaml', result.source]]);
        const printed = result.diagnostics.map((d) => formatDiagnostic(d, { color: false, sources })).join('\n');
        expect(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/.test(printed)).toBe(false);
        expect(printed.includes('\x1b')).toBe(false);
        if (result.output) {
          // Accepted: the name is in the generated code only as a string or a safe identifier.
          expect(result.output.text.includes('\x1b')).toBe(false);
        }
      }),
      { numRuns: 60 * scale, seed: 14, endOnFailure: true },
    );
  });
});
