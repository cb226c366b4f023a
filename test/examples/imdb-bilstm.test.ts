// models/imdb_bilstm.yaml (keras.io's "Bidirectional LSTM on IMDB", real size: Embedding(20000, 128),
// two Bidirectional(LSTM(64)), Dense(1, sigmoid)) as committed in generated/imdb_bilstm.ts, run at
// two run-time lengths (9 and 23 tokens) by one module, against Keras 3.15.1 on the same weights
// (test/fixtures/keras-extra/imdb-bilstm.json, made by scripts/keras/imdb_bilstm.py: the weights
// are a formula repeated here, so the 11 MB of them are not committed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGeneratedModule } from '../../src/load-module.ts';

interface Fixture {
  readonly total_params: number;
  readonly variables: readonly { key: string; shape: number[] }[];
  readonly batches: readonly { tokens: number[][]; positive: number[][] }[];
}

const fixture = JSON.parse(readFileSync('test/fixtures/keras-extra/imdb-bilstm.json', 'utf8')) as Fixture;

/** Variable `salt`, as scripts/keras/imdb_bilstm.py fills it: ((i · 2654435761 + salt · 40503) mod 2³²) / 2³² − 0.5, times 0.6, in float32. */
function filled(n: number, salt: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Number((BigInt(i) * 2654435761n + BigInt(salt * 40503)) % 4294967296n);
    out[i] = (u / 4294967296 - 0.5) * 0.6;
  }
  return out;
}

/** The fixture's variables as a .safetensors file (keys `layer/param`, `layer/forward/param`). */
function safetensors(): Uint8Array {
  const header: Record<string, unknown> = {};
  const parts: Float32Array[] = [];
  let offset = 0;
  fixture.variables.forEach(({ key, shape }, salt) => {
    const data = filled(shape.reduce((a, b) => a * b, 1), salt);
    header[key] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
    parts.push(data);
  });
  const json = Buffer.from(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + offset);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer), at);
    at += p.byteLength;
  }
  return bytes;
}

describe('models/imdb_bilstm.yaml against Keras (real size)', async () => {
  const mod = (await loadGeneratedModule(readFileSync('generated/imdb_bilstm.ts', 'utf8'))) as Awaited<ReturnType<typeof loadGeneratedModule>> & { loadSafetensors(bytes: Uint8Array): unknown };
  const weights = mod.loadSafetensors(safetensors());

  it('has the parameters Keras counts', () => {
    // Bidirectional's weights are { forward, backward } groups: count their leaves.
    const leaves = (tree: unknown): number[][] => (Array.isArray(tree) ? [tree as number[]] : Object.values(tree as object).flatMap(leaves));
    expect(leaves(mod.weightShapes).reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)).toBe(fixture.total_params);
    expect(mod.inputShapes.tokens).toEqual([null, null]);
  });

  it.each(['wasm', 'js'] as const)('one module, two lengths (9 and 23 tokens), matches Keras to 1e-5 (engine %s)', (engine) => {
    const model = new mod.Model(weights, { engine });
    for (const batch of fixture.batches) {
      const tokens = Int32Array.from(batch.tokens.flat());
      const y = model.predict({ tokens }, { batch: batch.tokens.length }).positive!;
      const expected = batch.positive.flat();
      expect(y.length).toBe(expected.length);
      expected.forEach((e, i) => expect(Math.abs(y[i]! - e), `length ${batch.tokens[0]!.length}, sample ${i}`).toBeLessThanOrEqual(1e-5));
    }
  });
});
