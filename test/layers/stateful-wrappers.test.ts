// Stateful wrappers (issue 12, item 5). Keras's Bidirectional is stateful when the layer it wraps
// is (keras/src/layers/rnn/bidirectional.py: `self.stateful = layer.stateful`): each direction is a
// stateful RNN of its own, so both carry their final states into the next call, the backward one
// its state after reading x[:, 0] last. The numbers are Keras's own test
// (keras/src/layers/rnn/bidirectional_test.py, test_statefulness), with the weights its constant
// initializers give (LSTM's unit_forget_bias makes the forget block of the bias 1). The Keras
// fixtures bidirectional_lstm_stateful and bidirectional_gru_stateful check random weights.
// TimeDistributed over a stateful recurrent layer: Keras 3's TimeDistributed.call runs the wrapped
// layer on x[:, 0], x[:, 1], ... in a loop, so each timestep continues the states the previous one
// left, and the next call the last one's (Keras's numbers: the fixtures time_distributed_lstm_stateful
// and time_distributed_gru_stateful_sequences). Below: the same property stated without Keras, one
// stateful LSTM over the flattened sequence read at the end of each chunk.
import { describe, expect, it } from 'vitest';
import { loadGeneratedModule } from '../../src/load-module.ts';
import { build, codesOf, errorOf, spec } from './helpers.ts';

const lstm = { type: 'LSTM', units: 2, stateful: true };
const bias = [0.03, 0.03, 1, 1, 0.03, 0.03, 0.03, 0.03];
const half = { kernel: Array.from({ length: 3 }, () => Array(8).fill(0.01)), recurrent_kernel: Array.from({ length: 2 }, () => Array(8).fill(0.02)), bias };
const sequence = Float32Array.from({ length: 24 }, (_, i) => i);
/** bidirectional_test.py: the second call, and again the second call after reset_state(). */
const second = [0.26234663, 0.26234663, 0.16959146, 0.16959146, 0.6137073, 0.6137073, 0.5381646, 0.5381646];

describe('stateful Bidirectional', () => {
  it("carries both directions' states across calls as Keras's test_statefulness", async () => {
    const result = build(spec([{ name: 'bidirectional', type: 'Bidirectional', layer: lstm }], { x: { shape: [4, 3], batch_size: 2 } }));
    expect(codesOf(result)).toEqual([]);
    const mod = await loadGeneratedModule(result.output!.text);
    const model = new mod.Model(mod.loadWeights({ bidirectional: { forward: half, backward: half } }));
    const call = () => Array.from(model.predict({ x: sequence }).bidirectional!);
    const first = call();
    const again = call();
    expect(Math.max(...again.map((v, i) => Math.abs(v - second[i]!)))).toBeLessThan(1e-6);
    expect(again).not.toEqual(first);
    model.resetStates!();
    expect(call()).toEqual(first);
    expect(call()).toEqual(again);
  });

  it('a backward_layer must agree on stateful (MC4009)', () => {
    const result = build(spec([{ name: 'bidirectional', type: 'Bidirectional', layer: lstm, backward_layer: { type: 'LSTM', units: 2, go_backwards: true } }], { x: { shape: [4, 3], batch_size: 2 } }));
    const error = errorOf(result);
    expect(error.code).toBe('MC4009');
    expect(error.message).toContain('stateful must be the same in both');
  });

  it('needs a fixed batch size (MC4006)', () => {
    expect(codesOf(build(spec([{ name: 'bidirectional', type: 'Bidirectional', layer: lstm }], { x: { shape: [4, 3] } })))).toContain('MC4006');
  });
});

describe('stateful TimeDistributed', () => {
  it('continues the states from one timestep to the next and across calls: one stateful LSTM over the flattened sequence', async () => {
    const weights = { kernel: Array.from({ length: 3 }, (_, i) => Array.from({ length: 8 }, (_, j) => ((i * 8 + j) % 7) / 10 - 0.3)), recurrent_kernel: half.recurrent_kernel, bias };
    const wrapped = build(spec([{ name: 'td', type: 'TimeDistributed', layer: lstm }], { x: { shape: [3, 4, 3], batch_size: 2 } }));
    const flat = build(spec([{ name: 'td', type: 'LSTM', units: 2, stateful: true, return_sequences: true }], { x: { shape: [12, 3], batch_size: 2 } }));
    expect(codesOf(wrapped)).toEqual([]);
    const [a, b] = [await loadGeneratedModule(wrapped.output!.text), await loadGeneratedModule(flat.output!.text)];
    const ma = new a.Model(a.loadWeights({ td: weights }));
    const mb = new b.Model(b.loadWeights({ td: weights }));
    const x = Float32Array.from({ length: 72 }, (_, i) => Math.sin(i));
    const chunkEnds = (y: Float32Array) => Array.from({ length: 6 }, (_, k) => [y[(k * 4 + 3) * 2]!, y[(k * 4 + 3) * 2 + 1]!]).flat();
    for (let call = 0; call < 3; call++) {
      if (call === 2) {
        ma.resetStates!();
        mb.resetStates!();
      }
      const got = Array.from(ma.predict({ x }).td!);
      const expected = chunkEnds(mb.predict({ x }).td!);
      expect(Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-6);
    }
  });

  it('needs a fixed batch size (MC4006)', () => {
    expect(codesOf(build(spec([{ name: 'td', type: 'TimeDistributed', layer: lstm }], { x: { shape: [3, 4, 3] } })))).toContain('MC4006');
  });

  it('a stateless recurrent layer inside TimeDistributed compiles', () => {
    expect(codesOf(build(spec([{ name: 'td', type: 'TimeDistributed', layer: { type: 'LSTM', units: 2 } }], { x: { shape: [3, 4, 3], batch_size: 2 } })))).toEqual([]);
  });
});
