// The typed graph: model inputs, layers in topological order, and the model outputs. Every
// node keeps the JSON pointer of the spec text it came from, so any stage can point at it.
import type { SpanIndex } from '../source/parse.js';
import type { DType, Shape, TensorType } from '../shapes/dim.js';
import type { LayerDef } from '../layers/layer.js';

/** `NAME` or `NAME.OUTPUT`, as written at `pointer`. */
export interface TensorRef {
  readonly node: string;
  /** The named output; undefined for the main output. */
  readonly output: string | undefined;
  readonly pointer: string;
}

export interface InputNode {
  readonly kind: 'input';
  readonly name: string;
  readonly dtype: DType;
  /** With the batch axis first. */
  readonly shape: Shape;
  readonly pointer: string;
}

export type LayerConfig = Readonly<Record<string, unknown>>;

export interface LayerNode {
  readonly kind: 'layer';
  readonly name: string;
  readonly type: string;
  readonly def: LayerDef;
  /** The layer's options with Keras defaults filled in. */
  readonly config: LayerConfig;
  readonly pointer: string;
  readonly inputs: readonly TensorRef[];
  /** `initial_state` references of a recurrent layer. */
  readonly initialState: readonly TensorRef[];
  /** The `mask` reference of a recurrent layer: a bool (batch, time) input. */
  readonly mask?: TensorRef;
  /** The wrapped layer of a wrapper (TimeDistributed), named like its wrapper. */
  readonly inner?: LayerNode;
  /** Bidirectional's `backward_layer`, when the spec gives one. */
  readonly backward?: LayerNode;
  /**
   * `shares: OWNER`: this entry applies the layer `OWNER` again (one more Keras call of the same
   * layer object): its type, options and weights are OWNER's; its inputs, states, mask and output
   * are its own. Always the layer that owns the weights (a share of a share resolves to the owner).
   */
  readonly shares?: string;
}

export type GraphNode = InputNode | LayerNode;

export interface OutputBinding {
  /** The name in the generated API. */
  readonly name: string;
  readonly ref: TensorRef;
}

export interface Graph {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly weightsPath: string | undefined;
  readonly inputs: readonly InputNode[];
  /** In topological order. */
  readonly layers: readonly LayerNode[];
  readonly outputs: readonly OutputBinding[];
  readonly spans: SpanIndex;
}

/** Inferred types of every node's outputs; a missing entry means unknown (an error upstream). */
export type TypeMap = ReadonlyMap<string, readonly TensorType[]>;

/** Every node by name. */
export function nodeMap(graph: Pick<Graph, 'inputs' | 'layers'>): Map<string, GraphNode> {
  return new Map<string, GraphNode>([...graph.inputs.map((n) => [n.name, n] as const), ...graph.layers.map((n) => [n.name, n] as const)]);
}

/** The position of a layer in the spec's `layers` list. */
export function specIndex(layer: LayerNode): number {
  return Number(layer.pointer.split('/')[2]);
}

/** The name the layer's weights are stored under: its own, or the owner's when it shares them. */
export function weightsOwner(layer: LayerNode): string {
  return layer.shares ?? layer.name;
}

/** Every tensor a layer reads: inputs, initial states, mask. */
export function layerRefs(layer: LayerNode): TensorRef[] {
  return [...layer.inputs, ...layer.initialState, ...(layer.mask ? [layer.mask] : [])];
}
