// Validating a parsed spec against the model schema with ajv, and rewriting ajv's errors into
// our diagnostics: what is wrong, where (the key or the value), what is allowed, did-you-mean.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { layerByType } from '../layers/registry.js';
import { childPointer, parentPointer, type SpanIndex } from '../source/parse.js';
import { buildModelSchema, REFERENCE_PATTERN } from './model-schema.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(buildModelSchema());
  return compiled;
}

/** Validate; report every problem; true when the spec conforms. */
export function validateSpec(spec: unknown, spans: SpanIndex, bag: DiagnosticBag): boolean {
  const validate = validator();
  if (validate(spec)) return true;
  for (const error of selectErrors(validate.errors ?? [])) report(error, spec, spans, bag);
  return false;
}

/** Drop ajv's bookkeeping errors and resolve anyOf to the branch that fits the value's type. */
function selectErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((e) => e.keyword !== 'if');
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

function describeValue(value: unknown): string {
  const kind = jsonType(value);
  const text = JSON.stringify(value);
  return kind === 'object' || kind === 'array' ? `a${kind === 'array' ? 'n' : ''} ${kind}` : `${text.length > 40 ? `${text.slice(0, 40)}...` : text} (${kind === 'integer' ? 'a number' : kind === 'null' ? 'null' : `a ${kind}`})`;
}

/** "option \"units\" of LSTM layer \"lstm\"", "input \"x\"", "`outputs`", for a pointer. */
function describeLocation(spec: unknown, pointer: string): string {
  const parts = pointer.split('/').slice(1);
  const at = (p: string[]): unknown => p.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), spec);
  if (parts[0] === 'layers' && parts.length >= 2) {
    let owner = parts.slice(0, 2);
    let rest = parts.slice(2);
    while (rest[0] === 'layer') {
      owner = [...owner, 'layer'];
      rest = rest.slice(1);
    }
    const layer = at(owner) as Record<string, unknown> | undefined;
    const title = layerTitle(layer, Number(parts[1]), owner.length > 2);
    return rest.length === 0 ? title : `option "${rest.join('.')}" of ${title}`;
  }
  if (parts[0] === 'inputs' && parts.length >= 2) return parts.length === 2 ? `input "${parts[1]}"` : `"${parts.slice(2).join('.')}" of input "${parts[1]}"`;
  if (parts.length === 0) return 'the spec';
  return `\`${parts.join('.')}\``;
}

function layerTitle(layer: Record<string, unknown> | undefined, index: number, wrapped: boolean): string {
  const type = typeof layer?.type === 'string' && layerByType.has(layer.type) ? layer.type : 'the';
  const name = typeof layer?.name === 'string' ? ` "${layer.name}"` : ` #${index + 1}`;
  return `${wrapped ? 'wrapped ' : ''}${type} layer${wrapped ? '' : name}`.replace('the layer', 'layer');
}

function report(error: ErrorObject, spec: unknown, spans: SpanIndex, bag: DiagnosticBag): void {
  const pointer = error.instancePath;
  const where = describeLocation(spec, pointer);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const what = pointer === '' || !pointer.startsWith('/layers') ? `"${missing}"` : `option "${missing}"`;
      bag.error('MC2001', `${capitalize(where)} is missing required ${what}.`, { span: spans.value(pointer) });
      return;
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      const hint = didYouMean(key, known);
      const kind = pointer.startsWith('/layers') ? 'option' : 'key';
      bag.error('MC2002', `Unknown ${kind} "${key}" for ${where}.`, {
        span: spans.key(childPointer(pointer, key)),
        hint: hint ?? `known ${kind}s: ${known.filter((k) => k !== '$schema').join(', ')}.`,
      });
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map((v) => JSON.stringify(v));
      if (/^\/layers\/\d+(\/layer)*\/type$/.test(pointer)) {
        const types = [...layerByType.keys()];
        const hint = typeof error.data === 'string' ? didYouMean(error.data, types) : undefined;
        bag.error('MC2003', `Unknown layer type ${JSON.stringify(error.data)}.`, { span: spans.value(pointer), hint: hint ?? `known types: ${types.join(', ')}.` });
        return;
      }
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed.map((a) => JSON.parse(a) as unknown).filter((a): a is string => typeof a === 'string')) : undefined;
      bag.error('MC2006', `${capitalize(where)} must be one of ${allowed.join(', ')}. Received: ${describeValue(error.data)}.`, { span: spans.value(pointer), ...(hint ? { hint } : {}) });
      return;
    }
    case 'type': {
      const expected = String(params.type).split(',').map((t) => (t === 'integer' ? 'an integer' : t === 'null' ? 'null' : t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`));
      bag.error('MC2004', `${capitalize(where)} must be ${expected.join(' or ')}. Received: ${describeValue(error.data)}.`, { span: spans.value(pointer) });
      return;
    }
    case 'anyOf': {
      const branches = (error.schema as Record<string, unknown>[]).map((b) => (Array.isArray(b.enum) ? `a name (${(b.enum as unknown[]).slice(0, 6).join(', ')}, ...)` : b.type === 'object' ? 'a mapping' : b.type === 'array' ? 'a list' : String(b.type)));
      bag.error('MC2004', `${capitalize(where)} must be ${branches.join(' or ')}. Received: ${describeValue(error.data)}.`, { span: spans.value(pointer) });
      return;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      bag.error('MC2005', `${capitalize(where)} must be ${String(params.comparison)} ${String(params.limit)}. Received: ${JSON.stringify(error.data)}.`, { span: spans.value(pointer) });
      return;
    }
    case 'pattern': {
      const isReference = error.schema === REFERENCE_PATTERN;
      bag.error('MC2007', `${capitalize(where)} is not a valid ${isReference ? 'reference' : 'name'}: ${JSON.stringify(error.data)}.`, {
        span: spans.value(pointer),
        hint: isReference ? 'write NAME or NAME.OUTPUT, e.g. `lstm` or `lstm.h`.' : 'use letters, digits, `_` and `-`, starting with a letter or `_`.',
      });
      return;
    }
    case 'propertyNames':
      return; // reported through the pattern error on the name itself
    case 'minItems':
    case 'minProperties':
      bag.error('MC2008', `${capitalize(where)} must not be empty.`, { span: spans.value(pointer) });
      return;
    default:
      bag.error('MC2008', `${capitalize(where)} ${error.message ?? 'is invalid'}.`, { span: spans.value(pointer) });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export { parentPointer };
