// Stateful calls and streaming steps continue where the last call stopped: two calls on the
// halves of a sequence give what one call on the whole gives, and T step() calls give what one
// predict() on T timesteps gives. The whole-sequence outputs are themselves checked against Keras
// (test/keras, lstm_stateful*, gru_stateful); here the tolerance is 1e-6.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule, type GeneratedModule } from '../../src/load-module.ts';

const TOLERANCE = 1e-6;

async function load(spec: string): Promise<GeneratedModule> {
  const result = compile(spec, 'inline.yaml');
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loadGeneratedModule(result.output!.text);
}

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Rows [from, to) of the time axis of a (batch, time, features) tensor. */
function timeSlice(x: Float32Array, batch: number, time: number, features: number, from: number, to: number): Float32Array {
  const out = new Float32Array(batch * (to - from) * features);
  for (let b = 0; b < batch; b++) out.set(x.subarray((b * time + from) * features, (b * time + to) * features), b * (to - from) * features);
  return out;
}

const recurrent = (type: string, extra = '') => `name: m
inputs:
  x: { shape: [TIME, 3], batch_size: 2 }
layers:
  - name: rnn
    type: ${type}
    units: 5
    return_sequences: true
    return_state: true${extra}
  - name: head
    type: Dense
    units: 2
    input: rnn
outputs: [head, rnn.h]
`;

describe.each(['LSTM', 'GRU', 'SimpleRNN'])('%s', (type) => {
  it('stateful: two calls on the halves equal one call on the whole', async () => {
    const whole = await load(recurrent(type, '\n    stateful: true').replace('TIME', '8'));
    const half = await load(recurrent(type, '\n    stateful: true').replace('TIME', '4'));
    const weights = whole.initWeights(7);
    const x = random(2 * 8 * 3, 11);
    const expected = new whole.Model(weights).predict({ x });
    const model = new half.Model(weights);
    const first = model.predict({ x: timeSlice(x, 2, 8, 3, 0, 4) });
    const firstHead = first.head!.slice();
    const second = model.predict({ x: timeSlice(x, 2, 8, 3, 4, 8) });
    expect(maxDiff(firstHead, timeSlice(expected.head!, 2, 8, 2, 0, 4))).toBeLessThanOrEqual(TOLERANCE);
    expect(maxDiff(second.head!, timeSlice(expected.head!, 2, 8, 2, 4, 8))).toBeLessThanOrEqual(TOLERANCE);
    expect(maxDiff(second.rnn_h!, expected.rnn_h!)).toBeLessThanOrEqual(TOLERANCE);
    // After resetStates the model starts over: the first half again gives the first outputs.
    model.resetStates!();
    expect(maxDiff(model.predict({ x: timeSlice(x, 2, 8, 3, 0, 4) }).head!, firstHead)).toBe(0);
  });

  it('a layer without stateful restarts every call', async () => {
    const mod = await load(recurrent(type).replace('TIME', '4'));
    const model = new mod.Model(mod.initWeights(3));
    const x = random(2 * 4 * 3, 5);
    const first = model.predict({ x }).head!.slice();
    expect(maxDiff(model.predict({ x }).head!, first)).toBe(0);
  });

  it('streaming: T step() calls equal one predict() on T timesteps', async () => {
    const mod = await load(recurrent(type).replace('TIME', '6'));
    const weights = mod.initWeights(9);
    const x = random(2 * 6 * 3, 13);
    const expected = new mod.Model(weights).predict({ x });
    const model = new mod.Model(weights);
    for (let t = 0; t < 6; t++) {
      const out = model.step!({ x: timeSlice(x, 2, 6, 3, t, t + 1) });
      expect(maxDiff(out.head!, timeSlice(expected.head!, 2, 6, 2, t, t + 1)), `step ${t}`).toBeLessThanOrEqual(TOLERANCE);
      if (t === 5) expect(maxDiff(out.rnn_h!, expected.rnn_h!)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('getStates / setStates save and restore a stream', async () => {
    const mod = await load(recurrent(type).replace('TIME', '4'));
    const model = new mod.Model(mod.initWeights(2));
    const x = random(2 * 4 * 3, 17);
    model.step!({ x: timeSlice(x, 2, 4, 3, 0, 1) });
    const saved = model.getStates!();
    const next = model.step!({ x: timeSlice(x, 2, 4, 3, 1, 2) }).head!.slice();
    model.setStates!(saved);
    expect(maxDiff(model.step!({ x: timeSlice(x, 2, 4, 3, 1, 2) }).head!, next)).toBe(0);
    expect(() => model.setStates!({ rnn: { h: new Float32Array(3), c: new Float32Array(3) } })).toThrow(RangeError);
  });
});

describe('stateful needs a fixed batch size', () => {
  it('is MC4006 at the stateful option, with the fix', () => {
    const result = compile('name: m\ninputs:\n  x: { shape: [4, 3] }\nlayers:\n  - type: LSTM\n    units: 5\n    stateful: true\n', 'inline.yaml');
    const d = result.diagnostics.find((x) => x.code === 'MC4006')!;
    expect(d).toBeDefined();
    expect(result.source.position(d.span.start).line).toBe(7);
    expect(d.hint).toContain('batch_size');
  });
});

describe('no allocation per call', () => {
  it('Model.predict returns the same buffers every call', async () => {
    const mod = await load(recurrent('LSTM').replace('TIME', '4'));
    const model = new mod.Model(mod.initWeights(1));
    const x = random(2 * 4 * 3, 3);
    const a = model.predict({ x });
    const b = model.predict({ x });
    expect(b).toBe(a);
    expect(b.head).toBe(a.head);
  });
});

describe('unroll', () => {
  it('warns (MC6001) when the unrolled forward pass would be too large for V8 to optimize', () => {
    const spec = (t: number) => `name: m\ninputs:\n  x: { shape: [${t}, 2], batch_size: 1 }\nlayers:\n  - type: LSTM\n    units: 3\n    unroll: true\n`;
    const long = compile(spec(2500), 'inline.yaml');
    const warning = long.diagnostics.find((d) => d.code === 'MC6001')!;
    expect(warning.severity).toBe('warning');
    expect(long.source.position(warning.span.start).line).toBe(7);
    expect(warning.hint).toContain('unroll: false');
    expect(long.output).toBeDefined();
    expect(compile(spec(100), 'inline.yaml').diagnostics).toEqual([]);
  });
});

describe('which models stream', () => {
  it('an encoder-decoder with two sequence lengths streams: its step() is the model on one timestep of each', async () => {
    const spec = (history: number, future: number) => `name: m
inputs:
  history: { shape: [${history}, 3], batch_size: 2 }
  future: { shape: [${future}, 2], batch_size: 2 }
layers:
  - { name: encoder, type: LSTM, units: 6, return_state: true, input: history }
  - { name: decoder, type: LSTM, units: 6, return_sequences: true, input: future, initial_state: [encoder.h, encoder.c] }
outputs: [decoder, encoder.h]
`;
    const full = await load(spec(5, 4));
    const single = await load(spec(1, 1));
    const weights = full.initWeights(4);
    const history = random(2 * 3, 3);
    const future = random(2 * 2, 5);
    const model = new full.Model(weights);
    const stepped = model.step!({ history, future });
    const expected = new single.Model(weights).predict({ history, future });
    expect(maxDiff(stepped.decoder!, expected.decoder!)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxDiff(stepped.encoder_h!, expected.encoder_h!)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a Bidirectional model has no step(): its backward direction reads the last timestep first', async () => {
    const mod = await load(`name: m
inputs:
  x: { shape: [5, 3], batch_size: 2 }
layers:
  - { type: Bidirectional, layer: { type: LSTM, units: 4 } }
`);
    expect(new mod.Model(mod.initWeights(1)).step).toBeUndefined();
  });

  it('a go_backwards layer has no step()', async () => {
    const mod = await load(`name: m
inputs:
  x: { shape: [5, 3], batch_size: 2 }
layers:
  - { type: GRU, units: 4, go_backwards: true }
`);
    expect(new mod.Model(mod.initWeights(1)).step).toBeUndefined();
  });
});
