// GRU: keras.layers.GRU (keras/src/layers/rnn/gru.py), a cell on the recurrent base.
// Gate order z, r, h. With `reset_after: true` (Keras 3's default, as CuDNN) the bias is
// (2, 3·units): row 0 is added to the input projection, row 1 to the recurrent one, and the
// reset gate scales the recurrent candidate after the product:
//   z = σr(xz + hz)   r = σr(xr + hr)   ĥ = σ(xh + r ⊙ (h·Uh + bh_rec))   h' = z ⊙ h + (1 - z) ⊙ ĥ
// With `reset_after: false` the bias is (3·units), all on the input side, and the reset gate
// scales h before its product: ĥ = σ(xh + (r ⊙ h)·Uh).
// Divergence from tfjs, not from Keras: tfjs refuses reset_after: true; we implement both.
import { add, assign, at, constVar, forRange, method, mul, stmt, sub, type Ex } from '../kernel/build.js';
import { activationSchema, applyActivation } from './options/activations.js';
import { recurrentLayer, recurrentProduct } from './recurrent.js';
import { boolean, oneOf } from './options/option.js';


export const gru = recurrentLayer({
  type: 'GRU',
  description: 'Gated Recurrent Unit (Cho et al. 2014), Keras 3 semantics (reset_after: true by default).',
  states: ['h'],
  gates: 3,
  gateNames: 'z, r, h',
  options: {
    activation: activationSchema('tanh', 'Activation of the candidate state (default tanh); null is linear.'),
    recurrent_activation: activationSchema('sigmoid', 'Activation of the update and reset gates (Keras 3 default sigmoid).'),
    reset_after: boolean('Apply the reset gate after the recurrent product (Keras 3 and CuDNN convention).', true),
    implementation: oneOf([1, 2], '1: one recurrent product per gate, 2: one fused product. Same result.', 2),
  },

  bias(c) {
    return c.reset_after
      ? { shape: [2, 3 * c.units], layout: `(input bias, recurrent bias) × gates z, r, h (${c.units} units each)` }
      : { shape: [3 * c.units], layout: `gates z, r, h (${c.units} units each)` };
  },

  step(ctx, cell) {
    const c = cell.config;
    const U = cell.units;
    const G = cell.width;
    const { xz } = cell;
    const h = cell.states.h!;
    const act = (x: Ex) => applyActivation(ctx, c.activation, x);
    const gate = (x: Ex) => applyActivation(ctx, c.recurrent_activation, x);
    const perGate = c.implementation === 1;
    const x = (offset: number) => at(xz, add('zx', offset, 'j'));
    const update = (zg: Ex, candidate: Ex) => assign(at(h, add('hb', 'j')), add(mul(zg, at(h, add('hb', 'j'))), mul(sub(1, zg), candidate)));
    if (c.reset_after) {
      // The recurrent products keep their own bias (row 1 of the bias): rz = h · recurrent_kernel + bias[1].
      const rz = cell.io.scratch('recurrent_z', mul(cell.io.rows, G));
      const r = (offset: number) => at(rz, add(mul('b', G), offset, 'j'));
      return [
        c.use_bias
          ? forRange('b', 0, cell.io.rows, [forRange('j', 0, G, [assign(at(rz, add(mul('b', G), 'j')), at(cell.io.weight('bias'), add(G, 'j')))])])
          : stmt(method(rz, 'fill', 0)),
        ...recurrentProduct(ctx, cell, 0, G, { perGate, target: { buffer: rz, stride: G } }),
        cell.forRows([
          forRange('j', 0, U, [
            constVar('zg', gate(add(x(0), r(0)))),
            constVar('rg', gate(add(x(U), r(U)))),
            constVar('hh', act(add(x(2 * U), mul('rg', r(2 * U))))),
            update('zg', 'hh'),
          ]),
        ]),
      ];
    }
    // reset_after: false: z and r first (accumulated into the input projection), then the
    // candidate's product on r ⊙ h.
    const rh = cell.io.scratch('rh', mul(cell.io.rows, U));
    return [
      ...recurrentProduct(ctx, cell, 0, 2 * U, { perGate }),
      cell.eachRow([
        forRange('j', 0, U, [
          assign(x(0), gate(x(0))),
          assign(at(rh, add('hb', 'j')), mul(gate(x(U)), at(h, add('hb', 'j')))),
        ]),
      ]),
      ...recurrentProduct(ctx, cell, 2 * U, G, { source: rh }),
      cell.forRows([forRange('j', 0, U, [constVar('hh', act(x(2 * U))), update(x(0), 'hh')])]),
    ];
  },
});
