// LSTM: keras.layers.LSTM (keras/src/layers/rnn/lstm.py), a cell on the recurrent base.
//   i = σr(x·Wi + h·Ui + bi)   f = σr(x·Wf + h·Uf + bf)   g = σ(x·Wc + h·Uc + bc)   o = σr(x·Wo + h·Uo + bo)
//   c' = f ⊙ c + i ⊙ g         h' = o ⊙ σ(c')
// with σ = `activation` (tanh) and σr = `recurrent_activation` (sigmoid in Keras 3; the seed
// tutorial quotes Keras 2's hard_sigmoid, spelled `hard_sigmoid_keras2` here). Gate order
// i, f, c, o in kernel, recurrent_kernel and bias. `unit_forget_bias` initializes the forget
// block of the bias to ones and the rest to zeros. `implementation` 1 emits one recurrent
// product per gate, 2 one fused product: the same numbers.
import { add, assign, at, constVar, forRange, mul, type Ex } from '../kernel/build.js';
import type { Stmt } from '../kernel/ir.js';
import type { EmitContext, ParamSpec } from './layer.js';
import { activationSchema, applyActivation } from './options/activations.js';
import { initializerOf } from './options/initializers.js';
import { recurrentLayer, recurrentProduct } from './recurrent.js';
import { boolean, oneOf } from './options/option.js';


/** The options of the LSTM cell (shared with ConvLSTM1D). */
export const lstmOptions = {
  activation: activationSchema('tanh', 'Activation of the candidate and of the output (default tanh); null is linear.'),
  recurrent_activation: activationSchema('sigmoid', 'Activation of the input, forget and output gates (Keras 3 default sigmoid).'),
  unit_forget_bias: boolean('Initialize the forget-gate bias to ones (and the rest to zeros).', true),
};

export const lstm = recurrentLayer({
  type: 'LSTM',
  description: 'Long Short-Term Memory layer (Hochreiter 1997), Keras 3 semantics.',
  states: ['h', 'c'],
  gates: 4,
  gateNames: 'i, f, c, o',
  options: {
    ...lstmOptions,
    implementation: oneOf([1, 2], '1: one recurrent product per gate, 2: one fused product. Same result.', 2),
  },

  bias(c) {
    return lstmBias(c, c.units, `${c.units} units`);
  },

  step(ctx, cell) {
    const c = cell.config;
    const U = cell.units;
    const z = (gate: number) => at(cell.xz, add('zx', gate * U, 'j'));
    return [
      // xz[:, t, :] += h · recurrent_kernel: the gate pre-activations i, f, c, o of every row
      ...recurrentProduct(ctx, cell, 0, cell.width, { perGate: c.implementation === 1 }),
      cell.forRows([forRange('j', 0, U, lstmUpdate(ctx, c, z, add('hb', 'j'), cell.states))]),
    ];
  },
});

/** The bias (4·units) in gate order i, f, c, o; `unit_forget_bias` makes the forget block ones (shared with ConvLSTM1D). */
export function lstmBias(c: { readonly unit_forget_bias: boolean; readonly bias_initializer: unknown }, units: number, block: string): { shape: number[]; layout: string; initializer: ParamSpec['initializer'] } {
  return {
    shape: [4 * units],
    layout: `gates i, f, c, o (${block} each)`,
    initializer: c.unit_forget_bias ? { kind: 'unit_forget_bias', units, base: initializerOf(c.bias_initializer) } : initializerOf(c.bias_initializer),
  };
}

/**
 * The gates and the state update of one element: i, f, g, o from the pre-activations z(0..3),
 * then c' = f ⊙ c + i ⊙ g and h' = o ⊙ σ(c') at `element` of the states (shared with ConvLSTM1D).
 */
export function lstmUpdate(ctx: EmitContext, c: { readonly activation: unknown; readonly recurrent_activation: unknown }, z: (gate: number) => Ex, element: Ex, states: Readonly<Record<string, string>>): Stmt[] {
  const act = (x: Ex) => applyActivation(ctx, c.activation, x);
  const gate = (x: Ex) => applyActivation(ctx, c.recurrent_activation, x);
  return [
    constVar('ig', gate(z(0))),
    constVar('fg', gate(z(1))),
    constVar('gg', act(z(2))),
    constVar('og', gate(z(3))),
    constVar('cj', add(mul('fg', at(states.c!, element)), mul('ig', 'gg'))),
    assign(at(states.c!, element), 'cj'),
    assign(at(states.h!, element), mul('og', act('cj'))),
  ];
}
