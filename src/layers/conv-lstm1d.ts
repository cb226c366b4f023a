// ConvLSTM1D: keras.layers.ConvLSTM1D (keras/src/layers/rnn/conv_lstm1d.py and conv_lstm.py), an
// LSTM whose input and recurrent transformations are convolutions over a steps axis, on the
// recurrent base with a convolutional geometry. The input is (batch, time, steps, channels); the
// states h and c are (batch, new_steps, filters), new_steps by Conv1D's window formula:
//   i = σr(conv(x, Wi) + conv_same(h, Ui) + bi)   f = σr(... f ...)   g = σ(... c ...)   o = σr(... o ...)
//   c' = f ⊙ c + i ⊙ g         h' = o ⊙ σ(c')
// The input convolution has the layer's strides, padding and dilation_rate; the recurrent one
// strides 1 and `same` padding (Keras's recurrent_conv). Each is emitted as its windows laid out
// as matrix rows (windowRows) and one matrix product with the kernel, so the whole layer runs in
// the WebAssembly engine (SIMD products) as well as in TypeScript. Gate order i, f, c, o along the last
// axis of kernel (kernel_size, channels, 4·filters), recurrent_kernel (kernel_size, filters,
// 4·filters) and bias (4·filters). The base gives return_sequences, return_state, go_backwards,
// stateful, unroll and initial_state ([h, c], each (batch, new_steps, filters)).
// Keras 3.15 fails on a mask here (MC4061). Divergence: dropout and recurrent_dropout are
// accepted and, as in Keras's inference, not applied; the module has no training mode for them.
// data_format is channels_last only.
import { add, assign, at, call, constVar, forRange, ifThen, lt, mul, not, nullLiteral, or, stmt, withComment, type Ex } from '../kernel/build.js';
import type { Stmt } from '../kernel/ir.js';
import { padBefore, type Window } from '../shapes/conv.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import { integer } from './options/option.js';
import { geometricRecurrentLayer, type CellGeometry } from './recurrent.js';
import type { EmitContext } from './layer.js';
import { lstmBias, lstmOptions, lstmUpdate } from './lstm.js';
import { expectStridesOrDilation, windowDescription, windowLength, windowOf, windowOptions } from './conv1d-window.js';

const convolutionOptions = {
  filters: integer('Number of output channels of the convolutions: the last axis of the states.'),
  ...windowOptions('convolution'),
};

/** The input convolution of every timestep at once, and the (steps, filters) states it gives. */
const convolution: CellGeometry<typeof convolutionOptions> = {
  options: convolutionOptions,
  required: ['filters', 'kernel_size'],
  rank: 4,
  meaning: '(batch, time, steps, channels)',
  kernelText: (blocks) => ({ kernel: `(kernel_size, channels, ${blocks}filters)`, recurrent: `(kernel_size, filters, ${blocks}filters)` }),
  masks: false,
  trainingDropout: false,
  head: (c) => [String(c.filters), ...windowDescription(windowOf(c))].join(', '),
  block: (c) => `${c.filters} filters`,

  stateShape(ctx, input, c) {
    const w = windowOf(c);
    if (!expectStridesOrDilation(ctx, w)) return undefined;
    const [, , steps, channels] = input.type.shape;
    for (const [dim, axis] of [[channels!, 'the channels axis'], [steps!, 'the steps axis']] as const) {
      if (isKnown(dim)) continue;
      ctx.error('MC4010', { layer: layerTitle(ctx), axis, reason: ' (it sizes the states)', shape: formatShape(input.type.shape) }, { related: [ctx.definedHere(input.producer)] });
      return undefined;
    }
    const length = windowLength(ctx, input, steps!, w);
    return length === undefined ? undefined : [length as number, c.filters];
  },

  kernels(c, input, gates, gateText) {
    const k = windowOf(c).size;
    return {
      kernel: { shape: [k, input.shape[3] as number, gates * c.filters], layout: `kernel taps × input channels × ${gateText}` },
      recurrent: { shape: [k, c.filters, gates * c.filters], layout: `kernel taps × filters × ${gateText}` },
    };
  },

  project(ctx, io, c, { xz, width, bias }) {
    const w = windowOf(c);
    const input = io.inputs[0]!;
    const [, time, steps, channels] = input.type.shape;
    const samples = mul(io.rows, ctx.dim(time!));
    const outSteps = width / (4 * c.filters);
    const C = channels as number;
    const columns = io.scratch('input_windows', mul(samples, outSteps, w.size * C));
    const windows = windowRows(ctx, { from: input.buffer, samples, steps: steps as number, channels: C, w, outSteps, to: columns });
    const product = stmt(call(ctx.runtime('matmulBias'), columns, mul(samples, outSteps), w.size * C, io.weight('kernel'), 4 * c.filters, bias, xz));
    return [
      withComment(windows, `${columns}[b, t, p, :] = the window of ${input.buffer}[b, t] that output step p reads (${w.size} taps${w.stride > 1 ? `, stride ${w.stride}` : ''}${w.dilation > 1 ? `, ${w.dilation} apart` : ''}; zeros outside)`),
      withComment(product, `Input convolution of every timestep at once, as one product: ${xz}[b, t, p, :] = ${columns}[b, t, p, :] · kernel${bias.kind === 'null' ? '' : ' + bias'} (gates i, f, c, o of ${c.filters} filters at each of ${outSteps} steps)`),
    ];
  },
};

interface Windows {
  readonly from: string;
  readonly samples: Ex;
  readonly steps: number;
  readonly channels: number;
  readonly w: Window;
  readonly outSteps: number;
  readonly to: string;
}

/**
 * The windows of `samples` (steps, channels) rows laid out as the rows of a matrix (im2col):
 * to[n, p, k, :] = from[n, p·stride − pad + k·dilation, :], zeros outside the steps. A convolution
 * is then one matrix product with the kernel read as (kernel_size · channels, filters), which the
 * WebAssembly engine runs in SIMD.
 */
function windowRows(ctx: EmitContext, o: Windows): Stmt {
  const [n, p, k, q] = ['sample', 'position', 'tap', 'source'].map((h) => ctx.names.allocate(h)) as [string, string, string, string];
  const C = o.channels;
  const pad = padBefore(o.steps, o.w);
  const row = add(mul(add(mul(n, o.outSteps), p), o.w.size * C), mul(k, C));
  return forRange(n, 0, o.samples, [
    forRange(p, 0, o.outSteps, [
      forRange(k, 0, o.w.size, [
        constVar(q, add(mul(p, o.w.stride), mul(k, o.w.dilation), -pad)),
        ifThen(or(lt(q, 0), not(lt(q, o.steps))), [forRange('i', 0, C, [assign(at(o.to, add(row, 'i')), 0)])], [forRange('i', 0, C, [assign(at(o.to, add(row, 'i')), at(o.from, add(mul(add(mul(n, o.steps), q), C), 'i')))])]),
      ]),
    ]),
  ]);
}

export const convLstm1d = geometricRecurrentLayer(
  {
    type: 'ConvLSTM1D',
    description: 'Convolutional LSTM over (batch, time, steps, channels): the LSTM gates computed by 1-D convolutions of the input and of the (steps, filters) state, Keras 3 semantics.',
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
      const S = cell.units / F;
      const k = windowOf(c).size;
      const rows = cell.io.rows;
      const rz = cell.io.scratch('recurrent_z', mul(rows, cell.width));
      const columns = cell.io.scratch('state_windows', mul(rows, S, k * F));
      const same: Window = { size: k, stride: 1, dilation: 1, padding: 'same' };
      const windows = windowRows(ctx, { from: cell.states.h!, samples: rows, steps: S, channels: F, w: same, outSteps: S, to: columns });
      const recurrent = stmt(call(ctx.runtime('matmulBias'), columns, mul(rows, S), k * F, cell.recurrentKernel, 4 * F, nullLiteral(), rz));
      const [p, f, o] = ['position', 'filter', 'gate_offset'].map((h) => ctx.names.allocate(h)) as [string, string, string];
      // Gate g of filter f at step p: the input's and the state's convolutions, (p, g·filters + f) in each.
      const z = (gate: number) => add(at(cell.xz, add('zx', o, gate * F)), at(rz, add(mul('b', cell.width), o, gate * F)));
      return [
        withComment(windows, `${columns}[b, p, :] = the window of h[b] around step p (same padding, strides 1)`),
        withComment(recurrent, `${rz}[b, p, :] = ${columns}[b, p, :] · recurrent_kernel: the recurrent convolution`),
        cell.forRows([
          forRange(p, 0, S, [forRange(f, 0, F, [constVar(o, add(mul(p, 4 * F), f)), ...lstmUpdate(ctx, c, z, add('hb', mul(p, F), f), cell.states)])]),
        ]),
      ];
    },
  },
  convolution,
);
