// The one pipeline: source text -> parse -> schema -> graph -> shapes -> weights -> emit.
// Parse or schema errors stop before the graph; graph errors stop before shapes; shape inference
// reports every independent mistake; code is emitted only when there are no errors.
import { DiagnosticBag, type Diagnostic } from './diagnostics/diagnostic.js';
import { nodeMap, type Graph, type TypeMap } from './ir/graph.js';
import { buildGraph, type ModelSpec } from './ir/build.js';
import { emitModule } from './emit/module.js';
import { inferTypes, typeOf } from './shapes/infer.js';
import { validateSpec } from './schema/validate.js';
import { parseSpec } from './source/parse.js';
import type { SourceFile } from './source/source-file.js';
import { checkWeights } from './weights/check.js';
import { checkBinaryWeights } from './weights/binary.js';
import { graphParams } from './ir/params.js';
import { checkLimits, type Limits } from './ir/limits.js';
import { dirname, join } from 'node:path';
import { describeContent, formatBytes } from './source/read-file.js';

export interface CompileOptions {
  /**
   * Read a weights file named by the spec (relative to the spec); absent: the spec's `weights` is
   * not checked. Returns the text, undefined when it cannot be read, or why it was refused
   * (outside the spec's folder, not a regular file, over the size limit).
   */
  readonly readWeights?: (path: string) => string | undefined | WeightsRefusal;
  /** Read a binary weights file (`.safetensors`, a Keras file) named by the spec, with the same checks; absent: such a file is not checked. */
  readonly readWeightsBytes?: (path: string) => Uint8Array | undefined | WeightsRefusal;
  /**
   * false: stop after shapes and the weights check, without emitting code (what `modelc check`
   * needs: every diagnostic comes from the earlier stages). Default true.
   */
  readonly emit?: boolean;
  /** Resource limits (buffer and total sizes, unrolled timesteps); default: `limitsFromEnv()`. */
  readonly limits?: Limits;
  /** false: the module embeds no weights and has no defaultWeights() (`modelc build --no-embed-weights`). Default true. */
  readonly embedWeights?: boolean;
  /** 'js': emit the TypeScript path alone; default 'wasm': with the embedded WebAssembly engine. */
  readonly engine?: 'js' | 'wasm';
}

/** A weights file refused before its content was read (see `source/read-file.ts`). */
export interface WeightsRefusal {
  readonly code: 'MC5006' | 'MC5007' | 'MC5008';
  readonly message: string;
  readonly hint?: string;
}

export interface CompileResult {
  readonly diagnostics: Diagnostic[];
  readonly source: SourceFile;
  readonly graph?: Graph;
  readonly types?: TypeMap;
  /** Other files the diagnostics point into (the spec's weights file). */
  readonly extraSources?: readonly SourceFile[];
  /** The generated module's file name (`<name>.ts`) and text, when there are no errors. */
  readonly output?: { readonly fileName: string; readonly text: string };
}

export function compile(text: string, file: string, options: CompileOptions = {}): CompileResult {
  const bag = new DiagnosticBag();
  const parsed = parseSpec(file, text, bag);
  const done = (extra: Partial<CompileResult> = {}): CompileResult => ({ diagnostics: bag.sorted(), source: parsed.source, ...extra });
  if (bag.hasErrors) return done();
  if (!validateSpec(parsed.value, parsed.spans, bag)) return done();
  const graph = buildGraph(parsed.value as ModelSpec, file, parsed.spans, bag);
  if (!graph) return done();
  const types = inferTypes(graph, bag);
  if (bag.hasErrors) return done({ graph, types });
  if (!checkLimits(graph, types, bag, options.limits)) return done({ graph, types });
  const extraSources: SourceFile[] = [];
  let weightsValue: unknown;
  if (graph.weightsPath !== undefined && /\.(safetensors|keras|h5)$/i.test(graph.weightsPath)) {
    const bytes = options.readWeightsBytes?.(graph.weightsPath);
    const span = parsed.spans.value('/weights');
    if (options.readWeightsBytes && bytes === undefined) bag.error('MC5001', `Cannot read the weights file "${graph.weightsPath}" (relative to the spec).`, { span });
    else if (bytes !== undefined && !(bytes instanceof Uint8Array)) bag.error(bytes.code, `Cannot use the weights file "${graph.weightsPath}": ${bytes.message}.`, { span, ...(bytes.hint ? { hint: bytes.hint } : {}) });
    else if (bytes) weightsValue = checkBinaryWeights(graph, graphParams(graph, types).filter((p) => p.params.length > 0), graph.weightsPath, bytes, parsed.spans.value('/weights'), bag);
  } else if (graph.weightsPath !== undefined && options.readWeights) {
    const weightsText = options.readWeights(graph.weightsPath);
    const span = parsed.spans.value('/weights');
    if (weightsText === undefined) {
      bag.error('MC5001', `Cannot read the weights file "${graph.weightsPath}" (relative to the spec).`, { span });
    } else if (typeof weightsText !== 'string') {
      bag.error(weightsText.code, `Cannot use the weights file "${graph.weightsPath}": ${weightsText.message}.`, { span, ...(weightsText.hint ? { hint: weightsText.hint } : {}) });
    } else {
      const json = parseJson(weightsText); // once: the content check and checkWeights share it
      const found = notWeights(weightsText, json);
      if (found !== undefined) {
        bag.error('MC5009', `The weights file "${graph.weightsPath}" is not a weights file: expected a JSON object with one entry per layer ({ "layer": { "kernel": [...], ... } }); found ${found}. Its content is not shown.`, {
          span,
          hint: 'point `weights:` at the JSON weights file written for this model.',
        });
      } else {
        const checked = checkWeights(graph, graphParams(graph, types).filter((p) => p.params.length > 0), join(dirname(file), graph.weightsPath), weightsText, bag, json);
        extraSources.push(checked.source);
        weightsValue = checked.value;
      }
    }
  }
  if (bag.hasErrors || options.emit === false) return done({ graph, types, extraSources });
  const moduleText = emitModule({ graph, types, stepTypes: streamingTypes(graph), source: parsed.source, weights: weightsValue, embedWeights: options.embedWeights !== false, engine: options.engine });
  return done({ graph, types, extraSources, output: { fileName: `${graph.name}.ts`, text: moduleText } });
}

/** JSON.parse of a weights file; undefined when it is not strict JSON (checkWeights then reports where). */
function parseJson(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Why `text` cannot be a JSON weights file, described without quoting it ("1.2 KiB of text", "a
 * JSON object whose entries are not objects of parameters"), or undefined when it may be one.
 */
function notWeights(text: string, parsed: { readonly value: unknown } | undefined): string | undefined {
  const start = /^\uFEFF?\s*/.exec(text)![0].length;
  if (text[start] !== '{') return describeContent(Buffer.from(text, 'utf8'));
  if (parsed === undefined) return undefined; // a JSON syntax error, reported with its position by checkWeights
  const root = parsed.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return undefined;
  const values = Object.values(root);
  if (values.length > 0 && values.every((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
    return `a JSON object of ${values.length} entr${values.length === 1 ? 'y' : 'ies'}, none of them an object of parameters (${formatBytes(Buffer.byteLength(text))})`;
  }
  return undefined;
}

/**
 * Types for a streaming step (every sequence input cut to one timestep), when the model can be
 * streamed: it has a recurrent layer, its shapes still hold at T = 1, and every layer says it is
 * stepwise (no backward recurrence, convolution, pooling or reshaping across timesteps).
 */
function streamingTypes(graph: Graph): TypeMap | undefined {
  if (!graph.layers.some((l) => l.def.recurrent)) return undefined;
  const inputs = graph.inputs.map((i) => (i.shape.length >= 3 ? { ...i, shape: [i.shape[0]!, 1, ...i.shape.slice(2)] } : i));
  const bag = new DiagnosticBag();
  const types = inferTypes({ ...graph, inputs }, bag);
  if (bag.hasErrors) return undefined;
  const nodes = nodeMap(graph);
  const stepwise = graph.layers.every((l) => l.def.stepwise(l.config, l.inputs.map((r) => typeOf(types, nodes, r)!)));
  return stepwise ? types : undefined;
}
