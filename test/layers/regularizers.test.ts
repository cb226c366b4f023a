// Regularizers, constraints and activity regularization against Keras 3 itself: the reference
// values in test/fixtures/keras-extra/regularizers.json were computed by Keras 3.15.1 (made by
// scripts/keras/regularizers.py). Tolerance: 1e-5 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule, type GeneratedModule } from '../../src/load-module.ts';

interface Reference {
  readonly weights: number[][][];
  readonly regularizers: { spec: unknown; losses: number[] }[];
  readonly constraints: { spec: unknown; results: number[][][] }[];
  readonly models: { layer: Record<string, unknown>; input_shape: number[]; weights: Record<string, unknown>; x: unknown; activity_loss: number }[];
}

const ref = JSON.parse(readFileSync('test/fixtures/keras-extra/regularizers.json', 'utf8')) as Reference;
const TOLERANCE = 1e-5;
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected) / Math.max(1, Math.abs(expected))).toBeLessThanOrEqual(TOLERANCE);

type Extended = GeneratedModule & { regularizationLoss(w: unknown): number; applyConstraints(w: unknown): void };

async function denseWith(options: Record<string, unknown>, matrix: number[][]): Promise<{ mod: Extended; weights: Record<string, Record<string, Float32Array>> }> {
  const spec = { name: 'm', inputs: { x: { shape: [matrix.length] } }, layers: [{ name: 'dense', type: 'Dense', units: matrix[0]!.length, use_bias: false, ...options }] };
  const result = compile(JSON.stringify(spec), 'inline.json');
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const mod = (await loadGeneratedModule(result.output!.text)) as Extended;
  return { mod, weights: mod.loadWeights({ dense: { kernel: matrix } }) as Record<string, Record<string, Float32Array>> };
}

describe('kernel_regularizer: regularizationLoss() equals Keras', () => {
  for (const { spec, losses } of ref.regularizers) {
    it(JSON.stringify(spec), async () => {
      for (const [i, matrix] of ref.weights.entries()) {
        const { mod, weights } = await denseWith({ kernel_regularizer: spec }, matrix);
        close(mod.regularizationLoss(weights), losses[i]!);
      }
    });
  }

  it('sums every regularized weight, and is 0 without regularizers', async () => {
    const matrix = ref.weights[0]!;
    const { mod, weights } = await denseWith({ kernel_regularizer: 'l2' }, matrix);
    const { mod: plain, weights: plainWeights } = await denseWith({}, matrix);
    expect(plain.regularizationLoss(plainWeights)).toBe(0);
    close(mod.regularizationLoss(weights), ref.regularizers[1]!.losses[0]!);
  });
});

describe('kernel_constraint: applyConstraints() equals Keras', () => {
  for (const { spec, results } of ref.constraints) {
    it(JSON.stringify(spec), async () => {
      for (const [i, matrix] of ref.weights.entries()) {
        const { mod, weights } = await denseWith({ kernel_constraint: spec }, matrix);
        mod.applyConstraints(weights);
        const expected = results[i]!.flat();
        const actual = weights.dense!.kernel!;
        expected.forEach((e, k) => close(actual[k]!, e));
      }
    });
  }
});

describe('activity_regularizer: Model.activityRegularizationLoss() equals Keras (divided by the batch size)', () => {
  for (const m of ref.models) {
    it(`${String(m.layer.type)} with ${JSON.stringify(m.layer.activity_regularizer)}`, async () => {
      const spec = { name: 'm', inputs: { x: { shape: m.input_shape, batch_size: 2 } }, layers: [m.layer] };
      const result = compile(JSON.stringify(spec), 'inline.json');
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const mod = await loadGeneratedModule(result.output!.text);
      const model = new mod.Model(mod.loadWeights({ layer: m.weights })) as unknown as { predict(i: unknown): unknown; activityRegularizationLoss(): number };
      expect(model.activityRegularizationLoss()).toBe(0);
      model.predict({ x: Float32Array.from((m.x as number[][][]).flat(2)) });
      close(model.activityRegularizationLoss(), m.activity_loss);
    });
  }
});

describe('the options are checked', () => {
  it('rejects an unknown regularizer with a did-you-mean', () => {
    const result = compile('name: m\ninputs:\n  x: { shape: [3] }\nlayers:\n  - type: Dense\n    units: 2\n    kernel_regularizer: l3\n', 'inline.yaml');
    expect(result.diagnostics.map((d) => d.code)).toContain('MC2006');
  });

  it('summary lists regularizers and constraints', async () => {
    const { main } = await import('../../src/cli.ts');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'modelc-reg-'));
    writeFileSync(join(dir, 'm.yaml'), 'name: m\ninputs:\n  x: { shape: [4, 3] }\nlayers:\n  - type: LSTM\n    units: 2\n    kernel_regularizer: l2\n    recurrent_constraint: max_norm\n');
    let out = '';
    expect(await main(['summary', 'm.yaml'], { stdout: (t) => (out += t), stderr: () => {}, cwd: dir, color: false })).toBe(0);
    expect(out).toContain('lstm.kernel: regularizer L1L2(l1=0, l2=0.01)');
    expect(out).toContain('lstm.recurrent_kernel: constraint MaxNorm(min=0, max=2, rate=1, axis=0)');
  });
});
