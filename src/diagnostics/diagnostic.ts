// The one diagnostic record, and the bag that collects them. User mistakes are collected,
// never thrown; lines and columns are computed only when printing (see format.ts).
import type { Code } from './codes.js';

export type Severity = 'error' | 'warning';

/** A half-open range of characters [start, end) in one file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A second place a diagnostic points at ("`lstm` is defined here"). */
export interface RelatedNote {
  readonly message: string;
  readonly span: Span;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedNote[];
  readonly hint?: string;
}

export interface DiagnosticInit {
  readonly span: Span;
  readonly related?: readonly RelatedNote[];
  readonly hint?: string;
  readonly severity?: Severity;
}

/** Collects diagnostics for one compilation; `sorted()` gives them in file and position order. */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  private readonly keys = new Set<string>();
  private errors = 0;

  error(code: Code, message: string, init: DiagnosticInit): void {
    this.add({ code, message, severity: init.severity ?? 'error', span: init.span, related: init.related ?? [], ...(init.hint === undefined ? {} : { hint: init.hint }) });
  }

  warning(code: Code, message: string, init: DiagnosticInit): void {
    this.error(code, message, { ...init, severity: 'warning' });
  }

  /** Adds the diagnostic unless the same code and message were already reported at the same place (constant time). */
  add(diagnostic: Diagnostic): void {
    const key = JSON.stringify([diagnostic.code, diagnostic.message, diagnostic.span.file, diagnostic.span.start]);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push(diagnostic);
    if (diagnostic.severity === 'error') this.errors++;
  }

  get hasErrors(): boolean {
    return this.errors > 0;
  }

  /** Errors counted so far: a stage compares counts to know whether it added any. */
  get errorCount(): number {
    return this.errors;
  }

  sorted(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
