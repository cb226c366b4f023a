// Every way an import can fail is a clean MC7xxx (or MC5xxx) diagnostic naming what is wrong,
// with exit code 1, no stack trace, and nothing written. The broken files are made here from
// the Keras fixtures (edited config.json, swapped or damaged weights, patched zip headers).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { H5File } from '../../src/import/hdf5.ts';
import { cli } from './helpers.ts';

const FIXTURES = join(process.cwd(), 'test/fixtures/import');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

type Json = Record<string, any>;

/** A .keras archive from a fixture, with its config edited and its entries replaced. */
function edited(name: string, edit: (config: Json) => void, replace: Record<string, Uint8Array> = {}): Uint8Array {
  const entries = unzipSync(fixture(name));
  const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as Json;
  edit(config);
  return zipSync({ ...entries, 'config.json': new TextEncoder().encode(JSON.stringify(config)), ...replace }, { level: 0 });
}

/** Imports `bytes` as `file`; expects failure with `code` and nothing written. */
async function refused(file: string, bytes: Uint8Array, code: string, pattern?: RegExp): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-import-err-'));
  const out = join(dir, 'out');
  writeFileSync(join(dir, file), bytes);
  const result = await cli(['import', file, '--out', 'out'], dir);
  expect(result.code, result.err).toBe(1);
  expect(result.out).toBe('');
  expect(result.err).toContain(`${file} - error ${code}: `);
  if (pattern) expect(result.err).toMatch(pattern);
  expect(result.err).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
  expect(result.err).toContain('Nothing was written.');
  expect(readdirSync(dir)).toEqual([file]);
  void out;
  return result.err;
}

describe('modelc import refuses broken and hostile files', () => {
  it('a truncated .keras archive: MC7002', async () => {
    const bytes = fixture('dense.keras');
    await refused('cut.keras', bytes.subarray(0, Math.floor(bytes.length / 2)), 'MC7002', /damaged or truncated zip/);
  });

  it('a file that is no model at all: MC7001', async () => {
    await refused('notes.h4', new TextEncoder().encode('just some text, not a model'), 'MC7001');
  });

  it('a corrupt HDF5 weights file inside the archive: MC7003', async () => {
    const h5 = fixture('dense.keras');
    const weights = unzipSync(h5)['model.weights.h5']!.slice();
    weights.fill(0xff, 96, weights.length - 64); // keep the signature, wreck the object headers
    await refused('corrupt.keras', edited('dense.keras', () => {}, { 'model.weights.h5': weights }), 'MC7003');
  });

  it('an HDF5 file that is not HDF5: MC7003', async () => {
    await refused('empty.keras', edited('dense.keras', () => {}, { 'model.weights.h5': new TextEncoder().encode('not hdf5') }), 'MC7003', /no HDF5 signature/);
  });

  it('a missing weight variable: MC7007 naming the layer and the variable', async () => {
    const err = await refused('missing.keras', edited('dense.keras', (c) => (c.config.layers[2].config.use_bias = true)), 'MC7007');
    expect(err).toContain('variable "bias" (1) of Dense layer "dense_1"');
  });

  it('a weight of the wrong shape: MC7008 with both shapes', async () => {
    const err = await refused('shape.keras', edited('dense.keras', (c) => (c.config.layers[1].config.units = 5)), 'MC7008');
    expect(err).toContain('"kernel" (0) of Dense layer "dense"');
    expect(err).toMatch(/has shape \(4, 3\); modelc's Dense needs \(4, 5\)/);
  });

  it('a weight variable no layer uses: MC7009', async () => {
    await refused('extra.keras', edited('dense.keras', (c) => (c.config.layers[1].config.use_bias = false)), 'MC7009', /"layers\/dense\/vars\/1"/);
  });

  it('an unsupported layer class: MC7005 naming the layer, its class and the supported ones', async () => {
    const err = await refused('conv3d.keras', edited('dense.keras', (c) => (c.config.layers[1].class_name = 'Conv3D')), 'MC7005', /Conv3D layer "dense": modelc has no layer Conv3D/);
    expect(err).toMatch(/supported layers: Dense, LSTM, GRU/);
  });

  it('an op node that is not a layer: MC7005 by module', async () => {
    await refused('op.keras', edited('two_inputs.keras', (c) => (c.config.layers[4].module = 'keras.src.ops.numpy')), 'MC7005', /not a Keras layer/);
  });

  it('an unsupported option: MC7006 naming the option and the supported ones', async () => {
    const err = await refused('option.keras', edited('seed_lstm.keras', (c) => (c.config.layers[1].config.time_major = true)), 'MC7006', /LSTM layer "lstm" has the option time_major = true/);
    expect(err).toContain('LSTM options: units, activation');
  });

  it('every problem of the model in one run', async () => {
    const err = await refused('two.keras', edited('dense.keras', (c) => {
      c.config.layers[1].class_name = 'Conv3D';
      c.config.layers[2].config.activation = { class_name: 'MyActivation' };
    }), 'MC7005');
    expect(err).toContain('MC7006');
    expect(err).toContain('Found 2 errors.');
  });

  it('names that try to inject code or YAML: MC7010, nothing generated', async () => {
    const err = await refused('inject.keras', edited('two_inputs.keras', (c) => {
      c.config.layers[4].name = 'merge"]}); process.exit(1); //';
      c.config.layers[0].config.name = 'series\n  evil: true';
    }), 'MC7010');
    expect(err).toContain('cannot be used in a spec');
  });

  it('--name that is not a spec name: MC7010', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-import-err-'));
    const result = await cli(['import', join(FIXTURES, 'dense.keras'), '--name', '../escape'], dir);
    expect(result.code).toBe(1);
    expect(result.err).toContain('error MC7010');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a zip bomb (an entry declaring 4 GB once unpacked) is refused before inflating: MC7002', async () => {
    const bytes = fixture('dense.keras').slice();
    const view = new DataView(bytes.buffer);
    // Patch the uncompressed size of every entry, in the local headers and the central directory.
    for (let i = 0; i + 4 <= bytes.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50) view.setUint32(i + 22, 0xfffffff0, true);
      if (sig === 0x02014b50) view.setUint32(i + 24, 0xfffffff0, true);
    }
    await refused('bomb.keras', bytes, 'MC7002', /declares 4294967280 bytes .* refused, nothing was unpacked/);
  });

  it('a legacy .h5 with weights only (no model_config): MC7004', async () => {
    await refused('weights.h5', fixture('guards.h5'), 'MC7004', /no model_config attribute/);
  });
});

describe('modelc import refuses broken TensorFlow.js models', () => {
  const tfjs = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'tfjs', name, 'model.json'), 'utf8')) as Json;
  const shard = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, 'tfjs', name, 'group1-shard1of1.bin')));
  /** A model.json (and shards beside it) in a fresh folder; expects `code` and nothing written. */
  async function refusedTfjs(json: Json, shards: Record<string, Uint8Array>, code: string, pattern: RegExp) {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-import-tfjs-'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    for (const [name, bytes] of Object.entries(shards)) writeFileSync(join(dir, name), bytes);
    const result = await cli(['import', 'model.json', '--out', 'out'], dir);
    expect(result.code, result.err).toBe(1);
    expect(result.err).toContain(`model.json - error ${code}: `);
    expect(result.err).toMatch(pattern);
    expect(result.err).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(readdirSync(dir).sort()).toEqual(['model.json', ...Object.keys(shards)].sort());
  }

  it('a missing shard: MC7001', async () => {
    await refusedTfjs(tfjs('dense'), {}, 'MC7001', /Cannot read the weight shard "group1-shard1of1.bin"/);
  });

  it('a truncated shard: MC7003', async () => {
    await refusedTfjs(tfjs('dense'), { 'group1-shard1of1.bin': shard('dense').subarray(0, 40) }, 'MC7003', /a shard is missing or truncated/);
  });

  it('a shard longer than the manifest says: MC7003', async () => {
    const long = new Uint8Array(shard('dense').length + 8);
    long.set(shard('dense'));
    await refusedTfjs(tfjs('dense'), { 'group1-shard1of1.bin': long }, 'MC7003', /do not match the manifest/);
  });

  it('a shard path outside the folder: MC7001', async () => {
    const json = tfjs('dense');
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    await refusedTfjs(json, {}, 'MC7001', /outside its folder: refused/);
  });

  it('a weight stored as int32: MC7003', async () => {
    const json = tfjs('dense');
    json.weightsManifest[0].weights[0].dtype = 'int32';
    await refusedTfjs(json, { 'group1-shard1of1.bin': shard('dense') }, 'MC7003', /modelc reads float32 weights, or uint8, uint16 and float16 quantized ones/);
  });
});

describe('the HDF5 reader never returns zeros for data it cannot decode', () => {
  const h5 = new H5File(fixture('guards.h5'), 'guards.h5');
  const problem = (path: string) => {
    try {
      h5.float32(path);
    } catch (error) {
      return (error as { problems: { code: string; message: string }[] }).problems[0]!;
    }
    throw new Error(`${path} was read`);
  };

  it('reads contiguous and chunked gzip+shuffle float32 datasets', () => {
    expect(Array.from(h5.float32('ok').data)).toEqual([0, 1, 2, 3, 4, 5]);
    const gz = h5.float32('gzip');
    expect(gz.shape).toEqual([4, 10]);
    expect(gz.data[0]).toBeCloseTo(-1, 6);
    expect(gz.data[39]).toBeCloseTo(1, 6);
  });

  it('refuses a chunked dataset with unwritten chunks (HDF5 libraries would give the fill value, 0)', () => {
    expect(problem('partial')).toMatchObject({ code: 'MC7003', message: expect.stringMatching(/no data at flat index 2 .*refused rather than read as zeros/) });
  });

  it('refuses float16 and float64 datasets instead of reinterpreting them', () => {
    expect(problem('half').message).toMatch(/dtype "<f2"/);
    expect(problem('double').message).toMatch(/dtype "<f8"/);
  });

  it('refuses an HDF5 link cycle (a group linked into itself) instead of walking it forever', () => {
    expect(() => h5.datasets('cycle')).toThrow(/link cycle/);
    expect(h5.datasets('gzip')).toEqual(['gzip']);
  });

  it('refuses a 4 GB declared dataset in a 10 kB file without allocating it', () => {
    expect(problem('huge').message).toMatch(/declares shape \(1024, 1024, 1024\), 4294967296 bytes, in a file of \d+ bytes/);
  });
});
