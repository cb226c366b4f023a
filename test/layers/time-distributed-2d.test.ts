// TimeDistributed over the 2-D layers (a CNN per video frame, then an LSTM) and the example model
// models/cnn_lstm_frames.yaml: shapes over (batch, frames, rows, cols, channels), a run-time number
// of frames, MC4042 for an image of run-time rows and columns, and the committed
// generated/cnn_lstm_frames.ts against Keras 3.15 (test/fixtures/keras/cnn_lstm_frames.json, the
// model's own layers with Keras's weights) on both engines, whole clips and frame by frame.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as cnnLstm from '../../generated/cnn_lstm_frames.ts';
import { build, codesOf, errorOf, shapeOf, spec } from './helpers.ts';

const video = (inner: Record<string, unknown>, shape: readonly (number | null)[] = [3, 7, 5, 2], extra: Record<string, unknown> = {}) =>
  build(spec([{ name: 'td', type: 'TimeDistributed', layer: inner }], { x: { shape, ...extra } }));

describe('TimeDistributed over the 2-D layers', () => {
  it.each([
    [{ type: 'Conv2D', filters: 4, kernel_size: 3 }, '(batch, 3, 5, 3, 4)'],
    [{ type: 'MaxPooling2D' }, '(batch, 3, 3, 2, 2)'],
    [{ type: 'AveragePooling2D', pool_size: 2, padding: 'same' }, '(batch, 3, 4, 3, 2)'],
    [{ type: 'GlobalMaxPooling2D' }, '(batch, 3, 2)'],
    [{ type: 'GlobalAveragePooling2D', keepdims: true }, '(batch, 3, 1, 1, 2)'],
    [{ type: 'ZeroPadding2D', padding: [[1, 0], [2, 1]] }, '(batch, 3, 8, 8, 2)'],
    [{ type: 'Cropping2D', cropping: 1 }, '(batch, 3, 5, 3, 2)'],
    [{ type: 'UpSampling2D', size: [1, 2] }, '(batch, 3, 7, 10, 2)'],
    [{ type: 'Flatten' }, '(batch, 3, 70)'],
    [{ type: 'Reshape', target_shape: [7, 10] }, '(batch, 3, 7, 10)'],
  ])('%j on frames (batch, 3, 7, 5, 2) -> %s', (inner, expected) => {
    const result = video(inner);
    expect(codesOf(result)).toEqual([]);
    expect(shapeOf(result, 'td')).toBe(expected);
  });

  it('a run-time number of frames stays one; the per-frame layers see fixed images', () => {
    expect(shapeOf(video({ type: 'Conv2D', filters: 4, kernel_size: 3, strides: 2, padding: 'same' }, [null, 7, 5, 2], { batch_size: 2 }), 'td')).toBe('(2, time, 4, 3, 4)');
  });

  it('the wrapped layer reports its own errors, with the image it sees', () => {
    const e = errorOf(video({ type: 'Conv2D', filters: 4, kernel_size: 3 }, [3, 7, 5]));
    expect(e.code).toBe('MC4001');
    expect(e.message).toBe('Conv2D layer "td" expects a 4-D input (batch, rows, cols, channels). Received: a 3-D input of shape (batch, 7, 5).');
  });
});

describe('MC4042: an image of run-time rows and columns', () => {
  it('is refused at the input, pointing at the second null, with a fix', () => {
    const result = build(spec([{ type: 'Conv2D', filters: 2, kernel_size: 3 }, { type: 'GlobalMaxPooling2D' }], { x: { shape: [null, null, 2], batch_size: 2 } }));
    const e = errorOf(result);
    expect(e.code).toBe('MC4042');
    expect(e.message).toBe('Input "x" has 2 dimensions known only at run time (dimensions 1 and 2 of "shape"): the generated module reads a run-time length from the size of the flat array it is given, which determines only one per input. Received: shape [null, null, 2].');
    expect(e.hint).toBe('give every dimension but one a size, `shape: [null, 16, 2]` say; images of several sizes need one spec per size.');
    expect(result.output).toBeUndefined();
  });

  it('one run-time dimension per input is fine', () => {
    expect(codesOf(build(spec([{ type: 'Conv2D', filters: 2, kernel_size: 3 }], { x: { shape: [null, 6, 2], batch_size: 2 } })))).toEqual([]);
  });
});

interface Fixture {
  readonly spec: { readonly layers: readonly unknown[]; readonly inputs: Record<string, { readonly shape: readonly number[] }> };
  readonly weights: unknown;
  readonly inputs: { readonly frames: unknown };
  readonly outputs: { readonly clip_class: unknown };
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

describe('models/cnn_lstm_frames.yaml', () => {
  const fixture = JSON.parse(readFileSync('test/fixtures/keras/cnn_lstm_frames.json', 'utf8')) as Fixture;
  const model = parse(readFileSync('models/cnn_lstm_frames.yaml', 'utf8')) as { layers: unknown[]; inputs: Record<string, { shape: number[] }> };
  const frames = Float32Array.from(flat(fixture.inputs.frames));
  const expected = flat(fixture.outputs.clip_class);
  const weights = cnnLstm.loadWeights(fixture.weights as never);
  const maxError = (actual: ArrayLike<number>) => expected.reduce((worst, e, i) => Math.max(worst, Math.abs(actual[i]! - e)), 0);

  it('the Keras fixture is of this very model: its layers and input shape', () => {
    expect(fixture.spec.layers).toEqual(model.layers);
    expect(fixture.spec.inputs.frames!.shape).toEqual(model.inputs.frames!.shape);
  });

  it.each(['wasm', 'js'] as const)("the committed module gives Keras's class probabilities within 1e-5 (engine %s)", (engine) => {
    const m = new cnnLstm.Model(weights, { engine });
    expect(m.engine).toBe(engine);
    expect(maxError(m.predict({ frames } as never).clip_class)).toBeLessThanOrEqual(1e-5);
  });

  it('streams frame by frame: 8 calls of step() end where predict() on the clip does', () => {
    const m = new cnnLstm.Model(weights, { engine: 'js' });
    const [batch, perFrame] = [2, 16 * 16];
    let last: Float32Array = new Float32Array();
    for (let t = 0; t < 8; t++) {
      const frame = new Float32Array(batch * perFrame);
      for (let b = 0; b < batch; b++) frame.set(frames.subarray((b * 8 + t) * perFrame, (b * 8 + t + 1) * perFrame), b * perFrame);
      last = m.step({ frames: frame } as never).clip_class.slice();
    }
    expect(maxError(last)).toBeLessThanOrEqual(1e-5);
  });

  it("names the layers that stay in TypeScript on the WebAssembly engine (no 2-D kernels in wasm)", () => {
    const text = readFileSync('generated/cnn_lstm_frames.ts', 'utf8');
    expect(text).toContain(' * forward_conv: the runtime kernel convolve2d has no WebAssembly version');
    expect(text).toContain(' * forward_pool: the runtime kernel maxPool2d has no WebAssembly version');
  });
});
