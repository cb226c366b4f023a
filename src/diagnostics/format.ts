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

/** Widest code frame line: longer lines are cut to a window around the span, as esbuild does. */
export const MAX_FRAME_COLUMNS = 200;
/** Longest message printed whole; longer ones (a huge name quoted back) keep their head and tail. */
export const MAX_MESSAGE_LENGTH = 2000;

/**
 * Text from the user (names, keys, paths quoted in messages) made safe for a terminal: control
 * characters (newlines, ESC of ANSI sequences, C1 codes, DEL, bidirectional overrides) shown as
 * escapes, so a spec can neither forge lines of output, send escape sequences, nor reorder text.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor(max / 5);
  return `${text.slice(0, max - tail)} … (${(text.length - max).toLocaleString('en-US')} characters cut) … ${text.slice(text.length - tail)}`;
}

/** A message, hint or note as printed: escaped, and cut when out of proportion. */
function printable(text: string): string {
  return escapeForTerminal(shorten(text, MAX_MESSAGE_LENGTH));
}

export function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  const { color, sources } = options;
  const at = location(d.span, sources);
  const severity = paint(color, d.severity === 'error' ? 'red' : 'yellow', d.severity);
  const lines = [`${paint(color, 'cyan', printable(d.span.file))}:${at.line}:${at.column} - ${severity} ${paint(color, 'grey', d.code)}: ${printable(d.message)}`];
  // Blocks (the frame, each note, the hint) are separated by one blank line, whatever is present.
  const block = (body: string[]) => {
    if (body.length > 0) lines.push('', ...body);
  };
  block(codeFrame(d.span, options, d.severity === 'error' ? 'red' : 'yellow'));
  for (const note of d.related) {
    const noteAt = location(note.span, sources);
    block([`  ${paint(color, 'cyan', printable(note.span.file))}:${noteAt.line}:${noteAt.column} - ${printable(note.message)}`]);
    block(codeFrame(note.span, options, 'cyan').map((line) => `  ${line}`));
  }
  if (d.hint) block([`  ${paint(color, 'bold', 'hint')}: ${printable(d.hint)}`]);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/**
 * The span's first line with a line-number gutter, and `~` under the span (on that line). A line
 * longer than MAX_FRAME_COLUMNS is cut to a window around the span, marked with `…` where cut
 * (a one-line 10 MB file prints one short line per diagnostic); control characters show as `·`.
 */
export function codeFrame(span: Span, options: FormatOptions, style: keyof typeof ansi = 'red'): string[] {
  const source = options.sources.get(span.file);
  if (!source || source.text.length === 0) return [];
  const { line, column } = source.position(span.start);
  const full = source.lineText(line);
  let text = full;
  let col = column;
  if (full.length > MAX_FRAME_COLUMNS) {
    const from = Math.max(0, Math.min(column - 1 - Math.floor(MAX_FRAME_COLUMNS / 3), full.length - MAX_FRAME_COLUMNS));
    const to = Math.min(full.length, from + MAX_FRAME_COLUMNS);
    text = `${from > 0 ? '…' : ''}${full.slice(from, to)}${to < full.length ? '…' : ''}`;
    col = column - from + (from > 0 ? 1 : 0);
  }
  text = text.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '·');
  const visible = full.length > MAX_FRAME_COLUMNS ? text.length - col + 1 - (text.endsWith('…') ? 1 : 0) : text.length - column + 1;
  const endOnLine = Math.min(span.end - span.start, Math.max(1, visible));
  const gutter = String(line);
  return [
    `${paint(options.color, 'grey', gutter)} ${text}`,
    `${' '.repeat(gutter.length)} ${' '.repeat(col - 1)}${paint(options.color, style, '~'.repeat(Math.max(1, endOnLine)))}`,
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
