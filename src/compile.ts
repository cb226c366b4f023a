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
import { graphParams } from './ir/params.js';
import { dirname, join } from 'node:path';

export interface CompileOptions {
  /** Read a weights file named by the spec (relative to the spec); absent: the spec's `weights` is not checked. */
  readonly readWeights?: (path: string) => string | undefined;
  /** 'js': emit the TypeScript path alone; default 'wasm': with the embedded WebAssembly engine. */
  readonly engine?: 'js' | 'wasm';
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
  if (bag.hasErrors) return done({ graph, types });
  const extraSources: SourceFile[] = [];
  let weightsValue: unknown;
  if (graph.weightsPath !== undefined && options.readWeights) {
    const weightsText = options.readWeights(graph.weightsPath);
    if (weightsText === undefined) {
      bag.error('MC5001', `Cannot read the weights file "${graph.weightsPath}" (relative to the spec).`, { span: parsed.spans.value('/weights') });
    } else {
      const checked = checkWeights(graph, graphParams(graph, types).filter((p) => p.params.length > 0), join(dirname(file), graph.weightsPath), weightsText, bag);
      extraSources.push(checked.source);
      weightsValue = checked.value;
    }
  }
  if (bag.hasErrors) return done({ graph, types, extraSources });
  const moduleText = emitModule({ graph, types, stepTypes: streamingTypes(graph), source: parsed.source, weights: weightsValue, engine: options.engine });
  return done({ graph, types, extraSources, output: { fileName: `${graph.name}.ts`, text: moduleText } });
}

/**
 * Types for a streaming step (every sequence input cut to one timestep), when the model can be
 * streamed: it has a recurrent layer, none goes backwards, its shapes still hold at T = 1, and
 * every layer is stepwise (no convolution, pooling or reshaping across timesteps).
 */
function streamingTypes(graph: Graph): TypeMap | undefined {
  if (!graph.layers.some((l) => l.def.recurrent) || graph.layers.some((l) => l.config.go_backwards === true)) return undefined;
  const inputs = graph.inputs.map((i) => (i.shape.length >= 3 ? { ...i, shape: [i.shape[0]!, 1, ...i.shape.slice(2)] } : i));
  const bag = new DiagnosticBag();
  const types = inferTypes({ ...graph, inputs }, bag);
  if (bag.hasErrors) return undefined;
  const nodes = nodeMap(graph);
  const stepwise = graph.layers.every((l) => l.def.stepwise?.(l.config, l.inputs.map((r) => typeOf(types, nodes, r)!)) ?? true);
  return stepwise ? types : undefined;
}
