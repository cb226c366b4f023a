// Hand-written variants of the generated forward pass of LSTM(U) -> Dense(D), to measure what
// emitted code shapes would gain. Each variant replaces the `forward` function of a module that
// modelc generated (everything else, Model, buffers and weights, stays as generated), with every
// size a literal. They are what the emitter could emit; none of them is in src/.
//
//   base            the generated module, unchanged
//   literal-batch   base with `const batch = B` (a literal) instead of `buffers.batch`
//   inline-sigmoid  base with the runtime `sigmoid(x)` call written out as `1 / (1 + Math.exp(-x))`
//   (every variant from here on is split: each loop nest is a module-level function of its own,
//   forward reads every weight before calling them; ", not split" puts the loops back into forward)
//   base loops, split  the emitted loops (batch literal), moved into a function of their own
//   axpy4 / axpy8   per batch row: the recurrent product 4 (8) rows of the recurrent kernel per pass
//                   over z, the copy of the input projection fused into the first pass; gates inline
//   gemm4x4 / 4x8   4 batch rows at once × 4 (8) kernel rows per pass: every weight load feeds 4 rows
//   +proj           also the input projection as a literal, register-blocked loop (4 rows × 4 features)
//                   instead of the runtime matmulBias(rows, inner, cols) with run-time sizes
//   fast-exp        +proj with sigmoid and tanh from an inlined polynomial exp (fexp, below) instead of
//                   the C calls of Math.exp and Math.tanh; agrees within float32 rounding
//   table-exp       the same with a 2^(k/16) table and a cubic (TEXP, below)
//   cheap-act       the best variant with sigmoid/tanh replaced by x/(1+|x|) forms: NOT exact, only an
//                   upper bound of what faster activations could gain
import type { Size } from '../lib/sizes.js';

export interface Variant {
  readonly name: string;
  readonly exact: boolean;
  readonly text: string;
}

interface Shape {
  readonly B: number;
  readonly T: number;
  readonly F: number;
  readonly U: number;
  readonly G: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sum = (terms: string[]) => terms.join(' + ');

function replaceForward(base: string, forward: string, preamble = ''): string {
  const start = base.indexOf('function forward(inputs: Inputs');
  if (start < 0) throw new Error('no forward() in the generated module');
  const end = base.indexOf('\n}\n', start) + 3;
  return base.slice(0, start) + preamble + forward + base.slice(end);
}

type Act = 'exact' | 'poly' | 'table' | 'cheap';

function sig(x: string, act: Act): string {
  return act === 'exact' ? `(1 / (1 + Math.exp(-${x})))` : act === 'poly' || act === 'table' ? `(1 / (1 + fexp(-${x})))` : `(0.5 + 0.5 * ${x} / (1 + Math.abs(${x})))`;
}
function tanh(x: string, act: Act): string {
  return act === 'exact' ? `Math.tanh(${x})` : act === 'poly' || act === 'table' ? `(2 / (1 + fexp(-2 * ${x})) - 1)` : `(${x} / (1 + Math.abs(${x})))`;
}

/**
 * exp(x) without the C call of Math.exp: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial
 * of degree 8 in Estrin's form (relative error below 3e-10, far under float32's 6e-8), 2^k from a
 * table. x is clamped to float32's range, where e^x is 0 or infinite in float32 anyway.
 */
const FEXP = `
const POW2 = new Float64Array(256).map((_, i) => Math.pow(2, i - 127));
function fexp(x: number): number {
    const y = x < -87.3 ? -87.3 : x > 88.7 ? 88.7 : x;
    // round to nearest by adding and subtracting 1.5·2^52 (Math.round is a slow builtin call in V8)
    const k = (y * 1.4426950408889634 + 6755399441055744) - 6755399441055744;
    const r = (y - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
    const r2 = r * r, r4 = r2 * r2;
    const p = (1 + r) + r2 * (0.5 + r * 0.16666666666666666) + r4 * ((0.041666666666666664 + r * 0.008333333333333333) + r2 * (0.001388888888888889 + r * 0.0001984126984126984) + r4 * 0.0000248015873015873);
    return p * POW2[k + 127]!;
}
`;

/** The gate loop of one batch row; z at offset `zo`, state row at `hb`. */
function gates(s: Shape, z: string, zo: string, hb: string, act: Act, indent: string): string {
  const { U } = s;
  const at = (o: number) => `${z}[${zo === '0' ? '' : `${zo} + `}j${o ? ` + ${o}` : ''}]`;
  return [
    `for (let j = 0; j < ${U}; j++) {`,
    `    const zi = ${at(0)}, zf = ${at(U)}, zg = ${at(2 * U)}, zo = ${at(3 * U)};`,
    `    const ig = ${sig('zi', act)};`,
    `    const fg = ${sig('zf', act)};`,
    `    const gg = ${tanh('zg', act)};`,
    `    const og = ${sig('zo', act)};`,
    `    const cj = fg * lstm_state_c[${hb} + j] + ig * gg;`,
    `    lstm_state_c[${hb} + j] = cj;`,
    `    lstm_state_h[${hb} + j] = og * ${tanh('cj', act)};`,
    `}`,
  ]
    .map((l) => indent + l)
    .join('\n');
}

/** Input projection as a literal, register-blocked loop: xz[r, :] = bias + x[r, :] · kernel. */
function literalProjection(s: Shape): string {
  const { B, T, F, G } = s;
  const R = B * T;
  const RB = R % 4 === 0 ? 4 : 1;
  const KB = F % 4 === 0 ? 4 : F < 4 ? F : 1;
  const rows = range(RB);
  const qs = range(KB);
  const body = (first: boolean) =>
    [
      `            for (let j = 0; j < ${G}; j++) {`,
      `                ${qs.map((q) => `const w${q} = W[wr${q ? ` + ${q * G}` : ''} + j];`).join(' ')}`,
      ...(first ? ['                const bj = bias[j];'] : []),
      ...rows.map((i) => `                lstm_xz[o${i} + j]${first ? ' =' : ' +='} ${first ? 'bj + ' : ''}${sum(qs.map((q) => `a${i}${q} * w${q}`))};`),
      `            }`,
    ].join('\n');
  return [
    `    // input projection, literal sizes: ${RB} rows × ${KB} features per pass`,
    `    {`,
    `        for (let r = 0; r < ${R}; r += ${RB}) {`,
    `            ${rows.map((i) => `const x${i} = ${i ? `x0 + ${i * F}` : `r * ${F}`}, o${i} = ${i ? `o0 + ${i * G}` : `r * ${G}`};`).join(' ')}`,
    `            for (let k = 0; k < ${F}; k += ${KB}) {`,
    `                ${rows.map((i) => qs.map((q) => `const a${i}${q} = x[x${i} + k${q ? ` + ${q}` : ''}]!;`).join(' ')).join('\n                ')}`,
    `                const wr = k * ${G};`,
    `                if (k === 0) {`,
    body(true).replace(/^/gm, '    '),
    `                } else {`,
    body(false).replace(/^/gm, '    '),
    `                }`,
    `            }`,
    `        }`,
    `    }`,
  ].join('\n');
}

/**
 * The forward function around a projection and a recurrence body. `split`: each loop nest is a
 * module-level function of its own (called from forward, which reads every weight before any loop);
 * otherwise the loops sit inside forward as the emitter puts them today.
 */
function assemble(s: Shape, projection: 'runtime' | 'literal', recurrence: string, split: boolean, preamble = ''): { forward: string; preamble: string } {
  const project = projection === 'runtime' ? `    matmulBias(x, ${s.B * s.T}, ${s.F}, W, ${s.G}, bias, lstm_xz);` : literalProjection(s);
  const kernels = split
    ? [
        ...(projection === 'literal' ? [`function lstmProjection(x: Float32Array, W: Float32Array, bias: Float32Array, lstm_xz: Float32Array): void {`, project, `}`, ''] : []),
        `function lstmRecurrence(lstm_xz: Float32Array, R: Float32Array, lstm_state_h: Float32Array, lstm_state_c: Float32Array, lstm_z: Float32Array): void {`,
        recurrence,
        `}`,
        '',
      ].join('\n')
    : '';
  const forward = [
    `function forward(inputs: Inputs, weights: Weights, buffers: Buffers): void {`,
    `    const x = inputs.x;`,
    `    const { lstm, lstm_xz, lstm_z, lstm_state_h, lstm_state_c, head } = buffers;`,
    `    const W = weights.lstm.kernel, bias = weights.lstm.bias, R = weights.lstm.recurrent_kernel;`,
    `    const head_kernel = weights.head.kernel, head_bias = weights.head.bias;`,
    split && projection === 'literal' ? `    lstmProjection(x, W, bias, lstm_xz);` : project,
    `    lstm_state_h.fill(0);`,
    `    lstm_state_c.fill(0);`,
    split ? `    lstmRecurrence(lstm_xz, R, lstm_state_h, lstm_state_c, lstm_z);` : recurrence,
    `    lstm.set(lstm_state_h);`,
    `    matmulBias(lstm, ${s.B}, ${s.U}, head_kernel, 10, head_bias, head);`,
    `}`,
    '',
  ].join('\n');
  return { forward, preamble: preamble + kernels };
}

/** The recurrence as the emitter writes it today (literal batch), for the `split` comparison. */
function baseRecurrence(s: Shape): string {
  const { B, T, U, G } = s;
  return [
    `    for (let step = 0; step < ${T}; step++) {`,
    `        for (let b = 0; b < ${B}; b++) {`,
    `            const hb = ${U} * b;`,
    `            const zx = ${G} * (${T} * b + step);`,
    `            for (let j = 0; j < ${G}; j++) {`,
    `                lstm_z[j] = lstm_xz[zx + j]!;`,
    `            }`,
    `            for (let k = 0; k < ${U}; k++) {`,
    `                const hk = lstm_state_h[hb + k]!;`,
    `                const rk = ${G} * k;`,
    `                for (let j = 0; j < ${G}; j++) {`,
    `                    lstm_z[j]! += hk * R[rk + j]!;`,
    `                }`,
    `            }`,
    gates(s, 'lstm_z', '0', 'hb', 'exact', '            '),
    `        }`,
    `    }`,
  ].join('\n');
}

/** Per batch row, KB rows of the recurrent kernel per pass over z. */
function axpy(s: Shape, KB: number, act: Act): string {
  const { B, T, U, G } = s;
  const qs = range(KB);
  const pass = (first: boolean) =>
    [
      `                for (let j = 0; j < ${G}; j++) {`,
      `                    lstm_z[j]${first ? ` = lstm_xz[zx + j]! + ` : ' += '}${sum(qs.map((q) => `h${q} * R[rk${q ? ` + ${q * G}` : ''} + j]!`))};`,
      `                }`,
    ].join('\n');
  return [
    `    for (let step = 0; step < ${T}; step++) {`,
    `        for (let b = 0; b < ${B}; b++) {`,
    `            const hb = ${U} * b;`,
    `            const zx = ${G} * (${T} * b + step);`,
    `            for (let k = 0; k < ${U}; k += ${KB}) {`,
    `                ${qs.map((q) => `const h${q} = lstm_state_h[hb + k${q ? ` + ${q}` : ''}]!;`).join(' ')}`,
    `                const rk = k * ${G};`,
    `                if (k === 0) {`,
    pass(true).replace(/^/gm, '    '),
    `                } else {`,
    pass(false).replace(/^/gm, '    '),
    `                }`,
    `            }`,
    gates(s, 'lstm_z', '0', 'hb', act, '            '),
    `        }`,
    `    }`,
  ].join('\n');
}

/** RB batch rows at once, KB rows of the recurrent kernel per pass (a register-blocked GEMM per timestep); z of RB rows in `zb`. */
function gemm(s: Shape, RB: number, KB: number, act: Act): string {
  const { B, T, U, G } = s;
  const rows = range(RB);
  const qs = range(KB);
  const pass = (first: boolean) =>
    [
      `                for (let j = 0; j < ${G}; j++) {`,
      `                    ${qs.map((q) => `const w${q} = R[rk${q ? ` + ${q * G}` : ''} + j]!;`).join(' ')}`,
      ...rows.map((i) => `                    zb[${i ? `${i * G} + ` : ''}j]${first ? ` = lstm_xz[zx${i} + j]! + ` : ' += '}${sum(qs.map((q) => `h${i}${q} * w${q}`))};`),
      `                }`,
    ].join('\n');
  return [
    `    for (let step = 0; step < ${T}; step++) {`,
    `        for (let b = 0; b < ${B}; b += ${RB}) {`,
    `            ${rows.map((i) => `const hb${i} = ${U} * b${i ? ` + ${i * U}` : ''};`).join(' ')}`,
    `            ${rows.map((i) => `const zx${i} = ${G} * (${T} * b + step)${i ? ` + ${i * T * G}` : ''};`).join(' ')}`,
    `            for (let k = 0; k < ${U}; k += ${KB}) {`,
    ...rows.map((i) => `                ${qs.map((q) => `const h${i}${q} = lstm_state_h[hb${i} + k${q ? ` + ${q}` : ''}]!;`).join(' ')}`),
    `                const rk = k * ${G};`,
    `                if (k === 0) {`,
    pass(true).replace(/^/gm, '    '),
    `                } else {`,
    pass(false).replace(/^/gm, '    '),
    `                }`,
    `            }`,
    `            for (let i = 0; i < ${RB}; i++) {`,
    `                const zr = i * ${G};`,
    `                const hb = hb0 + i * ${U};`,
    gates(s, 'zb', 'zr', 'hb', act, '                '),
    `            }`,
    `        }`,
    `    }`,
  ].join('\n');
}

/**
 * exp(x) with a finer range reduction: x = (k/16)·ln2 + r with |r| ≤ ln2/32, 2^(k/16) from a table
 * of 4065 doubles (32 KiB), e^r by a cubic (relative error below 1e-8).
 */
const TEXP = `
const EXP16 = new Float64Array(4065).map((_, i) => Math.pow(2, (i - 2016) / 16));
function fexp(x: number): number {
    const y = x < -87.3 ? -87.3 : x > 88.7 ? 88.7 : x;
    // round to nearest by adding and subtracting 1.5·2^52 (Math.round is a slow builtin call in V8)
    const k = (y * 23.083120654223414 + 6755399441055744) - 6755399441055744;
    const r = y - k * 0.04332169878499658;
    return EXP16[k + 2016]! * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
}
`;

const expCode = (act: Act) => (act === 'poly' ? FEXP : act === 'table' ? TEXP : '');

export function variants(base: string, size: Size, unrolled?: string): Variant[] {
  const s: Shape = { B: size.B, T: size.T, F: size.F, U: size.U, G: 4 * size.U };
  const out: Variant[] = [{ name: 'base', exact: true, text: base }];
  const make = (name: string, projection: 'runtime' | 'literal', recurrence: (act: Act) => string, act: Act, split: boolean, scratch = '') => {
    const { forward, preamble } = assemble(s, projection, recurrence(act), split, scratch + expCode(act));
    out.push({ name, exact: act !== 'cheap', text: replaceForward(base, forward, preamble) });
  };
  out.push({ name: 'literal-batch', exact: true, text: base.replace('const batch = buffers.batch;', `const batch = ${s.B};`) });
  const inlineSigmoid = (t: string) => t.replace(/(?<!function )sigmoid\(([^()]+)\)/g, '(1 / (1 + Math.exp(-$1)))');
  out.push({ name: 'inline-sigmoid', exact: true, text: inlineSigmoid(base) });
  if (unrolled) {
    out.push({ name: 'unrolled (as emitted)', exact: true, text: unrolled });
    out.push({ name: 'unrolled + inline-sigmoid', exact: true, text: inlineSigmoid(unrolled) });
  }
  make('base loops, split', 'runtime', () => baseRecurrence(s), 'exact', true);
  make('axpy4', 'runtime', (a) => axpy(s, 4, a), 'exact', true);
  if (s.U % 8 === 0) make('axpy8', 'runtime', (a) => axpy(s, 8, a), 'exact', true);
  const KB = s.U % 8 === 0 ? 8 : 4;
  let best: (a: Act) => string = (a) => axpy(s, KB, a);
  let bestName = `axpy${KB}`;
  let scratch = '';
  if (s.B % 4 === 0) {
    scratch = `/** Gate pre-activations of 4 batch rows (experiment scratch, allocated once). */\nconst zb = new Float32Array(${4 * s.G});\n`;
    make('gemm4x4', 'runtime', (a) => gemm(s, 4, 4, a), 'exact', true, scratch);
    if (KB === 8) make('gemm4x8', 'runtime', (a) => gemm(s, 4, 8, a), 'exact', true, scratch);
    best = (a) => gemm(s, 4, KB, a);
    bestName = `gemm4x${KB}`;
  }
  make(`${bestName} +proj`, 'literal', best, 'exact', true, scratch);
  make(`${bestName} +proj, not split`, 'literal', best, 'exact', false, scratch);
  make(`${bestName} +proj fast-exp`, 'literal', best, 'poly', true, scratch);
  make(`${bestName} +proj table-exp`, 'literal', best, 'table', true, scratch);
  make(`${bestName} +proj cheap-act (inexact)`, 'literal', best, 'cheap', true, scratch);
  return out;
}
