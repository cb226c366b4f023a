// Shared by the layer tests: compile a small spec, read its inferred shapes or its diagnostic
// codes, type-check the generated module under the strictest settings, and run it on seeded
// random inputs and weights. Inputs come from mulberry32, unrelated to modelc's own random stream.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typeCheck } from '../support/strict.ts';
import { compile, type CompileResult } from '../../src/compile.ts';
import { graphParams, paramCount } from '../../src/ir/params.ts';
import { loadGeneratedModule, type GeneratedModule } from '../../src/load-module.ts';
import { formatShape } from '../../src/shapes/dim.ts';

/** A spec with one input `x` of `shape` (no batch) and `layers`, as JSON text. */
export function spec(layers: readonly Record<string, unknown>[], inputs: Record<string, unknown> = { x: { shape: [7, 4] } }, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'layer_test', inputs, layers, ...extra }, null, 2);
}

export function build(text: string): CompileResult {
  return compile(text, 'spec.json');
}

/** The inferred output shapes of layer `name` (all its outputs), as Keras prints them: `(batch, 5, 3)`. */
export function shapeOf(result: CompileResult, name: string): string {
  const types = result.types?.get(name);
  if (!types) throw new Error(`no types for ${name}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return types.map((t) => formatShape(t.shape)).join(', ');
}

/** The error codes, in order. */
export function codesOf(result: CompileResult): string[] {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

/** The one error's message (throws unless there is exactly one error). */
export function errorOf(result: CompileResult): { code: string; message: string; hint: string | undefined } {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length !== 1) throw new Error(`expected one error, got ${errors.map((d) => `${d.code} ${d.message}`).join('; ') || 'none'}`);
  return { code: errors[0]!.code, message: errors[0]!.message, hint: errors[0]!.hint };
}

/** Parameter shapes of layer `name`, in order: `{ kernel: [3, 4, 5], bias: [5] }`. */
export function paramsOf(result: CompileResult, name: string): Record<string, readonly number[]> {
  const entry = graphParams(result.graph!, result.types!).find((p) => p.layer.name === name)!;
  return Object.fromEntries(entry.params.map((p) => [p.name, p.shape]));
}

export function paramCountOf(result: CompileResult, name: string): number {
  return paramCount(graphParams(result.graph!, result.types!).find((p) => p.layer.name === name)!.params);
}

/** Type errors of generated modules under the strictest common settings (as test/typecheck.test.ts). */
export function typeErrors(texts: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-layers-'));
  try {
    const files = texts.map((text, i) => {
      const file = join(dir, `m${i}.ts`);
      writeFileSync(file, text);
      return file;
    });
    return typeCheck(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** mulberry32: seeded uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` uniforms in [-scale, scale), as float32. */
export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (2 * rng() - 1) * scale);
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Number.isNaN(d) ? Infinity : Math.max(max, d);
  }
  return max;
}

export interface Run {
  readonly module: GeneratedModule;
  readonly text: string;
  readonly inputs: Record<string, Float32Array>;
  readonly weights: Record<string, Record<string, Float32Array>>;
  readonly outputs: Record<string, Float32Array>;
}

/**
 * Compile `text`, draw random inputs (batch `batch` unless fixed, run-time lengths `length`, float32) and
 * random weights (moving_variance kept positive), and run predict. Throws with the diagnostics if it does not compile.
 */
export async function run(text: string, batch = 2, seed = 1, length = 5): Promise<Run> {
  const result = build(text);
  if (!result.output) throw new Error(`compile failed: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const module = await loadGeneratedModule(result.output.text);
  let stream = seed * 100;
  const inputs = Object.fromEntries(Object.entries(module.inputShapes).map(([name, shape]) => [name, randomArray((shape[0] ?? batch) * sizeOf(shape.slice(1).map((d) => d ?? length)), stream++)]));
  const weights = Object.fromEntries(
    Object.entries(module.weightShapes).map(([layer, params]) => [
      layer,
      Object.fromEntries(Object.entries(params).map(([p, shape]) => [p, p === 'moving_variance' ? randomArray(sizeOf(shape), stream++).map((v) => 0.5 + Math.abs(v)) : randomArray(sizeOf(shape), stream++, 0.5)])),
    ]),
  );
  const outputs = module.predict(inputs, weights);
  return { module, text: result.output.text, inputs, weights, outputs };
}
