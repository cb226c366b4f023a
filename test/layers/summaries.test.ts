// `modelc summary --format json` of every spec in models/ against Keras's own summary of the same
// model (output shapes and parameter counts per layer, and the total), computed by Keras 3.15.1 in
// test/fixtures/keras-extra/model-summaries.json (made by scripts/keras/model_summaries.py).
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';

interface Summary {
  readonly layers: readonly { name: string; type: string; output_shape: unknown; params: number }[];
  readonly total_params: number;
}

const keras = JSON.parse(readFileSync('test/fixtures/keras-extra/model-summaries.json', 'utf8')) as { models: Record<string, Summary> };
const specs = readdirSync('models').filter((f) => f.endsWith('.yaml')).sort().map((f) => `models/${f}`);

describe('modelc summary equals Keras model.summary()', () => {
  it('has Keras numbers for every spec in models/', () => {
    expect(Object.keys(keras.models).sort()).toEqual(specs);
  });

  it.each(specs)('%s', async (spec) => {
    let out = '';
    const code = await main(['summary', spec, '--format', 'json'], { stdout: (t) => (out += t), stderr: () => {}, cwd: process.cwd(), color: false });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(keras.models[spec]);
  });
});
