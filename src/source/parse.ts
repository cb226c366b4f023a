// Parsing a YAML or JSON spec with the `yaml` package (JSON is YAML 1.2), keeping the span of
// every value and every mapping key, addressed by JSON pointer.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { DiagnosticBag, Span } from '../diagnostics/diagnostic.js';
import { SourceFile } from './source-file.js';

export interface ParsedSpec {
  readonly source: SourceFile;
  /** The spec as plain data, or undefined when it could not be parsed. */
  readonly value: unknown;
  readonly spans: SpanIndex;
}

/** Spans of a parsed document by JSON pointer ("/layers/0/units"). */
export class SpanIndex {
  private readonly values = new Map<string, [number, number]>();
  private readonly keys = new Map<string, [number, number]>();

  constructor(readonly file: string, private readonly length: number) {}

  setValue(pointer: string, range: [number, number]): void {
    this.values.set(pointer, range);
  }

  setKey(pointer: string, range: [number, number]): void {
    this.keys.set(pointer, range);
  }

  /** The span of the value at `pointer`, or of its nearest ancestor that has one. */
  value(pointer: string): Span {
    for (let p = pointer; ; p = parentPointer(p)) {
      const range = this.values.get(p);
      if (range) return { file: this.file, start: range[0], end: range[1] };
      if (p === '') return { file: this.file, start: 0, end: Math.min(1, this.length) };
    }
  }

  /** The span of the mapping key that holds `pointer`, else of the value. */
  key(pointer: string): Span {
    const range = this.keys.get(pointer);
    return range ? { file: this.file, start: range[0], end: range[1] } : this.value(pointer);
  }

  has(pointer: string): boolean {
    return this.values.has(pointer);
  }
}

export function parentPointer(pointer: string): string {
  const cut = pointer.lastIndexOf('/');
  return cut <= 0 ? '' : pointer.slice(0, cut);
}

export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function parseSpec(path: string, text: string, bag: DiagnosticBag): ParsedSpec {
  const source = new SourceFile(path, text);
  const spans = new SpanIndex(path, text.length);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  const problems = [...doc.errors];
  for (const error of problems) {
    const [start, end] = error.pos;
    const span = { file: path, start, end: Math.max(end, start + 1) };
    if (error.code === 'DUPLICATE_KEY') {
      bag.error('MC1002', 'This key is given twice in one mapping; keep one of them.', { span });
    } else {
      bag.error('MC1001', `Invalid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${firstSentence(error.message)}.`, { span });
    }
  }
  if (problems.length > 0) return { source, value: undefined, spans };
  if (doc.contents) indexNode(doc.contents, '', spans);
  return { source, value: doc.toJS({ maxAliasCount: 100 }), spans };
}

function firstSentence(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '').replace(/[.:]\s*$/, '');
}

function indexNode(node: Node, pointer: string, spans: SpanIndex): void {
  if (node.range) spans.setValue(pointer, [node.range[0], node.range[1]]);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const child = childPointer(pointer, key);
      if (keyNode?.range) spans.setKey(child, [keyNode.range[0], keyNode.range[1]]);
      const valueNode = pair.value as Node | null;
      if (valueNode && valueNode.range && valueNode.range[1] > valueNode.range[0]) indexNode(valueNode, child, spans);
      else if (keyNode?.range) spans.setValue(child, [keyNode.range[0], keyNode.range[1]]);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      if (item && typeof item === 'object' && 'range' in item) indexNode(item as Node, childPointer(pointer, index), spans);
    });
  }
}
