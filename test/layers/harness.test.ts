// Every layer of this group through the whole pipeline: the schema accepts its config, shapes
// are inferred, code is emitted, the module type-checks under the strictest settings, it runs on
// random data, and every output has the length its inferred shape says. Also inside
// TimeDistributed, which runs the layer on batch × time rows.
import { describe, expect, it } from 'vitest';
import { build, run, sizeOf, spec, typeErrors } from './helpers.ts';

interface Case {
  readonly name: string;
  readonly text: string;
}

const one = (name: string, layer: Record<string, unknown>, shape: readonly number[] = [7, 4]): Case => ({ name, text: spec([{ name: 'l', ...layer }], { x: { shape } }) });
const many = (name: string, layer: Record<string, unknown>, shapes: readonly (readonly number[])[]): Case => ({
  name,
  text: spec([{ name: 'l', inputs: shapes.map((_, i) => `x${i}`), ...layer }], Object.fromEntries(shapes.map((shape, i) => [`x${i}`, { shape }]))),
});

const cases: Case[] = [
  one('Conv1D', { type: 'Conv1D', filters: 6, kernel_size: 3, padding: 'causal', dilation_rate: 2, groups: 2, activation: 'gelu' }),
  one('Conv1D softmax', { type: 'Conv1D', filters: 3, kernel_size: [2], strides: [2], padding: 'same', activation: 'softmax', use_bias: false }),
  one('MaxPooling1D', { type: 'MaxPooling1D', pool_size: 3, strides: 2, padding: 'same' }),
  one('AveragePooling1D', { type: 'AveragePooling1D' }),
  one('GlobalMaxPooling1D', { type: 'GlobalMaxPooling1D', keepdims: true }),
  one('GlobalAveragePooling1D', { type: 'GlobalAveragePooling1D' }),
  one('Flatten', { type: 'Flatten' }),
  one('Reshape', { type: 'Reshape', target_shape: [2, -1, 2] }),
  one('Permute', { type: 'Permute', dims: [2, 1] }),
  one('RepeatVector', { type: 'RepeatVector', n: 3 }, [5]),
  one('Activation', { type: 'Activation', activation: 'hard_silu' }),
  one('Activation softmax', { type: 'Activation', activation: 'softmax' }),
  one('Dropout', { type: 'Dropout', rate: 0.25 }),
  one('SpatialDropout1D', { type: 'SpatialDropout1D', rate: 0.25 }),
  many('Concatenate', { type: 'Concatenate', axis: 1 }, [[7, 4], [2, 4]]),
  many('Add', { type: 'Add' }, [[7, 4], [7, 4], [7, 4]]),
  many('Add broadcast', { type: 'Add' }, [[7, 4], [4]]),
  many('Subtract', { type: 'Subtract' }, [[7, 4], [1, 4]]),
  many('Multiply', { type: 'Multiply' }, [[7, 4], [7, 4]]),
  many('Average', { type: 'Average' }, [[7, 4], [7, 4]]),
  many('Maximum', { type: 'Maximum' }, [[7, 4], [7, 1]]),
  many('Minimum', { type: 'Minimum' }, [[7, 4], [7, 4]]),
  one('LayerNormalization', { type: 'LayerNormalization', axis: [1, 2], center: false }),
  one('BatchNormalization', { type: 'BatchNormalization', axis: 1, scale: false }),
  one('TimeDistributed(Conv1D)', { type: 'TimeDistributed', layer: { type: 'Conv1D', filters: 2, kernel_size: 2 } }, [3, 7, 4]),
  one('TimeDistributed(MaxPooling1D)', { type: 'TimeDistributed', layer: { type: 'MaxPooling1D' } }, [3, 7, 4]),
  one('TimeDistributed(GlobalAveragePooling1D)', { type: 'TimeDistributed', layer: { type: 'GlobalAveragePooling1D' } }, [3, 7, 4]),
  one('TimeDistributed(Flatten)', { type: 'TimeDistributed', layer: { type: 'Flatten' } }, [3, 7, 4]),
  one('TimeDistributed(Permute)', { type: 'TimeDistributed', layer: { type: 'Permute', dims: [2, 1] } }, [3, 7, 4]),
  one('TimeDistributed(RepeatVector)', { type: 'TimeDistributed', layer: { type: 'RepeatVector', n: 2 } }, [7, 4]),
  one('TimeDistributed(LayerNormalization)', { type: 'TimeDistributed', layer: { type: 'LayerNormalization' } }, [3, 7, 4]),
  one('TimeDistributed(BatchNormalization)', { type: 'TimeDistributed', layer: { type: 'BatchNormalization' } }, [3, 7, 4]),
];

describe('the layers through the pipeline', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: compiles, runs, and outputs what its shapes say', async (_name, c) => {
    const result = build(c.text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const { module, outputs } = await run(c.text, 3);
    for (const [name, shape] of Object.entries(module.outputShapes)) {
      const inferred = result.types!.get('l')![0]!.shape;
      expect(shape.slice(1)).toEqual(inferred.slice(1));
      expect(outputs[name]!.length).toBe(3 * sizeOf(shape.slice(1) as number[]));
      expect(outputs[name]!.every(Number.isFinite)).toBe(true);
    }
  });

  it('every generated module type-checks under strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, noUnused*', () => {
    const texts = cases.map((c) => build(c.text).output!.text);
    expect(typeErrors(texts)).toEqual([]);
  });
});
