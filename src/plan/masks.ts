// Mask propagation, a pass over the graph (Keras 3's compute_mask): which tensors carry a
// (batch, time) mask, and which layers make one. A layer's maskPolicy says what it does with the
// mask of its input: 'pass' it to its main output, 'produce' a new one, 'merge' its inputs'
// masks (when mergesMasks says the output has one), or 'drop' it (the default).
import type { Graph, LayerNode, TensorRef } from '../ir/graph.js';

/** Where a mask lives: a bool input tensor (a layer's explicit `mask:`), or the mask buffer a layer fills. */
export type MaskSource = { readonly kind: 'tensor'; readonly ref: TensorRef } | { readonly kind: 'layer'; readonly layer: LayerNode };

export interface LayerMasks {
  /** The mask the layer reads on its (first) input: explicit (`mask:`), or propagated. */
  readonly input: MaskSource | undefined;
  /** The mask of every input, for merges. */
  readonly inputs: readonly (MaskSource | undefined)[];
  /** Whether the layer fills a mask of its own (its output mask buffer). */
  readonly produces: boolean;
}

export const tensorKey = (node: string, output: string | undefined): string => (output === undefined ? node : `${node}.${output}`);

/** The masks of every layer, in graph order. */
export function propagateMasks(graph: Graph): Map<LayerNode, LayerMasks> {
  const maskOf = new Map<string, MaskSource>();
  const result = new Map<LayerNode, LayerMasks>();
  for (const layer of graph.layers) {
    const inputs = layer.inputs.map((r) => maskOf.get(tensorKey(r.node, r.output)));
    const declared = layer.def.maskPolicy?.(layer.config) ?? 'drop';
    const policy = declared === 'merge' ? (layer.def.mergesMasks?.(layer.config, inputs.map((m) => m !== undefined)) ? 'produce' : 'drop') : declared;
    const input: MaskSource | undefined = layer.mask ? { kind: 'tensor', ref: layer.mask } : inputs[0];
    const produces = policy === 'produce';
    const passed: MaskSource | undefined = produces ? { kind: 'layer', layer } : policy === 'pass' ? input : undefined;
    if (passed !== undefined) {
      maskOf.set(layer.name, passed);
      maskOf.set(tensorKey(layer.name, layer.def.outputNames(layer.config)[0]), passed);
    }
    result.set(layer, { input, inputs, produces });
  }
  return result;
}
