// Weights as bytes in the generated module: loadSafetensors(bytes) reads the `.safetensors` form
// (keys `layer/param`, `layer/forward/param`) with loadWeights' checks; embedded weights are base64
// of little-endian float32, decoded to exactly the file's numbers; `embedWeights: false` leaves the
// module without defaultWeights(), its Model then needs weights. The encoder is modelc's own
// writer (src/weights/safetensors.ts), so the two sides are written independently.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { compileFile } from '../../src/commands/load.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';
import { encodeSafetensors } from '../../src/weights/safetensors.ts';
import { typeErrors } from '../layers/helpers.ts';

const spec = 'name: m\ninputs:\n  x: { shape: [3, 2] }\nlayers:\n  - { name: bi, type: Bidirectional, layer: { type: LSTM, units: 2 } }\n  - { name: head, type: Dense, units: 1 }\n';
const host = (cwd: string) => ({ stdout: () => {}, stderr: () => {}, cwd, color: false });

type Tree = Record<string, Record<string, Float32Array | Record<string, Float32Array>>>;

function tensorsOf(weights: Tree, shapes: Record<string, Record<string, unknown>>): Map<string, { dtype: string; shape: number[]; data: Float32Array }> {
  const out = new Map<string, { dtype: string; shape: number[]; data: Float32Array }>();
  const walk = (w: Record<string, unknown>, s: Record<string, unknown>, path: string[]) => {
    for (const [k, v] of Object.entries(w)) {
      if (v instanceof Float32Array) out.set([...path, k].join('/'), { dtype: 'F32', shape: s[k] as number[], data: v });
      else walk(v as Record<string, unknown>, s[k] as Record<string, unknown>, [...path, k]);
    }
  };
  walk(weights, shapes, []);
  return out;
}

describe('loadSafetensors', () => {
  it('reads every parameter, Bidirectional halves included, and equals the weights written', async () => {
    const mod = await loadGeneratedModule(compile(spec, 'm.yaml').output!.text);
    const weights = mod.initWeights(7) as Tree;
    const bytes = encodeSafetensors(tensorsOf(weights, mod.weightShapes as never) as never);
    const loaded = (mod as unknown as { loadSafetensors(b: Uint8Array): Tree }).loadSafetensors(bytes);
    expect(Array.from((loaded.bi!.forward as Record<string, Float32Array>).kernel!)).toEqual(Array.from((weights.bi!.forward as Record<string, Float32Array>).kernel!));
    expect(Array.from(loaded.head!.bias as Float32Array)).toEqual(Array.from(weights.head!.bias as Float32Array));
    const x = Float32Array.from({ length: 6 }, (_, i) => i / 6);
    expect(Array.from(new mod.Model(loaded).predict({ x }).head!)).toEqual(Array.from(new mod.Model(weights).predict({ x }).head!));
  });

  it('names the tensor and the expected shape when one is missing, wrongly shaped, extra or not float32', async () => {
    const mod = await loadGeneratedModule(compile(spec, 'm.yaml').output!.text);
    const load = (mod as unknown as { loadSafetensors(b: Uint8Array): unknown }).loadSafetensors;
    const tensors = tensorsOf(mod.initWeights(1) as Tree, mod.weightShapes as never);
    const without = new Map(tensors);
    without.delete('head/kernel');
    expect(() => load(encodeSafetensors(without as never))).toThrow(new TypeError('the .safetensors file has no tensor "head/kernel"; expected float32 of shape [4, 1]'));
    const wrong = new Map(tensors);
    wrong.set('head/kernel', { dtype: 'F32', shape: [1, 4], data: new Float32Array(4) });
    expect(() => load(encodeSafetensors(wrong as never))).toThrow(/tensor "head\/kernel" has shape \[1, 4\]; expected float32 of shape \[4, 1\]/);
    const extra = new Map(tensors);
    extra.set('head/gamma', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    expect(() => load(encodeSafetensors(extra as never))).toThrow(/has tensor "head\/gamma", which the model does not have/);
    expect(() => load(new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0, 1]))).toThrow(RangeError);
  });
});

describe('embedded weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-embed-'));
  const file = { dense: { kernel: [[0.5, -1.25e-7], [3.4e38, 0.1]], bias: [-2.5, 1 / 3] } };
  writeFileSync(join(dir, 'w.json'), JSON.stringify(file));
  writeFileSync(join(dir, 'm.yaml'), 'name: m\nweights: w.json\ninputs:\n  x: { shape: [2] }\nlayers:\n  - type: Dense\n    units: 2\n');

  it('are base64 of float32, decoded to exactly the file\'s float32 numbers, fresh copies each call', async () => {
    const { result } = compileFile(host(dir), 'm.yaml');
    expect(result.output!.text).toMatch(/const defaultWeightsBase64 = "[A-Za-z0-9+/=]+";/);
    const mod = await loadGeneratedModule(result.output!.text);
    const a = mod.defaultWeights() as Tree;
    expect(Array.from(a.dense!.kernel as Float32Array)).toEqual([0.5, -1.25e-7, 3.4e38, 0.1].map(Math.fround));
    expect(Array.from(a.dense!.bias as Float32Array)).toEqual([-2.5, 1 / 3].map(Math.fround));
    (a.dense!.kernel as Float32Array)[0] = 9;
    expect(((mod.defaultWeights() as Tree).dense!.kernel as Float32Array)[0]).toBe(0.5);
  });

  it('are left out with embedWeights: false; the module then type-checks and its Model needs weights', async () => {
    const { result } = compileFile(host(dir), 'm.yaml', { embedWeights: false });
    const text = result.output!.text;
    expect(text).not.toContain('defaultWeights');
    expect(text).toMatch(/constructor\(weights: Weights[,)]/);
    expect(typeErrors([text])).toEqual([]);
  });
});
