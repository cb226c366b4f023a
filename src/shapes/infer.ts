// The inference driver: runs every layer's shape rule in topological order. A failing layer gets
// no types, and the layers downstream of it are skipped silently: one mistake, one error.
import { formatMessage, type Code, type TemplatedCode } from '../diagnostics/codes.js';
import type { DiagnosticBag, RelatedNote } from '../diagnostics/diagnostic.js';
import { nodeMap, type Graph, type GraphNode, type InputNode, type TensorRef, type TypeMap } from '../ir/graph.js';
import type { ErrorOptions, ShapeContext, ShapeInput } from '../layers/layer.js';
import { elementCount, formatShape, isKnown, type TensorType } from './dim.js';
import { SharedWeights } from './shared-weights.js';

/** More elements than this in one tensor cannot be allocated as a typed array in practice (4 GiB of float32). */
export const MAX_ELEMENTS = 2 ** 30;

export function inferTypes(graph: Graph, bag: DiagnosticBag): Map<string, readonly TensorType[]> {
  const types = new Map<string, readonly TensorType[]>();
  const nodes = nodeMap(graph);
  const definedHere = (node: GraphNode): RelatedNote => ({
    message: `${node.kind === 'input' ? 'input' : node.type} "${node.name}" is defined here`,
    span: graph.spans.value(node.pointer),
  });
  for (const input of graph.inputs) if (measurable(input, graph, bag)) types.set(input.name, [{ dtype: input.dtype, shape: input.shape }]);
  const shared = new SharedWeights(graph.layers);

  for (const layer of graph.layers) {
    const resolve = (ref: TensorRef): ShapeInput | undefined => {
      const type = typeOf(types, nodes, ref);
      return type ? { type, producer: nodes.get(ref.node)! } : undefined;
    };
    const inputs = layer.inputs.map(resolve);
    const initialState = layer.initialState.map(resolve);
    const mask = layer.mask ? resolve(layer.mask) : undefined;
    if (inputs.some((i) => i === undefined) || initialState.some((i) => i === undefined) || (layer.mask && !mask)) continue;
    const ctx: ShapeContext = {
      layer,
      initialState: initialState as ShapeInput[],
      mask,
      definedHere,
      warning(code: Code, message: string, options = {}) {
        bag.warning(code, message, { span: graph.spans.value(options.pointer ?? layer.pointer), ...(options.hint ? { hint: options.hint } : {}) });
      },
      error(code: Code, message: string | Readonly<Record<string, string | number>>, options: ErrorOptions = {}) {
        const text = typeof message === 'string' ? message : formatMessage(code as TemplatedCode, message as never);
        bag.error(code, text, {
          span: graph.spans.value(options.pointer ?? layer.pointer),
          related: options.related ?? [],
          ...(options.hint ? { hint: options.hint } : {}),
        });
      },
    };
    const before = bag.errorCount;
    const out = layer.def.inferShapes(ctx, inputs as ShapeInput[]);
    if (!out || bag.errorCount > before) continue;
    if (!shared.fits(layer, inputs.map((i) => i!.type), ctx)) continue;
    const tooLarge = out.find((t) => (elementCount(t.shape) ?? 0) > MAX_ELEMENTS);
    if (tooLarge) {
      ctx.error('MC4008', `${layer.type} layer "${layer.name}" would output a tensor of shape ${formatShape(tooLarge.shape)}: more than ${MAX_ELEMENTS} elements, too large to allocate.`, {
        hint: 'reduce the batch size, the number of timesteps or the units.',
      });
      continue;
    }
    types.set(layer.name, out);
  }
  return types;
}

/**
 * Whether the generated module can measure an input's run-time lengths: it divides the length of
 * the flat array by the known dimensions, which gives one of them, so a second null in `shape`
 * (an image of run-time rows and columns) is MC4042; the layers it feeds are skipped silently.
 */
function measurable(input: InputNode, graph: Graph, bag: DiagnosticBag): boolean {
  const open = input.shape.slice(1).flatMap((d, axis) => (isKnown(d) ? [] : [axis]));
  if (open.length <= 1) return true;
  const shape = `[${input.shape.slice(1).map((d) => (isKnown(d) ? d : 'null')).join(', ')}]`;
  const axes = `dimensions ${open.slice(0, -1).map((axis) => axis + 1).join(', ')} and ${open[open.length - 1]! + 1}`;
  bag.error('MC4042', formatMessage('MC4042', { input: input.name, count: open.length, axes: `${axes} of "shape"`, shape }), {
    span: graph.spans.value(`${input.pointer}/shape/${open[1]}`),
    related: [],
    hint: `give every dimension but one a size, \`shape: [${input.shape.slice(1).map((d, axis) => (isKnown(d) ? d : axis === open[0] ? 'null' : 16)).join(', ')}]\` say; images of several sizes need one spec per size.`,
  });
  return false;
}

/** The type a reference points at, when known. */
export function typeOf(types: TypeMap, nodes: ReadonlyMap<string, GraphNode>, ref: TensorRef): TensorType | undefined {
  const node = nodes.get(ref.node);
  const outs = types.get(ref.node);
  if (!node || !outs) return undefined;
  if (ref.output === undefined || node.kind === 'input') return outs[0];
  const index = node.def.outputNames(node.config).indexOf(ref.output);
  return outs[index];
}
