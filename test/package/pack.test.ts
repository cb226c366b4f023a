// The package as a user gets it: `npm pack` the built tree, install the tarball into a fresh
// project with `npm install` (only the npm registry, through npm's cache when it can), and there
// run every command through `npx modelc`, type-check the generated module and a consumer of the
// library with that project's own `tsc`, then run both with node. CI tests the checkout; this is
// the one test that sees what `files` in package.json leaves out.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { compile } from '../../src/index.ts';

const repo = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; version: string };
let work = '';
let project = '';
let tarball = '';

/** The environment without the npm_* variables `npm test` sets, so nested npm runs behave as a user's. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1' };
}

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  expect(r.error, `${what}: ${r.error?.message}`).toBeUndefined();
  expect(r.status, `${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

const modelc = (...args: string[]) => sh('npx', ['--no', '--', 'modelc', ...args], project);

/** Every .ts under src/, newest modification time. */
function newestSource(dir: string): number {
  return Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestSource(join(dir, e.name)) : e.name.endsWith('.ts') ? statSync(join(dir, e.name)).mtimeMs : 0)));
}

beforeAll(() => {
  // `npm test` builds first; a stale dist/ would test old code, so say so instead.
  const built = join(repo, 'dist', 'cli.js');
  expect(existsSync(built) && statSync(built).mtimeMs >= newestSource(join(repo, 'src')), 'dist/ is missing or older than src/: run `npm run build` (npm test does)').toBe(true);
  work = mkdtempSync(join(tmpdir(), 'modelc-pack-'));
  const packed = JSON.parse(ok(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo), 'npm pack')) as { filename: string; size: number; files: { path: string }[] }[];
  tarball = join(work, packed[0]!.filename);
  writeFileSync(join(work, 'pack.json'), JSON.stringify(packed[0], null, 2));
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'modelc-consumer', private: true, type: 'module' }, null, 2));
  ok(sh('npm', ['install', tarball, 'typescript@~6.0.3', '@types/node@^20', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project), 'npm install');
}, 240_000);

afterAll(() => {
  if (work && !process.env.MODELC_KEEP_PACK) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships dist (with the embedded runtime sources), bin and schemas, and no src/ or tests', () => {
    expect(basename(tarball)).toBe(`${pkg.name}-${pkg.version}.tgz`);
    const files = (JSON.parse(readFileSync(join(work, 'pack.json'), 'utf8')) as { files: { path: string }[] }).files.map((f) => f.path);
    expect(files).toContain('bin/modelc.js');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/runtime/sources.json');
    expect(files).toContain('schemas/model.schema.json');
    expect(files.filter((f) => /^(src|test|models|generated|bench)\//.test(f) || f.endsWith('.map'))).toEqual([]);
    // The embedded kernels are today's src/runtime, byte for byte.
    const embedded = JSON.parse(readFileSync(join(project, 'node_modules/modelc/dist/runtime/sources.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(embedded).length).toBeGreaterThan(3);
    for (const [file, text] of Object.entries(embedded)) expect(text, file).toBe(readFileSync(join(repo, 'src/runtime', `${file}.ts`), 'utf8'));
  });

  it('installs only its declared dependencies', () => {
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/modelc/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).sort()).toEqual(['@dagrejs/dagre', 'ajv', 'chokidar', 'fflate', 'jsfive', 'typescript', 'unplugin', 'yaml']);
  });
});

describe('npx modelc in a fresh project', () => {
  beforeAll(() => {
    copyFileSync(join(repo, 'models/seed_lstm_state.yaml'), join(project, 'seed_lstm_state.yaml'));
    copyFileSync(join(repo, 'models/errors/time_distributed_2d.yaml'), join(project, 'broken.yaml'));
    // A spec with a weights file, so the numbers are known: relu(x·kernel + bias).
    writeFileSync(join(project, 'tiny.yaml'), 'name: tiny\ninputs:\n  x: { shape: [3] }\nweights: tiny.weights.json\nlayers:\n  - name: dense\n    type: Dense\n    units: 2\n    activation: relu\n');
    writeFileSync(join(project, 'tiny.weights.json'), JSON.stringify({ dense: { kernel: [[1, 0], [0, -1], [1, 1]], bias: [0.5, 0] } }));
    writeFileSync(join(project, 'tiny.in.json'), JSON.stringify({ x: [[1, 2, 3], [0, 5, 1]] }));
    const x = Array.from({ length: 25 }, (_, t) => [Math.sin(t / 3)]);
    writeFileSync(join(project, 'seed.in.json'), JSON.stringify({ x: Array.from({ length: 32 }, (_, b) => x.map(([v]) => [v! * (1 + b / 32)])) }));
  });

  it('--version prints the version in package.json', () => {
    expect(ok(modelc('--version'), '--version')).toBe(`${pkg.version}\n`);
  }, 60_000);

  it('check: exit 0 on a good spec; a broken one gets file:line:col diagnostics and exit 1, no stack trace', () => {
    expect(ok(modelc('check', 'seed_lstm_state.yaml', 'tiny.yaml'), 'check')).toContain('2 specs checked: no errors.');
    const bad = modelc('check', 'broken.yaml');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^broken\.yaml:12:5 - error MC4002: /);
    expect(bad.stdout + bad.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);

  it('build writes the same modules as the checkout', () => {
    ok(modelc('build', 'seed_lstm_state.yaml', 'tiny.yaml', '--out', 'gen'), 'build');
    for (const name of ['seed_lstm_state', 'tiny']) {
      const spec = `${name}.yaml`;
      const local = compile(readFileSync(join(project, spec), 'utf8'), spec, { readWeights: (path) => readFileSync(join(project, path), 'utf8') });
      expect(readFileSync(join(project, `gen/${name}.ts`), 'utf8'), name).toBe(local.output!.text);
    }
  }, 60_000);

  it('summary prints the layer table and the totals', () => {
    const out = ok(modelc('summary', 'seed_lstm_state.yaml'), 'summary');
    expect(out).toContain('Model: "seed_lstm_state"');
    expect(out).toMatch(/lstm \(LSTM\) +\(32, 25, 20\), \(32, 20\), \(32, 20\) +1,760/);
    expect(out).toContain('Total params: 1,970');
    const json = JSON.parse(ok(modelc('summary', 'tiny.yaml', '--format', 'json'), 'summary json')) as { total_params: number };
    expect(json.total_params).toBe(8);
  }, 60_000);

  it('plot draws the same SVG as the checkout', async () => {
    ok(modelc('plot', 'seed_lstm_state.yaml', '-o', 'model.svg'), 'plot');
    let local = '';
    expect(await main(['plot', 'seed_lstm_state.yaml', '-o', '-'], { stdout: (t) => (local += t), stderr: (t) => (local += t), cwd: project, color: false })).toBe(0);
    expect(readFileSync(join(project, 'model.svg'), 'utf8')).toBe(local);
    expect(local).toContain('>lstm (LSTM)</text>');
  }, 60_000);

  it("exports modelc/plugin, an unplugin with a plugin per bundler", () => {
    const script = "import modelc from 'modelc/plugin'; console.log(JSON.stringify(['vite', 'rollup', 'esbuild', 'webpack', 'rspack'].map((b) => typeof modelc[b])), modelc.esbuild().name);";
    expect(ok(sh('node', ['--input-type=module', '-e', script], project), 'import modelc/plugin')).toBe('["function","function","function","function","function"] modelc\n');
  }, 60_000);

  it('run computes the known numbers, and the LSTM the same numbers as the checkout', async () => {
    expect(JSON.parse(ok(modelc('run', 'tiny.yaml', '--input', 'tiny.in.json'), 'run tiny'))).toEqual({ dense: [[4.5, 1], [1.5, 0]] });
    const installed = ok(modelc('run', 'seed_lstm_state.yaml', '--input', 'seed.in.json'), 'run seed');
    let local = '';
    expect(await main(['run', 'seed_lstm_state.yaml', '--input', 'seed.in.json'], { stdout: (t) => (local += t), stderr: (t) => (local += t), cwd: project, color: false })).toBe(0);
    expect(installed).toBe(local);
  }, 60_000);

  it("type-checks the generated modules and a library consumer with the project's tsc, and runs them", () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUnusedLocals: true, skipLibCheck: false, types: ['node'], outDir: 'out', rootDir: '.' },
      include: ['gen', 'main.ts'],
    }, null, 2));
    writeFileSync(join(project, 'main.ts'), `
import { readFileSync } from 'node:fs';
import { compile, compileFile, formatDiagnostics, type CompileResult } from 'modelc';
import { Model, inputShapes, outputShapes } from './gen/seed_lstm_state.js';
import * as tiny from './gen/tiny.js';

// The generated module, through its typed API.
const x = new Float32Array(32 * 25 * 1).fill(0.25);
const model = new Model();
const out = model.predict({ x });
const tinyOut = new tiny.Model().predict({ x: Float32Array.from([1, 2, 3]) });

// The library.
const good: CompileResult = compile(readFileSync('seed_lstm_state.yaml', 'utf8'), 'seed_lstm_state.yaml');
const bad = compileFile('broken.yaml');
console.log(JSON.stringify({
  inputShapes, outputShapes,
  lengths: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length])),
  finite: Object.values(out).every((v) => v.every(Number.isFinite)),
  tiny: Array.from(tinyOut.dense),
  sameText: good.output?.text === readFileSync('gen/seed_lstm_state.ts', 'utf8'),
  badCodes: bad.diagnostics.map((d) => d.code),
  badText: formatDiagnostics(bad).split('\\n')[0],
}));
`);
    ok(sh('npx', ['--no', '--', 'tsc', '-p', '.'], project), 'tsc');
    const result = JSON.parse(ok(sh('node', ['out/main.js'], project), 'node out/main.js')) as Record<string, unknown>;
    expect(result).toEqual({
      inputShapes: { x: [32, 25, 1] },
      outputShapes: { lstm: [32, 25, 20], lstm_h: [32, 20], lstm_c: [32, 20], head: [32, 25, 10] },
      lengths: { lstm: 32 * 25 * 20, lstm_h: 32 * 20, lstm_c: 32 * 20, head: 32 * 25 * 10 },
      finite: true,
      tiny: [4.5, 1],
      sameText: true,
      badCodes: ['MC4002'],
      badText: expect.stringMatching(/^broken\.yaml:12:5 - error MC4002: TimeDistributed layer "head"/),
    });
  }, 120_000);
});
