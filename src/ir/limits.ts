// Resource limits, checked at compile time before anything is allocated or emitted: every
// parameter and every tensor a layer outputs must fit one typed array within the per-buffer
// budget, all parameters together within the total budget, and an unrolled recurrence within a
// number of timesteps the emitter can print. Figures are computed exactly (BigInt), so a limit is
// never slipped past by rounding, and messages name the layer and the figure. And the model's
// name short enough to name its module file.
import { formatMessage } from '../diagnostics/codes.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { formatShape, isKnown, type Shape } from '../shapes/dim.js';
import { graphParams } from './params.js';
import { typeOf } from '../shapes/infer.js';
import { nodeMap, type Graph, type LayerNode, type TypeMap } from './graph.js';

export interface Limits {
  /** Largest single buffer (a parameter, or a layer's output for one batch), in bytes. Default 2 GiB. */
  readonly maxBufferBytes: number;
  /** All parameters together, in bytes. Default 4 GiB. */
  readonly maxTotalBytes: number;
  /** Longest recurrence with `unroll: true`, in timesteps. Default 10,000. */
  readonly maxUnrolledSteps: number;
}

export const DEFAULT_LIMITS: Limits = { maxBufferBytes: 2 * 1024 ** 3, maxTotalBytes: 4 * 1024 ** 3, maxUnrolledSteps: 10_000 };

/** The limits, each overridable by an environment variable holding a positive integer. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const read = (name: string, fallback: number): number => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
  };
  return {
    maxBufferBytes: read('MODELC_MAX_BUFFER_BYTES', DEFAULT_LIMITS.maxBufferBytes),
    maxTotalBytes: read('MODELC_MAX_TOTAL_BYTES', DEFAULT_LIMITS.maxTotalBytes),
    maxUnrolledSteps: read('MODELC_MAX_UNROLL', DEFAULT_LIMITS.maxUnrolledSteps),
  };
}

/** The longest file name (bytes; names are ASCII) that Linux, macOS and Windows file systems all accept. */
const MAX_FILE_NAME = 255;

/** Largest length V8 gives a Float32Array (2^32 - 1 elements on 64-bit hosts, Node 20). */
const TYPED_ARRAY_MAX = 2n ** 32n - 1n;

/** The exact product of the known dimensions (an open batch or time counts 1), or undefined for a dimension that is not a safe integer. */
function exactElements(shape: Shape): bigint | undefined {
  let n = 1n;
  for (const d of shape) {
    if (!isKnown(d)) continue;
    if (!Number.isSafeInteger(d) || d < 0) return undefined;
    n *= BigInt(d);
  }
  return n;
}

function figure(n: bigint | undefined): string {
  if (n === undefined) return 'more than 2^53 (a dimension is not an exact integer)';
  return n.toLocaleString('en-US');
}

/** "3.7 GiB" for `n` float32 values. */
function bytesOf(n: bigint | undefined): string {
  if (n === undefined) return 'beyond any memory';
  return shortBytes(Number(n * 4n));
}

function shortBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]!}`;
}

/** Report every layer over a limit; true when all are within. */
export function checkLimits(graph: Graph, types: TypeMap, bag: DiagnosticBag, limits: Limits = limitsFromEnv()): boolean {
  const before = bag.errorCount;
  const perBuffer = BigInt(Math.floor(limits.maxBufferBytes / 4));
  const cap = perBuffer < TYPED_ARRAY_MAX ? perBuffer : TYPED_ARRAY_MAX;
  const over = (n: bigint | undefined) => n === undefined || n > cap;
  const budget = `the limit of ${shortBytes(Number(cap) * 4)} (${figure(cap)} float32 values) per buffer`;
  const hint = 'reduce the units, dimensions or timesteps; the limit is MODELC_MAX_BUFFER_BYTES (bytes), default 2 GiB.';
  const title = (layer: LayerNode) => `${layer.type} layer "${layer.name}"`;

  // The module's file name, `<name>.ts`, within what file systems allow.
  const fileName = `${graph.name}.ts`;
  if (fileName.length > MAX_FILE_NAME) {
    bag.error('MC2009', formatMessage('MC2009', { length: graph.name.length, file: fileName.length, limit: MAX_FILE_NAME }), {
      span: graph.spans.value(graph.spans.has('/name') ? '/name' : ''),
      hint: `shorten the name to at most ${MAX_FILE_NAME - 3} characters.`,
    });
  }

  // Unrolled recurrences: one block of code per timestep.
  const nodes = nodeMap(graph);
  for (const layer of graph.layers) {
    const recurrent = [layer, layer.inner].find((l) => l?.config.unroll === true);
    if (!recurrent) continue;
    const ref = layer.inputs[0];
    const input = ref === undefined ? undefined : typeOf(types, nodes, ref);
    const time = input?.shape[1];
    if (time !== undefined && isKnown(time) && time > limits.maxUnrolledSteps) {
      bag.error('MC4022', `${title(layer)} unrolls ${figure(exactElements([time]))} timesteps, more than the limit of ${limits.maxUnrolledSteps.toLocaleString('en-US')} for \`unroll: true\` (one block of code per timestep).`, {
        span: graph.spans.value(graph.spans.has(`${recurrent.pointer}/unroll`) ? `${recurrent.pointer}/unroll` : layer.pointer),
        hint: 'remove `unroll: true`: the loop computes the same numbers. The limit is MODELC_MAX_UNROLL.',
      });
    }
  }

  // Tensors each layer outputs (for one batch when the batch is open).
  for (const layer of graph.layers) {
    for (const t of types.get(layer.name) ?? []) {
      const n = exactElements(t.shape);
      if (!over(n)) continue;
      const open = !isKnown(t.shape[0]!);
      bag.error('MC4008', `${title(layer)} would output a tensor of shape ${formatShape(t.shape)}: ${figure(n)} values${open ? ' per batch row' : ''} (${bytesOf(n)}), over ${budget}.`, {
        span: graph.spans.value(layer.pointer),
        hint,
      });
      break;
    }
  }
  if (bag.errorCount > before) return false;

  // Parameters, one buffer each, and all together.
  let total = 0n;
  let largest: { layer: LayerNode; n: bigint } | undefined;
  for (const { layer, params } of graphParams(graph, types)) {
    let layerTotal = 0n;
    for (const p of params) {
      const n = exactElements(p.shape);
      if (over(n)) {
        bag.error('MC4021', `${title(layer)} has a parameter "${p.name}" of shape ${formatShape(p.shape)}: ${figure(n)} values (${bytesOf(n)}), over ${budget}.`, {
          span: graph.spans.value(layer.pointer),
          hint,
        });
        break;
      }
      layerTotal += n!;
    }
    total += layerTotal;
    if (!largest || layerTotal > largest.n) largest = { layer, n: layerTotal };
  }
  if (bag.errorCount === before && total * 4n > BigInt(limits.maxTotalBytes) && largest) {
    bag.error('MC4021', `The model has ${figure(total)} parameters (${bytesOf(total)}), over the limit of ${shortBytes(limits.maxTotalBytes)} for all parameters; the largest layer is ${title(largest.layer)} with ${figure(largest.n)}.`, {
      span: graph.spans.value(largest.layer.pointer),
      hint: 'make the model smaller; the limit is MODELC_MAX_TOTAL_BYTES (bytes), default 4 GiB.',
    });
  }
  return bag.errorCount === before;
}
