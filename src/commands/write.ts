// The commands' one way to write files: all or nothing through src/files/commit.ts, and a write
// failure printed as a diagnostic (`gen/a.ts:1:1 - error MC1007: ...` and a hint), with paths
// relative to the working folder as the user gave them.
import { sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { writeAll, type OutputFile } from '../files/commit.js';
import { WriteError } from '../files/write-error.js';
import type { Host } from '../host.js';

/** Paths under the host's folder, relative to it. */
function near(host: Host, text: string): string {
  return text.split(host.cwd.endsWith(sep) ? host.cwd : `${host.cwd}${sep}`).join('');
}

/** The write failure as a diagnostic of the catalogue, at the path it concerns. */
export function writeDiagnostic(host: Host, error: WriteError): Diagnostic {
  return { code: error.code, severity: 'error', message: near(host, error.message), hint: near(host, error.hint), span: { file: near(host, error.path), start: 0, end: 0 }, related: [] };
}

/** Writes every file or none; on failure prints the diagnostic and returns it. */
export function writeOutputs(host: Host, folder: string, outputs: readonly OutputFile[]): WriteError | undefined {
  try {
    writeAll(folder, outputs);
    return undefined;
  } catch (error) {
    if (!(error instanceof WriteError)) throw error;
    host.stderr(formatDiagnostic(writeDiagnostic(host, error), { color: host.color, sources: new Map() }));
    return error;
  }
}
