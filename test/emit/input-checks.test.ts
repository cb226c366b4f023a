// The generated module at run time (issue 14, item 6): an input that is missing, a plain array or
// a typed array of another kind is a TypeError naming the input and what was expected; a wrong
// length is a RangeError; batch 0 is refused. Checked on both engines.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';

const spec = 'name: m\ninputs:\n  x: { shape: [3, 2] }\n  ids: { shape: [3], dtype: int32 }\nlayers:\n  - { name: emb, type: Embedding, input_dim: 5, output_dim: 2, input: ids }\n  - { name: sum, type: Add, inputs: [emb, x] }\n  - { name: lstm, type: LSTM, units: 2 }\n';

describe('generated module input checks', () => {
  for (const engine of ['js', 'wasm'] as const) {
    it(`names the input and what it expected (engine ${engine})`, async () => {
      const mod = await loadGeneratedModule(compile(spec, 'm.yaml').output!.text);
      const model = new (mod.Model as unknown as new (w: unknown, o: unknown) => { predict(i: unknown): Record<string, Float32Array> })(mod.initWeights(), { engine });
      const x = new Float32Array(2 * 3 * 2);
      const ids = new Int32Array(2 * 3);
      expect(model.predict({ x, ids }).lstm!.length).toBe(4);
      expect(() => model.predict({ ids })).toThrow(new TypeError('input "x" must be a Float32Array (row-major, batch first); got nothing: the input is missing'));
      expect(() => model.predict({ x: Array.from(x), ids })).toThrow(/input "x" must be a Float32Array .*got a plain array/);
      expect(() => model.predict({ x: new Float64Array(12), ids })).toThrow(/input "x" must be a Float32Array .*got a Float64Array/);
      expect(() => model.predict({ x, ids: new Float32Array(6) })).toThrow(/input "ids" must be an Int32Array .*got a Float32Array/);
      expect(() => model.predict({ x: new Float32Array(11), ids })).toThrow(RangeError);
      expect(() => model.predict({ x: new Float32Array(0), ids: new Int32Array(0) })).toThrow(RangeError);
    });
  }
});
