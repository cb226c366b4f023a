// What every layer kind provides, in the order a layer file defines it: schema fragment, shape
// rule, parameters, emitter. The registry (registry.ts) lists the kinds.
import type { Code, FreeCode, MessageParams, TemplatedCode } from '../diagnostics/codes.js';
import type { RelatedNote } from '../diagnostics/diagnostic.js';
import type { GraphNode, LayerConfig, LayerNode } from '../ir/graph.js';
import type { Dim, TensorType } from '../shapes/dim.js';
import type { Ex } from '../kernel/build.js';
import type { Callee, Expr, Stmt } from '../kernel/ir.js';
import type { NameAllocator } from '../emit/names.js';
import type { InitializerSpec } from './options/initializers.js';
import type { RegularizerSpec } from './options/regularizers.js';
import type { ConstraintSpec } from './options/constraints.js';
import type { RuntimeName } from '../runtime/index.js';
import { schemasOf, type ConfigOf, type Options } from './options/option.js';

/** A JSON Schema fragment (draft-07). */
export type SchemaFragment = Readonly<Record<string, unknown>>;

/**
 * What a layer file defines, typed by its option table: every method sees the config as
 * ConfigOf<O> (each option with its default filled in). defineLayer() turns it into the LayerDef
 * the pipeline uses.
 */
export interface LayerSpec<O extends Options> {
  /** The Keras class name, used as `type` in specs. */
  readonly type: string;
  /** One line for the schema's description and the README. */
  readonly description: string;
  /** Keras options in snake_case: each one's schema and, derived from it, its type. */
  readonly options: O;
  /** Options the spec must give (and `layer`, for a wrapper). */
  readonly required?: readonly ((keyof O & string) | 'layer')[];
  /** Accepts `initial_state` (recurrent layers). */
  readonly recurrent?: boolean;
  /** Takes the wrapped layer inline as `layer`. */
  readonly wrapper?: boolean;
  /** Also takes `backward_layer` (Bidirectional). */
  readonly backwardLayer?: boolean;
  /** How many inputs the layer takes. */
  readonly arity: { readonly min: number; readonly max: number };
  /**
   * What happens to the mask of the input (Keras's compute_mask): 'pass' hands it to the main
   * output; 'produce' means the layer makes a new one (io.outputMask); 'merge' combines the
   * inputs' masks (see mergesMasks). Default 'drop'.
   */
  maskPolicy?(config: ConfigOf<O>): MaskPolicy;
  /** With maskPolicy 'merge': whether the output has a mask, given which inputs have one. */
  mergesMasks?(config: ConfigOf<O>, present: readonly boolean[]): boolean;
  /**
   * Whether step t of the output's axis 1 depends only on step t of the inputs (and the layer's
   * states), so that T streaming steps compute what one call on T steps does. False for a layer
   * that mixes or makes timesteps (a convolution wider than 1, pooling, Flatten of a sequence,
   * RepeatVector, a backward recurrence): the model then gets no streaming step(). Required:
   * nothing assumes it.
   */
  stepwise(config: ConfigOf<O>, inputs: readonly TensorType[]): boolean;
  /** Whether this configuration drops units in training (the module then gets a training mode). Default false. */
  hasDropout?(config: ConfigOf<O>): boolean;
  /** Whether the main output keeps the time axis of a recurrent input (for hints). Default false. */
  returnsSequences?(config: ConfigOf<O>): boolean;
  /** Names of the outputs; the first is the main output. */
  outputNames(config: ConfigOf<O>): readonly string[];
  /** Outputs a spec may name but this configuration lacks, with the option that adds them. */
  optionalOutputs?(config: ConfigOf<O>): Readonly<Record<string, string>>;
  /** A short description for comments and summaries: `LSTM(20, return_sequences)`. */
  describe(config: ConfigOf<O>): string;
  inferShapes(ctx: ShapeContext, inputs: readonly ShapeInput[], config: ConfigOf<O>): readonly TensorType[] | undefined;
  /** Parameters in Keras's order and layout. */
  params(layer: LayerNode, inputs: readonly TensorType[], config: ConfigOf<O>): readonly ParamSpec[];
  emit(ctx: EmitContext, io: LayerIO, config: ConfigOf<O>): Stmt[];
}

export type MaskPolicy = 'pass' | 'produce' | 'drop' | 'merge';

/** A layer kind as the pipeline sees it: configs are the graph's (untyped) records. */
export interface LayerDef {
  readonly type: string;
  readonly description: string;
  /** Each option's JSON Schema fragment (with its `default`). */
  readonly options: Readonly<Record<string, SchemaFragment>>;
  readonly required: readonly string[];
  readonly recurrent: boolean;
  readonly wrapper: boolean;
  readonly backwardLayer: boolean;
  readonly arity: { readonly min: number; readonly max: number };
  maskPolicy(config: LayerConfig): MaskPolicy;
  mergesMasks(config: LayerConfig, present: readonly boolean[]): boolean;
  stepwise(config: LayerConfig, inputs: readonly TensorType[]): boolean;
  hasDropout(config: LayerConfig): boolean;
  returnsSequences(config: LayerConfig): boolean;
  outputNames(config: LayerConfig): readonly string[];
  optionalOutputs(config: LayerConfig): Readonly<Record<string, string>>;
  describe(config: LayerConfig): string;
  inferShapes(ctx: ShapeContext, inputs: readonly ShapeInput[]): readonly TensorType[] | undefined;
  params(layer: LayerNode, inputs: readonly TensorType[]): readonly ParamSpec[];
  emit(ctx: EmitContext, io: LayerIO): Stmt[];
}

/** The LayerDef of a layer file's spec, with the safe defaults filled in. */
export function defineLayer<const O extends Options>(spec: LayerSpec<O>): LayerDef {
  // The one place a graph config becomes typed: the schema (with defaults) validated it against these options.
  const typed = (config: LayerConfig) => config as ConfigOf<O>;
  return {
    type: spec.type,
    description: spec.description,
    options: schemasOf(spec.options),
    required: spec.required ?? [],
    recurrent: spec.recurrent ?? false,
    wrapper: spec.wrapper ?? false,
    backwardLayer: spec.backwardLayer ?? false,
    arity: spec.arity,
    maskPolicy: (config) => spec.maskPolicy?.(typed(config)) ?? 'drop',
    mergesMasks: (config, present) => spec.mergesMasks?.(typed(config), present) ?? false,
    stepwise: (config, inputs) => spec.stepwise(typed(config), inputs),
    hasDropout: (config) => spec.hasDropout?.(typed(config)) ?? false,
    returnsSequences: (config) => spec.returnsSequences?.(typed(config)) ?? false,
    outputNames: (config) => spec.outputNames(typed(config)),
    optionalOutputs: (config) => spec.optionalOutputs?.(typed(config)) ?? {},
    describe: (config) => spec.describe(typed(config)),
    inferShapes: (ctx, inputs) => spec.inferShapes(ctx, inputs, typed(ctx.layer.config)),
    params: (layer, inputs) => spec.params(layer, inputs, typed(layer.config)),
    emit: (ctx, io) => spec.emit(ctx, io, typed(io.layer.config)),
  };
}

/** Where an error points (inside the spec), its hint and its notes. */
export interface ErrorOptions {
  readonly pointer?: string;
  readonly hint?: string;
  readonly related?: readonly RelatedNote[];
}

export interface ShapeInput {
  readonly type: TensorType;
  /** The node that produced it: for notes ("defined here") and hints. */
  readonly producer: GraphNode;
}

export interface ShapeContext {
  readonly layer: LayerNode;
  /** Report an error at the layer (or at `pointer` inside the spec). */
  error<C extends TemplatedCode>(code: C, params: MessageParams<C>, options?: ErrorOptions): void;
  error(code: FreeCode, message: string, options?: ErrorOptions): void;
  /** Report a warning: the spec compiles, but likely not as its author wants. */
  warning(code: Code, message: string, options?: { pointer?: string; hint?: string }): void;
  /** A note pointing at where a producer is defined. */
  definedHere(node: GraphNode): RelatedNote;
  /** The initial_state types, for recurrent layers. */
  readonly initialState: readonly ShapeInput[];
  /** The explicit `mask:` of a recurrent layer. */
  readonly mask?: ShapeInput | undefined;
}

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly initializer: InitializerSpec;
  /** Layout in words, for the generated JSDoc: "input features × gates i, f, c, o (20 units each)". */
  readonly layout: string;
  /** `*_regularizer`: its loss is part of the generated regularizationLoss(). */
  readonly regularizer?: RegularizerSpec | undefined;
  /** `*_constraint`: applied by the generated applyConstraints(). */
  readonly constraint?: ConstraintSpec | undefined;
}

/** A tensor in the generated code: the identifier of its Float32Array and its type. */
export interface Operand {
  readonly buffer: string;
  readonly type: TensorType;
}

export interface LayerIO {
  readonly layer: LayerNode;
  /** Rows of axis 0 in this call: the batch, or batch × time inside TimeDistributed. */
  readonly rows: Ex;
  readonly inputs: readonly Operand[];
  /** Buffers already allocated for every output, in outputNames order. */
  readonly outputs: readonly Operand[];
  readonly initialState: readonly Operand[];
  /** The expression of a weight: `weights.lstm.kernel`. */
  weight(param: string): Expr;
  /** A scratch buffer of `size` elements (an expression of `batch`), allocated once per batch size; its identifier. */
  scratch(role: string, size: Ex): string;
  /** A state of shape (rows, units), kept in the States object; its identifier. */
  state(role: string, units: number): string;
  /** The (rows, time) Uint8Array mask of the input, explicit or propagated (1 = keep the step). */
  readonly mask?: string | undefined;
  /** The mask of every input, for layers with several (merges). */
  readonly masks?: readonly (string | undefined)[];
  /** With maskPolicy 'produce': the (rows, time) Uint8Array the layer fills. */
  readonly outputMask?: string | undefined;
  /** The identifier of the forward pass's random generator: `(() => number) | null`, null outside training. */
  readonly rng?: string | undefined;
  /**
   * Whether the states restart at zero: true (every call), false (they carry over from the last
   * call: `stateful: true`), or the name of a boolean parameter (true in the forward pass, false in
   * a streaming step, when both share this layer's function).
   */
  readonly restart: boolean | string;
}

export interface EmitContext {
  readonly names: NameAllocator;
  /** Include a runtime kernel in the module and get its identifier. */
  runtime(name: RuntimeName): Callee;
  /** A dimension as an expression: a literal, or the run-time variable of a symbol. */
  dim(d: Dim): Expr;
  /** The length a dimension has in the full forward pass when that is known at compile time (the time axis of a shared layer function, unrolled). */
  compiledLength(d: Dim): number | undefined;
  /** `models/x.yaml:6`, for comments. */
  where(pointer: string): string;
  /**
   * Move statements into a module-level function (named like `hint`) with the given number
   * parameters and, appended, every buffer, input, state or size of the forward pass they read;
   * returns the call. Keeps a function small enough for V8 to optimize (unrolled timesteps).
   */
  hoist(hint: string, params: readonly string[], body: Stmt[], doc?: string): (...args: Ex[]) => Expr;
}
