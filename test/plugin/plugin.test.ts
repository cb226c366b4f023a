// `modelc/plugin`: a small project bundled by Vite and by esbuild through the plugin, the bundle
// run in Node; a spec error as a build error with file, line, column and frame; a rebuild when
// the weights file changes (Vite's watch mode, through addWatchFile); and the types of the import
// from the sidecar `modelc build --types` writes, checked by tsc with allowArbitraryExtensions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { build as viteBuild, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import modelc from '../../src/plugin/index.ts';

const spec = 'name: tiny\ninputs:\n  x: { shape: [3] }\nweights: w.json\nlayers:\n  - name: dense\n    type: Dense\n    units: 2\n    activation: relu\n';
const weights = (bias: number) => JSON.stringify({ dense: { kernel: [[1, 0], [0, -1], [1, 1]], bias: [bias, 0] } });
const entry = `import { Model, inputShapes, outputShapes } from './seed.model.yaml';
const out = new Model().predict({ x: Float32Array.from([1, 2, 3]) });
export const result = { inputShapes, outputShapes, dense: Array.from(out.dense) };
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-plugin-'));
  writeFileSync(join(dir, 'seed.model.yaml'), spec);
  writeFileSync(join(dir, 'w.json'), weights(0.5));
  writeFileSync(join(dir, 'main.js'), entry);
  return dir;
}

const expected = { inputShapes: { x: [null, 3] }, outputShapes: { dense: [null, 2] }, dense: [4.5, 1] };
// The bundle's text through a data: URL: a fresh module every time (no module cache by path).
const run = async (file: string) => ((await import(`data:text/javascript;base64,${Buffer.from(readFileSync(file)).toString('base64')}`)) as { result: unknown }).result;

function viteConfig(dir: string, extra: Record<string, unknown> = {}) {
  return {
    root: dir,
    configFile: false as const,
    logLevel: 'silent' as const,
    plugins: [modelc.vite()],
    build: { lib: { entry: join(dir, 'main.js'), formats: ['es' as const], fileName: () => 'bundle.js' }, outDir: join(dir, 'out'), minify: false, emptyOutDir: true, ...extra },
  };
}

describe('modelc/plugin', () => {
  it('Vite bundles an app that imports a spec; the bundle runs and computes the numbers', async () => {
    const dir = project();
    await viteBuild(viteConfig(dir));
    const bundle = readFileSync(join(dir, 'out/bundle.js'), 'utf8');
    expect(bundle).not.toMatch(/^import /m);
    expect(await run(join(dir, 'out/bundle.js'))).toEqual(expected);
  }, 60_000);

  it('esbuild bundles it too', async () => {
    const dir = project();
    await esbuild.build({ entryPoints: [join(dir, 'main.js')], bundle: true, format: 'esm', platform: 'neutral', outfile: join(dir, 'out.js'), plugins: [modelc.esbuild()], logLevel: 'silent' });
    expect(await run(join(dir, 'out.js'))).toEqual(expected);
  }, 60_000);

  it('a spec error is a build error with file, line, column and code frame (Vite and esbuild)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'seed.model.yaml'), readFileSync('models/errors/time_distributed_2d.yaml', 'utf8'));
    type RollupError = { message: string; loc?: { line: number; column: number; file?: string }; frame?: string; id?: string; errors?: RollupError[] };
    const failure = (await viteBuild(viteConfig(dir)).then(() => undefined, (e: unknown) => e)) as RollupError | undefined;
    expect(failure, 'the Vite build should fail').toBeDefined();
    // Vite 8 (rolldown) wraps the plugin's errors in `errors`; Rollup gives the error itself.
    const viteError = failure!.errors?.[0] ?? failure;
    expect(viteError!.message).toContain('seed.model.yaml:12:5 - error MC4002');
    // Rollup's convention: 1-based line, 0-based column.
    expect(viteError!.loc).toMatchObject({ file: join(dir, 'seed.model.yaml'), line: 12, column: 4 });
    expect(viteError!.frame).toContain('12   - name: head');
    const esbuildError = (await esbuild.build({ entryPoints: [join(dir, 'main.js')], bundle: true, write: false, plugins: [modelc.esbuild()], logLevel: 'silent' }).then(() => undefined, (e: unknown) => e)) as esbuild.BuildFailure | undefined;
    expect(esbuildError, 'the esbuild build should fail').toBeDefined();
    expect(esbuildError!.errors[0]!.text).toContain('seed.model.yaml:12:5 - error MC4002');
  }, 60_000);

  it('rebuilds when the weights file changes (Vite watch mode, addWatchFile)', async () => {
    const dir = project();
    const watcher = (await viteBuild(viteConfig(dir, { watch: {} }))) as Rollup.RollupWatcher;
    try {
      let builds = 0;
      let failed: unknown;
      watcher.on('event', (event) => {
        if (event.code === 'BUNDLE_END') {
          builds++;
          void event.result.close();
        }
        if (event.code === 'ERROR') failed = event.error;
      });
      const waitFor = async (n: number) => {
        const deadline = Date.now() + 30_000;
        while (builds < n) {
          if (failed) throw failed;
          if (Date.now() > deadline) throw new Error(`no build ${n} within 30 s`);
          await new Promise((wake) => setTimeout(wake, 50));
        }
      };
      await waitFor(1);
      expect(((await run(join(dir, 'out/bundle.js'))) as { dense: number[] }).dense).toEqual([4.5, 1]);
      await new Promise((wake) => setTimeout(wake, 300));
      writeFileSync(join(dir, 'w.json'), weights(2));
      await waitFor(2);
      expect(((await run(join(dir, 'out/bundle.js'))) as { dense: number[] }).dense).toEqual([6, 1]);
    } finally {
      await watcher.close();
    }
  }, 90_000);

  it('`modelc build --types` writes the sidecar that types the import under allowArbitraryExtensions', async () => {
    const dir = project();
    let out = '';
    const code = await main(['build', 'seed.model.yaml', '--types', '--out', 'gen'], { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, color: false });
    expect(code, out).toBe(0);
    expect(out).toContain('seed.model.yaml -> gen/tiny.ts, seed.model.d.yaml.ts');
    const sidecar = readFileSync(join(dir, 'seed.model.d.yaml.ts'), 'utf8');
    expect(sidecar).toMatch(/^\/\/ DO NOT EDIT/);
    expect(sidecar).toContain('export declare class Model');
    writeFileSync(join(dir, 'app.ts'), `import { Model, inputShapes } from './seed.model.yaml';
const model = new Model();
const y: Float32Array = model.predict({ x: Float32Array.from([1, 2, 3]) }).dense;
const features: 3 = inputShapes.x[1];
// @ts-expect-error: the model has no input "z"
model.predict({ z: new Float32Array(3) });
export { y, features };
`);
    const program = ts.createProgram([join(dir, 'app.ts')], { strict: true, noEmit: true, allowArbitraryExtensions: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    // Without the sidecar the import has no types: the check is not vacuous.
    writeFileSync(join(dir, 'seed.model.d.yaml.ts'), '');
    const without = ts.getPreEmitDiagnostics(ts.createProgram([join(dir, 'app.ts')], program.getCompilerOptions()));
    expect(without.length).toBeGreaterThan(0);
  }, 60_000);
});
