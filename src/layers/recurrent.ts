// The recurrent base, shared by LSTM, GRU and SimpleRNN as Keras 3's RNN base is
// (keras/src/layers/rnn/rnn.py): the options every recurrent layer has, the one shape rule for
// return_sequences / return_state / initial_state / stateful / unroll / mask, the weights'
// common layout, and the emitter around a cell. The cell (lstm.ts, gru.ts, simple-rnn.ts) emits
// one batch row of one timestep; the driver (emit/recurrence.ts) repeats it, unrolled or looped.
//
// Masks (`mask: m`, or propagated from Embedding(mask_zero) / Masking): at a masked step the
// states keep their values and the output repeats the current h, or is zero with
// `zero_output_for_mask: true`, as Keras 3's scan does. Divergence: with `unroll: true` Keras
// outputs zeros at a masked first step even from a nonzero initial state, and ignores
// zero_output_for_mask; we do the former too and honour zero_output_for_mask always.
import type { Expr, Stmt } from '../kernel/ir.js';
import { add, assign, at, call, cond, constVar, continueStatement, eq, forRange, ifThen, method, mul, neq, not, nullLiteral, stmt, sub, withComment, type Ex } from '../kernel/build.js';
import { emitRecurrence } from '../kernel/recurrence.js';
import { formatShape, isKnown, type Dim } from '../shapes/dim.js';
import { expectDType, expectRank, flags, layerTitle } from '../shapes/rules.js';
import { defineLayer, type EmitContext, type LayerDef, type LayerIO, type ParamSpec } from './layer.js';
import { boolean, integer, number, type ConfigOf, type Options } from './options/option.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { constraintSchema } from './options/constraints.js';
import { regularizerSchema } from './options/regularizers.js';
import { weightOptions } from './options/weight-options.js';

/** What one kind of cell provides to the base. */
export interface CellDef<O extends Options> {
  readonly type: string;
  readonly description: string;
  /** Names of the states, `h` first: the extra outputs with return_state, and initial_state's order. */
  readonly states: readonly string[];
  /** Gate blocks in the kernel: 4 for LSTM (i, f, c, o), 3 for GRU (z, r, h), 1 for SimpleRNN. */
  readonly gates: number;
  readonly gateNames: string;
  /** The cell's own options (activations, unit_forget_bias, reset_after, implementation). */
  readonly options: O;
  /** Shape and initializer of the bias, when use_bias. */
  bias(config: CellConfig<O>): { shape: number[]; layout: string; initializer?: ParamSpec['initializer'] };
  /**
   * One timestep for every row: the recurrent products as blocked matrix products over the
   * batch (recurrentProduct), then the gates in cell.forRows, which updates the states in place.
   */
  step(ctx: EmitContext, cell: CellIO<CellConfig<O>>): Stmt[];
}

export interface CellIO<C = RecurrentConfig> {
  readonly io: LayerIO;
  /** The layer's config: the base's options and the cell's. */
  readonly config: C;
  readonly units: number;
  /** gates × units: the width of the kernels. */
  readonly width: number;
  /** The input projection of every timestep, (rows, time, width); products may accumulate into it. */
  readonly xz: string;
  readonly states: Readonly<Record<string, string>>;
  readonly recurrentKernel: Expr;
  /** The number of timesteps, and the timestep this step reads. */
  readonly time: Ex;
  readonly t: Ex;
  /** Recurrent dropout in training: per-gate masks (gates, rows, units) applied to h. */
  readonly recurrentDropout?: { readonly mask: string; readonly rng: string; readonly masked: string } | undefined;
  /**
   * The final per-row pass: `for (b) { hb = b·units; zx = (b·time + t)·width; ...body }`, where
   * masked rows keep their states and output as Keras does, and the output row is written after.
   */
  forRows(body: Stmt[]): Stmt;
  /** A plain pass over the rows with the same offsets, for intermediate values. */
  eachRow(body: Stmt[]): Stmt;
}

/** Past this many unrolled timesteps the forward function outgrows what V8 optimizes (MC6001). */
export const MAX_UNROLLED_STEPS = 2000;

const rate = (description: string) => number(description, { minimum: 0, exclusiveMaximum: 1, default: 0 });

/** The options every recurrent layer has (units first, the cell's own after it). */
function baseOptions(gates: number, states: readonly string[]) {
  const blocks = gates > 1 ? `${gates}·` : '';
  return {
    use_bias: boolean('Whether the layer uses a bias vector.', true),
    kernel_initializer: initializerSchema('glorot_uniform', `Initializer of the input kernel (features, ${blocks}units).`),
    recurrent_initializer: initializerSchema('orthogonal', `Initializer of the recurrent kernel (units, ${blocks}units).`),
    bias_initializer: initializerSchema('zeros', 'Initializer of the bias.'),
    kernel_regularizer: regularizerSchema('Regularizer of the input kernel.'),
    recurrent_regularizer: regularizerSchema('Regularizer of the recurrent kernel.'),
    bias_regularizer: regularizerSchema('Regularizer of the bias.'),
    activity_regularizer: regularizerSchema('Regularizer of the outputs (divided by the batch size, as Keras 3).'),
    kernel_constraint: constraintSchema('Constraint on the input kernel.'),
    recurrent_constraint: constraintSchema('Constraint on the recurrent kernel.'),
    bias_constraint: constraintSchema('Constraint on the bias.'),
    dropout: rate('Fraction of the input units dropped in training; inference is unaffected.'),
    recurrent_dropout: rate('Fraction of the recurrent units dropped in training; inference is unaffected.'),
    return_sequences: boolean('Return the output of every timestep (batch, time, units) instead of the last (batch, units).', false),
    return_state: boolean(`Also return the last state${states.length > 1 ? 's' : ''} (${states.join(', ')}).`, false),
    go_backwards: boolean('Process the input sequence backwards and return the reversed sequence.', false),
    stateful: boolean('Start each call from the states the previous call left (sample i continues sample i); needs a fixed batch_size.', false),
    unroll: boolean('Emit straight-line code for every timestep instead of a loop.', false),
    zero_output_for_mask: boolean('At masked timesteps output zeros instead of repeating the last output.', false),
  };
}

const units = integer('Dimensionality of the output space and of the states.');
type BaseOptions = { readonly units: typeof units } & ReturnType<typeof baseOptions>;

/** The options of every recurrent layer, as Keras 3's RNN base defines them. */
export type RecurrentConfig = ConfigOf<BaseOptions>;
/** A cell's config: the base's options and the cell's own. */
export type CellConfig<O extends Options> = RecurrentConfig & ConfigOf<O>;

export function recurrentLayer<const O extends Options>(cell: CellDef<O>): LayerDef {
  const options: BaseOptions = { units, ...cell.options, ...baseOptions(cell.gates, cell.states) };
  // The config has the cell's options too: the base's methods see its part, the cell's its own.
  const cellConfig = (c: RecurrentConfig) => c as CellConfig<O>;
  return defineLayer({
    type: cell.type,
    description: cell.description,
    options,
    required: ['units'],
    recurrent: true,
    arity: { min: 1, max: 1 },
    maskPolicy: (c) => (c.return_sequences ? 'pass' : 'drop'),
    // A backward recurrence reads the last timestep first.
    stepwise: (c) => !c.go_backwards,
    returnsSequences: (c) => c.return_sequences,
    hasDropout: (c) => c.dropout > 0 || c.recurrent_dropout > 0,

    outputNames: (c) => (c.return_state ? ['output', ...cell.states] : ['output']),
    optionalOutputs: () => Object.fromEntries(cell.states.map((s) => [s, 'return_state: true'])),

    describe(c) {
      return `${cell.type}(${[String(c.units), ...flags(c, ['return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll'])].join(', ')})`;
    },

    inferShapes(ctx, [input], c) {
      if (!expectRank(ctx, input!, 3, 3, '(batch, timesteps, features)') || !expectDType(ctx, input!, 'float32')) return undefined;
      const [batch, time, features] = input!.type.shape as [Dim, Dim, Dim];
      if (!isKnown(features)) {
        ctx.error('MC4010', { layer: layerTitle(ctx), axis: 'the features axis', reason: '', shape: formatShape(input!.type.shape) }, { related: [ctx.definedHere(input!.producer)] });
        return undefined;
      }
      if (c.unroll && !isKnown(time)) {
        ctx.error('MC4005', `${layerTitle(ctx)} has \`unroll: true\`, which needs the number of timesteps at compile time. Received: ${formatShape(input!.type.shape)}.`, {
          pointer: `${ctx.layer.pointer}/unroll`,
          hint: 'give the input a fixed number of timesteps, or set `unroll: false` to emit a loop.',
        });
      }
      if (c.unroll && isKnown(time) && time > MAX_UNROLLED_STEPS) {
        ctx.warning('MC6001', `${layerTitle(ctx)} unrolls ${time} timesteps: one call per timestep makes a forward function larger than V8 optimizes (about 60 KB of bytecode), so it would run in the interpreter, slower than the loop.`, {
          pointer: `${ctx.layer.pointer}/unroll`,
          hint: `set \`unroll: false\`; unrolling helps little in JavaScript, and for ${time} steps the loop is faster.`,
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
      if (ctx.initialState.length > 0 && ctx.initialState.length !== cell.states.length) {
        const first = ctx.initialState[0]!.producer;
        const encoderName = first.kind === 'layer' && first.type === cell.type ? first.name : 'enc';
        ctx.error('MC4007', `${layerTitle(ctx)} takes ${cell.states.length} initial state${cell.states.length > 1 ? 's' : ''} [${cell.states.join(', ')}]. Received: ${ctx.initialState.length}.`, {
          pointer: `${ctx.layer.pointer}/initial_state`,
          hint: `pass the final state${cell.states.length > 1 ? 's' : ''} of ${cell.type === 'LSTM' ? 'an' : 'a'} ${cell.type} with \`return_state: true\` and ${c.units} units, e.g. \`initial_state: [${cell.states.map((st) => `${encoderName}.${st}`).join(', ')}]\`.`,
        });
      }
      // One mistake, one error: a wrong count is not also reported state by state.
      (ctx.initialState.length === cell.states.length ? ctx.initialState : []).forEach((s, index) => {
        const ok = s.type.dtype === 'float32' && s.type.shape.length === 2 && s.type.shape[1] === c.units && (s.type.shape[0] === batch || !isKnown(s.type.shape[0]!) || !isKnown(batch));
        if (!ok) {
          const from = s.producer.kind === 'layer' ? `${s.producer.type} "${s.producer.name}"` : `input "${s.producer.name}"`;
          const hint =
            s.type.shape.length === 3
              ? `that is a sequence, not a state: set \`return_state: true\` on ${from} and pass its final state${s.producer.kind === 'layer' && s.producer.type === 'Bidirectional' ? 's (`forward_h`, `backward_h`, ...; Concatenate them for a layer with twice the units)' : ` (\`${s.producer.name}.h\`${cell.states.length > 1 ? ', ...' : ''})`}.`
              : s.type.shape.length === 2 && s.type.shape[1] !== c.units
                ? `the state from ${from} has ${String(s.type.shape[1])} units: give both layers the same units.`
                : undefined;
          ctx.error('MC4007', `${layerTitle(ctx)} needs initial state ${cell.states[index]} of shape ${formatShape(state.shape)}. Received: ${formatShape(s.type.shape)}.`, {
            pointer: `${ctx.layer.pointer}/initial_state/${index}`,
            related: [ctx.definedHere(s.producer)],
            ...(hint ? { hint } : {}),
          });
        }
      });
      if (ctx.mask) {
        const m = ctx.mask.type;
        const ok = m.dtype === 'bool' && m.shape.length === 2 && (m.shape[1] === time || !isKnown(m.shape[1]!) || !isKnown(time));
        if (!ok) {
          ctx.error('MC4011', { layer: layerTitle(ctx), expected: formatShape([batch, time]), received: `${m.dtype} ${formatShape(m.shape)}` }, {
            pointer: `${ctx.layer.pointer}/mask`,
            related: [ctx.definedHere(ctx.mask.producer)],
            hint: 'declare the mask input as `{ shape: [timesteps], dtype: bool }`.',
          });
        }
      }
      const output = { dtype: 'float32' as const, shape: c.return_sequences ? [batch, time, c.units] : [batch, c.units] };
      return c.return_state ? [output, ...cell.states.map(() => state)] : [output];
    },

    params(_layer, [input], c) {
      const features = input!.shape[2] as number;
      const width = cell.gates * c.units;
      const gates = cell.gates > 1 ? `gates ${cell.gateNames} (${c.units} units each)` : 'units';
      const bias = cell.bias(cellConfig(c));
      return [
        { name: 'kernel', shape: [features, width], initializer: initializerOf(c.kernel_initializer), layout: `input features × ${gates}`, ...weightOptions(c, 'kernel') },
        { name: 'recurrent_kernel', shape: [c.units, width], initializer: initializerOf(c.recurrent_initializer), layout: `units × ${gates}`, ...weightOptions(c, 'recurrent') },
        ...(c.use_bias ? [{ name: 'bias', shape: bias.shape, initializer: bias.initializer ?? initializerOf(c.bias_initializer), layout: bias.layout, ...weightOptions(c, 'bias') }] : []),
      ];
    },

    emit(ctx, io, c) {
      const U = c.units;
      const G = cell.gates * U;
      const input = io.inputs[0]!;
      const [, timeDim, featureDim] = input.type.shape;
      const T = ctx.dim(timeDim!);
      const out = io.outputs[0]!.buffer;
      const xz = io.scratch('xz', mul(io.rows, T, G));
      const states = Object.fromEntries(cell.states.map((s) => [s, io.state(s, U)]));
      const h = states.h!;
      const recurrentKernel = io.weight('recurrent_kernel');
      const mask = io.mask;
      const F = featureDim as number;
      const bias = c.use_bias ? io.weight('bias') : nullLiteral();
      const projection = stmt(call(ctx.runtime('matmulBias'), input.buffer, mul(io.rows, T), F, io.weight('kernel'), G, bias, xz));
      const statements: Stmt[] = [];
      // Training: dropout masks drawn once per call and reused at every timestep, as Keras 3 does;
      // one per gate when there are several (implementation 1, which recurrent_dropout forces).
      const rng = io.rng;
      const masks = cell.gates > 1 && ((cell.options.implementation !== undefined && (c as { readonly implementation?: unknown }).implementation === 1) || c.recurrent_dropout > 0) ? cell.gates : 1;
      const inputDropout = rng !== undefined && c.dropout > 0 ? io.scratch('dropout_mask', mul(masks, io.rows, F)) : undefined;
      const recurrentDropout =
        rng !== undefined && c.recurrent_dropout > 0 ? { mask: io.scratch('recurrent_dropout_mask', mul(masks, io.rows, U)), rng, masked: io.scratch('masked_state', mul(io.rows, U)) } : undefined;
      if (rng !== undefined && (inputDropout || recurrentDropout)) {
        statements.push(
          withComment(
            ifThen(neq(rng, nullLiteral()), [
              ...(inputDropout ? [stmt(call(ctx.runtime('fillDropoutMask'), inputDropout, rng, c.dropout))] : []),
              ...(recurrentDropout ? [stmt(call(ctx.runtime('fillDropoutMask'), recurrentDropout.mask, rng, c.recurrent_dropout))] : []),
            ]),
            `Training: ${[inputDropout ? `dropout ${c.dropout}` : '', recurrentDropout ? `recurrent_dropout ${c.recurrent_dropout}` : ''].filter(Boolean).join(', ')}, ${masks > 1 ? `one mask per gate` : 'one mask'} per sequence`,
          ),
        );
      }
      if (inputDropout) {
        statements.push(
          withComment(
            ifThen(
              neq(rng!, nullLiteral()),
              [stmt(call(ctx.runtime('maskedProjection'), input.buffer, io.rows, T, F, io.weight('kernel'), G, bias, inputDropout, masks, xz))],
              [projection],
            ),
            `Input projection of every timestep at once: ${xz}[b, t, :] = ${input.buffer}[b, t, :] · kernel${c.use_bias ? ' + bias' : ''} (x under its dropout mask in training)`,
          ),
        );
      } else {
        statements.push(withComment(projection, `Input projection of every timestep at once: ${xz}[b, t, :] = ${input.buffer}[b, t, :] · kernel${c.use_bias ? ' + bias' : ''}`));
      }
      if (io.initialState.length === cell.states.length) {
        statements.push(
          ...cell.states.map((s, i) => {
            const copy = stmt(method(states[s]!, 'set', io.initialState[i]!.buffer));
            return i === 0 ? withComment(copy, `Start from initial_state [${cell.states.join(', ')}]`) : copy;
          }),
        );
      } else if (io.restart !== false) {
        const zero = cell.states.map((s) => stmt(method(states[s]!, 'fill', 0)));
        if (io.restart === true) statements.push(...zero.map((z, i) => (i === 0 ? withComment(z, `States ${cell.states.join(', ')} start at zero`) : z)));
        else statements.push(withComment(ifThen(io.restart, zero), `States ${cell.states.join(', ')} start at zero in a full forward pass; a streaming step continues them`));
      }
      const step = (st: Ex): Stmt[] => {
        const t = c.go_backwards ? sub(sub(T, 1), st) : st;
        const outRow = add(mul(add(mul('b', T), st), U), 'j');
        const writeOutput = (value: Ex) => (c.return_sequences ? [forRange('j', 0, U, [assign(at(out, outRow), value)])] : []);
        const offsets = [constVar('hb', mul('b', U)), constVar('zx', mul(add(mul('b', T), t), G))];
        const masked: Stmt[] = mask
          ? [
              ifThen(not(at(mask, add(mul('b', T), t))), [
                ...writeOutput(c.zero_output_for_mask ? 0 : c.unroll ? cond(eq(st, 0), 0, at(h, add('hb', 'j'))) : at(h, add('hb', 'j'))),
                continueStatement(),
              ]),
            ]
          : [];
        const cellIO: CellIO<CellConfig<O>> = {
          config: cellConfig(c),
          io, units: U, width: G, xz, states, recurrentKernel, time: T, t, recurrentDropout,
          forRows: (body) => forRange('b', 0, io.rows, [...offsets, ...masked, ...body, ...writeOutput(at(h, add('hb', 'j')))]),
          eachRow: (body) => forRange('b', 0, io.rows, [...offsets, ...body]),
        };
        return cell.step(ctx, cellIO);
      };

      statements.push(
        ...emitRecurrence({ ctx, steps: T, unroll: c.unroll, knownSteps: isKnown(timeDim!) ? timeDim : ctx.compiledLength(timeDim!), step, name: io.layer.name }).map((st, index) =>
          index === 0
            ? withComment(st, `Recurrence over ${isKnown(timeDim!) ? `${timeDim} timesteps` : 'the timesteps'}${c.go_backwards ? ', last timestep first' : ''}${c.unroll ? ', unrolled' : ''}${mask ? `, masked by ${mask}` : ''}`)
            : st,
        ),
      );
      if (!c.return_sequences) statements.push(withComment(stmt(method(out, 'set', h)), 'The output is the last hidden state'));
      if (c.return_state) {
        statements.push(...cell.states.map((s, i) => (i === 0 ? withComment(stmt(method(io.outputs[1 + i]!.buffer, 'set', states[s]!)), `Outputs ${cell.states.join(', ')}: the last states`) : stmt(method(io.outputs[1 + i]!.buffer, 'set', states[s]!)))));
      }
      return statements;
    },
  });
}


/**
 * The recurrent products of one timestep for every row, as blocked matrix products:
 * target[b, from..to) += source[b, :] · R[:, from..to), with target the input projection at this
 * timestep (its rows are width·time apart) unless given. One product per gate block with `perGate`
 * (Keras's implementation 1), else one fused product. Under recurrent dropout in training each
 * gate block reads source masked by that gate's mask.
 */
export function recurrentProduct(ctx: EmitContext, cell: CellIO, from: number, to: number, options: { perGate?: boolean; source?: string; target?: { buffer: string; stride: Ex } } = {}): Stmt[] {
  const U = cell.units;
  const rows = cell.io.rows;
  const source = options.source ?? cell.states.h!;
  const target = options.target ?? { buffer: cell.xz, stride: mul(cell.width, cell.time) };
  const targetOffset = (lo: number): Ex => (options.target ? lo : add(mul(cell.t, cell.width), lo));
  const gemm = (a: string, lo: number, hi: number) =>
    stmt(call(ctx.runtime('gemmAcc'), a, 0, U, cell.recurrentKernel, lo, cell.width, target.buffer, targetOffset(lo), target.stride, rows, hi - lo, U));
  const blocks = (perGate: boolean): [number, number][] =>
    perGate ? Array.from({ length: (to - from) / U }, (_, g) => [from + g * U, from + (g + 1) * U]) : [[from, to]];
  const plain = blocks(options.perGate === true).map(([lo, hi]) => gemm(source, lo, hi));
  const dropout = cell.recurrentDropout;
  if (!dropout) return plain;
  const training = blocks(true).flatMap(([lo, hi]) => [
    forRange('i', 0, mul(rows, U), [assign(at(dropout.masked, 'i'), mul(at(source, 'i'), at(dropout.mask, add(mul(lo / U, rows, U), 'i'))))]),
    gemm(dropout.masked, lo, hi),
  ]);
  return [ifThen(neq(dropout.rng, nullLiteral()), training, plain)];
}
