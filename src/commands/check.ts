// `modelc check SPEC... [--format json]`: validate and infer shapes, print diagnostics.
import type { Host } from '../host.js';
import { expandSpecs, type Outcome } from './build.js';
import { compileFile, errorCount, report, weightsFiles } from './load.js';

export function check(host: Host, paths: readonly string[], format: 'text' | 'json'): number {
  return checkOnce(host, paths, format).code;
}

/** One check; `summary: false` leaves the last line to the caller (watch mode). */
export function checkOnce(host: Host, paths: readonly string[], format: 'text' | 'json', summary = true): Outcome {
  const files = expandSpecs(host, paths);
  // No code is emitted: every diagnostic comes from parsing, the schema, the graph, shapes and weights.
  const compiled = files.map((file) => compileFile(host, file, { emit: false }));
  const failed = report(host, compiled, format, 'stdout', summary);
  if (!failed && format === 'text' && summary && !host.quiet) host.stdout(`${files.length} spec${files.length === 1 ? '' : 's'} checked: no errors.\n`);
  return { code: failed ? 1 : 0, errors: errorCount(compiled), read: [...files, ...weightsFiles(compiled)] };
}
