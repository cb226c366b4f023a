// `modelc summary --format json` of every spec in models/ against Keras's own summary of the same
// model (output shapes, parameter counts and "Connected to" per layer, and the total; and whether
// the printed table has the "Connected to" column), computed by Keras 3.15.1 in
// test/fixtures/keras-extra/model-summaries.json (made by scripts/keras/model_summaries.py).
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';

interface Summary {
  readonly layers: readonly { name: string; type: string; output_shape: unknown; params: number; connected_to: string[] }[];
  readonly total_params: number;
}

const keras = JSON.parse(readFileSync('test/fixtures/keras-extra/model-summaries.json', 'utf8')) as { models: Record<string, Summary>; connected_to_column: Record<string, boolean> };

/**
 * Keras 3 records the mask of Embedding(mask_zero=True) as an operation of the graph (a `not_equal`
 * row, read by the layers the mask reaches), which makes a chain look like a graph to its summary;
 * modelc lists layers only (README, "Summary").
 */
const maskOperation: Readonly<Record<string, string>> = { 'models/text_classifier.yaml': 'the not_equal mask operation of mask_zero' };
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

  it.each(specs)('%s: the "Connected to" column exactly when Keras prints it', async (spec) => {
    let out = '';
    await main(['summary', spec], { stdout: (t) => (out += t), stderr: () => {}, cwd: process.cwd(), color: false });
    expect(out.includes('Connected to')).toBe(keras.connected_to_column[spec]! && !(spec in maskOperation));
  });
});
