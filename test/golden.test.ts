// Goldens: every models/*.yaml compiles to exactly the committed generated/<name>.ts, nothing in
// generated/ is left over from a spec that is gone, output is deterministic, and the committed
// schema is the one the layer registry assembles. Run `npm start` (or `npx modelc build models`)
// and `npm run schema` to refresh them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/compile.ts';
import { schemaText } from '../src/schema/model-schema.ts';

const specs = readdirSync('models').filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe('generated/ is up to date', () => {
  it.each(specs)('models/%s compiles to its committed module', (spec) => {
    const file = `models/${spec}`;
    const result = compile(readFileSync(file, 'utf8'), file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const committed = readFileSync(`generated/${result.output!.fileName}`, 'utf8');
    expect(result.output!.text === committed, `generated/${result.output!.fileName} is stale: run \`npm start\``).toBe(true);
  });

  it('has no module without a spec', () => {
    const expected = specs.map((spec) => compile(readFileSync(`models/${spec}`, 'utf8'), `models/${spec}`).output!.fileName).sort();
    expect(readdirSync('generated').filter((f) => f.endsWith('.ts')).sort()).toEqual(expected);
  });

  it('is deterministic: the same spec gives the same bytes', () => {
    const text = readFileSync('models/seed_lstm_state.yaml', 'utf8');
    expect(compile(text, 'models/seed_lstm_state.yaml').output!.text).toBe(compile(text, 'models/seed_lstm_state.yaml').output!.text);
  });
});

describe('schemas/model.schema.json', () => {
  it('is the schema assembled from the layer registry (run `npm run schema`)', () => {
    expect(readFileSync('schemas/model.schema.json', 'utf8')).toBe(schemaText());
  });
});
