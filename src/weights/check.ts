// Checking a weights file (JSON, Keras layout) against the model at compile time: every layer
// and parameter present, nothing extra, every shape exact, every value a finite number. Each
// problem points into the weights file, with a note at the layer in the spec.
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Graph, LayerNode } from '../ir/graph.js';
import { weightTree, type LayerParams, type WeightGroup } from '../ir/params.js';
import { formatShape } from '../shapes/dim.js';
import { childPointer, parseSpec, SpanIndex } from '../source/parse.js';
import { SourceFile } from '../source/source-file.js';

/** Checks the file; returns its source (for diagnostics) and its parsed value (to embed when it is valid). */
/** `preparsed`: the file's JSON.parse value when the caller has it already (a large file is then parsed once). */
export function checkWeights(graph: Graph, layers: readonly LayerParams[], file: string, text: string, bag: DiagnosticBag, preparsed?: { readonly value: unknown }): { source: SourceFile; value: unknown } {
  // Fast path, in memory proportional to the numbers: JSON.parse, and the checks without
  // positions. Only a file with problems is parsed again with positions (when it is small enough
  // for that to be cheap), so a large valid file never builds a syntax tree.
  let fast: unknown = preparsed?.value;
  let parsedFast = preparsed !== undefined;
  if (!parsedFast) {
    try {
      fast = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
      parsedFast = true;
    } catch {
      // Not strict JSON: parsed below with positions, for the syntax error's place.
    }
  }
  if (parsedFast) {
    const source = new SourceFile(file, text);
    const quick = new DiagnosticBag();
    checkValue(graph, layers, fast, new SpanIndex(file, text.length), quick);
    if (!quick.hasErrors) return { source, value: fast };
    if (text.length > PRECISE_SPANS_MAX) {
      for (const d of quick.sorted()) bag.add(d);
      return { source, value: fast };
    }
  }
  const parseBag = new DiagnosticBag();
  const parsed = parseSpec(file, text, parseBag);
  for (const d of parseBag.sorted()) bag.error('MC5001', `The weights file is not valid JSON: ${d.message.replace(/^Invalid (JSON|YAML): /, '')}`, { span: d.span });
  if (parseBag.hasErrors) return { source: parsed.source, value: parsed.value };
  checkValue(graph, layers, parsed.value, parsed.spans, bag);
  return { source: parsed.source, value: parsed.value };
}

/** Past this size a weights file with problems is reported without exact positions (at its start). */
const PRECISE_SPANS_MAX = 8 * 1024 * 1024;

function checkValue(graph: Graph, layers: readonly LayerParams[], root: unknown, spans: SpanIndex, bag: DiagnosticBag): void {
  const layerNote = (name: string) => {
    const layer = graph.layers.find((l) => l.name === name)!;
    return { message: `${layer.type} layer "${name}" is defined here`, span: graph.spans.value(layer.pointer) };
  };
  if (!isObject(root)) {
    bag.error('MC5001', 'The weights file must hold a JSON object with one entry per layer.', { span: spans.value('') });
    return;
  }
  const expected = new Map(layers.map((l) => [l.layer.name, l]));
  for (const key of Object.keys(root)) {
    if (!expected.has(key)) {
      bag.error('MC5003', `The weights file has an entry for "${key}", but the model has no layer with parameters of that name.`, {
        span: spans.key(childPointer('', key)),
        hint: didYouMean(key, expected.keys()) ?? `layers with parameters: ${[...expected.keys()].join(', ')}.`,
      });
    }
  }
  const tree = weightTree(layers, () => '');
  const checkGroup = (layer: LayerNode, group: WeightGroup, entry: Record<string, unknown>, pointer: string, where: string): void => {
    const keys = group.children.map(([k]) => k);
    for (const key of Object.keys(entry)) {
      if (!keys.includes(key)) {
        bag.error('MC5003', `The weights of ${where} have a parameter "${key}" that the layer does not have.`, {
          span: spans.key(childPointer(pointer, key)),
          related: [layerNote(layer.name)],
          hint: didYouMean(key, keys) ?? `its parameters: ${keys.join(', ')}${layer.config.use_bias === false ? ' (use_bias is false)' : ''}.`,
        });
      }
    }
    for (const [key, child] of group.children) {
      const at = childPointer(pointer, key);
      const value = entry[key];
      if (child.kind === 'group') {
        if (!isObject(value)) {
          bag.error(value === undefined ? 'MC5002' : 'MC5001', `The weights of ${where} need an object "${key}" of parameters (${child.children.map(([k]) => k).join(', ')}).`, {
            span: spans.value(value === undefined ? pointer : at),
            related: [layerNote(layer.name)],
          });
          continue;
        }
        checkGroup(layer, child, value, at, `${where}, "${key}"`);
        continue;
      }
      const param = child.spec;
      if (value === undefined) {
        bag.error('MC5002', `The weights of ${where} have no "${key}"; expected shape ${formatShape(param.shape)}.`, {
          span: spans.value(pointer),
          related: [layerNote(layer.name)],
        });
        continue;
      }
      const found = nestedShape(value);
      if (found === undefined || found.join() !== param.shape.join()) {
        bag.error('MC5004', `Parameter "${key}" of ${where} has the wrong shape: expected ${formatShape(param.shape)} (${param.layout}), found ${found ? formatShape(found) : 'a ragged or non-array value'}.`, {
          span: spans.value(at),
          related: [layerNote(layer.name)],
        });
        continue;
      }
      const bad = firstNonFinite(value, at);
      if (bad) {
        const big = typeof bad.value === 'number' && Number.isFinite(bad.value);
        bag.error('MC5005', `Parameter "${key}" of ${where} holds ${JSON.stringify(bad.value) ?? String(bad.value)}, which is not a finite ${big ? 'float32 number: it is beyond ±3.4028235e38 and would load as Infinity' : 'number'}.`, { span: spans.value(bad.pointer) });
      }
    }
  };
  for (const [name, group] of tree.children) {
    const layer = graph.layers.find((l) => l.name === name)!;
    const pointer = childPointer('', name);
    const entry = root[name];
    if (entry === undefined) {
      bag.error('MC5002', `The weights file has no entry for ${layer.type} layer "${name}".`, {
        span: spans.value(''),
        related: [layerNote(name)],
        hint: `add "${name}" with ${layers.find((l) => l.layer === layer)!.params.map((p) => `"${p.name.replace(/\//g, '.')}" ${formatShape(p.shape)}`).join(', ')}.`,
      });
      continue;
    }
    if (!isObject(entry)) {
      bag.error('MC5001', `The weights of "${name}" must be an object of parameters.`, { span: spans.value(pointer) });
      continue;
    }
    checkGroup(layer, group as WeightGroup, entry, pointer, `${layer.type} layer "${name}"`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shape of a rectangular nested array (leaves of any kind), or undefined when ragged. */
function nestedShape(value: unknown, depth = 0): number[] | undefined {
  if (!Array.isArray(value)) return [];
  if (value.length === 0) return [0];
  if (depth > 16) return undefined; // no parameter has that many axes; and no deep recursion
  const inner = value.map((v) => nestedShape(v, depth + 1));
  const first = inner[0];
  if (first === undefined || inner.some((s) => s === undefined || s.join() !== first.join())) return undefined;
  return [value.length, ...first];
}

function firstNonFinite(value: unknown, pointer: string): { value: unknown; pointer: string } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = firstNonFinite(value[i], `${pointer}/${i}`);
      if (bad) return bad;
    }
    return undefined;
  }
  // Finite as a float32 too: 1e39 would load as Infinity.
  return typeof value === 'number' && Number.isFinite(Math.fround(value)) ? undefined : { value, pointer };
}
