// The Embedding range error names the token id and its position (the values, not the letters of
// the variables that hold them): it runs the generated module of models/text_classifier.yaml.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';

describe('Embedding range error at run time', () => {
  it('names the token id and its position', async () => {
    const file = 'models/text_classifier.yaml';
    const result = compile(readFileSync(file, 'utf8'), file);
    const mod = await loadGeneratedModule(result.output!.text);
    const tokens = new Int32Array(2 * 20).fill(1);
    tokens[27] = 1234; // row 1, position 7 of the flat ids
    const model = new mod.Model(mod.initWeights());
    expect(() => model.predict({ tokens })).toThrow(new RangeError('Embedding "embedding": token id 1234 at position 27 is outside [0, 1000)'));
    tokens[27] = -3;
    expect(() => model.predict({ tokens })).toThrow(/token id -3 at position 27 /);
  }, 60_000);
});
