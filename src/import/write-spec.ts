// Writing a converted model as a readable YAML spec: a header comment naming the source, one
// block per layer with `name` and `type` first, wrapped layers and short lists in flow style.
// Every string is either a plain word or a JSON-quoted string (valid YAML), so no name or
// value can change the document's structure.
import type { ConvertedModel, SpecObject, SpecValue } from './convert.js';

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(v: SpecValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`internal: non-finite number ${v} in a spec`);
    return String(v);
  }
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  return flow(v);
}

function flow(v: SpecValue): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${scalar(k)}: ${flow(x as SpecValue)}`).join(', ')} }`;
  return scalar(v);
}

export interface SpecHeader {
  /** Lines of the header comment, without `# `. */
  readonly comment: readonly string[];
  readonly name: string;
  readonly weights: string;
}

export function writeSpec(header: SpecHeader, model: ConvertedModel): string {
  const lines: string[] = header.comment.map((l) => `# ${l.replace(/[\r\n]+/g, ' ')}`);
  lines.push(`name: ${scalar(header.name)}`, `weights: ${scalar(header.weights)}`, 'inputs:');
  for (const [name, entry] of model.inputs) lines.push(`  ${scalar(name)}: ${flow(entry as SpecObject)}`);
  lines.push('layers:');
  let scope = '';
  for (const layer of model.layers) {
    const from = layer.scope.join(' > ');
    if (from !== scope && from !== '') lines.push(`  # from the nested model ${from.replace(/[\r\n]+/g, ' ')}`);
    scope = from;
    lines.push(`  - name: ${scalar(layer.name)}`);
    for (const [key, value] of Object.entries(layer.entry)) lines.push(`    ${key}: ${scalar(value)}`);
  }
  if (model.outputs) lines.push(`outputs: ${flow(model.outputs)}`);
  return `${lines.join('\n')}\n`;
}
