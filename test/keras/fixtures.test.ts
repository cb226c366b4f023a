// Numbers from real Keras 3.15.1 (JAX backend): each test/fixtures/keras/<case>.json holds a spec in
// our language, Keras's weights, inputs and Keras's outputs (made by scripts/keras/make_fixtures.py;
// see scripts/keras/README.md). Every case whose spec modelc accepts must match Keras to 1e-5
// (absolute, or relative for values above 1). Cases using layers or options modelc does not
// implement yet are listed as todo, and the core ones below must never be among them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule, type GeneratedInputs } from '../../src/load-module.ts';

interface Call {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

interface Fixture {
  readonly case: string;
  readonly description: string;
  readonly spec: { readonly inputs: Record<string, { dtype?: string }> };
  readonly weights: unknown;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly calls?: readonly (Call | 'reset_states')[];
}

const TOLERANCE = 1e-5;
const dir = 'test/fixtures/keras';
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'activations.json' && f !== 'summaries.json')
  .sort()
  .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Fixture);

/** Cases that must compile: the seed's layers and options. */
const core = /^(lstm_(default|return_sequences|return_state|return_state_seq|go_backwards_(seq|last|state)|no_bias|activation_.*|recurrent_activation_.*|unroll|unroll_go_backwards|implementation_1|initial_state|encoder_decoder|seq_state_head|outputs_map|stacked|stateful|stateful_reset)|dense_(2d|3d|no_bias|stack)|time_distributed_dense)$/;

/**
 * Where Keras disagrees with itself and we follow one side, documented in src/layers/recurrent.ts:
 * Keras's unrolled path ignores zero_output_for_mask; we honour it, so unroll equals the loop.
 */
const divergences: Readonly<Record<string, string>> = {
  lstm_mask_zero_output_unroll: 'Keras ignores zero_output_for_mask with unroll: true; modelc honours it (unrolled = looped)',
  bidirectional_lstm_mask_unroll: 'the same: Keras drops the zero_output_for_mask that Bidirectional forces when the halves are unrolled',
};

const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value === true ? 1 : value === false ? 0 : (value as number)]);

function toInputs(spec: Fixture['spec'], values: Record<string, unknown>): GeneratedInputs {
  return Object.fromEntries(
    Object.entries(values).map(([name, v]) => {
      const dtype = spec.inputs[name]?.dtype ?? 'float32';
      return [name, dtype === 'int32' ? Int32Array.from(flat(v)) : dtype === 'bool' ? Uint8Array.from(flat(v)) : Float32Array.from(flat(v))];
    }),
  );
}

/** The largest error, absolute below 1 and relative above. */
function maxError(actual: Float32Array, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  expected.forEach((e, i) => (worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(1, Math.abs(e)))));
  return worst;
}

const compiled = fixtures.map((fixture) => ({ fixture, result: compile(JSON.stringify(fixture.spec, null, 2), `${fixture.case}.json`) }));
const supported = compiled.filter((c) => c.result.output !== undefined && !(c.fixture.case in divergences));
const unsupported = compiled.filter((c) => c.result.output === undefined);

describe('Keras 3 reference numbers', () => {
  it('compiles every core case', () => {
    const missing = unsupported.filter((c) => core.test(c.fixture.case)).map((c) => `${c.fixture.case}: ${c.result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    expect(missing).toEqual([]);
    expect(supported.length).toBeGreaterThanOrEqual(60);
  });

  // Both engines: the WebAssembly one (layers it cannot lower run in TypeScript) and TypeScript alone.
  it.each(supported.flatMap((c) => (['wasm', 'js'] as const).map((engine) => [c.fixture.case, engine, c] as const)))('%s matches Keras to 1e-5 (engine %s)', async (_name, engine, { fixture, result }) => {
    const mod = await loadGeneratedModule(result.output!.text);
    const model = new mod.Model(mod.loadWeights(fixture.weights), { engine });
    expect(model.engine).toBe(engine);
    const calls: readonly (Call | 'reset_states')[] = fixture.calls ?? [{ inputs: fixture.inputs!, outputs: fixture.outputs! }];
    for (const call of calls) {
      if (call === 'reset_states') {
        model.resetStates!();
        continue;
      }
      // The batch size, which a model whose inputs all have a run-time length needs to be told.
      const batch = (Object.values(call.inputs)[0] as unknown[]).length;
      const outputs = model.predict(toInputs(fixture.spec, call.inputs), { batch });
      expect(Object.keys(outputs).sort()).toEqual(Object.keys(call.outputs).sort());
      for (const [name, expected] of Object.entries(call.outputs)) {
        expect(maxError(outputs[name]!, flat(expected)), `${fixture.case}: output ${name}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });

  for (const [name, why] of Object.entries(divergences)) it.skip(`${name}: documented divergence: ${why}`, () => {});
  for (const c of unsupported) it.todo(`${c.fixture.case} (not supported yet: ${c.result.diagnostics[0]?.code ?? '?'})`);
});
