// `modelc import` of models with shared layers (one Keras layer called on several inputs): each
// later call becomes an entry `{ name: <layer>_call_<node>, shares: <layer> }` (Keras's node index),
// the weights are written once, under the layer's own name, and the Embedding(mask_zero) mask
// operations Keras 3 records in a functional config (NotEqual) are left to modelc's own mask
// propagation; a nested model called several times shares each of its layers (call k of the model
// is call k of each). The numbers against Keras and tfjs are in keras-fixtures.test.ts and
// tfjs-fixtures.test.ts (shared_*.keras, .h5, tfjs/shared*).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, FIXTURES } from './helpers.ts';

async function imported(file: string, bytes?: Uint8Array): Promise<{ code: number; err: string; spec?: { layers: Record<string, unknown>[] }; keys?: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-import-shared-'));
  const path = bytes ? join(dir, file) : join(process.cwd(), FIXTURES, file);
  if (bytes) writeFileSync(path, bytes);
  const r = await cli(['import', path, '--out', dir, '--name', 'm'], dir);
  if (r.code !== 0) return { code: r.code, err: r.err };
  const st = readFileSync(join(dir, 'm.safetensors'));
  const header = JSON.parse(st.subarray(8, 8 + Number(st.readBigUInt64LE(0))).toString('utf8')) as Record<string, unknown>;
  return { code: 0, err: r.err, spec: parse(readFileSync(join(dir, 'm.yaml'), 'utf8')) as { layers: Record<string, unknown>[] }, keys: Object.keys(header).filter((k) => k !== '__metadata__').sort() };
}

describe('modelc import: shared layers', () => {
  it.each(['shared_siamese.keras', 'shared_siamese.h5'])('%s: later calls share the first, one copy of the weights', async (file) => {
    const r = await imported(file);
    expect(r.err).toBe('');
    expect(r.spec!.layers.filter((l) => 'shares' in l)).toEqual([
      { name: 'embed_call_1', shares: 'embed', input: 'b' },
      { name: 'encoder_call_1', shares: 'encoder', input: 'embed_call_1' },
    ]);
    expect(r.spec!.layers.find((l) => l.name === 'encoder')).not.toHaveProperty('mask');
    expect(r.keys).toEqual(['embed/embeddings', 'encoder/bias', 'encoder/kernel', 'encoder/recurrent_kernel', 'score/bias', 'score/kernel']);
  });

  it('a call from the states of an earlier call, and outputs of a later call', async () => {
    const r = await imported('shared_states.keras');
    expect(r.spec!.layers.find((l) => l.name === 'lstm_call_1')).toEqual({ name: 'lstm_call_1', shares: 'lstm', input: 'y', initial_state: ['lstm.h', 'lstm.c'] });
    expect((r.spec as unknown as { outputs: string[] }).outputs).toEqual(['dense_call_1', 'lstm_call_1.h']);
  });

  it.each(['shared_nested.keras', 'shared_nested.h5', 'tfjs/shared_nested/model.json'])('%s: a nested model called twice shares each of its layers', async (file) => {
    const r = await imported(file);
    expect(r.err).toBe('');
    const sharing = r.spec!.layers.filter((l) => 'shares' in l).map((l) => `${String(l.name)} shares ${String(l.shares)}`);
    expect(sharing).toHaveLength(2);
    for (const line of sharing) expect(line).toMatch(/^(\S+)_call_1 shares \1$/);
    expect(r.keys).toHaveLength(7); // LSTM 3, Dense 2, score 2: once each
  });

  it('a shared stateful layer is refused with the compiler\'s reason', async () => {
    const entries = unzipSync(new Uint8Array(readFileSync(join(FIXTURES, 'shared_states.keras'))));
    const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as { config: { layers: { name: string; config: Record<string, unknown> }[] } };
    config.config.layers.find((l) => l.name === 'lstm')!.config.stateful = true;
    const bytes = zipSync({ ...entries, 'config.json': new TextEncoder().encode(JSON.stringify(config)) }, { level: 0 });
    const r = await imported('stateful_shared.keras', bytes);
    expect(r.code).toBe(1);
    expect(r.err).toContain('MC3014');
  });
});
