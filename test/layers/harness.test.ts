// Every layer of this group through the whole pipeline: the schema accepts its config, shapes
// are inferred, code is emitted, the module type-checks under the strictest settings, it runs on
// random data, and every output has the length its inferred shape says. Also inside
// TimeDistributed, which runs the layer on batch × time rows.
import { describe, expect, it } from 'vitest';
import { loadGeneratedModule } from '../../src/load-module.ts';
import { build, errorOf, maxAbsDiff, run, shapeOf, sizeOf, spec, typeErrors } from './helpers.ts';

interface Case {
  readonly name: string;
  readonly text: string;
}

// Each model ends in a Dense head, as real ones do (a model without any parameter leaves the
// `seed` and `weights` parameters of the generated module unused, which noUnusedParameters rejects).
const head = { name: 'head', type: 'Dense', units: 2 };
const outputs = { outputs: ['l', 'head'] };
const one = (name: string, layer: Record<string, unknown>, shape: readonly number[] = [7, 4]): Case => ({ name, text: spec([{ name: 'l', ...layer }, head], { x: { shape } }, outputs) });
const many = (name: string, layer: Record<string, unknown>, shapes: readonly (readonly number[])[]): Case => ({
  name,
  text: spec([{ name: 'l', inputs: shapes.map((_, i) => `x${i}`), ...layer }, head], Object.fromEntries(shapes.map((shape, i) => [`x${i}`, { shape }])), outputs),
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
    const { module, outputs: values } = await run(c.text, 3);
    for (const [name, shape] of Object.entries(module.outputShapes)) {
      const inferred = result.types!.get(name)![0]!.shape;
      expect(shape.slice(1)).toEqual(inferred.slice(1));
      expect(values[name]!.length).toBe(3 * sizeOf(shape.slice(1) as number[]));
      expect(values[name]!.every(Number.isFinite)).toBe(true);
    }
  });

  it('every generated module type-checks under strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, noUnused*', () => {
    const texts = cases.map((c) => build(c.text).output!.text);
    expect(typeErrors(texts)).toEqual([]);
  }, 60_000); // one program of every case's module, each with its WebAssembly engine
});

describe('run-time lengths (a null time axis with a fixed batch_size)', () => {
  // Layers that keep the length work on whatever length the input has; one module, two lengths.
  const model = (shape: readonly (number | null)[]) => spec(
    [
      { name: 'conv', type: 'Conv1D', filters: 4, kernel_size: 3, padding: 'causal', input: 'x' },
      { name: 'pool', type: 'MaxPooling1D', pool_size: 3, strides: 1, padding: 'same' },
      { name: 'norm', type: 'LayerNormalization' },
      { name: 'sum', type: 'Add', inputs: ['norm', 'x'] },
      { name: 'cat', type: 'Concatenate', inputs: ['sum', 'x'] },
      { name: 'swap', type: 'Permute', dims: [2, 1] },
      { name: 'back', type: 'Permute', dims: [2, 1] },
      { name: 'mean', type: 'GlobalAveragePooling1D' },
    ],
    { x: { shape, batch_size: 2 } },
    { outputs: ['cat', 'back', 'mean'] },
  );
  const text = model([null, 4]);

  it('compile, type-check, and run on two lengths, as the modules for those fixed lengths do', async () => {
    const result = build(text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(typeErrors([result.output!.text])).toEqual([]);
    const { module } = await run(text, 2);
    const weights = module.initWeights(3);
    for (const steps of [5, 9]) {
      const x = Float32Array.from({ length: 2 * steps * 4 }, (_, i) => Math.sin(i));
      const out = module.predict({ x }, weights);
      expect(out.cat!.length).toBe(2 * steps * 8);
      expect([...out.back!]).toEqual([...out.cat!]);
      expect(out.mean!.length).toBe(2 * 8);
      // The same numbers as the module compiled for this fixed length.
      const fixed = (await run(model([steps, 4]), 2)).module.predict({ x }, weights);
      for (const name of ['cat', 'back', 'mean']) expect(maxAbsDiff(out[name]!, fixed[name]!), name).toBe(0);
    }
  });
});

describe('run-time lengths that layers change (output lengths as formulas of the input\'s)', () => {
  // Conv1D valid and strided, pooling valid, Flatten of the sequence, Concatenate along time:
  // one module serves every length, with the numbers of the module compiled for that length.
  const model = (shape: readonly (number | null)[]) => spec(
    [
      { name: 'conv', type: 'Conv1D', filters: 4, kernel_size: 3, input: 'x' },
      { name: 'strided', type: 'Conv1D', filters: 3, kernel_size: 2, strides: 2, padding: 'causal' },
      { name: 'pool', type: 'MaxPooling1D', pool_size: 2 },
      { name: 'avg', type: 'AveragePooling1D', pool_size: 2, strides: 1 },
      { name: 'joined', type: 'Concatenate', axis: 1, inputs: ['avg', 'pool'] },
      { name: 'flat', type: 'Flatten' },
    ],
    { x: { shape, batch_size: 2 } },
    { outputs: ['joined', 'flat'] },
  );

  it('infer the formulas', () => {
    const result = build(model([null, 4]));
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(shapeOf(result, 'conv')).toBe('(2, time - 2, 4)');
    expect(shapeOf(result, 'strided')).toBe('(2, ceil((time - 2) / 2), 3)');
    expect(shapeOf(result, 'flat')).toMatch(/^\(2, .+ \* 3\)$/);
  });

  it('compile, type-check, and run on three lengths, as the modules for those fixed lengths do', async () => {
    const text = model([null, 4]);
    expect(typeErrors([build(text).output!.text])).toEqual([]);
    // Length 12: at 5, the last pooling's output would be empty, which is a RangeError now.
    const { module } = await run(text, 2, 1, 12);
    const weights = module.initWeights(3);
    for (const steps of [12, 15, 18]) {
      const x = Float32Array.from({ length: 2 * steps * 4 }, (_, i) => Math.sin(i));
      const out = module.predict({ x }, weights);
      const fixed = (await run(model([steps, 4]), 2)).module.predict({ x }, weights);
      for (const name of ['joined', 'flat']) {
        expect(out[name]!.length, `${name} at ${steps}`).toBe(fixed[name]!.length);
        expect(maxAbsDiff(out[name]!, fixed[name]!), `${name} at ${steps}`).toBe(0);
      }
    }
  });

  it('MC6003 only where the padding itself depends on the length: same padding with strides > 1', () => {
    const e = errorOf(build(spec([{ name: 'conv', type: 'Conv1D', filters: 3, kernel_size: 3, strides: 2, padding: 'same' }], { x: { shape: [null, 4], batch_size: 2 } })));
    expect(e.code).toBe('MC6003');
    expect(e.message).toContain('pads a run-time length time with `padding: same` and strides 2');
  });
});

describe('streaming step() only for layers that work step by step', () => {
  const hasStep = (layers: Record<string, unknown>[], shape: readonly number[] = [6, 4]) => build(spec([...layers, { type: 'LSTM', units: 3 }], { x: { shape, batch_size: 2 } })).output!.text.includes('step(inputs: StepInputs)');

  it('none after a layer that mixes timesteps: it would see one step where the model sees all', () => {
    expect(hasStep([])).toBe(true);
    expect(hasStep([{ type: 'Conv1D', filters: 2, kernel_size: 3, padding: 'causal' }])).toBe(false);
    expect(hasStep([{ type: 'Conv1D', filters: 2, kernel_size: 1 }])).toBe(true);
    expect(hasStep([{ type: 'MaxPooling1D', pool_size: 1 }])).toBe(true);
    expect(hasStep([{ type: 'AveragePooling1D', pool_size: 2, padding: 'same' }])).toBe(false);
    expect(hasStep([{ type: 'Permute', dims: [2, 1] }, { type: 'Permute', dims: [2, 1] }])).toBe(false);
    expect(hasStep([{ type: 'LayerNormalization' }, { type: 'Dropout', rate: 0.1 }, { type: 'Activation', activation: 'tanh' }])).toBe(true);
    expect(hasStep([{ type: 'LayerNormalization', axis: 1 }])).toBe(false);
    expect(hasStep([{ type: 'BatchNormalization', axis: 1 }])).toBe(false);
    expect(hasStep([{ type: 'Reshape', target_shape: [3, 8] }])).toBe(false);
  });

  it('where it exists, T steps compute what one call on T steps does', async () => {
    const text = spec([{ type: 'Conv1D', filters: 3, kernel_size: 1, activation: 'relu' }, { type: 'LayerNormalization' }, { name: 'lstm', type: 'LSTM', units: 3, return_sequences: true }], { x: { shape: [6, 4], batch_size: 2 } });
    const { module, inputs } = await run(text, 2);
    const model = new module.Model(module.initWeights(5));
    const whole = model.predict({ x: inputs.x! }).lstm!.slice();
    for (let t = 0; t < 6; t++) {
      const x = new Float32Array(2 * 4);
      for (let b = 0; b < 2; b++) x.set(inputs.x!.subarray((b * 6 + t) * 4, (b * 6 + t + 1) * 4), b * 4);
      const h = model.step!({ x }).lstm!;
      for (let b = 0; b < 2; b++) expect(maxAbsDiff(h.subarray(b * 3, b * 3 + 3), whole.subarray((b * 6 + t) * 3, (b * 6 + t + 1) * 3))).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('token ids of a run-time length (the keras.io IMDB BiLSTM: Input(shape=(None,), dtype="int32"))', () => {
  const model = (length: number | null, batch: number | null) => spec(
    [
      { name: 'embedding', type: 'Embedding', input_dim: 50, output_dim: 8, mask_zero: true, input: 'tokens' },
      { name: 'bilstm', type: 'Bidirectional', layer: { type: 'LSTM', units: 6, return_sequences: true } },
      { name: 'bilstm_2', type: 'Bidirectional', layer: { type: 'LSTM', units: 4 } },
      { name: 'out', type: 'Dense', units: 1, activation: 'sigmoid' },
    ],
    { tokens: { shape: [length], dtype: 'int32', ...(batch === null ? {} : { batch_size: batch }) } },
  );

  it('compiles with a null length and gives the numbers of the fixed-length modules, padding masked', async () => {
    const result = build(model(null, 2));
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(shapeOf(result, 'bilstm')).toBe('(2, time, 12)');
    const load = async (text: string) => loadGeneratedModule(build(text).output!.text);
    const module = await load(model(null, 2));
    const weights = module.initWeights(5);
    for (const steps of [3, 7]) {
      const tokens = Int32Array.from({ length: 2 * steps }, (_, i) => (i % steps < steps - 1 ? 1 + ((i * 7) % 49) : 0));
      const out = module.predict({ tokens }, weights);
      const fixed = (await load(model(steps, 2))).predict({ tokens }, weights);
      expect(maxAbsDiff(out.out!, fixed.out!), `length ${steps}`).toBe(0);
    }
  });
});
