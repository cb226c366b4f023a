// `modelc import MODEL [--out DIR] [--name NAME]`: a trained Keras model (a Keras 3 `.keras`
// archive or a legacy full-model `.h5`) -> DIR/NAME.yaml and DIR/NAME.safetensors. All or
// nothing: any problem writes nothing, and the two files are written as one transaction
// (src/files/commit.ts): both new, or both as they were.
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { writeAll } from '../files/commit.js';
import { WriteError } from '../files/write-error.js';
import { readBytes, type Host } from '../host.js';
import { importModel } from '../import/import-model.js';
import type { ImportProblem } from '../import/problems.js';

export interface ImportCommandOptions {
  readonly out?: string | undefined;
  readonly name?: string | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function importCommand(host: Host, file: string, options: ImportCommandOptions): number {
  const started = performance.now();
  const problems = (list: readonly ImportProblem[]): number => {
    for (const p of list) host.stderr(`${file} - error ${p.code}: ${p.message}\n${p.hint ? `\n  hint: ${p.hint}\n\n` : ''}`);
    host.stderr(`Found ${list.length} error${list.length === 1 ? '' : 's'}. Nothing was written.\n`);
    return 1;
  };
  const fallback = basename(file).replace(/\.(keras|h5|hdf5|json)$/i, '').replace(/[^A-Za-z0-9_-]/g, '_').replace(/^(?=[0-9-])/, '_') || 'model';
  const name = options.name ?? fallback;
  if (!NAME.test(name)) return problems([{ code: 'MC7010', message: `--name ${JSON.stringify(name)} cannot name a spec: use letters, digits, "_" and "-", not starting with a digit.` }]);
  const bytes = readBytes(host, file);
  if (bytes === undefined) return problems([{ code: 'MC7001', message: `Cannot read the model file "${file}".` }]);
  const weightsFile = `${name}.safetensors`;
  const folder = dirname(isAbsolute(file) ? file : resolve(host.cwd, file));
  const result = importModel(bytes, { file, name, weightsFile, readSibling: (path) => readBytes(host, join(folder, path)) });
  if ('problems' in result) return problems(result.problems);
  const outDir = options.out ?? '.';
  const out = isAbsolute(outDir) ? outDir : resolve(host.cwd, outDir);
  try {
    writeAll(out, [
      { path: join(out, `${name}.yaml`), data: result.specText },
      { path: join(out, weightsFile), data: result.weights },
    ]);
  } catch (error) {
    if (!(error instanceof WriteError)) throw error;
    return problems([{ code: 'MC7011', message: error.message, hint: error.hint }]);
  }
  const ms = Math.round(performance.now() - started);
  host.stdout(`${file} (${result.summary}) -> ${join(outDir, `${name}.yaml`)}, ${join(outDir, weightsFile)} in ${ms} ms\n`);
  return 0;
}
