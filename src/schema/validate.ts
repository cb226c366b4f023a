// Validating a parsed spec against the model schema with ajv, and rewriting ajv's errors into
// our diagnostics: who (the layer by kind and name, the input, the model), what was expected,
// what was received, where (the key or the value), and the likely fix (did-you-mean).
// ajv's own wording never reaches the user.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { didYouMean, suggestions } from '../diagnostics/suggest.js';
import { canonicalOfAlias, layerByType, layerDefs } from '../layers/registry.js';
import { childPointer, layerNames, layerTitle, parentPointer, type SpanIndex } from '../source/parse.js';
import { buildModelSchema } from './model-schema.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(buildModelSchema());
  return compiled;
}

/** Validate; report every problem; true when the spec conforms. */
export function validateSpec(spec: unknown, spans: SpanIndex, bag: DiagnosticBag): boolean {
  if (!checkWrapperDepth(spec, spans, bag)) return false;
  const validate = validator();
  if (validate(spec)) return true;
  const errors = selectErrors(validate.errors ?? []);
  const context = new Context(spec, spans, bag);
  // A misspelled required option (`unit: 20`) is one mistake: report the unknown key with its
  // did-you-mean, not also the missing option.
  const misspelled = new Set<ErrorObject>();
  for (const error of errors.filter((e) => e.keyword === 'additionalProperties')) {
    const key = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    const missing = errors.filter((e) => e.keyword === 'required' && e.instancePath === error.instancePath);
    const match = suggestions(key, missing.map((e) => String((e.params as { missingProperty?: unknown }).missingProperty)));
    if (match.length === 1) for (const e of missing) if ((e.params as { missingProperty?: unknown }).missingProperty === match[0]) misspelled.add(e);
  }
  for (const error of errors) if (!misspelled.has(error)) context.report(error);
  return false;
}

/** Wrappers inside wrappers (TimeDistributed of TimeDistributed ...) at most this deep. */
export const MAX_WRAPPER_DEPTH = 8;

/**
 * Refuse wrappers nested deeper than MAX_WRAPPER_DEPTH before ajv sees them: the schema is
 * recursive through `layer`, and ajv's validator recurses once per level with a large frame.
 */
function checkWrapperDepth(spec: unknown, spans: SpanIndex, bag: DiagnosticBag): boolean {
  const layers = isRecord(spec) && Array.isArray(spec.layers) ? spec.layers : [];
  let ok = true;
  layers.forEach((layer: unknown, index: number) => {
    const stack: [unknown, string, number][] = [[layer, `/layers/${index}`, 0]];
    while (stack.length > 0) {
      const [node, pointer, depth] = stack.pop()!;
      if (!isRecord(node)) continue;
      if (depth > MAX_WRAPPER_DEPTH) {
        ok = false;
        bag.error('MC2008', `Layer #${index + 1} nests wrapped layers more than ${MAX_WRAPPER_DEPTH} deep; modelc accepts at most ${MAX_WRAPPER_DEPTH} wrappers inside one another.`, {
          span: spans.value(pointer),
          hint: 'a TimeDistributed adds one time axis per level; a model needs only one or two.',
        });
        return;
      }
      for (const key of ['layer', 'backward_layer']) if (key in node) stack.push([node[key], childPointer(pointer, key), depth + 1]);
    }
  });
  return ok;
}

/** Drop ajv's bookkeeping errors and resolve anyOf to the branch that fits the value's type. */
function selectErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = `${anyOf.schemaPath}/`;
    const branches = anyOf.schema as Record<string, unknown>[];
    const fitting = branches.map((b, i) => (branchFits(b, anyOf.data) ? i : -1)).filter((i) => i >= 0);
    kept = kept.filter((e) => {
      if (e === anyOf) return fitting.length === 0;
      if (!e.schemaPath.startsWith(prefix)) return true;
      const branch = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      return fitting.length === 1 && branch === fitting[0];
    });
  }
  return kept;
}

function branchFits(schema: Record<string, unknown>, data: unknown): boolean {
  const kind = jsonType(data);
  if (schema.type !== undefined) {
    const types = ([] as unknown[]).concat(schema.type);
    return types.includes(kind) || (kind === 'integer' && types.includes('number'));
  }
  if (Array.isArray(schema.enum)) return schema.enum.some((v) => jsonType(v) === kind || (jsonType(v) === 'integer' && kind === 'number'));
  return true;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** `"20" (a string)`, `20.5 (a number)`, `a mapping`, `an empty list`: a received value in words. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list (${short(JSON.stringify(value))})`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  const text = short(JSON.stringify(value));
  return `${text} (${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : 'a string'})`;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Who a pointer belongs to and what inside it: `LSTM layer "lstm"` + `option "units"`. */
interface Place {
  /** `LSTM layer "lstm"`, `Dense layer wrapped by TimeDistributed layer "head"`, `Input "x"`, `The spec`. */
  readonly subject: string;
  /** `option "units"`, `dimension 2 of "shape"`, `"seed"`; undefined for the subject itself. */
  readonly what: string | undefined;
  readonly section: 'layer' | 'input' | 'spec';
  /** The layer's own data (for layers). */
  readonly layer?: Record<string, unknown>;
  /** The path inside the subject. */
  readonly rest: readonly string[];
}

const NAME_RULE = 'a name uses letters, digits, `_` and `-`, and starts with a letter or `_`';

class Context {
  private readonly names: (string | undefined)[];
  private readonly layers: readonly unknown[];
  private readonly outputs: unknown;

  constructor(
    spec: unknown,
    private readonly spans: SpanIndex,
    private readonly bag: DiagnosticBag,
  ) {
    this.layers = isRecord(spec) && Array.isArray(spec.layers) ? spec.layers : [];
    this.outputs = isRecord(spec) ? spec.outputs : undefined;
    this.names = layerNames(this.layers, isRecord(spec) && isRecord(spec.inputs) ? Object.keys(spec.inputs) : []);
  }

  place(pointer: string): Place {
    const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (parts[0] === 'layers' && parts.length >= 2) {
      const index = Number(parts[1]);
      let rest = parts.slice(2);
      let title = layerTitle(this.layers[index], this.names[index], index);
      let layer = this.layers[index];
      // Wrapped layers (`layer`, Bidirectional's `backward_layer`) are described through their wrapper.
      for (let key = rest[0]; (key === 'layer' || key === 'backward_layer') && isRecord(layer) && isRecord(layer[key]); key = rest[0]) {
        const inner = layer[key] as Record<string, unknown>;
        layer = inner;
        const type = typeof inner.type === 'string' && layerByType.has(inner.type) ? inner.type : undefined;
        title = key === 'layer' ? `${type ? `${type} layer` : 'The layer'} wrapped by ${title}` : `The backward ${type ? `${type} ` : ''}layer of ${title}`;
        rest = rest.slice(1);
      }
      return { subject: title, what: optionWords(rest), section: 'layer', ...(isRecord(layer) ? { layer } : {}), rest };
    }
    if (parts[0] === 'inputs' && parts.length >= 2) {
      const rest = parts.slice(2);
      const what = rest.length === 0 ? undefined : rest[0] === 'shape' && rest.length === 2 ? `dimension ${Number(rest[1]) + 1} of "shape"` : `"${rest.join('.')}"`;
      return { subject: `Input "${parts[1]!}"`, what, section: 'input', rest };
    }
    if (parts[0] === 'outputs' && parts.length === 2) {
      const what = Array.isArray(this.outputs) ? `item ${Number(parts[1]) + 1} of "outputs"` : `output "${parts[1]!}"`;
      return { subject: 'The spec', what, section: 'spec', rest: parts };
    }
    return { subject: 'The spec', what: parts.length === 0 ? undefined : `"${parts.join('.')}"`, section: 'spec', rest: parts };
  }

  report(error: ErrorObject): void {
    const pointer = error.instancePath;
    const place = this.place(pointer);
    const { subject, what } = place;
    const params = error.params as Record<string, unknown>;
    const data: unknown = error.data;
    const valueSpan = this.spans.value(pointer);
    const received = `Received: ${describeValue(data)}.`;
    const parent = (error.parentSchema ?? {}) as Record<string, unknown>;

    switch (error.keyword) {
      case 'required': {
        const missing = String(params.missingProperty);
        const noun = place.section === 'layer' && missing !== 'type' ? 'option' : 'key';
        const described = ((parent.properties as Record<string, { description?: string }> | undefined)?.[missing]?.description ?? '').replace(/\.$/, '');
        let hint = `add \`${missing}: ...\`${described ? ` (${lowerFirst(described)})` : ''}.`;
        if (missing === 'type') hint = `add \`type: ...\`, the Keras layer class: ${[...layerByType.keys()].join(', ')}.`;
        if (missing === 'layer') hint = 'add the layer to wrap, e.g. `layer: { type: Dense, units: 10 }`.';
        this.bag.error('MC2001', `${what ? `${subject}: ${what}` : subject} is missing the required ${noun} "${missing}".`, { span: valueSpan, hint });
        return;
      }
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const known = Object.keys((parent.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
        const noun = place.section === 'layer' ? 'option' : 'key';
        const owners = place.section === 'layer' ? layerDefs.filter((d) => key in d.options || (key === 'initial_state' && d.recurrent) || (key === 'layer' && d.wrapper)).map((d) => d.type) : [];
        const type = place.layer && typeof place.layer.type === 'string' ? place.layer.type : undefined;
        const shares = place.layer && place.rest.length === 0 && typeof place.layer.shares === 'string' ? place.layer : undefined;
        const hint = shares
          ? `"${String(shares.name)}" takes its type and options from the layer it shares; remove \`${key}\` (or give "${String(shares.name)}" a layer of its own with \`type:\`).`
          : owners.length > 0 && type !== undefined
            ? `"${key}" is an option of ${owners.join(', ')}, not of ${type}.`
            : (didYouMean(key, known) ?? `known ${noun}s: ${known.join(', ')}.`);
        this.bag.error('MC2002', `${what ? `${subject}: ${what}` : subject} has an unknown ${noun} "${key}".`, { span: this.spans.key(childPointer(pointer, key)), hint });
        return;
      }
      case 'enum':
      case 'const': {
        const allowed = error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue];
        if (place.section === 'layer' && place.rest.length === 1 && place.rest[0] === 'type') {
          const types = [...layerByType.keys()];
          const owner = this.place(parentPointer(pointer)).subject;
          const alias = typeof data === 'string' ? canonicalOfAlias(data) : undefined;
          const hint = alias ? `Keras's ${data} is another name of ${alias}: write type: ${alias}.` : typeof data === 'string' ? didYouMean(data, types) : undefined;
          this.bag.error('MC2003', `${owner} has an unknown type ${JSON.stringify(data)}.`, { span: valueSpan, hint: hint ?? `known types: ${types.join(', ')}.` });
          return;
        }
        const names = allowed.filter((a): a is string => typeof a === 'string');
        const hint = typeof data === 'string' ? didYouMean(data, names) : undefined;
        const list = allowed.map((v) => JSON.stringify(v));
        const inline = list.length <= 6;
        this.bag.error('MC2006', `${subject} expects ${what ?? 'a value'} to be ${inline ? `one of ${list.join(', ')}` : 'one of its known values'}. ${received}`, {
          span: valueSpan,
          ...(hint ? { hint } : inline ? {} : { hint: `allowed: ${allowed.map((v) => String(v)).join(', ')}.` }),
        });
        return;
      }
      case 'type': {
        const types = String(params.type).split(',');
        const expected = types.map((t) => (t === 'integer' ? 'an integer' : t === 'null' ? 'null' : t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`)).join(' or ');
        if (pointer === '' && (data === null || data === undefined)) {
          this.bag.error('MC2004', 'The spec is empty: expected a mapping with `name`, `inputs` and `layers`.', { span: valueSpan, hint: 'start from an example in models/, e.g. `name: m`, `inputs: { x: { shape: [25, 1] } }`, `layers: [...]`.' });
          return;
        }
        const hint = typeHint(types, data, place);
        this.bag.error('MC2004', what ? `${subject} expects ${what} to be ${expected}. ${received}` : `${subject} must be ${expected}. ${received}`, { span: valueSpan, ...(hint ? { hint } : {}) });
        return;
      }
      case 'anyOf': {
        const branches = (error.schema as Record<string, unknown>[]).map((b) =>
          Array.isArray(b.enum) ? `a name (${(b.enum as unknown[]).slice(0, 4).join(', ')}, ...)` : b.type === 'object' ? 'a mapping' : b.type === 'array' ? 'a list' : `a ${String(b.type)}`,
        );
        this.bag.error('MC2004', `${subject} expects ${what ?? 'a value'} to be ${branches.join(' or ')}. ${received}`, { span: valueSpan });
        return;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const isDimension = place.section === 'input' && place.rest[0] === 'shape';
        this.bag.error('MC2005', `${subject} expects ${what ?? 'a value'} to be ${rangeWords(parent)}. Received: ${JSON.stringify(data)}.`, {
          span: valueSpan,
          ...(isDimension ? { hint: 'use `null` for a length known only at run time.' } : {}),
        });
        return;
      }
      case 'pattern':
        this.reportPattern(error, place);
        return;
      case 'minItems':
      case 'minProperties': {
        if (pointer === '/inputs') {
          this.bag.error('MC2008', 'The spec has no inputs: `inputs` is empty.', { span: valueSpan, hint: 'add one, e.g. `x: { shape: [25, 1] }` (the shape excludes the batch dimension).' });
        } else if (pointer === '/outputs') {
          this.bag.error('MC2008', 'The spec lists no outputs: `outputs` is empty.', { span: valueSpan, hint: "list at least one, or remove `outputs` to return the last layer's output." });
        } else if (place.section === 'input' && place.rest[0] === 'shape') {
          this.bag.error('MC2008', `${subject} expects "shape" to list at least one dimension. Received: an empty list.`, { span: valueSpan, hint: 'the shape excludes the batch dimension, as in keras.Input: e.g. `[25, 1]` for 25 timesteps of 1 feature.' });
        } else {
          this.bag.error('MC2008', `${subject} expects ${what ?? 'a value'} not to be empty. ${received}`, { span: valueSpan });
        }
        return;
      }
      default:
        this.bag.error('MC2008', `${subject} breaks the schema's \`${error.keyword}\` rule${what ? ` at ${what}` : ''}. ${received}`, { span: valueSpan });
    }
  }

  private reportPattern(error: ErrorObject, place: Place): void {
    const pointer = error.instancePath;
    const data = String(error.data);
    const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
    const rule = data === '__proto__' ? '"__proto__" is reserved; choose another name.' : `${NAME_RULE}.`;
    if (propertyName !== undefined) {
      const owner = pointer === '/inputs' ? 'Input' : pointer === '/outputs' ? 'Output' : 'Key';
      this.bag.error('MC2007', `${owner} name ${JSON.stringify(propertyName)} is not a valid name.`, { span: this.spans.key(childPointer(pointer, propertyName)), hint: rule });
      return;
    }
    const span = this.spans.value(pointer);
    if (pointer === '/name') {
      this.bag.error('MC2007', `The model name ${JSON.stringify(data)} is not a valid name.`, { span, hint: `it names the generated module, <name>.ts: ${rule}` });
      return;
    }
    if (place.section === 'layer' && place.rest.length === 1 && place.rest[0] === 'name') {
      const index = Number(pointer.split('/')[2]);
      const type = place.layer && typeof place.layer.type === 'string' && layerByType.has(place.layer.type) ? `${place.layer.type} layer` : 'Layer';
      this.bag.error('MC2007', `${type} #${index + 1} has an invalid name ${JSON.stringify(data)}.`, { span, hint: rule });
      return;
    }
    const referenceHint = 'a reference is NAME or NAME.OUTPUT, e.g. `lstm` or `lstm.h`.';
    if (pointer.startsWith('/outputs')) {
      this.bag.error('MC2007', `The model output ${JSON.stringify(data)} is not a valid reference.`, { span, hint: referenceHint });
      return;
    }
    this.bag.error('MC2007', `${place.subject} has an invalid reference ${JSON.stringify(data)} in ${place.what ?? 'its input'}.`, { span, hint: referenceHint });
  }
}

/** `option "units"`, `item 2 of option "inputs"`. */
function optionWords(rest: readonly string[]): string | undefined {
  if (rest.length === 0) return undefined;
  if (rest.length === 2 && /^\d+$/.test(rest[1]!)) return `item ${Number(rest[1]) + 1} of option "${rest[0]!}"`;
  return `option "${rest.join('.')}"`;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** `at least 1`, `at least 0 and less than 1`, from a schema's bounds. */
function rangeWords(schema: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof schema.minimum === 'number') parts.push(`at least ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`greater than ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number') parts.push(`at most ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') parts.push(`less than ${schema.exclusiveMaximum}`);
  return parts.join(' and ') || 'in range';
}

/** The likely fix for a value of the wrong type. */
function typeHint(types: readonly string[], data: unknown, place: Place): string | undefined {
  const wantsNumber = types.includes('integer') || types.includes('number');
  if (typeof data === 'string' && wantsNumber && data.trim() !== '' && Number.isFinite(Number(data))) return `write ${data.trim()} without quotes.`;
  if (typeof data === 'string' && types.includes('boolean') && /^(true|false|yes|no|on|off)$/i.test(data)) return 'write `true` or `false`, without quotes.';
  if (typeof data === 'number' && types.includes('integer') && !Number.isInteger(data)) return `use a whole number, e.g. ${Math.max(1, Math.round(data))}.`;
  if (types.includes('array') && place.section === 'input' && place.rest[0] === 'shape' && (typeof data === 'number' || data === null)) return `write a list, e.g. \`shape: [${String(data)}]\`; the shape excludes the batch dimension.`;
  if (types.includes('object') && place.section === 'layer' && place.rest.length === 0 && typeof data === 'string' && layerByType.has(data)) return `write \`- type: ${data}\`, with its options on the lines below.`;
  return undefined;
}
