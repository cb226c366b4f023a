// TimeDistributed: keras.layers.TimeDistributed (keras/src/layers/rnn/time_distributed.py).
// Applies the wrapped layer to every timestep: the inner layer's shape rule sees the input with
// the time axis dropped, and the time axis is put back on its outputs. In the generated code the
// (batch, time) axes are contiguous rows, so the inner layer runs once on batch × time rows.
//
// A stateful recurrent layer inside is the exception: Keras's call runs the wrapped layer on
// x[:, 0], x[:, 1], ... in a Python loop (the time axis is static), so each timestep continues
// from the states the previous one left, and the next call from the last one's. The generated
// code does the same: a loop over the timesteps that copies timestep τ of every row into a
// (batch, ...) buffer, runs the recurrent layer on it with its states carried, and copies its
// output into timestep τ of the output.
import { formatShape, type Dim } from '../shapes/dim.js';
import { expectRank, layerTitle, sequenceHint } from '../shapes/rules.js';
import { add, assign, at, forRange, mul, withComment, type Ex } from '../kernel/build.js';
import type { Stmt } from '../kernel/ir.js';
import { defineLayer, type EmitContext, type LayerIO, type Operand } from './layer.js';

/** The operand with its time axis dropped: what the wrapped layer sees. */
function dropTime<T extends Operand>(o: T): T {
  return { ...o, type: { ...o.type, shape: [o.type.shape[0]!, ...o.type.shape.slice(2)] } };
}

/** Elements of one timestep of one row: the product of the axes after (batch, time). */
function timestepSize(ctx: EmitContext, o: Operand): Ex {
  return mul(...o.type.shape.slice(2).map((d: Dim) => ctx.dim(d)));
}

/** A stateful recurrent layer run timestep after timestep, its states carried from one to the next (and across calls). */
function emitTimestepByTimestep(ctx: EmitContext, io: LayerIO): Stmt[] {
  const inner = io.layer.inner!;
  const input = io.inputs[0]!;
  const output = io.outputs[0]!;
  const time = ctx.dim(input.type.shape[1]!);
  const [inSize, outSize] = [timestepSize(ctx, input), timestepSize(ctx, output)];
  const x = io.scratch('timestep_input', mul(io.rows, inSize));
  const y = io.scratch('timestep_output', mul(io.rows, outSize));
  const tau = ctx.names.allocate('timestep');
  const copy = (to: string, toIndex: (b: string, i: string) => Ex, from: string, fromIndex: (b: string, i: string) => Ex, size: Ex) =>
    forRange('b', 0, io.rows, [forRange('i', 0, size, [assign(at(to, toIndex('b', 'i')), at(from, fromIndex('b', 'i')))])]);
  const rowAt = (size: Ex) => (b: string, i: string) => add(mul(add(mul(b, time), tau), size), i);
  const flatAt = (size: Ex) => (b: string, i: string) => add(mul(b, size), i);
  const body = inner.def.emit(ctx, { ...io, layer: inner, restart: false, mask: undefined, inputs: [{ ...dropTime(input), buffer: x }], outputs: [{ ...dropTime(output), buffer: y }] });
  return [
    withComment(
      forRange(tau, 0, time, [
        withComment(copy(x, flatAt(inSize), input.buffer, rowAt(inSize), inSize), `${x} = ${input.buffer}[:, ${tau}]`),
        ...body,
        withComment(copy(output.buffer, rowAt(outSize), y, flatAt(outSize), outSize), `${output.buffer}[:, ${tau}] = ${y}`),
      ]),
      `${inner.type} "${inner.name}" is stateful: one timestep after another, each continuing the states the previous one left, as Keras's loop`,
    ),
  ];
}

export const timeDistributed = defineLayer({
  type: 'TimeDistributed',
  description: 'Applies the wrapped layer (`layer`) to every timestep of a (batch, time, ...) input.',
  options: {},
  required: ['layer'],
  wrapper: true,
  arity: { min: 1, max: 1 },
  maskPolicy: () => 'pass',
  // The wrapped layer sees single timesteps: whatever it is, step t of the output depends on step t only.
  stepwise: () => true,

  outputNames: () => ['output'],

  describe(config) {
    const inner = (config as { readonly layer?: { readonly type?: unknown } }).layer;
    return `TimeDistributed(${String(inner?.type ?? '?')})`;
  },

  inferShapes(ctx, [input]) {
    const shape = input!.type.shape;
    if (shape.length < 3) {
      const hint = sequenceHint(input!);
      ctx.error('MC4002', `${layerTitle(ctx)} needs an input with a time axis, (batch, timesteps, ...): at least 3-D. Received: a ${shape.length}-D input of shape ${formatShape(shape)}.`, {
        related: [ctx.definedHere(input!.producer)],
        hint: hint ?? 'feed it a sequence (batch, timesteps, features), or use the wrapped layer without TimeDistributed.',
      });
      return undefined;
    }
    if (!expectRank(ctx, input!, 3, Infinity, '(batch, timesteps, ...)')) return undefined;
    const inner = ctx.layer.inner!;
    const innerContext = { ...ctx, layer: inner };
    const innerOut = inner.def.inferShapes(innerContext, [{ ...input!, type: { ...input!.type, shape: [shape[0]!, ...shape.slice(2)] } }]);
    return innerOut?.map((t) => ({ ...t, shape: [t.shape[0]!, shape[1]!, ...t.shape.slice(1)] }));
  },

  params(layer, [input]) {
    const inner = layer.inner!;
    return inner.def.params(inner, [{ ...input!, shape: [input!.shape[0]!, ...input!.shape.slice(2)] }]);
  },

  emit(ctx, io) {
    const inner = io.layer.inner!;
    if (inner.def.recurrent && inner.config.stateful === true) return emitTimestepByTimestep(ctx, io);
    const time = io.inputs[0]!.type.shape[1]!;
    return inner.def.emit(ctx, {
      ...io,
      layer: inner,
      rows: mul(io.rows, ctx.dim(time)),
      // Every timestep is an independent sample for the wrapped layer: nothing carries between them.
      restart: true,
      // The mask is over the outer time axis; the wrapped layer sees single timesteps.
      mask: undefined,
      inputs: io.inputs.map(dropTime),
      outputs: io.outputs.map(dropTime),
    });
  },
});
