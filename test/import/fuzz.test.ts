// Damaged files, byte by byte: flipping bytes anywhere in a .keras archive, a legacy .h5 or a
// TensorFlow.js shard never crashes the importer (no exception, only MC7xxx/MC5xxx problems),
// and in a .keras archive every damaged byte is caught (CRC-32), so nothing wrong is imported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/import-model.ts';

const FIXTURES = join(process.cwd(), 'test/fixtures/import');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const copy = bytes.slice();
  const flips = 1 + Math.floor(random() * 3);
  for (let i = 0; i < flips; i++) copy[Math.floor(random() * copy.length)] ^= 1 + Math.floor(random() * 255);
  return copy;
}

describe('byte flips', () => {
  it('in a .keras archive: always refused with MC7xxx, never a crash, never a silent import', () => {
    const original = new Uint8Array(readFileSync(join(FIXTURES, 'dense.keras')));
    const random = rng(11);
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      const result = importModel(mutate(original, random), { file: 'dense.keras', name: 'm', weightsFile: 'm.safetensors' });
      if ('problems' in result) {
        refused++;
        for (const p of result.problems) expect(p.code).toMatch(/^MC[57]\d{3}$/);
      } else {
        // Only bytes no entry's content depends on (zip comments, padding, timestamps) may change.
        const clean = importModel(original, { file: 'dense.keras', name: 'm', weightsFile: 'm.safetensors' });
        expect('problems' in clean ? null : Buffer.from(result.weights).equals(Buffer.from(clean.weights))).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(40);
  }, 60_000);

  it('in a legacy .h5 file and in a TensorFlow.js model: never a crash', () => {
    const random = rng(12);
    const h5 = new Uint8Array(readFileSync(join(FIXTURES, 'dense.h5')));
    const json = new Uint8Array(readFileSync(join(FIXTURES, 'tfjs/dense/model.json')));
    const shard = new Uint8Array(readFileSync(join(FIXTURES, 'tfjs/dense/group1-shard1of1.bin')));
    for (let i = 0; i < 40; i++) {
      const a = importModel(mutate(h5, random), { file: 'dense.h5', name: 'm', weightsFile: 'm.safetensors' });
      if ('problems' in a) for (const p of a.problems) expect(p.code).toMatch(/^MC[57]\d{3}$/);
      const broken = mutate(shard, random).subarray(0, shard.length - (i % 3) * 4);
      const b = importModel(mutate(json, random), { file: 'model.json', name: 'm', weightsFile: 'm.safetensors', readSibling: () => broken });
      if ('problems' in b) for (const p of b.problems) expect(p.code).toMatch(/^MC[57]\d{3}$/);
    }
  }, 60_000);
});
