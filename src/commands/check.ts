// `modelc check SPEC... [--format json]`: validate and infer shapes, print diagnostics.
import type { Host } from '../host.js';
import { expandSpecs } from './build.js';
import { compileFile, report } from './load.js';

export function check(host: Host, paths: readonly string[], format: 'text' | 'json'): number {
  const files = expandSpecs(host, paths);
  // No code is emitted: every diagnostic comes from parsing, the schema, the graph, shapes and weights.
  const compiled = files.map((file) => compileFile(host, file, { emit: false }));
  const failed = report(host, compiled, format, 'stdout');
  if (!failed && format === 'text') host.stdout(`${files.length} spec${files.length === 1 ? '' : 's'} checked: no errors.\n`);
  return failed ? 1 : 0;
}
