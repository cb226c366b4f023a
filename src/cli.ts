// The `modelc` command line: arguments, files, printing, exit codes (0 ok, 1 errors, 2 usage).
import { parseArgs } from 'node:util';
import { build } from './commands/build.js';
import { check } from './commands/check.js';
import { run } from './commands/run.js';
import { summary } from './commands/summary.js';
import type { Host } from './host.js';

const usage = `Usage: modelc <command> [options]

Commands:
  check SPEC_OR_DIR... [--format json] validate specs and infer shapes; print diagnostics
  build SPEC_OR_DIR... [--out DIR]     compile specs to DIR/<name>.ts (default: generated/)
        [--engine js]                  the TypeScript path alone (default: with WebAssembly SIMD kernels too)
  summary SPEC [--format json]         print layers, output shapes and parameter counts
  run SPEC --input IN.json [--weights W.json] [--output OUT.json]
                                       compile, run the generated module, print the outputs

Exit codes: 0 success, 1 errors in a spec or its inputs, 2 bad usage.
`;

export async function main(argv: readonly string[], host: Host): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? host.stderr : host.stdout)(usage);
    return command === undefined ? 2 : 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        input: { type: 'string' },
        weights: { type: 'string' },
        output: { type: 'string' },
        engine: { type: 'string' },
      },
    });
  } catch (error) {
    return usageError(host, (error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usageError(host, `--format must be "text" or "json", not "${format}".`);
  const allowed: Record<string, readonly string[]> = { check: ['format'], build: ['out', 'engine'], summary: ['format'], run: ['input', 'weights', 'output'] };
  if (!(command in allowed)) return usageError(host, `unknown command "${command}".`);
  const extra = Object.keys(values).find((k) => !allowed[command]!.includes(k));
  if (extra) return usageError(host, `${command} does not take --${extra}.`);
  switch (command) {
    case 'check':
      if (positionals.length === 0) return usageError(host, 'check needs at least one SPEC.');
      return check(host, positionals, format);
    case 'build':
      if (positionals.length === 0) return usageError(host, 'build needs at least one SPEC or folder.');
      if (values.engine !== undefined && values.engine !== 'js' && values.engine !== 'wasm') return usageError(host, `--engine must be "js" or "wasm", not "${values.engine}".`);
      return build(host, positionals, values.out ?? 'generated', values.engine);
    case 'summary':
      if (positionals.length !== 1) return usageError(host, 'summary takes exactly one SPEC.');
      return summary(host, positionals[0]!, format);
    default:
      if (positionals.length !== 1) return usageError(host, 'run takes exactly one SPEC.');
      if (values.input === undefined) return usageError(host, 'run needs --input IN.json.');
      return run(host, positionals[0]!, { input: values.input, weights: values.weights, output: values.output });
  }
}

function usageError(host: Host, message: string): number {
  host.stderr(`modelc: ${message}\n\n${usage}`);
  return 2;
}
