// The .safetensors weights file: written and read back exactly; every malformed header refused
// with a message; accepted by a spec's `weights:` (checked at compile time like the JSON form:
// missing, extra and wrongly shaped tensors name the layer and parameter) and by `run --weights`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, tensorsToWeightsJson, type Tensor } from '../../src/weights/safetensors.ts';
import { cli } from './helpers.ts';

const t = (shape: number[], seed = 1): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + i) * 0.5) });

/** A file with a hand-written header (and `data` bytes after it). */
function raw(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors encode/decode', () => {
  it('round-trips float32 tensors exactly, keys in order, data 8-byte aligned', () => {
    const tensors = new Map([['lstm/kernel', t([3, 8])], ['bi/forward/bias', t([8], 2)], ['scalar', t([], 3)]]);
    const bytes = encodeSafetensors(tensors, { source: 'x.keras' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect([...back.keys()]).toEqual([...tensors.keys()]);
    for (const [k, v] of tensors) {
      expect(back.get(k)!.shape).toEqual(v.shape);
      expect(Array.from(back.get(k)!.data)).toEqual(Array.from(v.data));
    }
    expect(tensorsToWeightsJson(back)).toMatchObject({ lstm: { kernel: expect.any(Array) }, bi: { forward: { bias: expect.any(Array) } } });
  });

  it.each([
    ['a file shorter than the length field', new Uint8Array(3), /too few for a safetensors header/],
    ['a header longer than the file', raw('{}').subarray(0, 9), /truncated/],
    ['a header that is not JSON', raw('{"a": '), /not valid UTF-8 JSON/],
    ['a header that is a list', raw([]), /not a JSON object/],
    ['a dtype other than F32', raw({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)), /dtype "F16"; modelc reads F32/],
    ['offsets past the end of the data', raw({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8)), /outside the 8 bytes of data/],
    ['offsets that do not match the shape', raw({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /needs 12 bytes, but its data_offsets span 8/],
    ['overlapping tensors', raw({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)), /overlap/],
    ['a bad shape', raw({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }), /no valid shape/],
  ])('refuses %s', (_, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });
});

describe('weights: x.safetensors in a spec', () => {
  const spec = (weights: string) => `name: st\nweights: ${weights}\ninputs:\n  x: { shape: [4] }\nlayers:\n  - name: dense\n    type: Dense\n    units: 2\n`;
  const setup = (tensors: Map<string, Tensor> | Uint8Array) => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-st-'));
    writeFileSync(join(dir, 'w.safetensors'), tensors instanceof Uint8Array ? tensors : encodeSafetensors(tensors));
    writeFileSync(join(dir, 'st.yaml'), spec('w.safetensors'));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: [[1, 2, 3, 4]] }));
    return dir;
  };

  it('is embedded and gives x · kernel + bias', async () => {
    const kernel = t([4, 2]);
    const bias = t([2], 5);
    const dir = setup(new Map([['dense/kernel', kernel], ['dense/bias', bias]]));
    const run = await cli(['run', 'st.yaml', '--input', 'in.json'], dir);
    expect(run.err).toBe('');
    const out = (JSON.parse(run.out) as { dense: number[][] }).dense[0]!;
    for (let j = 0; j < 2; j++) {
      const want = [1, 2, 3, 4].reduce((s, x, i) => s + x * kernel.data[i * 2 + j]!, bias.data[j]!);
      expect(out[j]).toBeCloseTo(want, 5);
    }
    // run --weights takes a .safetensors file too
    writeFileSync(join(dir, 'zero.safetensors'), encodeSafetensors(new Map([['dense/kernel', { shape: [4, 2], data: new Float32Array(8) }], ['dense/bias', { shape: [2], data: Float32Array.of(1, 2) }]])));
    const other = await cli(['run', 'st.yaml', '--input', 'in.json', '--weights', 'zero.safetensors'], dir);
    expect(JSON.parse(other.out)).toEqual({ dense: [[1, 2]] });
  });

  it('missing, extra and wrongly shaped tensors are MC5002, MC5003, MC5004 at the weights line', async () => {
    const dir = setup(new Map([['dense/kernel', t([4, 3])], ['dense/gamma', t([2])]]));
    const check = await cli(['check', 'st.yaml'], dir);
    expect(check.code).toBe(1);
    expect(check.out).toContain('st.yaml:2:10 - error MC5002: The weights file "w.safetensors" has no tensor "dense/bias" for Dense layer "dense"; expected shape (2,).');
    expect(check.out).toContain('error MC5003: The weights file "w.safetensors" has a tensor "dense/gamma" that no parameter of the model has.');
    expect(check.out).toMatch(/error MC5004: Tensor "dense\/kernel" of Dense layer "dense" in "w.safetensors" has the wrong shape: expected \(4, 2\) .*found \(4, 3\)/);
  });

  it('a malformed file is MC7012, without echoing its content', async () => {
    const dir = setup(new TextEncoder().encode('SECRET-CONTENT not a safetensors file at all'));
    const check = await cli(['check', 'st.yaml'], dir);
    expect(check.code).toBe(1);
    expect(check.out).toContain('error MC7012: The weights file "w.safetensors" is not a valid .safetensors file');
    expect(check.out).not.toContain('SECRET');
  });
});
