// The small layers of sequence models (issue 12): ReLU, LeakyReLU, PReLU, ELU, Softmax, Identity,
// GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout2D, ActivityRegularization,
// UnitNormalization, Rescaling, Normalization, CategoryEncoding, ZeroPadding1D, Cropping1D,
// UpSampling1D. Keras 3.15.1's own numbers and summaries are the fixtures
// test/fixtures/keras/{relu_*,leaky_relu_*,prelu_*,elu_*,softmax_*,...}.json, checked by
// test/keras/fixtures.test.ts and test/layers/keras-summaries.test.ts; here: the shape rules
// (with run-time lengths), the errors, strict type-checking, and a run-time length computing what
// the fixed-length module computes.
import { describe, expect, it } from 'vitest';
import { loadGeneratedModule } from '../../src/load-module.ts';
import { build, codesOf, errorOf, maxAbsDiff, paramsOf, run, shapeOf, spec, typeErrors } from './helpers.ts';

const layer = (type: string, options: Record<string, unknown>, shape: readonly (number | null)[], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'l', type, ...options }], { x: { shape, ...extra } }));

describe('shape rules', () => {
  it.each([
    ['ReLU', { max_value: 6 }, [5, 3], '(batch, 5, 3)'],
    ['LeakyReLU', {}, [null, 3], '(batch, time, 3)'],
    ['PReLU', { shared_axes: [1] }, [null, 3], '(batch, time, 3)'],
    ['ELU', {}, [4], '(batch, 4)'],
    ['Softmax', { axis: 1 }, [5, 3], '(batch, 5, 3)'],
    ['Identity', {}, [5, 3], '(batch, 5, 3)'],
    ['GaussianNoise', { stddev: 0.1 }, [5, 3], '(batch, 5, 3)'],
    ['GaussianDropout', { rate: 0.1 }, [5, 3], '(batch, 5, 3)'],
    ['AlphaDropout', { rate: 0.1 }, [5, 3], '(batch, 5, 3)'],
    ['SpatialDropout2D', { rate: 0.1 }, [3, 4, 2], '(batch, 3, 4, 2)'],
    ['ActivityRegularization', { l1: 0.1 }, [5, 3], '(batch, 5, 3)'],
    ['UnitNormalization', {}, [null, 3], '(batch, time, 3)'],
    ['Rescaling', { scale: 0.5 }, [5, 3], '(batch, 5, 3)'],
    ['Normalization', {}, [null, 3], '(batch, time, 3)'],
    ['ZeroPadding1D', {}, [5, 3], '(batch, 7, 3)'],
    ['ZeroPadding1D', { padding: [2, 0] }, [null, 3], '(batch, time + 2, 3)'],
    ['Cropping1D', {}, [5, 3], '(batch, 3, 3)'],
    ['Cropping1D', { cropping: [0, 2] }, [null, 3], '(batch, time - 2, 3)'],
    ['UpSampling1D', {}, [5, 3], '(batch, 10, 3)'],
    ['UpSampling1D', { size: 3 }, [null, 3], '(batch, time * 3, 3)'],
  ])('%s %j on %j -> %s', (type, options, shape, expected) => {
    expect(shapeOf(layer(type, options, shape), 'l')).toBe(expected);
  });

  it.each([
    [{ num_tokens: 5 }, [4], '(batch, 5)'],
    [{ num_tokens: 5, output_mode: 'count' }, [2, 4], '(batch, 2, 5)'],
    [{ num_tokens: 5, output_mode: 'one_hot' }, [4], '(batch, 4, 5)'],
    [{ num_tokens: 5, output_mode: 'one_hot' }, [1], '(batch, 5)'],
    [{ num_tokens: 5, output_mode: 'multi_hot' }, [null], '(batch, 5)'],
  ])('CategoryEncoding %j on %j -> %s', (options, shape, expected) => {
    expect(shapeOf(layer('CategoryEncoding', options, shape, { dtype: 'int32' }), 'l')).toBe(expected);
  });

  it("parameters in Keras's layout", () => {
    expect(paramsOf(layer('PReLU', {}, [5, 3]), 'l')).toEqual({ alpha: [5, 3] });
    expect(paramsOf(layer('PReLU', { shared_axes: [1, 2] }, [5, 3]), 'l')).toEqual({ alpha: [1, 1] });
    expect(paramsOf(layer('Normalization', {}, [5, 3]), 'l')).toEqual({ mean: [3], variance: [3], count: [] });
    expect(paramsOf(layer('Normalization', { axis: [1, 2] }, [5, 3]), 'l')).toEqual({ mean: [5, 3], variance: [5, 3], count: [] });
    expect(paramsOf(layer('Normalization', { axis: null }, [5, 3]), 'l')).toEqual({ mean: [], variance: [], count: [] });
    expect(paramsOf(layer('Normalization', { mean: [1, 2, 3], variance: 2 }, [5, 3]), 'l')).toEqual({});
  });
});

describe('errors', () => {
  it('MC4030: a crop that leaves no step', () => {
    const error = errorOf(layer('Cropping1D', { cropping: [2, 3] }, [5, 3]));
    expect(error.code).toBe('MC4030');
    expect(error.message).toBe('Cropping1D layer "l" crops 5 steps from an input of 5 steps, which leaves none. Received: an input of shape (batch, 5, 3).');
  });

  it('MC4031, MC4032: Normalization given half of its statistics, or the wrong number of values', () => {
    expect(errorOf(layer('Normalization', { mean: 1 }, [5, 3])).message).toBe('Normalization layer "l" is given `mean` but not `variance`: give both, or neither to take them from the weights.');
    expect(errorOf(layer('Normalization', { mean: [1, 2], variance: 1 }, [5, 3])).message).toBe(
      'Normalization layer "l" expects `mean` to be one number or 3 values, one per index of the kept axes (2,) of an input of shape (batch, 5, 3). Received: 2 values.',
    );
  });

  it('MC4010: PReLU and Normalization size their parameters by a run-time axis', () => {
    const prelu = errorOf(layer('PReLU', {}, [null, 3]));
    expect(prelu.code).toBe('MC4010');
    expect(prelu.hint).toBe('share alpha along it: `shared_axes: [1]`.');
    expect(codesOf(layer('Normalization', { axis: 1 }, [null, 3]))).toEqual(['MC4010']);
  });

  it('MC4001: wrong ranks and axes', () => {
    expect(codesOf(layer('ZeroPadding1D', {}, [3]))).toEqual(['MC4001']);
    expect(codesOf(layer('UpSampling1D', {}, [3, 4, 2]))).toEqual(['MC4001']);
    expect(codesOf(layer('SpatialDropout2D', { rate: 0.5 }, [3, 4]))).toEqual(['MC4001']);
    expect(codesOf(layer('PReLU', { shared_axes: [3] }, [5, 3]))).toEqual(['MC4001']);
    expect(codesOf(layer('Softmax', { axis: 3 }, [5, 3]))).toEqual(['MC4001']);
  });

  it('MC4004: CategoryEncoding takes int32 tokens; ReLU float32', () => {
    expect(codesOf(layer('CategoryEncoding', { num_tokens: 4 }, [3]))).toEqual(['MC4004']);
    expect(codesOf(layer('ReLU', {}, [3], { dtype: 'int32' }))).toEqual(['MC4004']);
  });

  it('MC2xxx: options Keras refuses (negative threshold, missing num_tokens, scale)', () => {
    expect(codesOf(layer('ReLU', { threshold: -1 }, [3]))[0]).toMatch(/^MC2/);
    expect(codesOf(layer('CategoryEncoding', {}, [3], { dtype: 'int32' }))[0]).toMatch(/^MC2/);
    expect(codesOf(layer('Rescaling', {}, [3]))[0]).toMatch(/^MC2/);
  });
});

describe('generated code', () => {
  const all = spec(
    [
      { name: 'relu', type: 'ReLU', max_value: 0.5, negative_slope: 0.1, threshold: 0.2, input: 'x' },
      { name: 'leaky', type: 'LeakyReLU' },
      { name: 'prelu', type: 'PReLU', shared_axes: [1] },
      { name: 'elu', type: 'ELU', alpha: 0.7 },
      { name: 'softmax', type: 'Softmax', axis: 1 },
      { name: 'identity', type: 'Identity' },
      { name: 'noise', type: 'GaussianNoise', stddev: 0.1 },
      { name: 'gd', type: 'GaussianDropout', rate: 0.1 },
      { name: 'ad', type: 'AlphaDropout', rate: 0.1 },
      { name: 'ar', type: 'ActivityRegularization', l2: 0.1 },
      { name: 'unit', type: 'UnitNormalization' },
      { name: 'rescale', type: 'Rescaling', scale: 2, offset: 1 },
      { name: 'norm', type: 'Normalization', mean: [0.1, 0.2, 0.3], variance: [1, 2, 3] },
      { name: 'norm_w', type: 'Normalization', invert: true },
      { name: 'pad', type: 'ZeroPadding1D', padding: [1, 2] },
      { name: 'crop', type: 'Cropping1D', cropping: [2, 1] },
      { name: 'up', type: 'UpSampling1D', size: 3 },
      { name: 'count', type: 'CategoryEncoding', num_tokens: 5, output_mode: 'count', input: 't' },
      { name: 'one_hot', type: 'CategoryEncoding', num_tokens: 5, output_mode: 'one_hot', input: 't' },
      { name: 'multi_hot', type: 'CategoryEncoding', num_tokens: 5, input: 't' },
    ],
    { x: { shape: [6, 3] }, t: { shape: [4], dtype: 'int32' } },
    { outputs: ['up', 'count', 'one_hot', 'multi_hot'] },
  );

  it('type-checks under the strictest settings, with fixed and run-time lengths', () => {
    const fixed = build(all);
    const open = build(all.replace('"shape": [\n        6,\n        3\n      ]', '"shape": [\n        null,\n        3\n      ]'));
    expect(codesOf(fixed)).toEqual([]);
    expect(codesOf(open)).toEqual([]);
    expect(open.output!.text).not.toEqual(fixed.output!.text);
    expect(typeErrors([fixed.output!.text, open.output!.text]).join('\n')).toBe('');
  });

  it('a run-time length computes what the fixed-length module computes', async () => {
    const layers = [
      { name: 'pad', type: 'ZeroPadding1D', padding: [1, 2] },
      { name: 'crop', type: 'Cropping1D', cropping: [2, 1] },
      { name: 'up', type: 'UpSampling1D', size: 3 },
      { name: 'prelu', type: 'PReLU', shared_axes: [1] },
      { name: 'softmax', type: 'Softmax', axis: 1 },
      { name: 'unit', type: 'UnitNormalization' },
    ];
    const fixed = await run(spec(layers, { x: { shape: [5, 3] } }));
    const open = await loadGeneratedModule(build(spec(layers, { x: { shape: [null, 3] } })).output!.text);
    expect(maxAbsDiff(open.predict(fixed.inputs, fixed.weights, { batch: 2 }).unit!, fixed.outputs.unit!)).toBeLessThan(1e-7);
  });

  it('SpatialDropout2D in training drops whole channels of a sample, the kept ones scaled by 1 / (1 - rate)', async () => {
    const { module, inputs, weights } = await run(spec([{ name: 'l', type: 'SpatialDropout2D', rate: 0.5 }], { x: { shape: [3, 4, 8] } }));
    const x = inputs.x!;
    const y = module.predict(inputs, weights, { training: true, seed: 3 }).l!;
    let dropped = 0;
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < 8; c++) {
        const ratios = Array.from({ length: 12 }, (_, p) => y[(b * 12 + p) * 8 + c]! / x[(b * 12 + p) * 8 + c]!);
        expect(ratios.every((r) => Math.abs(r - ratios[0]!) < 1e-6)).toBe(true);
        expect([0, 2].some((v) => Math.abs(ratios[0]! - v) < 1e-6)).toBe(true);
        if (ratios[0] === 0) dropped++;
      }
    }
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(16);
  });

  it('CategoryEncoding ignores tokens outside [0, num_tokens), as Keras (jax) does', async () => {
    const result = build(spec([{ name: 'l', type: 'CategoryEncoding', num_tokens: 3, output_mode: 'count' }], { t: { shape: [4], dtype: 'int32', batch_size: 1 } }));
    const mod = await loadGeneratedModule(result.output!.text);
    const out = mod.predict({ t: Int32Array.from([2, -1, 3, 2]) }, mod.initWeights()).l!;
    expect([...out]).toEqual([0, 0, 2]);
  });
});

describe('Dot', () => {
  const dot = (options: Record<string, unknown>, a: readonly (number | null)[], b: readonly (number | null)[]) =>
    build(spec([{ name: 'l', type: 'Dot', inputs: ['a', 'b'], ...options }], { a: { shape: a }, b: { shape: b } }));

  it.each([
    [{ axes: 1 }, [4], [4], '(batch, 1)'],
    [{ axes: 2 }, [5, 3], [4, 3], '(batch, 5, 4)'],
    [{ axes: [1, 1] }, [5, 3], [5, 2], '(batch, 3, 2)'],
    [{ axes: [2, 1] }, [5, 3], [3], '(batch, 5)'],
    [{ axes: -1 }, [null, 3], [4, 3], '(batch, time, 4)'],
  ])('%j of %j and %j -> %s', (options, a, b, expected) => {
    expect(shapeOf(dot(options, a, b), 'l')).toBe(expected);
  });

  it('MC4033: axes of different sizes', () => {
    const error = errorOf(dot({ axes: 2 }, [5, 3], [4, 2]));
    expect(error.code).toBe('MC4033');
    expect(error.message).toBe('Dot layer "l" takes the dot product of axis 2 of its first input (3) with axis 2 of its second (2), which must have one size. Received: inputs of shape (batch, 5, 3) and (batch, 4, 2).');
  });

  it('MC4012, MC4001: the batch axis, or a rank it does not take', () => {
    expect(codesOf(dot({ axes: 0 }, [4], [4]))).toEqual(['MC4012']);
    expect(codesOf(dot({ axes: 1 }, [2, 3, 4], [2, 3, 4]))).toEqual(['MC4001']);
  });
});

describe('Attention', () => {
  const attention = (options: Record<string, unknown>, shapes: Record<string, readonly (number | null)[]>) =>
    build(spec([{ name: 'l', type: 'Attention', inputs: Object.keys(shapes), ...options }], Object.fromEntries(Object.entries(shapes).map(([k, shape]) => [k, { shape }]))));

  it.each([
    [{}, { q: [4, 3], v: [5, 3] }, '(batch, 4, 3)'],
    [{ return_attention_scores: true }, { q: [4, 3], v: [5, 2], k: [5, 3] }, '(batch, 4, 2), (batch, 4, 5)'],
    [{ use_causal_mask: true }, { q: [null, 3], v: [null, 3] }, '(batch, q_time, 3)'],
  ])('%j on %j -> %s', (options, shapes, expected) => {
    expect(shapeOf(attention(options, shapes), 'l')).toBe(expected);
  });

  it("parameters: Keras's scalars scale and concat_score_weight", () => {
    expect(paramsOf(attention({ use_scale: true, score_mode: 'concat' }, { q: [4, 3], v: [5, 3] }), 'l')).toEqual({ scale: [], concat_score_weight: [] });
    expect(paramsOf(attention({}, { q: [4, 3], v: [5, 3] }), 'l')).toEqual({});
  });

  it('MC4034: query and key features, key and value steps', () => {
    const error = errorOf(attention({}, { q: [4, 3], v: [5, 2] }));
    expect(error.code).toBe('MC4034');
    expect(error.message).toBe('Attention layer "l" attends with a query, value and key where the query\'s features (3) and the key\'s (2) must be equal. Received: inputs of shape (batch, 4, 3), (batch, 5, 2).');
    expect(codesOf(attention({}, { q: [4, 3], v: [5, 2], k: [6, 3] }))).toEqual(['MC4034']);
    expect(codesOf(attention({}, { q: [3], v: [3] }))).toEqual(['MC4001']);
  });

  it('type-checks under the strictest settings, with masks, causal, scores and a run-time length', () => {
    const text = JSON.stringify({
      name: 'att',
      inputs: { q: { shape: [null], dtype: 'int32' }, v: { shape: [null], dtype: 'int32' } },
      layers: [
        { name: 'eq', type: 'Embedding', input_dim: 6, output_dim: 3, mask_zero: true, input: 'q' },
        { name: 'ev', type: 'Embedding', input_dim: 6, output_dim: 3, mask_zero: true, input: 'v' },
        { name: 'att', type: 'Attention', use_causal_mask: true, use_scale: true, score_mode: 'concat', return_attention_scores: true, inputs: ['eq', 'ev'] },
      ],
      outputs: ['att', 'att.scores'],
    });
    const result = build(text);
    expect(codesOf(result)).toEqual([]);
    expect(typeErrors([result.output!.text]).join('\n')).toBe('');
  });
});

describe('AdditiveAttention', () => {
  it("has Keras's per-feature scale (use_scale defaults to true) and the shapes of Attention", () => {
    const result = build(spec([{ name: 'l', type: 'AdditiveAttention', inputs: ['q', 'v'], return_attention_scores: true }], { q: { shape: [4, 3] }, v: { shape: [5, 3] } }));
    expect(paramsOf(result, 'l')).toEqual({ scale: [3] });
    expect(shapeOf(result, 'l')).toBe('(batch, 4, 3), (batch, 4, 5)');
    expect(typeErrors([result.output!.text]).join('\n')).toBe('');
    expect(paramsOf(build(spec([{ name: 'l', type: 'AdditiveAttention', inputs: ['q', 'v'], use_scale: false }], { q: { shape: [4, 3] }, v: { shape: [5, 3] } })), 'l')).toEqual({});
  });
});
