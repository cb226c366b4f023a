// The module plan: everything a printer needs to write one generated module, as plain data.
// lower.ts builds it from the graph and its shapes; printers (emit/) hold no model logic.
import type { LengthCheck } from './length-checks.js';
import type { Graph, InputNode, LayerNode, OutputBinding, TypeMap } from '../ir/graph.js';
import type { WeightGroup } from '../ir/params.js';
import type { Expr, Stmt } from '../kernel/ir.js';
import type { Operand } from '../layers/layer.js';
import type { RegularizerSpec } from '../layers/options/regularizers.js';
import type { Dim, DType } from '../shapes/dim.js';

/** The type of a kernel function's parameter. */
export type ParamType = { readonly kind: 'number' } | { readonly kind: 'boolean' } | { readonly kind: 'weights' } | { readonly kind: 'rng' } | { readonly kind: 'array'; readonly dtype: DType };

/** A flat buffer of the forward pass, allocated once per batch size (and run-time length). */
export interface BufferDecl {
  readonly name: string;
  /** Elements, in terms of `batch`, the run-time lengths and the plan's `steps`. */
  readonly size: Expr;
  readonly dtype: DType;
  readonly doc: string;
  /** 'forward': only the full forward pass has it (a state that restarts every call there, but carries in streaming steps). */
  readonly passes: 'both' | 'forward';
}

/** A recurrent state, kept in the module's States object. */
export interface StateDecl {
  readonly layer: LayerNode;
  readonly role: string;
  readonly units: number;
  /** Its identifier inside kernel functions. */
  readonly name: string;
  /** True when the full forward pass carries it too (`stateful: true`); else that pass uses a buffer that restarts. */
  readonly carriedByForward: boolean;
}

/** A module-level function of kernel IR: one per layer, and one per unrolled timestep body. */
export interface KernelFunction {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly type: ParamType }[];
  readonly body: readonly Stmt[];
  readonly doc: readonly string[];
}

export interface ActivityTerm {
  readonly spec: RegularizerSpec;
  readonly operand: Operand;
  readonly layer: LayerNode;
}

/**
 * How forward and step share one function per layer: the layer functions run `steps[i].name`
 * timesteps, the compiled length in the forward pass (`steps[i].forward`) and 1 in a streaming step; `restart` names
 * the flag that says whether states restart (true in the forward pass, false in a step).
 */
export interface StreamPlan {
  /** The time lengths of the shared functions: the symbol, its variable, and its value in the forward pass. None when the forward pass has one timestep too. */
  readonly steps: readonly { readonly symbol: Dim; readonly name: string; readonly forward: Expr }[];
  readonly restart: string | undefined;
  /** Types of one streaming step, for the StepInputs and StepOutputs interfaces. */
  readonly types: TypeMap;
}

export interface ModulePlan {
  readonly graph: Graph;
  /** Types of the full forward pass. */
  readonly types: TypeMap;
  readonly where: (pointer: string) => string;
  readonly weights: WeightGroup;
  readonly hasParams: boolean;
  readonly batchDim: Dim;
  /** Run-time lengths of the forward pass (a null in an input's shape): the dimension and its variable. */
  readonly symbols: readonly { readonly dim: Dim; readonly name: string }[];
  /** Dropout layers: the forward pass takes a random generator, null in inference. */
  readonly trainable: boolean;
  /** Every input has a run-time length and the batch is open: the caller gives the batch size. */
  readonly needsBatch: boolean;
  /** Lengths computed from run-time lengths that a short input makes less than one step, checked with the inputs. */
  readonly lengthChecks: readonly LengthCheck[];
  readonly inputs: readonly { readonly node: InputNode; readonly buffer: string }[];
  readonly outputs: readonly { readonly binding: OutputBinding; readonly buffer: string }[];
  readonly buffers: readonly BufferDecl[];
  readonly states: readonly StateDecl[];
  readonly functions: readonly KernelFunction[];
  /** The body of a pass: one call per layer, the same in the forward pass and a streaming step. */
  readonly calls: readonly Stmt[];
  readonly activity: readonly ActivityTerm[];
  readonly stream: StreamPlan | undefined;
  /** The spec's weights file, checked: embedded as the default weights. */
  readonly weightsFile: unknown;
  /** false: the module has no defaultWeights(); its users load weights themselves (`modelc build --no-embed-weights`). */
  readonly embedWeights: boolean;
}
