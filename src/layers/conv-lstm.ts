// ConvLSTM1D and ConvLSTM2D: keras.layers.ConvLSTM1D / ConvLSTM2D (keras/src/layers/rnn/conv_lstm.py,
// conv_lstm1d.py, conv_lstm2d.py), LSTMs whose input and recurrent transformations are
// convolutions over one spatial axis (steps) or two (rows, cols), on the recurrent base with a
// convolutional geometry. The input is (batch, time, ...spatial, channels); the states h and c are
// (batch, ...new spatial, filters), each new length by Conv1D's window formula:
//   i = σr(conv(x, Wi) + conv_same(h, Ui) + bi)   f = σr(... f ...)   g = σ(... c ...)   o = σr(... o ...)
//   c' = f ⊙ c + i ⊙ g         h' = o ⊙ σ(c')
// The input convolution has the layer's strides, padding and dilation_rate; the recurrent one
// strides 1 and `same` padding (Keras's recurrent_conv). Each is emitted as its windows laid out
// as matrix rows (windowRows) and one matrix product with the kernel, so the whole layer runs in
// the WebAssembly engine (SIMD products) as well as in TypeScript. Gate order i, f, c, o along the
// last axis of kernel (...kernel_size, channels, 4·filters), recurrent_kernel (...kernel_size,
// filters, 4·filters) and bias (4·filters). The base gives return_sequences, return_state,
// go_backwards, stateful, unroll and initial_state ([h, c], each (batch, ...new spatial, filters)).
// Keras 3.15 fails on a mask here (MC4061). Divergence: dropout and recurrent_dropout are
// accepted and, as in Keras's inference, not applied; the module has no training mode for them.
// data_format is channels_last only.
import { add, assign, at, call, constVar, forRange, ifThen, lt, mul, not, nullLiteral, or, stmt, withComment, type Ex } from '../kernel/build.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import { expectStridesOrDilation, padBefore, single, windowLengths, windowText, type Window } from '../shapes/conv.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import { integer, type Option } from './options/option.js';
import { dataFormatSchema, paddingSchema, sizeSchema } from './options/window.js';
import { geometricRecurrentLayer, type CellGeometry } from './recurrent.js';
import type { EmitContext, LayerDef } from './layer.js';
import { lstmBias, lstmOptions, lstmUpdate } from './lstm.js';
import { shortInputHint, windowDescription, windowOptions } from './conv1d-window.js';

/** The spatial axes: 1 (steps) or 2 (rows, cols). */
interface Axes {
  readonly rank: 1 | 2;
  readonly names: readonly string[];
  readonly kernelAxes: string;
}

const steps: Axes = { rank: 1, names: ['steps'], kernelAxes: 'kernel_size' };
const image: Axes = { rank: 2, names: ['rows', 'cols'], kernelAxes: 'kernel rows, kernel cols' };

type ConvOptions = {
  readonly filters: Option<number>;
  readonly kernel_size: Option<unknown>;
  readonly strides: Option<unknown>;
  readonly padding: Option<'valid' | 'same'>;
  readonly data_format: Option<'channels_last'>;
  readonly dilation_rate: Option<unknown>;
};

function optionsOf(axes: Axes): ConvOptions {
  const filters = integer('Number of output channels of the convolutions: the last axis of the states.');
  if (axes.rank === 1) return { filters, ...windowOptions('convolution') };
  return {
    filters,
    kernel_size: sizeSchema('Rows and columns of the convolution window (one integer for both).', undefined, 2),
    strides: sizeSchema('Step between windows along rows and columns.', 1, 2),
    padding: paddingSchema(['valid', 'same'], 'valid: no padding; same: zeros around each frame so that the states have ceil(size / strides) rows and columns.'),
    data_format: dataFormatSchema,
    dilation_rate: sizeSchema('Spacing between the taps of the window along rows and columns.', 1, 2),
  };
}

type ConvConfig = { readonly kernel_size: unknown; readonly strides: unknown; readonly dilation_rate: unknown; readonly padding: 'valid' | 'same' };

/** One size per axis: an integer repeated, or the list as given. */
function sizes(value: unknown, rank: number): number[] {
  return Array.isArray(value) ? (value as number[]) : Array.from({ length: rank }, () => single(value));
}

/** The window of each spatial axis. */
function windowsOf(c: ConvConfig, rank: number): Window[] {
  const [k, s, d] = [sizes(c.kernel_size, rank), sizes(c.strides, rank), sizes(c.dilation_rate, rank)];
  return k.map((size, a) => ({ size, stride: s[a]!, dilation: d[a]!, padding: c.padding }));
}

/** `kernel_size=3`, or `kernel_size=(3, 3), strides=(2, 2)` for two axes. */
function describeWindows(ws: readonly Window[]): string[] {
  if (ws.length === 1) return windowDescription(ws[0]!);
  const pair = (f: (w: Window) => number) => `(${ws.map(f).join(', ')})`;
  return [`kernel_size=${pair((w) => w.size)}`, ws.some((w) => w.stride !== 1) ? `strides=${pair((w) => w.stride)}` : '', ws[0]!.padding !== 'valid' ? `padding=${ws[0]!.padding}` : '', ws.some((w) => w.dilation !== 1) ? `dilation_rate=${pair((w) => w.dilation)}` : ''].filter((e) => e !== '');
}

/** The input convolution of every timestep at once, and the (...spatial, filters) states it gives. */
function convolution(axes: Axes): CellGeometry<ConvOptions> {
  const spatial = axes.names.join(', ');
  return {
    options: optionsOf(axes),
    required: ['filters', 'kernel_size'],
    rank: axes.rank + 3,
    meaning: `(batch, time, ${spatial}, channels)`,
    kernelText: (blocks) => ({ kernel: `(${axes.kernelAxes}, channels, ${blocks}filters)`, recurrent: `(${axes.kernelAxes}, filters, ${blocks}filters)` }),
    masks: false,
    trainingDropout: false,
    head: (c) => [String(c.filters), ...describeWindows(windowsOf(c, axes.rank))].join(', '),
    block: (c) => `${c.filters} filters`,

    stateShape(ctx, input, c) {
      const ws = windowsOf(c, axes.rank);
      if (!expectStridesOrDilation(ctx, ws)) return undefined;
      const shape = input.type.shape;
      const named = [[shape[shape.length - 1]!, 'the channels axis'] as const, ...axes.names.map((n, a) => [shape[2 + a]!, `the ${n} axis`] as const)];
      for (const [dim, axis] of named) {
        if (isKnown(dim)) continue;
        ctx.error('MC4010', { layer: layerTitle(ctx), axis, reason: ' (it sizes the states)', shape: formatShape(shape) }, { related: [ctx.definedHere(input.producer)] });
        return undefined;
      }
      // The spatial axes follow the time axis: they start at axis 2.
      const lengths = windowLengths(ctx, input, ws, windowText(ws), shortInputHint, 2);
      return lengths && [...(lengths as number[]), c.filters];
    },

    kernels(c, input, gates, gateText) {
      const ks = windowsOf(c, axes.rank).map((w) => w.size);
      const taps = axes.rank === 1 ? 'kernel taps' : 'kernel rows × kernel cols';
      return {
        kernel: { shape: [...ks, input.shape[input.shape.length - 1] as number, gates * c.filters], layout: `${taps} × input channels × ${gateText}` },
        recurrent: { shape: [...ks, c.filters, gates * c.filters], layout: `${taps} × filters × ${gateText}` },
      };
    },

    project(ctx, io, c, { xz, bias }) {
      const ws = windowsOf(c, axes.rank);
      const input = io.inputs[0]!;
      const shape = input.type.shape;
      const samples = mul(io.rows, ctx.dim(shape[1]!));
      const dims = shape.slice(2, 2 + axes.rank) as number[];
      const outDims = stateDims(io.outputs[0]!.type.shape, axes.rank);
      const C = shape[shape.length - 1] as number;
      const taps = ws.reduce((n, w) => n * w.size, 1) * C;
      const positions = outDims.reduce((n, d) => n * d, 1);
      const columns = io.scratch('input_windows', mul(samples, positions, taps));
      const windows = windowRows(ctx, { from: input.buffer, samples, dims, channels: C, windows: ws, outDims, to: columns });
      const product = stmt(call(ctx.runtime('matmulBias'), columns, mul(samples, positions), taps, io.weight('kernel'), 4 * c.filters, bias, xz));
      return [
        withComment(windows, `${columns}[b, t, p, :] = the window of ${input.buffer}[b, t] that state position p reads (${describeWindows(ws).join(', ')}; zeros outside)`),
        withComment(product, `Input convolution of every timestep at once, as one product: ${xz}[b, t, p, :] = ${columns}[b, t, p, :] · kernel${bias.kind === 'null' ? '' : ' + bias'} (gates i, f, c, o of ${c.filters} filters at each of ${positions} positions)`),
      ];
    },
  };
}

/** The spatial dims of the states, from the main output's shape (batch, [time,] ...spatial, filters). */
function stateDims(out: readonly unknown[], rank: number): number[] {
  return out.slice(out.length - rank - 1, out.length - 1) as number[];
}

interface Windows {
  readonly from: string;
  readonly samples: Ex;
  /** The input's spatial dims, and the window and output length of each. */
  readonly dims: readonly number[];
  readonly channels: number;
  readonly windows: readonly Window[];
  readonly outDims: readonly number[];
  readonly to: string;
}

/**
 * The windows of `samples` (...dims, channels) tensors laid out as the rows of a matrix (im2col):
 * to[n, o₁, o₂, k₁, k₂, :] = from[n, o₁·s₁ − pad₁ + k₁·d₁, o₂·s₂ − pad₂ + k₂·d₂, :], zeros outside.
 * A convolution is then one matrix product with the kernel read as (taps · channels, filters),
 * which the WebAssembly engine runs in SIMD.
 */
function windowRows(ctx: EmitContext, o: Windows): Stmt {
  const n = ctx.names.allocate('sample');
  const [positions, taps, sources] = ['position', 'tap', 'source'].map((h) => o.dims.map(() => ctx.names.allocate(h))) as [string[], string[], string[]];
  const C = o.channels;
  // Row-major offsets: the output row (n, o₁, o₂) then the tap (k₁, k₂), and the source element.
  const nest = (indices: readonly Ex[], sizes: readonly number[], first: Ex): Expr => indices.reduce<Expr>((acc, index, a) => add(mul(acc, sizes[a]!), index), first as Expr);
  const target = add(mul(nest(taps, o.windows.map((w) => w.size), nest(positions, o.outDims, n)), C), 'i');
  const source = add(mul(nest(sources, o.dims, n), C), 'i');
  const outside = sources.map((q, a) => or(lt(q, 0), not(lt(q, o.dims[a]!)))).reduce((a, b) => or(a, b));
  const copy = ifThen(outside, [forRange('i', 0, C, [assign(at(o.to, target), 0)])], [forRange('i', 0, C, [assign(at(o.to, target), at(o.from, source))])]);
  const sourcesOf = sources.map((q, a) => constVar(q, add(mul(positions[a]!, o.windows[a]!.stride), mul(taps[a]!, o.windows[a]!.dilation), -padBefore(o.dims[a]!, o.windows[a]!))));
  const overTaps = taps.reduceRight<Stmt[]>((body, k, a) => [forRange(k, 0, o.windows[a]!.size, body)], [...sourcesOf, copy]);
  const overPositions = positions.reduceRight<Stmt[]>((body, p, a) => [forRange(p, 0, o.outDims[a]!, body)], overTaps);
  return forRange(n, 0, o.samples, overPositions);
}

function convLstmLayer(axes: Axes): LayerDef {
  return geometricRecurrentLayer(
    {
      type: `ConvLSTM${axes.rank}D`,
      description: `Convolutional LSTM over (batch, time, ${axes.names.join(', ')}, channels): the LSTM gates computed by ${axes.rank}-D convolutions of the input and of the (${axes.names.join(', ')}, filters) state, Keras 3 semantics.`,
      states: ['h', 'c'],
      gates: 4,
      gateNames: 'i, f, c, o',
      options: lstmOptions,

      bias(c) {
        return lstmBias(c, c.filters, `${c.filters} filters`);
      },

      step(ctx, cell) {
        const c = cell.config;
        const F = c.filters;
        const rows = cell.io.rows;
        const dims = stateDims(cell.io.outputs[0]!.type.shape, axes.rank);
        const P = cell.units / F;
        const same = windowsOf(c, axes.rank).map((w): Window => ({ size: w.size, stride: 1, dilation: 1, padding: 'same' }));
        const taps = same.reduce((n, w) => n * w.size, 1) * F;
        const rz = cell.io.scratch('recurrent_z', mul(rows, cell.width));
        const columns = cell.io.scratch('state_windows', mul(rows, P, taps));
        const windows = windowRows(ctx, { from: cell.states.h!, samples: rows, dims, channels: F, windows: same, outDims: dims, to: columns });
        const recurrent = stmt(call(ctx.runtime('matmulBias'), columns, mul(rows, P), taps, cell.recurrentKernel, 4 * F, nullLiteral(), rz));
        const [p, f, o] = ['position', 'filter', 'gate_offset'].map((h) => ctx.names.allocate(h)) as [string, string, string];
        // Gate g of filter f at position p: the input's and the state's convolutions, (p, g·filters + f) in each.
        const z = (gate: number) => add(at(cell.xz, add('zx', o, gate * F)), at(rz, add(mul('b', cell.width), o, gate * F)));
        return [
          withComment(windows, `${columns}[b, p, :] = the window of h[b] around position p (same padding, strides 1)`),
          withComment(recurrent, `${rz}[b, p, :] = ${columns}[b, p, :] · recurrent_kernel: the recurrent convolution`),
          cell.forRows([forRange(p, 0, P, [forRange(f, 0, F, [constVar(o, add(mul(p, 4 * F), f)), ...lstmUpdate(ctx, c, z, add('hb', mul(p, F), f), cell.states)])])]),
        ];
      },
    },
    convolution(axes),
  );
}

export const convLstm1d = convLstmLayer(steps);
export const convLstm2d = convLstmLayer(image);
