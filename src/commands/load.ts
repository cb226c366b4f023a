// Reading and compiling spec files for the commands: one compile per file, diagnostics printed
// as text or JSON, with a line for files that cannot be read.
import { dirname, join } from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic, formatSummary, toJson } from '../diagnostics/format.js';
import { readBytes, readText, type Host } from '../host.js';
import { SourceFile } from '../source/source-file.js';

export interface Compiled {
  readonly file: string;
  readonly result: CompileResult;
}

export function compileFile(host: Host, file: string): Compiled {
  const text = readText(host, file);
  if (text === undefined) {
    const source = new SourceFile(file, '');
    const diagnostic: Diagnostic = { code: 'MC1003', severity: 'error', message: `Cannot read the spec file "${file}".`, span: { file, start: 0, end: 0 }, related: [] };
    return { file, result: { diagnostics: [diagnostic], source } };
  }
  const result = compile(text, file, { readWeights: (path) => readText(host, join(dirname(file), path)), readWeightsBytes: (path) => readBytes(host, join(dirname(file), path)) });
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

/** Print every diagnostic (and, unless `summary` is false, the `Found N errors.` line); returns true when any is an error. */
export function report(host: Host, compiled: readonly Compiled[], format: 'text' | 'json', to: 'stdout' | 'stderr', summary = true): boolean {
  const sources = sourcesOf(compiled);
  const all = compiled.flatMap((c) => c.result.diagnostics);
  const write = (text: string) => (to === 'stdout' ? host.stdout(text) : host.stderr(text));
  if (format === 'json') write(`${JSON.stringify(all.map((d) => toJson(d, sources)), null, 2)}\n`);
  else {
    for (const d of all) write(`${formatDiagnostic(d, { color: host.color, sources })}\n`);
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
