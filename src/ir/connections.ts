// Keras's view of a graph's wiring, for `modelc summary`: every layer object with its calls (a
// layer and the entries that `shares` it, in spec order: Keras's inbound nodes), each tensor named
// `layer[node][tensor]` as model.summary()'s "Connected to" column names it, and whether Keras
// would print that column at all (not for a chain: one input, one tensor per call, no sharing).
import { layerRefs, nodeMap, specIndex, weightsOwner, type Graph, type LayerNode, type TensorRef } from './graph.js';

/** A layer object: the entry that owns its weights, then every entry that calls it again. */
export interface LayerObject {
  readonly owner: LayerNode;
  readonly calls: readonly LayerNode[];
}

/** Every layer object, in the spec order of its owner. */
export function layerObjects(graph: Graph): LayerObject[] {
  const byOwner = new Map<string, LayerNode[]>();
  for (const layer of [...graph.layers].sort((a, b) => specIndex(a) - specIndex(b))) {
    const calls = byOwner.get(weightsOwner(layer)) ?? [];
    calls.push(layer);
    byOwner.set(weightsOwner(layer), calls);
  }
  return [...byOwner.values()].map((calls) => ({ owner: calls[0]!, calls }));
}

/** The "Connected to" cells of every layer object's calls, by owner name: `x[0][0]`, `enc[1][2]`. */
export function connections(graph: Graph): Map<string, string[]> {
  const nodes = nodeMap(graph);
  const objects = layerObjects(graph);
  const callIndex = new Map(objects.flatMap((o) => o.calls.map((c, i) => [c.name, i] as const)));
  const cell = (ref: TensorRef): string => {
    const node = nodes.get(ref.node)!;
    if (node.kind === 'input') return `${node.name}[0][0]`;
    const tensor = ref.output === undefined ? 0 : node.def.outputNames(node.config).indexOf(ref.output);
    return `${weightsOwner(node)}[${callIndex.get(node.name)!}][${tensor}]`;
  };
  return new Map(objects.map((o) => [o.owner.name, o.calls.flatMap((c) => layerRefs(c).map(cell))]));
}

/**
 * Whether Keras's summary treats the model as a chain (Keras's `sequential_like`, which drops the
 * "Connected to" column): every call reads one tensor, no layer is called twice, and no two calls
 * are at the same depth from the outputs.
 */
export function sequentialLike(graph: Graph): boolean {
  if (graph.layers.some((l) => l.shares !== undefined || layerRefs(l).length > 1)) return false;
  const depth = new Map<string, number>(graph.outputs.map((o) => [o.ref.node, 0]));
  for (const layer of [...graph.layers].reverse()) {
    const at = depth.get(layer.name);
    if (at === undefined) continue;
    for (const ref of layerRefs(layer)) depth.set(ref.node, Math.max(depth.get(ref.node) ?? 0, at + 1));
  }
  const counts = new Map<number, number>();
  for (const d of depth.values()) counts.set(d, (counts.get(d) ?? 0) + 1);
  return [...counts.values()].every((n) => n === 1);
}
