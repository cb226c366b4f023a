// Shared layers (`{ name: enc_b, shares: enc, input: b }`): one layer applied to several inputs, one
// set of weights. Numbers against real Keras 3.15.1 (test/fixtures/keras/shared_*.json, made by
// scripts/keras/cases_shared.py), on both engines; one copy of the weights in the module, in
// loadWeights, loadSafetensors, paramCount and the summary; per-application states and masks; and
// the diagnostics for what cannot be shared.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { graphParams, paramCount } from '../../src/ir/params.ts';
import { loadGeneratedModule, type GeneratedInputs } from '../../src/load-module.ts';
import { build, codesOf, errorOf, spec } from '../layers/helpers.ts';

interface Fixture {
  readonly case: string;
  readonly spec: { readonly inputs: Record<string, { dtype?: string }>; readonly layers: readonly Record<string, unknown>[] };
  readonly weights: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly summary: { readonly layers: readonly { name: string; type: string; output_shape: unknown; params: number }[]; readonly total_params: number };
}

const dir = 'test/fixtures/keras';
const fixtures = readdirSync(dir)
  .filter((f) => f.startsWith('shared_'))
  .sort()
  .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Fixture);

const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value as number]);
const toInputs = (f: Fixture): GeneratedInputs =>
  Object.fromEntries(Object.entries(f.inputs).map(([name, v]) => [name, f.spec.inputs[name]?.dtype === 'int32' ? Int32Array.from(flat(v)) : Float32Array.from(flat(v))]));

describe('shared layers against Keras', () => {
  it('has the cases', () => expect(fixtures.map((f) => f.case)).toEqual(['shared_bidirectional_gru', 'shared_dense_two_inputs', 'shared_embedding_lstm_masked', 'shared_lstm_siamese', 'shared_lstm_states']));

  it.each(fixtures.flatMap((f) => (['wasm', 'js'] as const).map((engine) => [f.case, engine, f] as const)))('%s matches Keras to 1e-5 (engine %s)', async (_name, engine, fixture) => {
    const result = compile(JSON.stringify(fixture.spec), `${fixture.case}.json`);
    expect(codesOf(result)).toEqual([]);
    const mod = await loadGeneratedModule(result.output!.text);
    // Keras's weights file has one entry per layer object: loadWeights takes exactly that.
    const model = new mod.Model(mod.loadWeights(fixture.weights), { engine });
    const outputs = model.predict(toInputs(fixture));
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(fixture.outputs).sort());
    for (const [name, expected] of Object.entries(fixture.outputs)) {
      const e = flat(expected);
      const worst = e.reduce((w, v, i) => Math.max(w, Math.abs(outputs[name]![i]! - v)), 0);
      expect(outputs[name]!.length).toBe(e.length);
      expect(worst, `${fixture.case}: ${name}`).toBeLessThanOrEqual(1e-5);
    }
  });

  it.each(fixtures.map((f) => [f.case, f] as const))('%s: one copy of the weights, counted once as Keras counts them', (_name, fixture) => {
    const result = compile(JSON.stringify(fixture.spec), `${fixture.case}.json`);
    const params = graphParams(result.graph!, result.types!);
    expect(params.filter((p) => p.params.length > 0).map((p) => p.layer.name).sort()).toEqual(Object.keys(fixture.weights).sort());
    expect(params.reduce((n, p) => n + paramCount(p.params), 0)).toBe(fixture.summary.total_params);
    const text = result.output!.text;
    for (const entry of fixture.spec.layers.filter((l) => 'shares' in l)) {
      expect(text).not.toMatch(new RegExp(`readonly ${String(entry.name)}: \\{\\s*/\\*\\*[^*]*\\*/\\s*readonly kernel`));
      expect(text).toContain(`weights.${String(entry.shares)}.`);
    }
  });
});

describe('shared layers: the generated code', () => {
  const text = readFileSync('generated/siamese_lstm.ts', 'utf8');

  it('calls the first call\'s function for a later call whose code differs only in names', () => {
    expect(text).not.toContain('function forward_encoder_b(');
    expect(text.match(/^ {4}forward_encoder\(/gm)).toHaveLength(4); // two calls, in forward and in forwardStep
    expect(text).toContain('forward_encoder(batch, embed_b, embed_b_mask, encoder_b, encoder_b_state_c, encoder_b_state_h, encoder_b_xz, restart, weights);');
  });

  it('keeps a function per call where the code says which call it is (an Embedding\'s range error)', () => {
    expect(text).toContain('function forward_embed_b(');
    expect(text).toContain('Embedding \\"embed_b\\": token id');
  });
});

describe('shared layers: the weights file', () => {
  const fixture = fixtures.find((f) => f.case === 'shared_lstm_siamese')!;
  const withWeights = (weights: unknown) =>
    compile(JSON.stringify({ ...fixture.spec, weights: 'w.json' }), 'siamese.json', { readWeights: () => JSON.stringify(weights) });

  it('is checked at compile time with one entry per layer object, and embedded once', () => {
    const result = withWeights(fixture.weights);
    expect(codesOf(result)).toEqual([]);
    // 146 parameters, 4 bytes each, base64: the shared LSTM's 128 once.
    const embedded = /const defaultWeightsBase64 = "([^"]*)"/.exec(result.output!.text)![1]!;
    expect(Buffer.from(embedded, 'base64').length).toBe(4 * fixture.summary.total_params);
  });

  it('has no entry for a sharing entry (MC5003)', () => {
    expect(codesOf(withWeights({ ...fixture.weights, enc_b: fixture.weights.enc }))).toEqual(['MC5003']);
  });
});

const siamese = (extra: Record<string, unknown> = {}, b: Record<string, unknown> = { shape: [7, 3] }) =>
  spec([{ name: 'enc', type: 'LSTM', units: 4, input: 'a', ...extra }, { name: 'enc_b', shares: 'enc', input: 'b' }, { type: 'Concatenate', inputs: ['enc', 'enc_b'] }], { a: { shape: [5, 3], batch_size: 2 }, b: { batch_size: 2, ...b } });

describe('shared layers: the spec', () => {
  it('gives every application its own output, states and length', () => {
    const result = build(spec([{ name: 'enc', type: 'LSTM', units: 4, input: 'a', return_sequences: true }, { name: 'enc_b', shares: 'enc', input: 'b' }, { type: 'Concatenate', axis: 1, inputs: ['enc', 'enc_b'] }], { a: { shape: [5, 3], batch_size: 2 }, b: { shape: [7, 3], batch_size: 2 } }));
    expect(codesOf(result)).toEqual([]);
    expect(result.types!.get('enc')![0]!.shape).toEqual([2, 5, 4]);
    expect(result.types!.get('enc_b')![0]!.shape).toEqual([2, 7, 4]);
    expect(result.output!.text).toContain('enc_b_state_h');
  });

  it('resolves a share of a share to the layer that owns the weights', () => {
    const result = build(spec([{ name: 'd', type: 'Dense', units: 4 }, { name: 'd2', shares: 'd' }, { name: 'd3', shares: 'd2' }], { x: { shape: [4] } }));
    expect(codesOf(result)).toEqual([]);
    expect(result.graph!.layers.find((l) => l.name === 'd3')!.shares).toBe('d');
  });

  it('refuses features of another size where the weights depend on them (MC3015)', () => {
    const e = errorOf(build(siamese({}, { shape: [7, 5] })));
    expect(e.code).toBe('MC3015');
    expect(e.message).toBe('LSTM layer "enc_b" applies the weights of "enc", as "enc" does, but its input (2, 7, 5) needs kernel of shape (5, 16), where the input (2, 5, 3) of "enc" needs (3, 16): one set of weights cannot be both.');
  });

  it('refuses a stateful shared layer (MC3014)', () => {
    const e = errorOf(build(siamese({ stateful: true })));
    expect(e.code).toBe('MC3014');
    expect(e.hint).toContain('drop `stateful: true` from "enc"');
  });

  it('refuses `shares` of an input, an unknown name or a layer below (MC3013)', () => {
    const input = errorOf(build(spec([{ name: 'd', type: 'Dense', units: 2 }, { name: 'd2', shares: 'x' }], { x: { shape: [4] } })));
    expect(input.message).toContain('which is the model input "x"');
    const unknown = errorOf(build(spec([{ name: 'dense', type: 'Dense', units: 2 }, { name: 'd2', shares: 'dens' }], { x: { shape: [4] } })));
    expect([unknown.code, unknown.hint]).toEqual(['MC3013', 'did you mean "dense"?']);
    const below = errorOf(build(spec([{ name: 'd2', shares: 'd', input: 'x' }, { name: 'd', type: 'Dense', units: 2, input: 'd2' }], { x: { shape: [2] } })));
    expect(below.hint).toBe('move "d2" below layer "d" (its first application).');
  });

  it('refuses a type or an option on a sharing entry, and requires its name (schema)', () => {
    const typed = errorOf(build(spec([{ name: 'd', type: 'Dense', units: 2 }, { name: 'd2', shares: 'd', units: 3 }], { x: { shape: [2] } })));
    expect(typed.code).toBe('MC2002');
    expect(typed.hint).toBe('"d2" takes its type and options from the layer it shares; remove `units` (or give "d2" a layer of its own with `type:`).');
    expect(codesOf(build(spec([{ name: 'd', type: 'Dense', units: 2 }, { shares: 'd' }], { x: { shape: [2] } })))).toEqual(['MC2001']);
  });
});
