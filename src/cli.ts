// The `modelc` command line: arguments, files, printing, exit codes (0 ok, 1 errors, 2 usage).
// Conventions of tsc and esbuild: `--version`, `--help` and `<command> --help`, a did-you-mean
// for an unknown option or command, `--color`/`--no-color` over NO_COLOR over the terminal, and
// `--quiet`. Arguments are read by node:util's parseArgs (its tokens, so that the messages are ours).
// The commands are imported when run, so `--version` and `--help` do not load the compiler.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closest } from './diagnostics/suggest.js';
import type { Host } from './host.js';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's placeholder in help (`DIR`), for string options. */
  readonly value?: string;
  readonly help: string;
}

interface CommandSpec {
  readonly args: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
}

const format: OptionSpec = { type: 'string', value: 'text|json', help: 'print as text (default) or as JSON' };

const watch: OptionSpec = { type: 'boolean', short: 'w', help: 'run again whenever a spec or its weights file changes (Ctrl-C stops)' };

const commands: Readonly<Record<string, CommandSpec>> = {
  check: {
    args: 'SPEC_OR_DIR...',
    summary: 'validate specs and infer shapes; print diagnostics',
    options: { format: { ...format, help: 'diagnostics as text (default) or as a JSON list' }, watch },
    examples: ['modelc check models', 'modelc check model.yaml --format json', 'modelc check models --watch'],
  },
  build: {
    args: 'SPEC_OR_DIR...',
    summary: 'compile specs to DIR/<name>.ts (all or nothing)',
    options: {
      out: { type: 'string', value: 'DIR', help: 'where to write the modules (default: generated)' },
      types: { type: 'boolean', help: "also write x.d.yaml.ts beside each spec x.yaml: types for modelc/plugin's imports" },
      engine: { type: 'string', value: 'js|wasm', help: 'js: the TypeScript path alone; wasm (default): with the WebAssembly SIMD engine too' },
      'no-embed-weights': { type: 'boolean', help: 'do not embed the spec\'s weights: the module has no defaultWeights(); load them with loadWeights or loadSafetensors' },
      watch,
    },
    examples: ['modelc build models --out src/generated', 'modelc build models --out src/generated --watch'],
  },
  summary: {
    args: 'SPEC',
    summary: "print layers, output shapes and parameter counts, like Keras's model.summary()",
    options: { format },
    examples: ['modelc summary model.yaml', 'modelc summary model.yaml --format json'],
  },
  run: {
    args: 'SPEC --input IN.json',
    summary: 'compile, run the generated module, print the outputs',
    options: {
      input: { type: 'string', value: 'IN.json', help: 'input name -> nested array, or a list of calls' },
      weights: { type: 'string', value: 'W.json', help: "weights to use instead of the module's own" },
      output: { type: 'string', value: 'OUT.json', help: 'write the outputs here (default: standard output)' },
    },
    examples: ['modelc run model.yaml --input in.json --output out.json'],
  },
  import: {
    args: 'MODEL',
    summary: 'a trained Keras (.keras, .h5) or TensorFlow.js (model.json) model -> DIR/NAME.yaml and DIR/NAME.safetensors',
    options: {
      out: { type: 'string', value: 'DIR', help: 'where to write the spec and its weights (default: the current folder)' },
      name: { type: 'string', value: 'NAME', help: "the spec's base name (default: the model file's)" },
    },
    examples: ['modelc import model.keras --out models', 'modelc import model.json --out models --name classifier'],
  },
  plot: {
    args: 'SPEC',
    summary: "draw the model as an SVG picture, like Keras's plot_model",
    options: {
      output: { type: 'string', short: 'o', value: 'FILE.svg', help: 'where to write it (default: <model name>.svg; - for standard output)' },
      rankdir: { type: 'string', value: 'TB|LR', help: 'top to bottom (default) or left to right' },
    },
    examples: ['modelc plot model.yaml -o model.svg', 'modelc plot model.yaml --rankdir LR -o -'],
  },
};

const globalOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', help: 'show help (for a command: modelc <command> --help)' },
  version: { type: 'boolean', short: 'v', help: 'print the version of modelc' },
  color: { type: 'boolean', help: 'colour the output (default: on a terminal, unless NO_COLOR is set)' },
  'no-color': { type: 'boolean', help: 'do not colour the output' },
  quiet: { type: 'boolean', short: 'q', help: 'print only diagnostics and results, no progress lines' },
};

/** The package's version, from its package.json (one folder above src/ and dist/ alike). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Option tables under their headings, in one column width. */
function optionLines(...groups: [heading: string, options: Readonly<Record<string, OptionSpec>>][]): string[] {
  const left = (name: string, o: OptionSpec) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
  const width = Math.max(...groups.flatMap(([, options]) => Object.entries(options).map(([name, o]) => left(name, o).length)));
  return groups.flatMap(([heading, options], i) => [
    ...(i > 0 ? [''] : []),
    `${heading}:`,
    ...Object.entries(options).map(([name, o]) => `  ${left(name, o).padEnd(width)}  ${o.help}`),
  ]);
}

function usage(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length));
  const argsWidth = Math.max(...names.map((n) => commands[n]!.args.length));
  return [
    `modelc ${version()}: compile Keras-style YAML model specs to typed, dependency-free TypeScript.`,
    '',
    'Usage: modelc <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.args.padEnd(argsWidth)}  ${commands[n]!.summary}`),
    '',
    ...optionLines(['Options', globalOptions]),
    '',
    "Run 'modelc <command> --help' for a command's options.",
    'Exit codes: 0 success, 1 errors in a spec or its inputs, 2 bad usage.',
    '',
  ].join('\n');
}

function commandUsage(name: string): string {
  const c = commands[name]!;
  return [
    `Usage: modelc ${name} ${c.args} [options]`,
    '',
    `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`,
    '',
    ...optionLines(['Options', c.options], ['Global options', globalOptions]),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** A usage mistake: message, exit 2. */
class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
  /** The colour asked for on the command line, if any (the last of --color / --no-color). */
  readonly color?: boolean;
}

/** Read `args` against `options`; an unknown option is a UsageError with a did-you-mean. */
function parse(args: readonly string[], options: Readonly<Record<string, OptionSpec>>, command: string | undefined): Parsed {
  const config = Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
  const { tokens } = parseArgs({ args: [...args], options: config, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  let color: boolean | undefined;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) {
      throw new UsageError(unknownOption(token.rawName, token.name, options, command), command);
    }
    if (spec.type === 'string') {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-')) throw new UsageError(`Option '--${token.name}' needs a value: --${token.name} ${spec.value ?? 'VALUE'}.`, command);
      values[token.name] = token.value;
    } else {
      if (token.value !== undefined) throw new UsageError(`Option '--${token.name}' takes no value.`, command);
      if (token.name === 'color' || token.name === 'no-color') color = token.name === 'color';
      else values[token.name] = true;
    }
  }
  return color === undefined ? { values, positionals } : { values, positionals, color };
}

function unknownOption(raw: string, name: string, options: Readonly<Record<string, OptionSpec>>, command: string | undefined): string {
  const message = `Unknown option '${raw}'.`;
  if (raw.startsWith('--')) {
    const match = closest(name, Object.keys(options));
    if (match !== undefined) return `${message} Did you mean '--${match}'?`;
    const owners = Object.keys(commands).filter((c) => name in commands[c]!.options);
    if (command !== undefined && owners.length > 0) return `${message} '${command}' does not take it; ${owners.map((o) => `'${o}'`).join(' and ')} ${owners.length > 1 ? 'do' : 'does'}.`;
  }
  return message;
}

export async function main(argv: readonly string[], host: Host): Promise<number> {
  const first = argv.findIndex((a) => !a.startsWith('-'));
  const name = first === -1 ? undefined : argv[first];
  let command: string | undefined;
  try {
    if (name !== undefined && name !== 'help' && !(name in commands)) {
      const match = closest(name, Object.keys(commands));
      throw new UsageError(`Unknown command '${name}'.${match ? ` Did you mean '${match}'?` : ''}`);
    }
    command = name === 'help' ? undefined : name;
    const rest = first === -1 ? argv : [...argv.slice(0, first), ...argv.slice(first + 1)];
    const options = command === undefined ? globalOptions : { ...commands[command]!.options, ...globalOptions };
    const parsed = parse(rest, options, command);
    const { values, positionals } = parsed;
    if (values.version) {
      host.stdout(`${version()}\n`);
      return 0;
    }
    if (name === 'help') {
      // `modelc help` and `modelc help <command>`.
      const topic = positionals[0];
      if (topic !== undefined && !(topic in commands)) throw new UsageError(`Unknown command '${topic}'.`);
      host.stdout(topic === undefined ? usage() : commandUsage(topic));
      return 0;
    }
    if (values.help) {
      host.stdout(command === undefined ? usage() : commandUsage(command));
      return 0;
    }
    if (command === undefined) {
      host.stderr(usage());
      return 2;
    }
    const out: Host = { ...host, color: parsed.color ?? host.color, quiet: values.quiet === true || host.quiet === true };
    const fmt = (values.format as string | undefined) ?? 'text';
    if (fmt !== 'text' && fmt !== 'json') throw new UsageError(`--format must be "text" or "json", not "${fmt}".`, command);
    const string = (key: string) => values[key] as string | undefined;
    if (values.watch && fmt === 'json') throw new UsageError('--watch prints text: use it without --format json.', command);
    switch (command) {
      case 'check': {
        if (positionals.length === 0) throw new UsageError('check needs at least one SPEC.', command);
        const { check, checkOnce } = await import('./commands/check.js');
        if (!values.watch) return check(out, positionals, fmt);
        const { watch } = await import('./watch/watch.js');
        return watch(out, { paths: positionals, run: (h) => checkOnce(h, positionals, 'text', false), ...(host.signal ? { signal: host.signal } : {}) });
      }
      case 'build': {
        if (positionals.length === 0) throw new UsageError('build needs at least one SPEC or folder.', command);
        const { build, buildOnce } = await import('./commands/build.js');
        const outDir = string('out') ?? 'generated';
        const types = values.types === true;
        const embedWeights = values['no-embed-weights'] !== true;
        const engine = string('engine');
        if (engine !== undefined && engine !== 'js' && engine !== 'wasm') throw new UsageError(`--engine must be "js" or "wasm", not "${engine}".`, command);
        if (!values.watch) return build(out, positionals, outDir, types, embedWeights, engine);
        const { watch } = await import('./watch/watch.js');
        return watch(out, { paths: positionals, run: (h) => buildOnce(h, positionals, outDir, false, types, embedWeights, engine), ...(host.signal ? { signal: host.signal } : {}) });
      }
      case 'summary':
        if (positionals.length !== 1) throw new UsageError('summary takes exactly one SPEC.', command);
        return (await import('./commands/summary.js')).summary(out, positionals[0]!, fmt);
      case 'plot': {
        if (positionals.length !== 1) throw new UsageError('plot takes exactly one SPEC.', command);
        const rankdir = string('rankdir') ?? 'TB';
        if (rankdir !== 'TB' && rankdir !== 'LR') throw new UsageError(`--rankdir must be TB or LR, not "${rankdir}".`, command);
        return (await import('./commands/plot.js')).plot(out, positionals[0]!, { output: string('output'), rankdir });
      }
      case 'import':
        if (positionals.length !== 1) throw new UsageError('import takes exactly one MODEL file.', command);
        // Loaded on demand: the zip and HDF5 readers would slow every other command's start.
        return (await import('./commands/import.js')).importCommand(out, positionals[0]!, { out: string('out'), name: string('name') });
      default:
        if (positionals.length !== 1) throw new UsageError('run takes exactly one SPEC.', command);
        if (string('input') === undefined) throw new UsageError('run needs --input IN.json.', command);
        return (await import('./commands/run.js')).run(out, positionals[0]!, { input: string('input')!, weights: string('weights'), output: string('output') });
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    host.stderr(`modelc: ${error.message}\nRun 'modelc ${error.command ?? command ?? ''}${error.command ?? command ? ' ' : ''}--help' for usage.\n`);
    return 2;
  }
}
