// `modelc import` on TensorFlow.js layers models saved by tfjs 4.22 in Node
// (scripts/make-tfjs-fixtures.ts): model.json with its .bin shard, float32 and quantized
// (uint8, float16) weights; TensorFlow.js's defaults (hard_sigmoid = hard_sigmoid_keras2, GRU
// reset_after false) honoured. Each is imported, run, and compared to tfjs's outputs to 1e-5.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, importAndRun } from './helpers.ts';

const TOLERANCE = 1e-5;
const models = readdirSync(join(FIXTURES, 'tfjs')).sort();

describe('modelc import: TensorFlow.js model.json files, run against tfjs outputs', () => {
  it('has fixtures', () => expect(models.length).toBeGreaterThanOrEqual(8));
  for (const name of models) {
    it(name, async () => {
      const { diffs, spec } = await importAndRun(`tfjs/${name}/model.json`, `tfjs/${name}/io.json`);
      if (process.env.IMPORT_REPORT) console.log(`tfjs/${name}: max abs diff ${diffs.map((d) => d.toExponential(2)).join(', ')}`);
      for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
      if (/LSTM|GRU/.test(spec)) expect(spec).toContain('recurrent_activation: hard_sigmoid_keras2');
      if (/type: GRU/.test(spec)) expect(spec).toContain('reset_after: false');
    }, 30_000);
  }
});
