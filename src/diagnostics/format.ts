// Printing diagnostics: `file:line:col - error MCxxxx: message`, the spec line with a gutter and
// `~~~` under the span, related notes with their own locations, then the hint. Also the JSON
// form for editors and CI tools.
import type { SourceFile } from '../source/source-file.js';
import type { Diagnostic, Span } from './diagnostic.js';

export interface FormatOptions {
  readonly color: boolean;
  /** Source files by path, to show the offending lines. */
  readonly sources: ReadonlyMap<string, SourceFile>;
}

const ansi = { red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', grey: '\x1b[90m', bold: '\x1b[1m', reset: '\x1b[0m' };

function paint(on: boolean, style: keyof typeof ansi, text: string): string {
  return on ? `${ansi[style]}${text}${ansi.reset}` : text;
}

export function location(span: Span, sources: ReadonlyMap<string, SourceFile>): { line: number; column: number } {
  return sources.get(span.file)?.position(span.start) ?? { line: 1, column: 1 };
}

export function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  const { color, sources } = options;
  const at = location(d.span, sources);
  const severity = paint(color, d.severity === 'error' ? 'red' : 'yellow', d.severity);
  const lines = [`${paint(color, 'cyan', d.span.file)}:${at.line}:${at.column} - ${severity} ${paint(color, 'grey', d.code)}: ${d.message}`];
  // Blocks (the frame, each note, the hint) are separated by one blank line, whatever is present.
  const block = (body: string[]) => {
    if (body.length > 0) lines.push('', ...body);
  };
  block(codeFrame(d.span, options, d.severity === 'error' ? 'red' : 'yellow'));
  for (const note of d.related) {
    const noteAt = location(note.span, sources);
    block([`  ${paint(color, 'cyan', note.span.file)}:${noteAt.line}:${noteAt.column} - ${note.message}`]);
    block(codeFrame(note.span, options, 'cyan').map((line) => `  ${line}`));
  }
  if (d.hint) block([`  ${paint(color, 'bold', 'hint')}: ${d.hint}`]);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/** The span's first line with a line-number gutter, and `~` under the span (on that line). */
export function codeFrame(span: Span, options: FormatOptions, style: keyof typeof ansi = 'red'): string[] {
  const source = options.sources.get(span.file);
  if (!source || source.text.length === 0) return [];
  const { line, column } = source.position(span.start);
  const text = source.lineText(line).replace(/\t/g, ' ');
  const endOnLine = Math.min(span.end - span.start, Math.max(1, text.length - column + 1));
  const gutter = String(line);
  return [
    `${paint(options.color, 'grey', gutter)} ${text}`,
    `${' '.repeat(gutter.length)} ${' '.repeat(column - 1)}${paint(options.color, style, '~'.repeat(Math.max(1, endOnLine)))}`,
  ];
}

export function formatSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const parts = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length === 0 ? '' : `Found ${parts.join(' and ')}.\n`;
}

/** The `--format json` record of a diagnostic. */
export function toJson(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>) {
  const at = location(d.span, sources);
  const end = sources.get(d.span.file)?.position(d.span.end) ?? at;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span.file,
    line: at.line,
    column: at.column,
    endLine: end.line,
    endColumn: end.column,
    hint: d.hint ?? null,
    related: d.related.map((note) => ({ message: note.message, file: note.span.file, ...location(note.span, sources) })),
  };
}
