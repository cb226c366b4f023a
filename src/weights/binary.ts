// Binary weights files named by a spec's `weights:`: `.safetensors`, or a Keras file (`.keras`,
// `.weights.h5`, `.h5`) read by layer name. Both are checked like the JSON form (missing, extra,
// wrongly shaped or non-finite parameters), with diagnostics at the spec's `weights:` entry.
import type { DiagnosticBag, Span } from '../diagnostics/diagnostic.js';
import type { Graph } from '../ir/graph.js';
import type { LayerParams } from '../ir/params.js';
import { kerasWeightTensors } from './keras-weights.js';
import { checkSafetensors, checkTensors, type Tensor } from './safetensors.js';

export function checkBinaryWeights(graph: Graph, layers: readonly LayerParams[], file: string, bytes: Uint8Array, span: Span, bag: DiagnosticBag): unknown {
  if (/\.safetensors$/i.test(file)) return checkSafetensors(graph, layers, file, bytes, span, bag);
  let tensors: Map<string, Tensor>;
  try {
    tensors = kerasWeightTensors(bytes, file, layers);
  } catch (error) {
    bag.error('MC7012', `The weights file "${file}" cannot be read as Keras weights: ${(error as Error).message}`, { span });
    return undefined;
  }
  return checkTensors(graph, layers, file, tensors, span, bag);
}
