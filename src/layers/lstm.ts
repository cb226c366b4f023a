// LSTM: keras.layers.LSTM (keras/src/layers/rnn/lstm.py), one cell run over time by the shared
// recurrence driver (emit/recurrence.ts).
//   i = σr(x·Wi + h·Ui + bi)   f = σr(x·Wf + h·Uf + bf)   g = σ(x·Wc + h·Uc + bc)   o = σr(x·Wo + h·Uo + bo)
//   c' = f ⊙ c + i ⊙ g         h' = o ⊙ σ(c')
// with σ = `activation` (tanh) and σr = `recurrent_activation` (sigmoid in Keras 3; the seed
// tutorial quotes Keras 2's hard_sigmoid). Gate order i, f, c, o in kernel, recurrent_kernel, bias.
// `go_backwards` reads the input from the last timestep to the first and returns the sequence in
// that processing order, as Keras 3 does. `implementation` 1 and 2 give the same numbers; both
// are accepted. `dropout` and `recurrent_dropout` act only in training: inference is the identity.
import type ts from 'typescript';
import { add, addAssign, assign, at, call, constVar, forRange, method, mul, nullLiteral, stmt, sub, withComment, type Ex } from '../emit/builders.js';
import { emitRecurrence } from '../emit/recurrence.js';
import { formatShape, isKnown } from '../shapes/dim.js';
import { expectDType, expectRank, flags, layerTitle } from '../shapes/rules.js';
import type { LayerDef } from './layer.js';
import { activationSchema, applyActivation } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';

export interface LSTMConfig {
  readonly units: number;
  readonly activation: string | null;
  readonly recurrent_activation: string | null;
  readonly use_bias: boolean;
  readonly kernel_initializer: unknown;
  readonly recurrent_initializer: unknown;
  readonly bias_initializer: unknown;
  readonly unit_forget_bias: boolean;
  readonly dropout: number;
  readonly recurrent_dropout: number;
  readonly implementation: 1 | 2;
  readonly return_sequences: boolean;
  readonly return_state: boolean;
  readonly go_backwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
}

const rate = (description: string) => ({ type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description });

export const lstm: LayerDef = {
  type: 'LSTM',
  description: 'Long Short-Term Memory layer (Hochreiter 1997), Keras 3 semantics.',
  options: {
    units: { type: 'integer', minimum: 1, description: 'Dimensionality of the output space and of the states.' },
    activation: activationSchema('tanh', 'Activation of the candidate and of the output (default tanh); null is linear.'),
    recurrent_activation: activationSchema('sigmoid', 'Activation of the input, forget and output gates (Keras 3 default sigmoid).'),
    use_bias: { type: 'boolean', default: true, description: 'Whether the layer uses a bias vector.' },
    kernel_initializer: initializerSchema('glorot_uniform', 'Initializer of the input kernel (features, 4·units).'),
    recurrent_initializer: initializerSchema('orthogonal', 'Initializer of the recurrent kernel (units, 4·units).'),
    bias_initializer: initializerSchema('zeros', 'Initializer of the bias (4·units).'),
    unit_forget_bias: { type: 'boolean', default: true, description: 'Add 1 to the forget-gate bias at initialization (forces zeros for the rest).' },
    dropout: rate('Fraction of the input units dropped in training; inference is unaffected.'),
    recurrent_dropout: rate('Fraction of the recurrent units dropped in training; inference is unaffected.'),
    implementation: { enum: [1, 2], default: 2, description: '1: many small products, 2: few large ones. Same result.' },
    return_sequences: { type: 'boolean', default: false, description: 'Return the output of every timestep (batch, time, units) instead of the last (batch, units).' },
    return_state: { type: 'boolean', default: false, description: 'Also return the last hidden state `h` and cell state `c`.' },
    go_backwards: { type: 'boolean', default: false, description: 'Process the input sequence backwards and return the reversed sequence.' },
    stateful: { type: 'boolean', default: false, description: 'Start each call from the states the previous call left (sample i continues sample i); needs a fixed batch_size.' },
    unroll: { type: 'boolean', default: false, description: 'Emit straight-line code for every timestep instead of a loop.' },
  },
  required: ['units'],
  recurrent: true,
  arity: { min: 1, max: 1 },

  outputNames: (config) => (config.return_state ? ['output', 'h', 'c'] : ['output']),
  optionalOutputs: () => ({ h: 'return_state: true', c: 'return_state: true' }),

  describe(config) {
    const c = config as unknown as LSTMConfig;
    return `LSTM(${[String(c.units), ...flags(config, ['return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll'])].join(', ')})`;
  },

  inferShapes(ctx, [input]) {
    const c = ctx.layer.config as unknown as LSTMConfig;
    if (!expectRank(ctx, input!, 3, 3, '(batch, timesteps, features)') || !expectDType(ctx, input!, 'float32')) return undefined;
    const [batch, time, features] = input!.type.shape as [number | string, number | string, number | string];
    if (!isKnown(features)) {
      ctx.error('MC4003', `${layerTitle(ctx)} needs the features axis known at compile time. Received: ${formatShape(input!.type.shape)}.`, { related: [ctx.definedHere(input!.producer)] });
      return undefined;
    }
    if (c.unroll && !isKnown(time)) {
      ctx.error('MC4005', `${layerTitle(ctx)} has \`unroll: true\`, which needs the number of timesteps at compile time. Received: ${formatShape(input!.type.shape)}.`, {
        pointer: `${ctx.layer.pointer}/unroll`,
        hint: 'give the input a fixed number of timesteps, or set `unroll: false` to emit a loop.',
      });
    }
    if (c.stateful && !isKnown(batch)) {
      ctx.error('MC4006', `${layerTitle(ctx)} has \`stateful: true\`, which needs a batch size fixed at compile time: sample i of one call continues sample i of the last. Received: ${formatShape(input!.type.shape)}.`, {
        pointer: `${ctx.layer.pointer}/stateful`,
        related: [ctx.definedHere(input!.producer)],
        hint: input!.producer.kind === 'input' ? `set \`batch_size\` on input "${input!.producer.name}".` : 'set `batch_size` on the model input.',
      });
    }
    const state = { dtype: 'float32' as const, shape: [batch, c.units] };
    if (ctx.initialState.length > 0) {
      if (ctx.initialState.length !== 2) {
        ctx.error('MC4007', `${layerTitle(ctx)} takes two initial states [h, c]. Received: ${ctx.initialState.length}.`, { pointer: `${ctx.layer.pointer}/initial_state` });
      }
      ctx.initialState.slice(0, 2).forEach((s, index) => {
        const ok = s.type.shape.length === 2 && s.type.shape[1] === c.units && (s.type.shape[0] === batch || !isKnown(s.type.shape[0]!) || !isKnown(batch));
        if (!ok) {
          ctx.error('MC4007', `${layerTitle(ctx)} needs initial state ${index === 0 ? 'h' : 'c'} of shape ${formatShape(state.shape)}. Received: ${formatShape(s.type.shape)}.`, {
            pointer: `${ctx.layer.pointer}/initial_state/${index}`,
            related: [ctx.definedHere(s.producer)],
          });
        }
      });
    }
    const output = { dtype: 'float32' as const, shape: c.return_sequences ? [batch, time, c.units] : [batch, c.units] };
    return c.return_state ? [output, state, state] : [output];
  },

  params(layer, [input]) {
    const c = layer.config as unknown as LSTMConfig;
    const features = input!.shape[2] as number;
    const gates = `gates i, f, c, o (${c.units} units each)`;
    return [
      { name: 'kernel', shape: [features, 4 * c.units], initializer: initializerOf(c.kernel_initializer), layout: `input features × ${gates}` },
      { name: 'recurrent_kernel', shape: [c.units, 4 * c.units], initializer: initializerOf(c.recurrent_initializer), layout: `units × ${gates}` },
      ...(c.use_bias
        ? [{ name: 'bias', shape: [4 * c.units], initializer: c.unit_forget_bias ? { kind: 'unit_forget_bias' as const, units: c.units } : initializerOf(c.bias_initializer), layout: gates }]
        : []),
    ];
  },

  emit(ctx, io) {
    const c = io.layer.config as unknown as LSTMConfig;
    const U = c.units;
    const G = 4 * U;
    const input = io.inputs[0]!;
    const [, timeDim, featureDim] = input.type.shape;
    const T = ctx.dim(timeDim!);
    const F = featureDim as number;
    const out = io.outputs[0]!.buffer;
    const xz = io.scratch('xz', mul(io.rows, T, G));
    const z = io.scratch('z', G);
    const h = io.state('h', U);
    const cs = io.state('c', U);
    const recurrentKernel = ctx.names.allocate(`${io.layer.name}_recurrent_kernel`);
    const act = (x: Ex) => applyActivation(ctx, c.activation, x);
    const gate = (x: Ex) => applyActivation(ctx, c.recurrent_activation, x);

    const statements: ts.Statement[] = [
      withComment(
        stmt(call(ctx.runtime('matmulBias'), input.buffer, mul(io.rows, T), F, io.weight('kernel'), G, c.use_bias ? io.weight('bias') : nullLiteral(), xz)),
        `Input projection of every timestep at once: ${xz}[b, t, :] = x[b, t, :] · kernel${c.use_bias ? ' + bias' : ''}`,
      ),
      constVar(recurrentKernel, io.weight('recurrent_kernel')),
    ];
    if (io.initialState.length === 2) {
      statements.push(withComment(stmt(method(h, 'set', io.initialState[0]!.buffer)), 'Start from initial_state [h, c]'), stmt(method(cs, 'set', io.initialState[1]!.buffer)));
    } else if (!io.carry) {
      statements.push(withComment(stmt(method(h, 'fill', 0)), 'States h and c start at zero'), stmt(method(cs, 'fill', 0)));
    }

    const step = (s: Ex): ts.Statement[] => {
      const t = c.go_backwards ? sub(sub(T, 1), s) : s;
      const row: ts.Statement[] = [
        constVar('zx', mul(add(mul('b', T), t), G)),
        constVar('hb', mul('b', U)),
        forRange('j', 0, G, [assign(at(z, 'j'), at(xz, add('zx', 'j')))]),
        forRange('k', 0, U, [
          constVar('hk', at(h, add('hb', 'k'))),
          constVar('rk', mul('k', G)),
          forRange('j', 0, G, [addAssign(at(z, 'j'), mul('hk', at(recurrentKernel, add('rk', 'j'))))]),
        ]),
        forRange('j', 0, U, [
          constVar('ig', gate(at(z, 'j'))),
          constVar('fg', gate(at(z, add(U, 'j')))),
          constVar('gg', act(at(z, add(2 * U, 'j')))),
          constVar('og', gate(at(z, add(3 * U, 'j')))),
          constVar('cj', add(mul('fg', at(cs, add('hb', 'j'))), mul('ig', 'gg'))),
          assign(at(cs, add('hb', 'j')), 'cj'),
          constVar('hj', mul('og', act('cj'))),
          assign(at(h, add('hb', 'j')), 'hj'),
          ...(c.return_sequences ? [assign(at(out, add(mul(add(mul('b', T), s), U), 'j')), 'hj')] : []),
        ]),
      ];
      return [forRange('b', 0, io.rows, row)];
    };

    statements.push(
      ...emitRecurrence({ ctx, steps: T, unroll: c.unroll, knownSteps: isKnown(timeDim!) ? timeDim : undefined, step }).map((s, index) =>
        index === 0 ? withComment(s, `Recurrence over ${isKnown(timeDim!) ? timeDim : 'the'} timesteps${c.go_backwards ? ', last timestep first' : ''}${c.unroll ? ', unrolled' : ''}; z holds one row's gate pre-activations i, f, c, o`) : s,
      ),
    );
    if (!c.return_sequences) statements.push(withComment(stmt(method(out, 'set', h)), 'The output is the last hidden state'));
    if (c.return_state) statements.push(withComment(stmt(method(io.outputs[1]!.buffer, 'set', h)), 'Outputs h and c: the last states'), stmt(method(io.outputs[2]!.buffer, 'set', cs)));
    return statements;
  },
};
