// `modelc plot SPEC [-o FILE.svg] [--rankdir TB|LR]`: the model as an SVG picture (see src/plot/).
// Default output: <model name>.svg in the current folder; `-o -` writes to standard output.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Host } from '../host.js';
import { plotSvg } from '../plot/plot.js';
import { compileFile, report } from './load.js';

export function plot(host: Host, file: string, options: { output?: string | undefined; rankdir: 'TB' | 'LR' }): number {
  const compiled = compileFile(host, file);
  const { graph, types } = compiled.result;
  if (report(host, [compiled], 'text', 'stderr') || !graph || !types) return 1;
  const svg = plotSvg(graph, types, { rankdir: options.rankdir });
  const output = options.output ?? `${graph.name}.svg`;
  if (output === '-') {
    host.stdout(svg);
    return 0;
  }
  const target = isAbsolute(output) ? output : resolve(host.cwd, output);
  try {
    const temporary = join(dirname(target), `.modelc-tmp-${process.pid}-plot.svg`);
    writeFileSync(temporary, svg);
    renameSync(temporary, target);
  } catch (error) {
    host.stderr(`error MC6002: cannot write ${output}: ${(error as Error).message}\n`);
    return 1;
  }
  if (!host.quiet) host.stdout(`${file} -> ${output}\n`);
  return 0;
}
