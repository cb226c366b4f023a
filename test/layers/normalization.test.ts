// LayerNormalization and BatchNormalization (inference): Keras's shape rules, parameters in
// Keras's order and layout, errors, and numbers against tfjs (tf.moments with the layer-norm
// formula; the batch-norm formula with the moving statistics). Keras 3.15's own numbers:
// test/fixtures/keras/{layer_normalization,layer_normalization_2d,batch_normalization,batch_normalization_2d}.json.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, paramCountOf, paramsOf, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const layer = (type: string, options: Record<string, unknown>, shape: readonly number[] = [4, 3]) => build(spec([{ name: 'n', type, ...options }], { x: { shape } }));

describe('LayerNormalization', () => {
  it.each([
    [{}, [4, 3], { gamma: [3], beta: [3] }],
    [{ axis: 1 }, [4, 3], { gamma: [4], beta: [4] }],
    [{ axis: [1, 2] }, [4, 3], { gamma: [4, 3], beta: [4, 3] }],
    [{ axis: [-1, -2] }, [4, 3], { gamma: [4, 3], beta: [4, 3] }],
    [{ center: false }, [4, 3], { gamma: [3] }],
    [{ scale: false }, [4, 3], { beta: [3] }],
    [{ rms_scaling: true }, [4, 3], { gamma: [3] }],
    [{}, [5], { gamma: [5], beta: [5] }],
  ])('%j on %j: output shape kept, params %j', (options, shape, params) => {
    const result = layer('LayerNormalization', options, shape);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'n')).toBe(`(batch, ${shape.join(', ')})`);
    expect(paramsOf(result, 'n')).toEqual(params);
  });

  it('errors: an axis the input lacks (MC4001), the batch axis (MC4012), a repeated axis (MC2008), non-adjacent axes (MC6004)', () => {
    const e = errorOf(layer('LayerNormalization', { axis: 3 }));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('LayerNormalization layer "n" normalizes over axis 3, which a 3-D input does not have. Received: an input of shape (batch, 4, 3).');
    expect(codesOf(layer('LayerNormalization', { axis: 0 }))).toEqual(['MC4012']);
    expect(codesOf(layer('LayerNormalization', { axis: [2, -1] }))).toEqual(['MC2008']);
    expect(codesOf(layer('LayerNormalization', { axis: [1, 3] }, [2, 3, 4]))).toEqual(['MC6004']);
  });

  const oracle = (x: tf.Tensor, axes: number[], gamma: Float32Array | undefined, beta: Float32Array | undefined, epsilon: number, rms: boolean) =>
    tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes, true);
      const shape = x.shape.map((d, a) => (axes.includes(a) ? d : 1));
      let y = rms ? x.div(variance.add(epsilon).sqrt()) : x.sub(mean).div(variance.add(epsilon).sqrt());
      if (gamma) y = y.mul(tf.tensor(gamma, shape));
      if (beta) y = y.add(tf.tensor(beta, shape));
      return y.dataSync();
    });

  it.each([
    [{}, [4, 3], [2]],
    [{ axis: 1 }, [4, 3], [1]],
    [{ axis: [1, 2] }, [4, 3], [1, 2]],
    [{ axis: [2, 3] }, [2, 4, 3], [2, 3]],
    [{ axis: 1 }, [2, 4, 3], [1]],
    [{ epsilon: 0.1 }, [4, 3], [2]],
    [{ center: false }, [4, 3], [2]],
    [{ scale: false }, [4, 3], [2]],
    [{ rms_scaling: true }, [4, 3], [2]],
    [{}, [6], [1]],
  ])('%j on %j matches the formula on tf.moments', async (options, shape, axes) => {
    const { inputs, weights, outputs } = await run(spec([{ name: 'n', type: 'LayerNormalization', ...options }], { x: { shape } }), 3);
    const o = options as { epsilon?: number; rms_scaling?: boolean };
    const expected = oracle(tf.tensor(inputs.x!, [3, ...shape]), axes, weights.n!.gamma, weights.n!.beta, o.epsilon ?? 1e-3, o.rms_scaling ?? false);
    expect(maxAbsDiff(outputs.n!, expected)).toBeLessThanOrEqual(1e-5);
  });
});

describe('BatchNormalization', () => {
  it("parameters in Keras's order: gamma, beta, moving_mean, moving_variance", () => {
    const result = layer('BatchNormalization', {});
    expect(shapeOf(result, 'n')).toBe('(batch, 4, 3)');
    expect(Object.entries(paramsOf(result, 'n'))).toEqual([['gamma', [3]], ['beta', [3]], ['moving_mean', [3]], ['moving_variance', [3]]]);
    expect(paramCountOf(result, 'n')).toBe(12); // Keras's summary of batch_normalization
    expect(Object.keys(paramsOf(layer('BatchNormalization', { center: false }), 'n'))).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    expect(Object.keys(paramsOf(layer('BatchNormalization', { scale: false }), 'n'))).toEqual(['beta', 'moving_mean', 'moving_variance']);
    expect(paramsOf(layer('BatchNormalization', { axis: 1 }), 'n')).toEqual({ gamma: [4], beta: [4], moving_mean: [4], moving_variance: [4] });
  });

  it('errors: an axis the input lacks (MC4001), the batch axis (MC4012), momentum above 1 (MC2005), renorm (MC2002)', () => {
    expect(errorOf(layer('BatchNormalization', { axis: -4 })).message).toBe(
      'BatchNormalization layer "n" normalizes over axis -4, which a 3-D input does not have. Received: an input of shape (batch, 4, 3).',
    );
    expect(codesOf(layer('BatchNormalization', { axis: 0 }))).toEqual(['MC4012']);
    expect(codesOf(layer('BatchNormalization', { momentum: 1.5 }))).toEqual(['MC2005']);
    expect(codesOf(layer('BatchNormalization', { renorm: true }))).toEqual(['MC2002']);
  });

  it.each([
    [{}, [4, 3], 2],
    [{ axis: 1 }, [4, 3], 1],
    [{ axis: 2 }, [2, 4, 3], 2],
    [{ epsilon: 0.01, center: false }, [4, 3], 2],
    [{ scale: false, momentum: 0.9 }, [4, 3], 2],
    [{}, [5], 1],
  ])('%j on %j matches (x − moving_mean) / sqrt(moving_variance + ε) · γ + β in tfjs', async (options, shape, axis) => {
    const { inputs, weights, outputs } = await run(spec([{ name: 'n', type: 'BatchNormalization', ...options }], { x: { shape } }), 3);
    const w = weights.n!;
    const along = (v: Float32Array | undefined) => (v ? tf.tensor(v, [...shape.map((d, a) => (a + 1 === axis ? d : 1))]) : undefined);
    const epsilon = (options as { epsilon?: number }).epsilon ?? 1e-3;
    // tf.batchNorm's kernels index the statistics as if they were on the last axis, so the formula is written out in tfjs ops.
    const expected = tf.tidy(() => {
      let y = tf.tensor(inputs.x!, [3, ...shape]).sub(along(w.moving_mean)!).div(along(w.moving_variance)!.add(epsilon).sqrt());
      if (w.gamma) y = y.mul(along(w.gamma)!);
      if (w.beta) y = y.add(along(w.beta)!);
      return y.dataSync();
    });
    expect(maxAbsDiff(outputs.n!, expected)).toBeLessThanOrEqual(1e-5);
  });
});
