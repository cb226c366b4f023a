// What an import reports: a list of problems, each with an MC7xxx (or MC5xxx) code and a message
// that names the layer, its class and what is supported. Readers throw ImportFailure for a file
// they cannot go on reading; the converter collects every problem of the model in one run.
import type { Code } from '../diagnostics/codes.js';

export interface ImportProblem {
  readonly code: Code;
  readonly message: string;
  readonly hint?: string | undefined;
}

/** Thrown by a reader that cannot go on (a damaged archive or HDF5 file); carries its problems. */
export class ImportFailure extends Error {
  constructor(readonly problems: readonly ImportProblem[]) {
    super(problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  }
}

export function fail(code: Code, message: string, hint?: string): never {
  throw new ImportFailure([{ code, message, hint }]);
}

/** The text of an error of any kind, for wrapping a library's failure into a problem. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return (text ?? String(error)).replace(/\s+/g, ' ').slice(0, 200);
}
