// MultiHeadAttention (issue 12). Keras 3.15.1's own numbers and summaries are the fixtures
// test/fixtures/keras/mha_*.json (every option, the masks and both of Keras's paths for hidden rows),
// checked by test/keras/fixtures.test.ts on both engines and test/layers/keras-summaries.test.ts;
// here: the shape rule, the weight layout, the errors, strict type-checking, the WebAssembly
// fallback, and a run-time length computing what the fixed-length module computes.
import { describe, expect, it } from 'vitest';
import { loadGeneratedModule } from '../../src/load-module.ts';
import { build, codesOf, errorOf, maxAbsDiff, paramsOf, randomArray, shapeOf, spec, typeErrors } from './helpers.ts';

const mha = (options: Record<string, unknown>, inputs: Record<string, Record<string, unknown>>, names = Object.keys(inputs)) =>
  build(spec([{ name: 'l', type: 'MultiHeadAttention', num_heads: 2, key_dim: 3, inputs: names, ...options }], inputs));
const f = (...shape: (number | null)[]) => ({ shape });

describe('MultiHeadAttention', () => {
  it.each([
    [{}, { x: f(5, 4) }, ['x', 'x'], '(batch, 5, 4)'],
    [{ output_shape: 7 }, { q: f(4, 6), v: f(5, 3) }, undefined, '(batch, 4, 7)'],
    [{ output_shape: [2, 3], return_attention_scores: true }, { q: f(4, 6), v: f(5, 3) }, undefined, '(batch, 4, 2, 3), (batch, 2, 4, 5)'],
    [{ use_causal_mask: true }, { q: f(null, 6), v: f(null, 3) }, undefined, '(batch, q_time, 6)'],
    [{ attention_axes: -2 }, { q: f(4, 6), v: f(5, 3), k: f(5, 2), m: { shape: [4, 5], dtype: 'bool' } }, undefined, '(batch, 4, 6)'],
  ])('%j on %j -> %s', (options, inputs, names, expected) => {
    expect(shapeOf(mha(options, inputs, names), 'l')).toBe(expected);
  });

  it("has Keras's EinsumDense weights: query, key, value, attention_output, in get_weights() order", () => {
    const result = mha({ value_dim: 4, output_shape: [2, 5] }, { q: f(4, 6), v: f(5, 3), k: f(5, 2) });
    expect(Object.entries(paramsOf(result, 'l'))).toEqual([
      ['query/kernel', [6, 2, 3]], ['query/bias', [2, 3]],
      ['key/kernel', [2, 2, 3]], ['key/bias', [2, 3]],
      ['value/kernel', [3, 2, 4]], ['value/bias', [2, 4]],
      ['attention_output/kernel', [2, 4, 2, 5]], ['attention_output/bias', [2, 5]],
    ]);
    expect(Object.keys(paramsOf(mha({ use_bias: false }, { x: f(5, 4) }, ['x', 'x']), 'l'))).toEqual(['query/kernel', 'key/kernel', 'value/kernel', 'attention_output/kernel']);
    expect(Object.entries(paramsOf(mha({ use_gate: true, value_dim: 4 }, { x: f(5, 6) }, ['x', 'x']), 'l')).slice(4, 6)).toEqual([['gate/kernel', [6, 2, 4]], ['gate/bias', [2, 4]]]);
  });

  it('MC4050: key and value steps, the attention_mask shape', () => {
    const error = errorOf(mha({}, { q: f(4, 6), v: f(5, 3), k: f(6, 3) }));
    expect(error.code).toBe('MC4050');
    expect(error.message).toBe('MultiHeadAttention layer "l" attends with a query, value, key and attention_mask where the key\'s steps (6) and the value\'s (5) must be equal. Received: inputs of shape (batch, 4, 6), (batch, 5, 3), (batch, 6, 3).');
    const mask = errorOf(mha({}, { q: f(4, 6), v: f(5, 3), m: { shape: [5, 4], dtype: 'bool' } }));
    expect(mask.message).toContain('the attention_mask must have the shape (batch, 4, 5) of (batch, query steps, value steps)');
    expect(mask.hint).toBe('declare the mask input as `{ shape: [4, 5], dtype: bool }`: true where query step i may attend to value step j.');
  });

  it('MC4051: attention over an axis other than time; MC4001, MC4004, MC4010 on the inputs', () => {
    const axes = errorOf(mha({ attention_axes: [2] }, { x: f(5, 4) }, ['x', 'x']));
    expect(axes.code).toBe('MC4051');
    expect(axes.message).toBe('MultiHeadAttention layer "l" attends over axes [2]; this version of modelc attends over the time axis (1) of (batch, steps, features) inputs only.');
    expect(codesOf(mha({}, { x: f(4) }, ['x', 'x']))).toEqual(['MC4001']);
    expect(codesOf(mha({}, { x: { shape: [4, 3], dtype: 'int32' } }, ['x', 'x']))).toEqual(['MC4004']);
    expect(codesOf(mha({}, { m: { shape: [4, 5], dtype: 'bool' }, v: f(5, 3) }, ['m', 'v']))).toEqual(['MC4004']);
    expect(errorOf(mha({}, { q: f(4, 6), v: f(5, 3), k: f(5, 3), x: f(4, 5) })).message).toBe('MultiHeadAttention layer "l" expects a bool input. Received: float32 of shape (batch, 4, 5).');
    expect(codesOf(build(spec([{ name: 'r', type: 'Permute', dims: [2, 1], input: 'x' }, { name: 'l', type: 'MultiHeadAttention', num_heads: 1, key_dim: 2, inputs: ['x', 'r'] }], { x: f(null, 2) })))).toEqual(['MC4010']);
  });

  it('type-checks under the strictest settings, with masks, an attention_mask, causal and scores', () => {
    const text = JSON.stringify({
      name: 'mha',
      inputs: { q: { shape: [4], dtype: 'int32' }, v: { shape: [5], dtype: 'int32' }, m: { shape: [4, 5], dtype: 'bool' } },
      layers: [
        { name: 'eq', type: 'Embedding', input_dim: 6, output_dim: 4, mask_zero: true, input: 'q' },
        { name: 'ev', type: 'Embedding', input_dim: 6, output_dim: 4, mask_zero: true, input: 'v' },
        { name: 'att', type: 'MultiHeadAttention', num_heads: 2, key_dim: 2, use_causal_mask: true, return_attention_scores: true, inputs: ['eq', 'ev', 'ev', 'm'] },
      ],
      outputs: ['att', 'att.scores'],
    });
    const result = build(text);
    expect(codesOf(result)).toEqual([]);
    expect(typeErrors([result.output!.text]).join('\n')).toBe('');
  });

  it('is printed to WebAssembly, masks, gate and all (the fixtures hold both engines to Keras)', () => {
    const result = build(spec([
      { name: 'eq', type: 'Embedding', input_dim: 6, output_dim: 3, mask_zero: true, input: 'q' },
      { name: 'l', type: 'MultiHeadAttention', num_heads: 2, key_dim: 3, use_gate: true, sliding_window: 2, use_causal_mask: true, inputs: ['eq', 'v', 'v', 'm'] },
    ], { q: { shape: [4], dtype: 'int32' }, v: f(5, 3), m: { shape: [4, 5], dtype: 'bool' } }));
    expect(result.output!.text).toMatch(/interface WasmExports \{\n(.*\n)*? {4}readonly forward_l: /);
  });

  it('with run-time lengths computes what the fixed-length module computes', async () => {
    const fixed = (Tq: number, Tv: number) => spec([{ name: 'l', type: 'MultiHeadAttention', num_heads: 2, key_dim: 3, use_causal_mask: true, inputs: ['q', 'v'] }], { q: { shape: [Tq, 4], batch_size: 2 }, v: { shape: [Tv, 3], batch_size: 2 } });
    const open = await loadGeneratedModule(build(spec([{ name: 'l', type: 'MultiHeadAttention', num_heads: 2, key_dim: 3, use_causal_mask: true, inputs: ['q', 'v'] }], { q: { shape: [null, 4], batch_size: 2 }, v: { shape: [null, 3], batch_size: 2 } })).output!.text);
    const weights = open.initWeights(3);
    for (const [Tq, Tv] of [[3, 6], [5, 2]] as const) {
      const closed = await loadGeneratedModule(build(fixed(Tq, Tv)).output!.text);
      const inputs = { q: randomArray(2 * Tq * 4, Tq), v: randomArray(2 * Tv * 3, Tv) };
      expect(maxAbsDiff(open.predict(inputs, weights).l!, closed.predict(inputs, weights).l!)).toBeLessThan(1e-6);
    }
  });
});

describe('the attention layers', () => {
  // Their loops' locals (the largest score, the total, ...) are allocated: an input may be named like one.
  it.each([
    ['Attention', {}],
    ['AdditiveAttention', {}],
    ['MultiHeadAttention', { num_heads: 2, key_dim: 2, use_causal_mask: true }],
  ])('%s reads inputs named like its locals', async (type, options) => {
    const named = async (q: string, v: string) =>
      loadGeneratedModule(build(spec([{ name: 'l', type, inputs: [q, v], ...options }], { [q]: { shape: [4, 3], batch_size: 2 }, [v]: { shape: [5, 3], batch_size: 2 } })).output!.text);
    const [plain, clashing] = [await named('q', 'v'), await named('m', 'total')];
    const weights = plain.initWeights(5);
    const [q, v] = [randomArray(24, 1), randomArray(30, 2)];
    expect(maxAbsDiff(clashing.predict({ m: q, total: v }, weights).l!, plain.predict({ q, v }, weights).l!)).toBe(0);
  });
});
