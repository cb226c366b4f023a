// The recurrent base, shared by LSTM, GRU and SimpleRNN as Keras 3's RNN base is
// (keras/src/layers/rnn/rnn.py): the options every recurrent layer has, the one shape rule for
// return_sequences / return_state / initial_state / stateful / unroll / mask, the weights'
// common layout, and the emitter around a cell. The cell (lstm.ts, gru.ts, simple-rnn.ts) emits
// one batch row of one timestep; the driver (emit/recurrence.ts) repeats it, unrolled or looped.
// How the cell reads its input is its geometry: dense (`units`; a (batch, time, features) input
// projected by a matrix product) for LSTM, GRU and SimpleRNN, or convolutional for ConvLSTM1D
// (conv-lstm1d.ts: states of shape (steps, filters)); the rest of the base sees a state as its
// flat row of elements, whatever its shape.
//
// Masks (`mask: m`, or propagated from Embedding(mask_zero) / Masking): at a masked step the
// states keep their values and the output repeats the current h, or is zero with
// `zero_output_for_mask: true`, as Keras 3's scan does. Divergence: with `unroll: true` Keras
// outputs zeros at a masked first step even from a nonzero initial state, and ignores
// zero_output_for_mask; we do the former too and honour zero_output_for_mask always.
import type { Expr, Stmt } from '../kernel/ir.js';
import { add, assign, at, call, cond, constVar, continueStatement, eq, forRange, ifThen, method, mul, neq, not, nullLiteral, stmt, sub, withComment, type Ex } from '../kernel/build.js';
import { emitRecurrence } from '../kernel/recurrence.js';
import { formatShape, isKnown, type Dim, type TensorType } from '../shapes/dim.js';
import { expectDType, expectRank, flags, layerTitle } from '../shapes/rules.js';
import { defineLayer, type EmitContext, type LayerDef, type LayerIO, type ParamSpec, type ShapeContext, type ShapeInput } from './layer.js';
import { boolean, integer, number, type ConfigOf, type Options } from './options/option.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { constraintSchema } from './options/constraints.js';
import { regularizerSchema } from './options/regularizers.js';
import { weightOptions } from './options/weight-options.js';

/**
 * How a cell reads its input: the options that come first (`units`, or a convolution's), the
 * input's rank, the shape of a state, the input kernels and the projection of every timestep.
 */
export interface CellGeometry<G extends Options> {
  readonly options: G;
  readonly required: readonly (keyof G & string)[];
  /** The input's rank and axes, for MC4001: 3, '(batch, timesteps, features)'. */
  readonly rank: number;
  readonly meaning: string;
  /** The shapes of the kernels in words, for the initializers' descriptions: '(features, 4·units)'. */
  kernelText(blocks: string): { readonly kernel: string; readonly recurrent: string };
  /** Whether a mask applies (Keras 3 cannot mask a convolutional recurrence: MC4061). */
  readonly masks: boolean;
  /** Whether training mode draws dropout masks on its input and states (the dense geometry's). */
  readonly trainingDropout: boolean;
  /** The leading part of the layer's description: `20`, or `2, kernel_size=3`. */
  head(config: ConfigOf<G>): string;
  /** What one gate block holds: `20 units`, `2 filters`. */
  block(config: ConfigOf<G>): string;
  /** The shape of one state without the batch axis ([units], or [steps, filters]); undefined after an error. */
  stateShape(ctx: ShapeContext, input: ShapeInput, config: ConfigOf<G>): readonly number[] | undefined;
  /** The input and recurrent kernels for `gates` gate blocks, in Keras's layout. */
  kernels(config: ConfigOf<G>, input: TensorType, gates: number, gateText: string): { readonly kernel: KernelSpec; readonly recurrent: KernelSpec };
  /** xz[b, t, :] = the input projection of timestep t of row b, for every row and timestep at once. */
  project(ctx: EmitContext, io: LayerIO, config: ConfigOf<G>, projection: { readonly xz: string; readonly width: number; readonly bias: Expr }): Stmt[];
}

interface KernelSpec {
  readonly shape: readonly number[];
  readonly layout: string;
}

/** What one kind of cell provides to the base. */
export interface CellDef<O extends Options, G extends Options = UnitsOptions> {
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
  bias(config: CellConfig<O, G>): { shape: number[]; layout: string; initializer?: ParamSpec['initializer'] };
  /**
   * One timestep for every row: the recurrent products as blocked matrix products over the
   * batch (recurrentProduct), then the gates in cell.forRows, which updates the states in place.
   */
  step(ctx: EmitContext, cell: CellIO<CellConfig<O, G>>): Stmt[];
}

export interface CellIO<C = RecurrentConfig> {
  readonly io: LayerIO;
  /** The layer's config: the base's options and the cell's. */
  readonly config: C;
  /** Elements of a state row: units, or steps × filters. */
  readonly units: number;
  /** gates × units: the width of the kernels (of a projected timestep). */
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

/** The options every recurrent layer has (after the geometry's and the cell's own). */
function baseOptions(states: readonly string[], kernels: { readonly kernel: string; readonly recurrent: string }) {
  return {
    use_bias: boolean('Whether the layer uses a bias vector.', true),
    kernel_initializer: initializerSchema('glorot_uniform', `Initializer of the input kernel ${kernels.kernel}.`),
    recurrent_initializer: initializerSchema('orthogonal', `Initializer of the recurrent kernel ${kernels.recurrent}.`),
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
type UnitsOptions = { readonly units: typeof units };
type BaseOptions = ReturnType<typeof baseOptions>;

/** The options of every recurrent layer, as Keras 3's RNN base defines them. */
export type BaseConfig = ConfigOf<BaseOptions>;
/** The options of a dense recurrent layer (LSTM, GRU, SimpleRNN). */
export type RecurrentConfig = BaseConfig & ConfigOf<UnitsOptions>;
/** A cell's config: the base's options, the geometry's and the cell's own. */
export type CellConfig<O extends Options, G extends Options = UnitsOptions> = BaseConfig & ConfigOf<G> & ConfigOf<O>;

/** LSTM, GRU and SimpleRNN: `units`; the input (batch, time, features), projected by a matrix product. */
const dense: CellGeometry<UnitsOptions> = {
  options: { units },
  required: ['units'],
  rank: 3,
  meaning: '(batch, timesteps, features)',
  kernelText: (blocks) => ({ kernel: `(features, ${blocks}units)`, recurrent: `(units, ${blocks}units)` }),
  masks: true,
  trainingDropout: true,
  head: (c) => String(c.units),
  block: (c) => `${c.units} units`,
  stateShape(ctx, input, c) {
    if (isKnown(input.type.shape[2]!)) return [c.units];
    ctx.error('MC4010', { layer: layerTitle(ctx), axis: 'the features axis', reason: '', shape: formatShape(input.type.shape) }, { related: [ctx.definedHere(input.producer)] });
    return undefined;
  },
  kernels(c, input, gates, gateText) {
    return { kernel: { shape: [input.shape[2] as number, gates * c.units], layout: `input features × ${gateText}` }, recurrent: { shape: [c.units, gates * c.units], layout: `units × ${gateText}` } };
  },
  project(ctx, io, _c, { xz, width, bias }) {
    const input = io.inputs[0]!;
    const [, time, features] = input.type.shape;
    const projection = stmt(call(ctx.runtime('matmulBias'), input.buffer, mul(io.rows, ctx.dim(time!)), features as number, io.weight('kernel'), width, bias, xz));
    return [withComment(projection, `Input projection of every timestep at once: ${xz}[b, t, :] = ${input.buffer}[b, t, :] · kernel${bias.kind === 'null' ? '' : ' + bias'}`)];
  },
};

export function recurrentLayer<const O extends Options>(cell: CellDef<O>): LayerDef {
  return geometricRecurrentLayer(cell, dense);
}

/** A recurrent layer whose cell reads its input through `geometry` (ConvLSTM1D's convolutions). */
export function geometricRecurrentLayer<const O extends Options, const G extends Options>(cell: CellDef<O, G>, geometry: CellGeometry<G>): LayerDef {
  const blocks = cell.gates > 1 ? `${cell.gates}·` : '';
  // Typed as the base's options (what its methods read) and any other: the geometry's and the cell's.
  const options: BaseOptions & Options = { ...geometry.options, ...cell.options, ...baseOptions(cell.states, geometry.kernelText(blocks)) };
  // The config has the geometry's and the cell's options too: each part of the code sees its own.
  type Config = BaseConfig;
  const cellConfig = (c: Config) => c as CellConfig<O, G>;
  const geometryConfig = (c: Config) => c as ConfigOf<G>;
  /** Elements of a state row, from the main output's shape. */
  const stateSize = (out: TensorType, c: Config) => out.shape.slice(c.return_sequences ? 2 : 1).reduce<number>((n, d) => n * (d as number), 1);
  return defineLayer<BaseOptions & Options>({
    type: cell.type,
    description: cell.description,
    options,
    required: geometry.required,
    recurrent: true,
    arity: { min: 1, max: 1 },
    maskPolicy: (c) => (c.return_sequences ? 'pass' : 'drop'),
    // A backward recurrence reads the last timestep first.
    stepwise: (c) => !c.go_backwards,
    returnsSequences: (c) => c.return_sequences,
    hasDropout: (c) => geometry.trainingDropout && (c.dropout > 0 || c.recurrent_dropout > 0),

    outputNames: (c) => (c.return_state ? ['output', ...cell.states] : ['output']),
    optionalOutputs: () => Object.fromEntries(cell.states.map((s) => [s, 'return_state: true'])),

    describe(c) {
      return `${cell.type}(${[geometry.head(geometryConfig(c)), ...flags(c, ['return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll'])].join(', ')})`;
    },

    inferShapes(ctx, [input], c) {
      if (!expectRank(ctx, input!, geometry.rank, geometry.rank, geometry.meaning) || !expectDType(ctx, input!, 'float32')) return undefined;
      const [batch, time] = input!.type.shape as [Dim, Dim];
      const stateShape = geometry.stateShape(ctx, input!, geometryConfig(c));
      if (!stateShape) return undefined;
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
      const state = { dtype: 'float32' as const, shape: [batch, ...stateShape] };
      const flat = stateShape.length === 1;
      if (ctx.initialState.length > 0 && ctx.initialState.length !== cell.states.length) {
        const first = ctx.initialState[0]!.producer;
        const encoderName = first.kind === 'layer' && first.type === cell.type ? first.name : 'enc';
        ctx.error('MC4007', `${layerTitle(ctx)} takes ${cell.states.length} initial state${cell.states.length > 1 ? 's' : ''} [${cell.states.join(', ')}]. Received: ${ctx.initialState.length}.`, {
          pointer: `${ctx.layer.pointer}/initial_state`,
          hint: `pass the final state${cell.states.length > 1 ? 's' : ''} of ${cell.type === 'LSTM' ? 'an' : 'a'} ${cell.type} with \`return_state: true\` and ${geometry.block(geometryConfig(c))}, e.g. \`initial_state: [${cell.states.map((st) => `${encoderName}.${st}`).join(', ')}]\`.`,
        });
      }
      // One mistake, one error: a wrong count is not also reported state by state.
      (ctx.initialState.length === cell.states.length ? ctx.initialState : []).forEach((s, index) => {
        const ok = s.type.dtype === 'float32' && s.type.shape.length === state.shape.length && stateShape.every((d, i) => s.type.shape[i + 1] === d) && (s.type.shape[0] === batch || !isKnown(s.type.shape[0]!) || !isKnown(batch));
        if (!ok) {
          const from = s.producer.kind === 'layer' ? `${s.producer.type} "${s.producer.name}"` : `input "${s.producer.name}"`;
          const hint = !flat
            ? undefined
            : s.type.shape.length === 3
              ? `that is a sequence, not a state: set \`return_state: true\` on ${from} and pass its final state${s.producer.kind === 'layer' && s.producer.type === 'Bidirectional' ? 's (`forward_h`, `backward_h`, ...; Concatenate them for a layer with twice the units)' : ` (\`${s.producer.name}.h\`${cell.states.length > 1 ? ', ...' : ''})`}.`
              : s.type.shape.length === 2 && s.type.shape[1] !== stateShape[0]
                ? `the state from ${from} has ${String(s.type.shape[1])} units: give both layers the same units.`
                : undefined;
          ctx.error('MC4007', `${layerTitle(ctx)} needs initial state ${cell.states[index]} of shape ${formatShape(state.shape)}. Received: ${formatShape(s.type.shape)}.`, {
            pointer: `${ctx.layer.pointer}/initial_state/${index}`,
            related: [ctx.definedHere(s.producer)],
            ...(hint ? { hint } : {}),
          });
        }
      });
      if (ctx.mask && !geometry.masks) {
        ctx.error('MC4061', { layer: layerTitle(ctx), source: `\`mask: ${ctx.mask.producer.name}\`` }, {
          pointer: `${ctx.layer.pointer}/mask`,
          related: [ctx.definedHere(ctx.mask.producer)],
          hint: 'remove `mask:`; to skip padded timesteps, trim the sequences to one length instead.',
        });
        return undefined;
      }
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
      const output = { dtype: 'float32' as const, shape: c.return_sequences ? [batch, time, ...stateShape] : [batch, ...stateShape] };
      return c.return_state ? [output, ...cell.states.map(() => state)] : [output];
    },

    params(_layer, [input], c) {
      const gates = cell.gates > 1 ? `gates ${cell.gateNames} (${geometry.block(geometryConfig(c))} each)` : 'units';
      const kernels = geometry.kernels(geometryConfig(c), input!, cell.gates, gates);
      const bias = cell.bias(cellConfig(c));
      return [
        { name: 'kernel', shape: kernels.kernel.shape, initializer: initializerOf(c.kernel_initializer), layout: kernels.kernel.layout, ...weightOptions(c, 'kernel') },
        { name: 'recurrent_kernel', shape: kernels.recurrent.shape, initializer: initializerOf(c.recurrent_initializer), layout: kernels.recurrent.layout, ...weightOptions(c, 'recurrent') },
        ...(c.use_bias ? [{ name: 'bias', shape: bias.shape, initializer: bias.initializer ?? initializerOf(c.bias_initializer), layout: bias.layout, ...weightOptions(c, 'bias') }] : []),
      ];
    },

    emit(ctx, io, c) {
      const U = stateSize(io.outputs[0]!.type, c);
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
      const projection = geometry.project(ctx, io, geometryConfig(c), { xz, width: G, bias });
      const statements: Stmt[] = [];
      // Training: dropout masks drawn once per call and reused at every timestep, as Keras 3 does;
      // one per gate when there are several (implementation 1, which recurrent_dropout forces).
      const rng = geometry.trainingDropout ? io.rng : undefined;
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
              [stmt(call(ctx.runtime('matmulBias'), input.buffer, mul(io.rows, T), F, io.weight('kernel'), G, bias, xz))],
            ),
            `Input projection of every timestep at once: ${xz}[b, t, :] = ${input.buffer}[b, t, :] · kernel${c.use_bias ? ' + bias' : ''} (x under its dropout mask in training)`,
          ),
        );
      } else {
        statements.push(...projection);
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
        const cellIO: CellIO<CellConfig<O, G>> = {
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
