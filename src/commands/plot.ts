// `modelc plot SPEC [-o FILE.svg] [--rankdir TB|LR]`: the model as an SVG picture (see src/plot/).
// Default output: <model name>.svg in the current folder; `-o -` writes to standard output.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Host } from '../host.js';
import { plotSvg } from '../plot/plot.js';
import { compileFile, report } from './load.js';
import { writeOutputs } from './write.js';

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
  if (writeOutputs(host, dirname(target), [{ path: target, data: svg }])) return 1;
  if (!host.quiet) host.stdout(`${file} -> ${output}\n`);
  return 0;
}
