// Reading and compiling spec files for the commands: one compile per file, diagnostics printed
// as text or JSON, with a line for files that cannot be read.
import { dirname, join } from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic, formatSummary, toJson } from '../diagnostics/format.js';
import { readText, type Host } from '../host.js';
import { SourceFile } from '../source/source-file.js';

export interface Compiled {
  readonly file: string;
  readonly result: CompileResult;
}

export function compileFile(host: Host, file: string, engine?: 'js' | 'wasm'): Compiled {
  const text = readText(host, file);
  if (text === undefined) {
    const source = new SourceFile(file, '');
    const diagnostic: Diagnostic = { code: 'MC1003', severity: 'error', message: `Cannot read the spec file "${file}".`, span: { file, start: 0, end: 0 }, related: [] };
    return { file, result: { diagnostics: [diagnostic], source } };
  }
  const result = compile(text, file, { readWeights: (path) => readText(host, join(dirname(file), path)), ...(engine ? { engine } : {}) });
  return { file, result };
}

export function sourcesOf(compiled: readonly Compiled[]): Map<string, SourceFile> {
  const sources = new Map<string, SourceFile>();
  for (const c of compiled) {
    sources.set(c.file, c.result.source);
    for (const extra of c.result.extraSources ?? []) sources.set(extra.path, extra);
  }
  return sources;
}

/** Print every diagnostic; returns true when any is an error. */
export function report(host: Host, compiled: readonly Compiled[], format: 'text' | 'json', to: 'stdout' | 'stderr'): boolean {
  const sources = sourcesOf(compiled);
  const all = compiled.flatMap((c) => c.result.diagnostics);
  const write = (text: string) => (to === 'stdout' ? host.stdout(text) : host.stderr(text));
  if (format === 'json') write(`${JSON.stringify(all.map((d) => toJson(d, sources)), null, 2)}\n`);
  else {
    for (const d of all) write(`${formatDiagnostic(d, { color: host.color, sources })}\n`);
    write(formatSummary(all));
  }
  return all.some((d) => d.severity === 'error');
}
