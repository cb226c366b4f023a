// Error baselines, in the manner of TypeScript's: what `modelc check` prints for a broken spec
// (no colour), then the spec reprinted with `~~~` under every span each diagnostic points at,
// followed by the diagnostic (`!!!`) or its note (`!!! related`).
import { compile } from '../../src/compile.js';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostic, formatSummary } from '../../src/diagnostics/format.js';
import type { SourceFile } from '../../src/source/source-file.js';

/** The whole baseline text for the spec `text` compiled as `file`. */
export function renderBaseline(file: string, text: string): string {
  const result = compile(text, file);
  const sources = new Map<string, SourceFile>([[file, result.source]]);
  const printed = result.diagnostics.map((d) => formatDiagnostic(d, { color: false, sources })).join('\n');
  return `${printed}\n${formatSummary(result.diagnostics)}\n${annotate(result.source, result.diagnostics)}`;
}

interface Mark {
  readonly span: Span;
  /** The `!!!` line written after the last underlined line. */
  readonly label: string;
}

/** The spec, every line indented by four spaces, with `~` under each span and its label. */
export function annotate(source: SourceFile, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counts = [`${errors} error${errors === 1 ? '' : 's'}`, ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : [])];
  const marks: Mark[] = [];
  const add = (mark: Mark) => {
    if (!marks.some((m) => m.span.start === mark.span.start && m.span.end === mark.span.end && m.label === mark.label)) marks.push(mark);
  };
  for (const d of diagnostics) {
    add({ span: d.span, label: `!!! ${d.severity} ${d.code}: ${d.message}` });
    for (const note of d.related) add({ span: note.span, label: `!!! related ${d.code}: ${note.message}` });
  }
  const out = [`==== ${source.path} (${counts.join(', ')}) ====`];
  const lineCount = source.text.endsWith('\n') ? source.lineCount - 1 : source.lineCount;
  const byLastLine = new Map<number, { mark: Mark; underlines: Map<number, string> }[]>();
  for (const mark of marks) {
    const underlines = underline(source, mark.span);
    const last = Math.max(...underlines.keys());
    const list = byLastLine.get(last) ?? [];
    list.push({ mark, underlines });
    byLastLine.set(last, list);
  }
  // Underlines of marks that span several lines are printed under every line they cover.
  const all = [...byLastLine.values()].flat();
  for (let line = 1; line <= Math.max(lineCount, 1); line++) {
    out.push(`    ${source.lineText(line)}`.trimEnd());
    for (const entry of all) {
      const squiggle = entry.underlines.get(line);
      if (squiggle !== undefined) out.push(`    ${squiggle}`);
      if (byLastLine.get(line)?.includes(entry)) out.push(entry.mark.label);
    }
  }
  return `${out.join('\n')}\n`;
}

/** For each line a span touches, the `   ~~~` text under it (leading blanks of continuation lines skipped). */
function underline(source: SourceFile, span: Span): Map<number, string> {
  const result = new Map<number, string>();
  const start = source.position(span.start);
  const end = source.position(Math.max(span.start, span.end - 1));
  for (let line = start.line; line <= end.line; line++) {
    const text = source.lineText(line);
    let from = line === start.line ? start.column - 1 : text.length - text.trimStart().length;
    let to = line === end.line ? end.column : text.length;
    to = Math.min(to, text.trimEnd().length);
    if (line === start.line && to <= from) to = from + 1; // an empty span, or one at the end of a line
    if (to <= from) continue;
    from = Math.max(0, from);
    result.set(line, `${' '.repeat(from)}${'~'.repeat(to - from)}`);
  }
  if (result.size === 0) result.set(start.line, `${' '.repeat(start.column - 1)}~`);
  return result;
}
