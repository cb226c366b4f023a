// Bidirectional: keras.layers.Bidirectional (keras/src/layers/rnn/bidirectional.py). Runs the
// wrapped recurrent layer forward and a backward copy (go_backwards flipped, or `backward_layer`)
// over the same input, flips the backward sequence back into input time order, and merges the
// two (`merge_mode` concat, sum, mul, ave; null keeps both as outputs `forward` and `backward`).
// With the inner layer's return_state, the outputs are then forward_h (forward_c) and backward_h
// (backward_c). initial_state lists the forward states, then the backward ones. As in Keras the
// halves output zeros at masked steps when returning sequences (zero_output_for_mask).
// Weights: { forward: {...}, backward: {...} } under the wrapper's name.
import type { Stmt } from '../kernel/ir.js';
import { add, assign, at, constVar, forRange, mul, sub, type Ex } from '../kernel/build.js';
import type { LayerNode } from '../ir/graph.js';
import { formatShape, type TensorType } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import { defineLayer, type LayerIO, type Operand } from './layer.js';
import { oneOf } from './options/option.js';
import { layerByType } from './registry.js';

/** The wrapped layer as the spec writes it (its options without defaults). */
interface WrappedSpec {
  readonly type?: string;
  readonly units?: number;
  readonly return_sequences?: boolean;
  readonly return_state?: boolean;
}
const wrapped = (config: object): WrappedSpec | undefined => (config as { readonly layer?: WrappedSpec }).layer;

/** The forward half: the wrapped layer, zero_output_for_mask following return_sequences as Keras forces it. */
function forwardOf(layer: LayerNode): LayerNode {
  const inner = layer.inner!;
  return { ...inner, config: { ...inner.config, zero_output_for_mask: inner.config.return_sequences } };
}

/** The backward half: `backward_layer`, or the wrapped layer with go_backwards flipped. */
function backwardOf(layer: LayerNode): LayerNode {
  const base = layer.backward ?? { ...layer.inner!, config: { ...layer.inner!.config, go_backwards: !layer.inner!.config.go_backwards } };
  return { ...base, config: { ...base.config, zero_output_for_mask: base.config.return_sequences } };
}

/** The wrapped layer's state names (h, c), from its kind. */
function stateNames(config: object): readonly string[] {
  const inner = wrapped(config);
  const def = inner?.type === undefined ? undefined : layerByType.get(inner.type);
  return def?.recurrent ? def.outputNames({ return_state: true }).slice(1) : [];
}

export const bidirectional = defineLayer({
  type: 'Bidirectional',
  description: 'Runs a recurrent layer forward and backward over the input and merges the two.',
  options: {
    merge_mode: oneOf(['concat', 'sum', 'mul', 'ave', null], 'How the two directions combine; null returns both.', 'concat'),
  },
  required: ['layer'],
  wrapper: true,
  backwardLayer: true,
  recurrent: true,
  arity: { min: 1, max: 1 },
  maskPolicy: (config) => (wrapped(config)?.return_sequences ? 'pass' : 'drop'),
  // The backward direction reads the last timestep first: no output step depends on its own input step only.
  stepwise: () => false,
  returnsSequences: (config) => wrapped(config)?.return_sequences === true,

  outputNames(config) {
    const states = wrapped(config)?.return_state ? stateNames(config) : [];
    const main = config.merge_mode === null ? ['forward', 'backward'] : ['output'];
    return [...main, ...states.map((s) => `forward_${s}`), ...states.map((s) => `backward_${s}`)];
  },

  describe(config) {
    const inner = wrapped(config);
    return `Bidirectional(${String(inner?.type ?? '?')}(${String(inner?.units ?? '')}), merge_mode=${String(config.merge_mode)})`;
  },

  inferShapes(ctx, inputs, config) {
    const layer = ctx.layer;
    const fwd = forwardOf(layer);
    const bwd = backwardOf(layer);
    for (const [half, key] of [[fwd, 'layer'], [bwd, 'backward_layer']] as const) {
      // A wrapper (Bidirectional itself) is not a recurrent layer either: Keras refuses it too.
      if (!half.def.recurrent || half.def.wrapper) {
        ctx.error('MC4009', `${layerTitle(ctx)} wraps ${half.type}, which is not a recurrent layer. Received: ${half.type}.`, {
          pointer: `${layer.pointer}/${key}`,
          hint: 'wrap an LSTM, GRU or SimpleRNN.',
        });
        return undefined;
      }
      // A convolutional recurrence (ConvLSTM1D) has filters, not units: its states are not (batch, units).
      if (half.config.units === undefined) {
        ctx.error('MC6011', { layer: layerTitle(ctx), inner: half.type }, { pointer: `${layer.pointer}/${key}`, hint: 'wrap an LSTM, GRU or SimpleRNN, or run two ConvLSTM1D layers (one with `go_backwards: true`) and merge them.' });
        return undefined;
      }
    }
    if (layer.backward) {
      const problems = [
        fwd.config.go_backwards === bwd.config.go_backwards ? 'go_backwards must differ between the two' : undefined,
        fwd.config.return_sequences !== bwd.config.return_sequences ? 'return_sequences must be the same in both' : undefined,
        fwd.config.return_state !== bwd.config.return_state ? 'return_state must be the same in both' : undefined,
        (fwd.config.stateful === true) !== (bwd.config.stateful === true) ? 'stateful must be the same in both' : undefined,
      ].filter((p): p is string => p !== undefined);
      if (problems.length > 0) {
        ctx.error('MC4009', `${layerTitle(ctx)} has a backward_layer that does not match its layer: ${problems.join('; ')}.`, {
          pointer: `${layer.pointer}/backward_layer`,
          hint: 'give backward_layer `go_backwards: true` and the same return_sequences, return_state and stateful as `layer`.',
        });
        return undefined;
      }
    }
    const n = stateNames(config).length;
    if (ctx.initialState.length > 0 && ctx.initialState.length !== 2 * n) {
      ctx.error('MC4007', `${layerTitle(ctx)} takes ${2 * n} initial states: the forward ones, then the backward ones. Received: ${ctx.initialState.length}.`, { pointer: `${layer.pointer}/initial_state` });
      return undefined;
    }
    const f = fwd.def.inferShapes({ ...ctx, layer: fwd, initialState: ctx.initialState.slice(0, n) }, inputs);
    const b = bwd.def.inferShapes({ ...ctx, layer: bwd, initialState: ctx.initialState.slice(n) }, inputs);
    if (!f || !b) return undefined;
    const [fSeq, ...fStates] = f;
    const [bSeq, ...bStates] = b;
    const mode = config.merge_mode;
    const last = (t: TensorType) => t.shape[t.shape.length - 1] as number;
    if (mode !== null && mode !== 'concat' && last(fSeq!) !== last(bSeq!)) {
      ctx.error('MC4020', { layer: layerTitle(ctx), mode, forward: formatShape(fSeq!.shape), backward: formatShape(bSeq!.shape) }, {
        pointer: `${layer.pointer}/merge_mode`,
        hint: 'use `merge_mode: concat`, or give both directions the same units.',
      });
      return undefined;
    }
    const merged = mode === 'concat' ? { ...fSeq!, shape: [...fSeq!.shape.slice(0, -1), last(fSeq!) + last(bSeq!)] } : fSeq!;
    return [...(mode === null ? [fSeq!, bSeq!] : [merged]), ...fStates, ...bStates];
  },

  params(layer, inputs) {
    const half = (node: LayerNode, prefix: string) => node.def.params(node, inputs).map((p) => ({ ...p, name: `${prefix}/${p.name}` }));
    return [...half(forwardOf(layer), 'forward'), ...half(backwardOf(layer), 'backward')];
  },

  emit(ctx, io, config) {
    const layer = io.layer;
    const fwd = forwardOf(layer);
    const bwd = backwardOf(layer);
    const mode = config.merge_mode;
    const n = stateNames(config).length;
    const returnState = fwd.config.return_state === true;
    const sequences = fwd.config.return_sequences === true;
    const input = io.inputs[0]!;
    const time = input.type.shape[1]!;
    const T = ctx.dim(time);
    const U1 = fwd.config.units as number;
    const U2 = bwd.config.units as number;
    const main = mode === null ? 2 : 1;
    const stateOutputs = returnState ? io.outputs.slice(main) : [];
    const seqType = (units: number): TensorType => ({ dtype: 'float32', shape: sequences ? [input.type.shape[0]!, time, units] : [input.type.shape[0]!, units] });
    const rows = sequences ? mul(io.rows, T) : io.rows;
    const half = (node: LayerNode, prefix: string, units: number, seq: Operand | undefined, states: readonly Operand[], initial: readonly Operand[]): Stmt[] => {
      const out = seq ?? { buffer: io.scratch(prefix, mul(rows, units)), type: seqType(units) };
      const halfIO: LayerIO = {
        ...io,
        layer: node,
        outputs: [out, ...states],
        initialState: initial,
        weight: (p) => io.weight(`${prefix}/${p}`),
        scratch: (role, size) => io.scratch(`${prefix}_${role}`, size),
        state: (role, units2) => io.state(`${prefix}_${role}`, units2),
      };
      return node.def.emit(ctx, halfIO);
    };
    const forwardSeq = mode === null ? io.outputs[0]! : { buffer: io.scratch('forward', mul(rows, U1)), type: seqType(U1) };
    const backwardSeq = { buffer: io.scratch('backward', mul(rows, U2)), type: seqType(U2) };
    const statements: Stmt[] = [
      ...half(fwd, 'forward', U1, forwardSeq, stateOutputs.slice(0, n), io.initialState.slice(0, n)),
      ...half(bwd, 'backward', U2, backwardSeq, stateOutputs.slice(n), io.initialState.slice(n)),
    ];

    // Merge, reading the backward sequence in input time order.
    const f = forwardSeq.buffer;
    const b = backwardSeq.buffer;
    const out = io.outputs[mode === null ? 1 : 0]!.buffer;
    const width = mode === 'concat' ? U1 + U2 : mode === null ? U2 : U1;
    const merge = (fr: Ex, br: Ex): Stmt[] => {
      const fv = (j: Ex) => at(f, add(mul(fr, U1), j));
      const bv = (j: Ex) => at(b, add(mul(br, U2), j));
      const o = (j: Ex) => at(out, add(mul(fr, width), j));
      switch (mode) {
        case null:
          return [forRange('j', 0, U2, [assign(o('j'), bv('j'))])];
        case 'concat':
          return [forRange('j', 0, U1, [assign(o('j'), fv('j'))]), forRange('j', 0, U2, [assign(o(add(U1, 'j')), bv('j'))])];
        case 'sum':
          return [forRange('j', 0, U1, [assign(o('j'), add(fv('j'), bv('j')))])];
        case 'mul':
          return [forRange('j', 0, U1, [assign(o('j'), mul(fv('j'), bv('j')))])];
        case 'ave':
          return [forRange('j', 0, U1, [assign(o('j'), mul(0.5, add(fv('j'), bv('j'))))])];
      }
    };
    const loops = sequences
      ? forRange('b', 0, io.rows, [forRange('s', 0, T, [constVar('row', add(mul('b', T), 's')), ...merge('row', add(mul('b', T), sub(sub(T, 1), 's')))])])
      : forRange('b', 0, io.rows, merge('b', 'b'));
    statements.push(loops);
    return statements;
  },
});
