// Flatten, Reshape, Permute, RepeatVector: Keras's shape rules and errors (reshaping/*.py,
// compute_reshape_output_shape), and numbers against tfjs's reshape, transpose and tile. Keras
// 3.15's own numbers: test/fixtures/keras/{flatten,reshape,reshape_minus1,permute,repeat_vector}.json.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { build, codesOf, errorOf, maxAbsDiff, run, shapeOf, spec } from './helpers.ts';

tf.enableProdMode();

const layer = (type: string, options: Record<string, unknown>, shape: readonly (number | null)[], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'l', type, ...options }], { x: { shape, ...extra } }));

describe('Flatten', () => {
  it.each([
    [[4, 3], '(batch, 12)'],
    [[5], '(batch, 5)'],
    [[2, 3, 4], '(batch, 24)'],
  ])('%j -> %s', (shape, expected) => {
    expect(shapeOf(layer('Flatten', {}, shape), 'l')).toBe(expected);
  });

  it('folds a run-time length into the features: (2, time * 3)', () => {
    expect(shapeOf(layer('Flatten', {}, [null, 3], { batch_size: 2 }), 'l')).toBe('(2, time * 3)');
  });

  it('keeps the dtype: int32 token ids stay int32', async () => {
    const result = layer('Flatten', {}, [2, 3], { dtype: 'int32' });
    expect(result.types!.get('l')![0]!.dtype).toBe('int32');
    expect(codesOf(result)).toEqual([]);
  });

  it('is the identity on the row-major data', async () => {
    const { inputs, outputs } = await run(spec([{ name: 'l', type: 'Flatten' }], { x: { shape: [2, 3, 4] } }));
    expect([...outputs.l!]).toEqual([...inputs.x!]);
  });
});

describe('Reshape', () => {
  it.each([
    [[6, 2], [3, 4], '(batch, 3, 4)'],
    [[6, 2], [-1, 3], '(batch, 4, 3)'],
    [[6, 2], [2, -1, 2], '(batch, 2, 3, 2)'],
    [[12], [-1], '(batch, 12)'],
    [[6, 2], [12], '(batch, 12)'],
  ])('%j with target_shape %j -> %s', (shape, target, expected) => {
    expect(shapeOf(layer('Reshape', { target_shape: target }, shape), 'l')).toBe(expected);
  });

  it('MC4016: a target_shape with another number of elements', () => {
    const e = errorOf(layer('Reshape', { target_shape: [3, 5] }, [6, 2]));
    expect(e.code).toBe('MC4016');
    expect(e.message).toBe('Reshape layer "l" expects a target_shape whose known dimensions multiply to the 12 elements of a sample of its input. Received: target_shape=(3, 5) (product 15) for an input of shape (batch, 6, 2).');
    expect(e.hint).toBe('a sample has 12 elements (6 × 2): use a target_shape whose product is 12, e.g. `[6, 2]`, or -1 for one dimension whose others divide 12.');
  });

  it('MC4016: a -1 that cannot be inferred', () => {
    const e = errorOf(layer('Reshape', { target_shape: [-1, 5] }, [6, 2]));
    expect(e.code).toBe('MC4016');
    expect(e.message).toContain('Received: target_shape=(-1, 5) (product 5) for an input of shape (batch, 6, 2).');
  });

  it('MC6005: a run-time length (Keras checks the size only when it runs)', () => {
    expect(errorOf(layer('Reshape', { target_shape: [-1, 4] }, [null, 2], { batch_size: 2 })).code).toBe('MC6005');
    expect(errorOf(layer('Reshape', { target_shape: [3, 4] }, [null, 2], { batch_size: 2 })).message).toBe(
      'Reshape layer "l" reshapes samples of a size known only at run time, time * 2, to target_shape=(3, 4); this version of modelc emits code only for samples of a size known at compile time.',
    );
  });

  it('MC2008: two -1s; MC2005: below -1', () => {
    expect(errorOf(layer('Reshape', { target_shape: [-1, -1] }, [6, 2])).message).toBe(
      'Reshape layer "l" expects at most one unknown dimension (-1) in target_shape. Received: target_shape=(-1, -1).',
    );
    expect(codesOf(layer('Reshape', { target_shape: [-2, 6] }, [6, 2]))).toEqual(['MC2005']);
    expect(codesOf(layer('Reshape', {}, [6, 2]))).toEqual(['MC2001']);
  });

  it('matches tf.reshape', async () => {
    const { inputs, outputs } = await run(spec([{ name: 'l', type: 'Reshape', target_shape: [-1, 3] }], { x: { shape: [6, 2] } }));
    expect([...outputs.l!]).toEqual([...tf.reshape(tf.tensor3d(inputs.x!, [2, 6, 2]), [2, 4, 3]).dataSync()]);
  });
});

describe('Permute', () => {
  it.each([
    [[4, 3], [2, 1], '(batch, 3, 4)'],
    [[4, 3], [1, 2], '(batch, 4, 3)'],
    [[2, 3, 4], [3, 1, 2], '(batch, 4, 2, 3)'],
    [[2, 3, 4], [2, 3, 1], '(batch, 3, 4, 2)'],
    [[5], [1], '(batch, 5)'],
  ])('%j with dims %j -> %s', (shape, dims, expected) => {
    expect(shapeOf(layer('Permute', { dims }, shape), 'l')).toBe(expected);
  });

  it('MC4001: dims for another rank', () => {
    const e = errorOf(layer('Permute', { dims: [2, 1] }, [2, 3, 4]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('Permute layer "l" expects a 3-D input (batch and the 2 axes dims permutes). Received: a 4-D input of shape (batch, 2, 3, 4).');
  });

  it('MC2008: dims that are not a permutation of 1..n (0-based, repeated, or with a gap)', () => {
    for (const dims of [[1, 0], [1, 1], [1, 3]]) {
      const result = layer('Permute', { dims }, [4, 3]);
      expect(codesOf(result)).toEqual([dims.includes(0) ? 'MC2005' : 'MC2008']);
    }
    expect(errorOf(layer('Permute', { dims: [1, 3] }, [4, 3])).message).toBe(
      'Permute layer "l" expects dims to be a permutation of 1 to 2: each axis after the batch once. Received: dims=(1, 3).',
    );
  });

  it.each([
    [[4, 3], [2, 1]],
    [[2, 3, 4], [3, 1, 2]],
    [[2, 3, 4], [2, 3, 1]],
    [[2, 3, 4, 5], [4, 2, 1, 3]],
  ])('%j with dims %j matches tf.transpose', async (shape, dims) => {
    const { inputs, outputs } = await run(spec([{ name: 'l', type: 'Permute', dims }], { x: { shape } }), 3);
    expect([...outputs.l!]).toEqual([...tf.transpose(tf.tensor(inputs.x!, [3, ...shape]), [0, ...dims]).dataSync()]);
  });
});

describe('RepeatVector', () => {
  it('(batch, 3) with n 4 -> (batch, 4, 3)', () => {
    expect(shapeOf(layer('RepeatVector', { n: 4 }, [3]), 'l')).toBe('(batch, 4, 3)');
  });

  it('MC4001: a sequence input; from a recurrent layer, with a hint to return only the last step', () => {
    const e = errorOf(layer('RepeatVector', { n: 4 }, [5, 3]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('RepeatVector layer "l" expects a 2-D input (batch, features). Received: a 3-D input of shape (batch, 5, 3).');
    const fromLstm = errorOf(build(spec([{ type: 'LSTM', units: 4, return_sequences: true }, { name: 'l', type: 'RepeatVector', n: 4 }], { x: { shape: [5, 3] } })));
    expect(fromLstm.message).toBe('RepeatVector layer "l" expects a 2-D input (batch, features). Received: a 3-D input of shape (batch, 5, 4).');
    expect(fromLstm.hint).toBe('set `return_sequences: false` on LSTM "lstm" so it outputs only the last timestep.');
  });

  it('MC2005: n 0; MC2001: no n', () => {
    expect(codesOf(layer('RepeatVector', { n: 0 }, [3]))).toEqual(['MC2005']);
    expect(codesOf(layer('RepeatVector', {}, [3]))).toEqual(['MC2001']);
  });

  it('matches tf.tile', async () => {
    const { inputs, outputs } = await run(spec([{ name: 'l', type: 'RepeatVector', n: 4 }], { x: { shape: [3] } }), 3);
    expect([...outputs.l!]).toEqual([...tf.tile(tf.tensor3d(inputs.x!, [3, 1, 3]), [1, 4, 1]).dataSync()]);
    expect(maxAbsDiff(outputs.l!, tf.tile(tf.tensor3d(inputs.x!, [3, 1, 3]), [1, 4, 1]).dataSync())).toBe(0);
  });
});
