// Reading and compiling spec files for the commands: one compile per file, diagnostics printed
// as text or JSON, with a line for files that cannot be read.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { compile, type CompileResult, type WeightsRefusal } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic, formatSummary, toJson } from '../diagnostics/format.js';
import type { Host } from '../host.js';
import { readFileLimited, resolveInside } from '../source/read-file.js';
import { SourceFile } from '../source/source-file.js';

export interface Compiled {
  readonly file: string;
  readonly result: CompileResult;
}

export function compileFile(host: Host, file: string, options: { readonly emit?: boolean; readonly embedWeights?: boolean; readonly engine?: 'js' | 'wasm' } = {}): Compiled {
  const read = readFileLimited(isAbsolute(file) ? file : resolve(host.cwd, file));
  if (!read.ok) {
    const source = new SourceFile(file, '');
    const why = read.reason === 'missing' ? '' : `: ${read.message}`;
    const diagnostic: Diagnostic = { code: 'MC1003', severity: 'error', message: `Cannot read the spec file "${file}"${why}.`, span: { file, start: 0, end: 0 }, related: [] };
    return { file, result: { diagnostics: [diagnostic], source } };
  }
  const text = read.bytes.toString('utf8');
  const result = compile(text, file, { readWeights: (path) => textOf(readWeightsFile(host, file, path)), readWeightsBytes: (path) => readWeightsFile(host, file, path), ...options });
  return { file, result };
}

const textOf = (read: Uint8Array | undefined | WeightsRefusal) => (read instanceof Uint8Array ? Buffer.from(read.buffer, read.byteOffset, read.byteLength).toString('utf8') : read);

/** The weights file a spec names (JSON, .safetensors or a Keras file): inside the spec's folder tree, a regular file, within the size limit. */
export function readWeightsFile(host: Host, specFile: string, path: string): Uint8Array | undefined | WeightsRefusal {
  const inside = resolveInside(isAbsolute(specFile) ? specFile : resolve(host.cwd, specFile), path);
  if (!inside.ok) {
    if (inside.reason === 'missing' || inside.reason === 'unreadable') return undefined;
    return {
      code: 'MC5006',
      message: inside.message,
      hint: "put the weights file in the spec's folder (or below it) and name it relative to the spec, e.g. `weights: model.weights.json`.",
    };
  }
  const read = readFileLimited(inside.path);
  if (read.ok) return read.bytes;
  switch (read.reason) {
    case 'not-regular':
      return { code: 'MC5007', message: read.message, hint: 'name a weights file: JSON, .safetensors, or a Keras .keras / .h5 file.' };
    case 'too-large':
      return { code: 'MC5008', message: read.message, hint: `raise the limit with the environment variable MODELC_MAX_FILE_BYTES (bytes) if the file is meant to be this large.` };
    default:
      return undefined;
  }
}

export function sourcesOf(compiled: readonly Compiled[]): Map<string, SourceFile> {
  const sources = new Map<string, SourceFile>();
  for (const c of compiled) {
    sources.set(c.file, c.result.source);
    for (const extra of c.result.extraSources ?? []) sources.set(extra.path, extra);
  }
  return sources;
}

/** Diagnostics printed in full in text output; the rest are summarized with their count. */
export const MAX_PRINTED = 100;

/** Print the diagnostics (text: the first MAX_PRINTED, then a count, then unless `summary` is false the `Found N errors.` line); returns true when any is an error. */
export function report(host: Host, compiled: readonly Compiled[], format: 'text' | 'json', to: 'stdout' | 'stderr', summary = true): boolean {
  const sources = sourcesOf(compiled);
  const all = compiled.flatMap((c) => c.result.diagnostics);
  const write = (text: string) => (to === 'stdout' ? host.stdout(text) : host.stderr(text));
  if (format === 'json') write(`${JSON.stringify(all.map((d) => toJson(d, sources)), null, 2)}\n`);
  else {
    // In proportion to the input: past MAX_PRINTED diagnostics, the rest are counted, not printed.
    for (const d of all.slice(0, MAX_PRINTED)) write(`${formatDiagnostic(d, { color: host.color, sources })}\n`);
    if (all.length > MAX_PRINTED) {
      const rest = all.slice(MAX_PRINTED);
      const errors = rest.filter((d) => d.severity === 'error').length;
      const parts = [errors > 0 ? `${errors} more error${errors === 1 ? '' : 's'}` : '', rest.length - errors > 0 ? `${rest.length - errors} more warning${rest.length - errors === 1 ? '' : 's'}` : ''].filter(Boolean);
      write(`... and ${parts.join(' and ')} not shown (the first ${MAX_PRINTED} are above; \`--format json\` lists them all).\n\n`);
    }
    if (summary) write(formatSummary(all));
  }
  return all.some((d) => d.severity === 'error');
}

/** The number of errors among the compiled files' diagnostics. */
export function errorCount(compiled: readonly Compiled[]): number {
  return compiled.reduce((n, c) => n + c.result.diagnostics.filter((d) => d.severity === 'error').length, 0);
}

/** The weights files the compiled specs name, as paths relative to the host's folder like the specs'. */
export function weightsFiles(compiled: readonly Compiled[]): string[] {
  return compiled.flatMap((c) => (c.result.graph?.weightsPath === undefined ? [] : [join(dirname(c.file), c.result.graph.weightsPath)]));
}
