// The library: `import { compile } from 'modelc'`. One call compiles a spec's text to the text of
// its generated module, or to diagnostics; `compileFile` reads a spec (and the weights file it
// names) from disk; `formatDiagnostics` prints diagnostics as the CLI does.
import { compileFile as compileSpecFile } from './commands/load.js';
import { compile, type CompileOptions, type CompileResult } from './compile.js';
import { formatDiagnostic, formatSummary, toJson } from './diagnostics/format.js';
import type { SourceFile } from './source/source-file.js';

export { compile, type CompileOptions, type CompileResult };
export type { Diagnostic, RelatedNote, Severity, Span } from './diagnostics/diagnostic.js';
export type { Code as DiagnosticCode } from './diagnostics/codes.js';
export type { SourceFile } from './source/source-file.js';

/** A diagnostic as `--format json` prints it: positions are 1-based lines and columns. */
export type DiagnosticJson = ReturnType<typeof toJson>;

/** The sources a result's diagnostics point into (the spec, and its weights file). */
function sourcesOf(result: CompileResult): Map<string, SourceFile> {
  return new Map([result.source, ...(result.extraSources ?? [])].map((s) => [s.path, s] as const));
}

/** The result's diagnostics as the CLI prints them (`file:line:col - error MCxxxx: ...`, code frame, hint), then `Found N errors.`. */
export function formatDiagnostics(result: CompileResult, options: { color?: boolean } = {}): string {
  const sources = sourcesOf(result);
  return result.diagnostics.map((d) => `${formatDiagnostic(d, { color: options.color ?? false, sources })}\n`).join('') + formatSummary(result.diagnostics);
}

/** The result's diagnostics with lines and columns, as `modelc check --format json` gives them. */
export function diagnosticsToJson(result: CompileResult): DiagnosticJson[] {
  const sources = sourcesOf(result);
  return result.diagnostics.map((d) => toJson(d, sources));
}

/**
 * Compile a spec file from disk (relative to `cwd`, default the process's), reading the weights
 * file it names and embedding the weights in the module, as `modelc build` does. A spec that
 * cannot be read is an MC1003 diagnostic, not an exception.
 */
export function compileFile(path: string, options: { cwd?: string } = {}): CompileResult {
  const quiet = () => {};
  return compileSpecFile({ stdout: quiet, stderr: quiet, cwd: options.cwd ?? process.cwd(), color: false }, path).result;
}
