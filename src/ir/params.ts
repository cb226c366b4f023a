// Every layer's parameters, from its kind's rule and its inferred input types.
import type { ParamSpec } from '../layers/layer.js';
import { typeOf } from '../shapes/infer.js';
import { nodeMap, type Graph, type LayerNode, type TypeMap } from './graph.js';

export interface LayerParams {
  readonly layer: LayerNode;
  readonly params: readonly ParamSpec[];
}

/** Every layer's parameters (possibly none), in graph order. Assumes inference succeeded for every layer. */
export function graphParams(graph: Graph, types: TypeMap): LayerParams[] {
  const nodes = nodeMap(graph);
  return graph.layers.map((layer) => ({ layer, params: layer.def.params(layer, layer.inputs.map((r) => typeOf(types, nodes, r)!)) }));
}

export function paramCount(params: readonly ParamSpec[]): number {
  return params.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
}
