// TimeDistributed: keras.layers.TimeDistributed (keras/src/layers/rnn/time_distributed.py).
// Applies the wrapped layer to every timestep: the inner layer's shape rule sees the input with
// the time axis dropped, and the time axis is put back on its outputs. In the generated code the
// (batch, time) axes are contiguous rows, so the inner layer runs once on batch × time rows.
import { formatShape } from '../shapes/dim.js';
import { expectRank, layerTitle, sequenceHint } from '../shapes/rules.js';
import { mul } from '../kernel/build.js';
import { defineLayer } from './layer.js';

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
    if (inner.def.recurrent && inner.config.stateful === true) {
      ctx.error('MC6010', { layer: layerTitle(ctx), inner: `${inner.type} "${inner.name}"` }, {
        pointer: `${ctx.layer.pointer}/layer/stateful`,
        hint: 'set `stateful: false` on the wrapped layer (each timestep then starts from zero states), or apply the recurrent layer without TimeDistributed.',
      });
      return undefined;
    }
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
    const input = io.inputs[0]!;
    const time = input.type.shape[1]!;
    const drop = <T extends { type: { shape: readonly unknown[] } }>(o: T) => ({ ...o, type: { ...o.type, shape: [o.type.shape[0], ...o.type.shape.slice(2)] } });
    return inner.def.emit(ctx, {
      ...io,
      layer: inner,
      rows: mul(io.rows, ctx.dim(time)),
      // Every timestep is an independent sample for the wrapped layer: nothing carries between them.
      restart: true,
      // The mask is over the outer time axis; the wrapped layer sees single timesteps.
      mask: undefined,
      inputs: io.inputs.map(drop) as never,
      outputs: io.outputs.map(drop) as never,
    });
  },
});
