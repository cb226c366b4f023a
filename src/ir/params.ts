// Every layer's parameters, from its kind's rule and its inferred input types.
import type { ParamSpec } from '../layers/layer.js';
import { typeOf } from '../shapes/infer.js';
import { nodeMap, type Graph, type LayerNode, type TypeMap } from './graph.js';

export interface LayerParams {
  readonly layer: LayerNode;
  readonly params: readonly ParamSpec[];
}

/**
 * Every layer's parameters (possibly none), in graph order, once per set of weights: an entry that
 * `shares` another layer's weights owns none. Assumes inference succeeded for every layer.
 */
export function graphParams(graph: Graph, types: TypeMap): LayerParams[] {
  return applicationParams(graph, types).filter(({ layer }) => layer.shares === undefined);
}

/** The parameters every application of a layer would need for its own inputs, sharing ones included. */
export function applicationParams(graph: Graph, types: TypeMap): LayerParams[] {
  const nodes = nodeMap(graph);
  return graph.layers.map((layer) => ({ layer, params: layer.def.params(layer, layer.inputs.map((r) => typeOf(types, nodes, r)!)) }));
}

export function paramCount(params: readonly ParamSpec[]): number {
  return params.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
}

export interface WeightGroup {
  readonly kind: 'group';
  readonly doc: string;
  readonly children: [string, WeightGroup | WeightLeaf][];
}

export interface WeightLeaf {
  readonly kind: 'param';
  readonly spec: ParamSpec;
}

/** The weights as a tree: layers, then the groups of a parameter's path (`forward/kernel`), then parameters. */
export function weightTree(params: readonly LayerParams[], doc: (layer: LayerNode) => string): WeightGroup {
  const root: WeightGroup = { kind: 'group', doc: '', children: [] };
  for (const { layer, params: list } of params) {
    const group: WeightGroup = { kind: 'group', doc: doc(layer), children: [] };
    root.children.push([layer.name, group]);
    for (const spec of list) {
      const path = spec.name.split('/');
      let at = group;
      for (const part of path.slice(0, -1)) {
        let next = at.children.find(([k]) => k === part)?.[1];
        if (!next) {
          next = { kind: 'group', doc: `The ${part} layer's parameters.`, children: [] };
          at.children.push([part, next]);
        }
        at = next as WeightGroup;
      }
      at.children.push([path[path.length - 1]!, { kind: 'param', spec }]);
    }
  }
  return root;
}
