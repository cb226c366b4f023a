// Parsing a YAML or JSON spec with the `yaml` package (JSON is YAML 1.2), keeping the span of
// every value and every mapping key, addressed by JSON pointer. A `.json` file is first checked
// as strict JSON (YAML would accept trailing commas, comments and unquoted keys), so its syntax
// errors read as JSON errors. Only the first syntax error is reported (the rest are usually its
// echoes); every key given twice is reported, with a note at its first occurrence.
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import type { DiagnosticBag, Span } from '../diagnostics/diagnostic.js';
import { defaultLayerName, layerByType } from '../layers/registry.js';
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
  const failed = (): ParsedSpec => ({ source, value: undefined, spans });
  const isJson = /\.json$/i.test(path);
  const span = (start: number, end: number): Span => ({ file: path, start, end: Math.max(end, start + 1) });

  if (isJson) {
    const problem = checkJson(text);
    if (problem) {
      bag.error('MC1001', `Invalid JSON: ${problem.message}.`, {
        span: span(problem.start, problem.end),
        ...(problem.related ? { related: [{ message: problem.related.message, span: span(problem.related.start, problem.related.start + 1) }] } : {}),
        ...(problem.hint ? { hint: problem.hint } : {}),
      });
      return failed();
    }
  }

  // `[[[[...` thousands deep would overflow the YAML parser's stack: refuse it before parsing.
  const runaway = flowTooDeep(text);
  if (runaway !== undefined) {
    bag.error('MC1001', `Invalid ${isJson ? 'JSON' : 'YAML'}: values are nested more than ${MAX_DEPTH} levels deep here.`, {
      span: span(runaway, runaway + 1),
      hint: 'a spec needs only a few levels of nesting; check for a runaway `[` or `{`.',
    });
    return failed();
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: true });
  const first = doc.errors[0];
  if (first) {
    const [start, end] = first.pos;
    const { message, hint, opener } = yamlProblem(first.code, first.message);
    const open = opener === undefined ? undefined : unclosedOpener(text, start, opener);
    bag.error('MC1001', `Invalid ${isJson ? 'JSON' : 'YAML'}: ${message}.`, {
      span: span(start, end),
      ...(open === undefined ? {} : { related: [{ message: `the \`${opener!}\` opened here`, span: span(open, open + 1) }] }),
      ...(hint ? { hint } : {}),
    });
    return failed();
  }
  const deep = tooDeep(doc.contents);
  if (deep) {
    bag.error('MC1001', `Invalid ${isJson ? 'JSON' : 'YAML'}: values are nested more than ${MAX_DEPTH} levels deep here.`, {
      span: span(deep[0], deep[1]),
      hint: 'a spec needs only a few levels of nesting; check for a runaway `[` or `{`.',
    });
    return failed();
  }
  if (!reportDuplicateKeys(doc.contents, path, bag)) return failed();

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias to an anchor that does not exist (`*x`), or an alias bomb.
    let at: [number, number] = [0, 1];
    visit(doc, { Alias: (_, node) => void (node.range ? (at = [node.range[0], node.range[1]]) : undefined) });
    bag.error('MC1001', `Invalid YAML: ${firstSentence(error instanceof Error ? error.message : String(error))}.`, {
      span: span(at[0], at[1]),
      hint: 'define the anchor (`&name`) before its alias (`*name`), or write the value out.',
    });
    return failed();
  }
  if (doc.contents) indexNode(doc.contents, '', spans);
  return { source, value, spans };
}

/** Deepest nesting a document may have: far more than any spec needs, far less than overflows a stack. */
export const MAX_DEPTH = 100;

/** The offset of the first `[` or `{` nested deeper than MAX_DEPTH (outside quotes and comments), or undefined. */
function flowTooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote || c === '\n') quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const next = text.indexOf('\n', i);
      i = next < 0 ? text.length : next;
    } else if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === '}' || c === ']') && depth > 0) depth--;
  }
  return undefined;
}

/** The range of the first node nested deeper than MAX_DEPTH (found iteratively), or undefined. */
function tooDeep(root: unknown): [number, number] | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const children = isMap(node) ? node.items.map((pair) => (isPair(pair) ? pair.value : undefined)) : isSeq(node) ? node.items : undefined;
    if (!children) continue;
    if (depth >= MAX_DEPTH) {
      const range = (node as Node).range;
      return range ? [range[0], Math.min(range[1], range[0] + 1)] : [0, 1];
    }
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

function firstSentence(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '').replace(/[.:]\s*$/, '');
}

/** yaml's error, reworded for a spec author, with the likely fix. */
function yamlProblem(code: string, raw: string): { message: string; hint?: string; opener?: '{' | '[' } {
  const message = firstSentence(raw);
  const indentation = 'check the indentation: the keys of one mapping start in the same column, and a line indented more than the key above it continues that key\'s value.';
  const unclosed = /^Flow (map|sequence) (?:in block collection must be sufficiently indented and )?(?:must )?end with an? (.)$/.exec(message);
  if (unclosed) {
    const what = unclosed[1] === 'map' ? 'A `{ ... }` mapping' : 'A `[ ... ]` list';
    return {
      opener: unclosed[1] === 'map' ? '{' : '[',
      message: `${what} opened above is not closed before this point`,
      hint: `add the missing \`${unclosed[2]!}\`; a \`${unclosed[1] === 'map' ? '{' : '['}\` that continues on the next line must be indented more than its key.`,
    };
  }
  switch (code) {
    case 'TAB_AS_INDENT':
      return { message, hint: 'indent with spaces.' };
    case 'BAD_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return { message: message.replace(/^Nested mappings are not allowed in compact mappings$/, 'A mapping cannot start on the same line as its key').replace(/^Implicit keys need to be on a single line$/, 'A key must be on a single line'), hint: indentation };
    case 'MULTIPLE_DOCS':
      return { message: 'A spec is one YAML document, but this file holds more than one', hint: 'remove the `---` line and merge the documents.' };
    case 'MISSING_CHAR':
      if (/^Implicit map keys need to be followed by map values$/.test(message)) return { message: 'A key is not followed by `:`', hint: 'write `key: value`.' };
      return { message: flowWords(message) };
    default:
      return { message: flowWords(message) };
  }
}

/** The offset of the last `{` or `[` before `end` that is not closed (outside quotes and comments). */
function unclosedOpener(text: string, end: number, opener: '{' | '['): number | undefined {
  const stack: [string, number][] = [];
  let quote: string | undefined;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote || c === '\n') quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const next = text.indexOf('\n', i);
      i = next < 0 ? end : next;
    } else if (c === '{' || c === '[') stack.push([c, i]);
    else if ((c === '}' || c === ']') && stack.length > 0) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k]![0] === opener) return stack[k]![1];
  return undefined;
}

function flowWords(message: string): string {
  return message.replace(/flow map/g, '`{ ... }` mapping').replace(/flow sequence/g, '`[ ... ]` list').replace(/flow collection/g, '`{ ... }` or `[ ... ]`');
}

/**
 * Report every key given twice in one mapping; true when there are none. Linear in the document:
 * the owner of a mapping ("LSTM layer \"lstm\"") is worked out only for a mapping that has a
 * duplicate, and the layers' names only once per document.
 */
function reportDuplicateKeys(root: unknown, file: string, bag: DiagnosticBag): boolean {
  let clean = true;
  let names: LayerNamesOfDocument | undefined;
  const owner = (pointer: string): string => describeMapping(root, pointer, (names ??= layerNamesOfDocument(root)));
  // An explicit stack, not recursion: a document nested thousands deep must not overflow.
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (isMap(node)) {
      const seen = new Map<string, [number, number]>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const range = keyNode?.range;
        const previous = seen.get(key);
        if (previous && range) {
          clean = false;
          bag.error('MC1002', `${owner(pointer)} gives "${key}" twice.`, {
            span: { file, start: range[0], end: range[1] },
            related: [{ message: `"${key}" is first given here`, span: { file, start: previous[0], end: previous[1] } }],
            hint: `keep one \`${key}\`: a key may appear only once in a mapping.`,
          });
        } else if (range) seen.set(key, [range[0], range[1]]);
      }
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        stack.push([pair.value, childPointer(pointer, key)]);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], childPointer(pointer, i)]);
    }
  }
  return clean;
}

interface LayerNamesOfDocument {
  readonly plain: ({ type: unknown; name: unknown } | undefined)[];
  readonly names: (string | undefined)[];
}

function layerNamesOfDocument(root: unknown): LayerNamesOfDocument {
  const layers = isMap(root) ? root.get('layers', true) : undefined;
  if (!isSeq(layers)) return { plain: [], names: [] };
  const plain = layers.items.map((item) => (isMap(item) ? { type: scalarAt(item, 'type'), name: scalarAt(item, 'name') } : undefined));
  return { plain, names: layerNames(plain, inputNamesOf(root)) };
}

/** "LSTM layer \"lstm\"", "Input \"x\"", "`outputs`": the owner of a mapping, for messages. */
function describeMapping(root: unknown, pointer: string, layers: LayerNamesOfDocument): string {
  if (pointer === '') return 'The spec';
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'layers' && parts.length >= 2 && isMap(root) && isSeq(root.get('layers', true))) {
    const index = Number(parts[1]);
    const title = layerTitle(layers.plain[index], layers.names[index], index);
    if (parts.length === 2) return title;
    if (parts.length === 3 && parts[2] === 'layer') return `The layer wrapped by ${title}`;
    if (parts.length === 3 && parts[2] === 'backward_layer') return `The backward layer of ${title}`;
  }
  if (parts[0] === 'inputs' && parts.length === 2) return `Input "${parts[1]!}"`;
  return `\`${parts.join('.')}\``;
}

function scalarAt(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  const node = map.get(key, true);
  return isScalar(node) ? node.value : undefined;
}

function inputNamesOf(root: unknown): string[] {
  if (!isMap(root)) return [];
  const inputs = root.get('inputs', true);
  return isMap(inputs) ? inputs.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key))) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The name of every layer, as the graph will name it: the explicit `name`, else Keras's default
 * (`lstm`, `lstm_1`, ...; skipping names taken by other layers and by the model inputs).
 * Undefined for an entry that is not a layer mapping with a string `type`.
 */
export function layerNames(layers: readonly unknown[], inputNames: Iterable<string> = []): (string | undefined)[] {
  const taken = new Set<string>(inputNames);
  for (const layer of layers) if (isRecord(layer) && typeof layer.name === 'string') taken.add(layer.name);
  const counters = new Map<string, number>();
  return layers.map((layer) => {
    if (!isRecord(layer)) return undefined;
    if (typeof layer.name === 'string') return layer.name;
    if (typeof layer.type !== 'string') return undefined;
    const base = defaultLayerName(layer.type);
    for (;;) {
      const n = counters.get(base) ?? 0;
      counters.set(base, n + 1);
      const candidate = n === 0 ? base : `${base}_${n}`;
      if (!taken.has(candidate)) return candidate;
    }
  });
}

/**
 * `LSTM layer "lstm"` for a layer of a known type, `Layer "enc"` or `Layer #2` otherwise:
 * how every message names a layer.
 */
export function layerTitle(layer: unknown, name: string | undefined, index: number): string {
  const type = isRecord(layer) && typeof layer.type === 'string' && layerByType.has(layer.type) ? layer.type : undefined;
  const explicit = isRecord(layer) && typeof layer.name === 'string';
  if (type === undefined) return explicit && name !== undefined ? `Layer "${name}"` : `Layer #${index + 1}`;
  return name === undefined ? `${type} layer #${index + 1}` : `${type} layer "${name}"`;
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

// --- Strict JSON ---------------------------------------------------------------------------

interface JsonProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly hint?: string;
  readonly related?: { readonly start: number; readonly message: string };
}

class JsonError extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem.message);
  }
}

/** The first place where `text` is not strict JSON (RFC 8259), or undefined. */
export function checkJson(text: string): JsonProblem | undefined {
  let i = 0;
  let depth = 0;
  const deeper = (): void => {
    if (++depth > MAX_DEPTH) fail({ start: i, end: i + 1, message: `values are nested more than ${MAX_DEPTH} levels deep here`, hint: 'a spec needs only a few levels of nesting; check for a runaway `[` or `{`.' });
  };
  const fail = (problem: JsonProblem): never => {
    throw new JsonError(problem);
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : `\`${text[at]!}\``);
  const skip = (): void => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
        const lineEnd = text.indexOf('\n', i);
        fail({ start: i, end: text[i + 1] === '/' ? (lineEnd < 0 ? text.length : lineEnd) : i + 2, message: 'comments are not allowed in JSON', hint: 'remove the comment, or write the spec in YAML, where `#` starts a comment.' });
      } else return;
    }
  };
  const word = (at: number): string => /^[A-Za-z_$][\w$-]*/.exec(text.slice(at, at + 64))?.[0] ?? '';
  const string = (): void => {
    const open = i++;
    for (;;) {
      if (i >= text.length) fail({ start: open, end: open + 1, message: 'a string is not closed', hint: 'add the closing `"`.' });
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 10 || c === 13) fail({ start: open, end: i, message: 'a string is not closed before the end of the line', hint: 'add the closing `"`; a JSON string cannot span lines (write `\\n`).' });
      if (c < 32) fail({ start: i, end: i + 1, message: 'a string holds a control character', hint: 'write it as an escape, e.g. `\\t`.' });
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail({ start: i, end: i + 2, message: 'a `\\u` escape needs four hexadecimal digits' });
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail({ start: i, end: i + 2, message: `\`\\${e ?? ''}\` is not a JSON escape`, hint: 'write `\\\\` for a backslash.' });
        i += 2;
        continue;
      }
      i++;
    }
    i++;
  };
  const value = (): void => {
    skip();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === "'") fail({ start: i, end: i + 1, message: 'JSON strings use double quotes', hint: 'write `"` instead of `\'`.' });
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const match = number.exec(text);
      if (!match) fail({ start: i, end: i + 1, message: `a number is malformed here`, hint: 'write numbers like `20`, `-0.5` or `1e-3`.' });
      const after = i + match![0].length;
      if (/[\d.eExX]/.test(text[after] ?? '')) fail({ start: i, end: after + 1, message: 'a number is malformed here', hint: 'write numbers like `20`, `-0.5` or `1e-3` (no leading zeros, no hexadecimal).' });
      i = after;
      return;
    }
    const w = word(i);
    if (w === 'true' || w === 'false' || w === 'null') {
      i += w.length;
      return;
    }
    if (w.length > 0) {
      const literal = w === 'True' || w === 'TRUE' || w === 'yes' ? 'true' : w === 'False' || w === 'FALSE' || w === 'no' ? 'false' : w === 'None' || w === 'undefined' ? 'null' : undefined;
      fail({
        start: i,
        end: i + w.length,
        message: `\`${w}\` is not a JSON value`,
        hint: literal ? `write \`${literal}\`.` : w === 'NaN' || w === 'Infinity' ? 'JSON has no NaN or Infinity.' : 'put text in double quotes: `"...".',
      });
    }
    fail({ start: i, end: i + 1, message: `expected a value, but found ${describe(i)}` });
  };
  const object = (): void => {
    deeper();
    const open = i++;
    skip();
    if (text[i] === '}') {
      i++;
      depth--;
      return;
    }
    for (;;) {
      skip();
      if (text[i] !== '"') {
        if (text[i] === '}') fail({ start: i, end: i + 1, message: 'a `,` is followed by `}`', hint: 'remove the trailing comma after the last member.' });
        if (i >= text.length) fail({ start: Math.max(0, text.length - 1), end: text.length, message: 'the file ends inside an object', related: { start: open, message: 'the `{` opened here' }, hint: 'add the missing `}`.' });
        const w = word(i);
        fail({
          start: i,
          end: i + Math.max(1, w.length),
          message: w ? `a key must be a string in double quotes, but found \`${w}\`` : `expected a key in double quotes, but found ${describe(i)}`,
          ...(w ? { hint: `write \`"${w}"\`.` } : text[i] === "'" ? { hint: 'write `"` instead of `\'`.' } : {}),
        });
      }
      string();
      skip();
      if (text[i] !== ':') fail({ start: i, end: i + 1, message: `expected \`:\` after the key, but found ${describe(i)}` });
      i++;
      value();
      skip();
      if (text[i] === ',') {
        const comma = i++;
        skip();
        if (text[i] === '}') fail({ start: comma, end: comma + 1, message: 'a trailing comma before `}`', hint: 'remove the comma after the last member.' });
        continue;
      }
      if (text[i] === '}') {
        i++;
        depth--;
        return;
      }
      if (i >= text.length) fail({ start: Math.max(0, text.length - 1), end: text.length, message: 'the file ends inside an object', related: { start: open, message: 'the `{` opened here' }, hint: 'add the missing `}`.' });
      fail({
        start: i,
        end: i + 1,
        message: `expected \`,\` or \`}\` after a member, but found ${describe(i)}`,
        ...(text[i] === '"' ? { hint: 'add a `,` between the two members.' } : text[i] === ']' ? { related: { start: open, message: 'the `{` opened here' }, hint: 'close the `{` with `}` first.' } : {}),
      });
    }
  };
  const array = (): void => {
    deeper();
    const open = i++;
    skip();
    if (text[i] === ']') {
      i++;
      depth--;
      return;
    }
    for (;;) {
      value();
      skip();
      if (text[i] === ',') {
        const comma = i++;
        skip();
        if (text[i] === ']') fail({ start: comma, end: comma + 1, message: 'a trailing comma before `]`', hint: 'remove the comma after the last item.' });
        continue;
      }
      if (text[i] === ']') {
        i++;
        depth--;
        return;
      }
      if (i >= text.length) fail({ start: Math.max(0, text.length - 1), end: text.length, message: 'the file ends inside a list', related: { start: open, message: 'the `[` opened here' }, hint: 'add the missing `]`.' });
      fail({
        start: i,
        end: i + 1,
        message: `expected \`,\` or \`]\` after an item, but found ${describe(i)}`,
        ...(text[i] === '}' ? { related: { start: open, message: 'the `[` opened here' }, hint: 'close the `[` with `]` first.' } : { hint: 'add a `,` between the two items.' }),
      });
    }
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    skip();
    if (i < text.length) fail({ start: i, end: i + 1, message: `unexpected ${describe(i)} after the end of the JSON value`, hint: 'a JSON file holds one value; remove what follows it.' });
    return undefined;
  } catch (error) {
    if (error instanceof JsonError) return error.problem;
    throw error;
  }
}
