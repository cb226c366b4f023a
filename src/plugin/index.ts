// `modelc/plugin`: one bundler plugin for Vite, Rollup, esbuild, webpack and Rspack, built on
// unplugin. `import { Model, inputShapes } from './seed.model.yaml'` compiles the spec at build
// time (to JavaScript: the generated module, transpiled); a spec error is a build error with
// file, line, column and the code frame; the spec's weights file is watched (addWatchFile), so
// editing either rebuilds. Types for the import come from the sidecar `seed.model.d.yaml.ts` that
// `modelc build --types` writes (TypeScript's `allowArbitraryExtensions`).
//
//   import modelc from 'modelc/plugin';
//   export default { plugins: [modelc.vite()] };          // vite.config.ts
//   await esbuild.build({ ..., plugins: [modelc.esbuild()] });
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import ts from 'typescript';
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { compile } from '../compile.js';
import { codeFrame, formatDiagnostic, location } from '../diagnostics/format.js';
import type { SourceFile } from '../source/source-file.js';

export interface ModelcPluginOptions {
  /** Which imports are specs (matched against the file path). Default: files ending in `.model.yaml`, `.model.yml` or `.model.json`. */
  readonly include?: RegExp;
}

const defaultInclude = /\.model\.(ya?ml|json)$/;

/** The path without a query (`?raw`) or hash, as bundlers may append them. */
const cleanId = (id: string) => id.replace(/[?#].*$/, '');

/** A spec's generated module as JavaScript, or the text of its first error and where it is. */
export function compileSpecToJs(file: string, watch: (path: string) => void = () => {}) {
  const text = readFileSync(file, 'utf8');
  // Diagnostics name the spec relative to the working folder when it is inside it.
  const near = relative(process.cwd(), file);
  const name = near && !near.startsWith('..') && !isAbsolute(near) ? near : file;
  const result = compile(text, name, {
    readWeights: (path) => {
      const full = join(dirname(file), path);
      watch(full);
      try {
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.output) {
    const sources = new Map<string, SourceFile>([result.source, ...(result.extraSources ?? [])].map((s) => [s.path, s] as const));
    const first = errors[0]!;
    const at = location(first.span, sources);
    return {
      error: {
        message: errors.map((d) => formatDiagnostic(d, { color: false, sources })).join('\n').trimEnd(),
        file: first.span.file === name ? file : join(dirname(file), relative(dirname(name), first.span.file)),
        line: at.line,
        column: at.column,
        frame: codeFrame(first.span, { color: false, sources }).join('\n'),
      },
    } as const;
  }
  const js = ts.transpileModule(result.output.text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: result.output.fileName }).outputText;
  return { js } as const;
}

export const unpluginModelc: UnpluginInstance<ModelcPluginOptions | undefined, false> = createUnplugin((options: ModelcPluginOptions | undefined) => {
  const include = options?.include ?? defaultInclude;
  return {
    name: 'modelc',
    // Before any generic YAML or JSON plugin takes the file.
    enforce: 'pre',
    loadInclude: (id) => include.test(cleanId(id)),
    load(id) {
      const file = cleanId(id);
      const compiled = compileSpecToJs(file, (path) => this.addWatchFile(path));
      if ('error' in compiled && compiled.error) {
        const { message, file: at, line, column, frame } = compiled.error;
        // Rollup and Vite read `loc` and `frame` (Vite's overlay shows them); the message itself
        // carries `file:line:col - error MCxxxx` for esbuild, webpack and terminals.
        // Thrown, not this.error(): unplugin's esbuild adapter would only record it and let esbuild
        // try its own loader; Rollup and Vite keep `loc`, `frame` and `id` of a thrown error.
        throw Object.assign(new Error(message), { id: at, loc: { file: at, line, column: column - 1 }, frame, plugin: 'modelc' });
      }
      return { code: compiled.js!, map: null };
    },
  };
});

export default unpluginModelc;
