// `modelc import` on model files made by real Keras 3 (scripts/make-import-fixtures.py), then
// `modelc run` on the imported spec: every output matches Keras's own to 1e-5. The .keras
// archive and the legacy .h5 of each model are both imported.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, importAndRun } from './helpers.ts';

const TOLERANCE = 1e-5;

const withOutputs = (f: string) => existsSync(join(FIXTURES, f.replace(/\.\w+$/, '.io.json')));
const kerasFiles = readdirSync(FIXTURES).filter((f) => /\.keras$/.test(f) && withOutputs(f)).sort();
const h5Files = readdirSync(FIXTURES).filter((f) => /\.h5$/.test(f) && withOutputs(f)).sort();

describe.each([
  ['Keras 3 .keras archives', kerasFiles],
  ['legacy full-model .h5 files', h5Files],
])('modelc import: %s made by Keras, run against Keras outputs', (_, files) => {
  it('has fixtures', () => expect(files.length).toBeGreaterThanOrEqual(10));
  for (const file of files) {
    it(file, async () => {
      const { diffs } = await importAndRun(file);
      if (process.env.IMPORT_REPORT) console.log(`${file}: max abs diff ${diffs.map((d) => d.toExponential(2)).join(', ')}`);
      for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
    }, 30_000);
  }
});
