// `modelc build SPEC_OR_DIR... [--out DIR]`: compile every spec to DIR/<name>.ts. All or nothing:
// when any spec has an error nothing is written, and each file is written to a temporary name
// and renamed, so earlier output is never left half-written.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Host } from '../host.js';
import { compileFile, report } from './load.js';

/** Spec files: the files given, and the .yaml/.yml/.json files directly inside given folders, sorted. */
export function expandSpecs(host: Host, paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const full = isAbsolute(path) ? path : resolve(host.cwd, path);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      return [path];
    }
    if (!isDir) return [path];
    return readdirSync(full)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .sort()
      .map((name) => join(path, name));
  });
}

export function build(host: Host, paths: readonly string[], outDir: string, engine?: 'js' | 'wasm'): number {
  const files = expandSpecs(host, paths);
  if (files.length === 0) {
    host.stderr(`modelc build: no spec files (.yaml, .yml, .json) in ${paths.join(', ')}.\n`);
    return 1;
  }
  const compiled = files.map((file) => compileFile(host, file, engine));
  const failed = report(host, compiled, 'text', 'stderr');
  if (failed) {
    host.stderr('Nothing was written.\n');
    return 1;
  }
  const byName = new Map<string, string>();
  for (const { file, result } of compiled) {
    const name = result.output!.fileName;
    const other = byName.get(name);
    if (other) {
      host.stderr(`${file}:1:1 - error MC6002: ${file} and ${other} both generate ${name}; give one of them another \`name\`.\nNothing was written.\n`);
      return 1;
    }
    byName.set(name, file);
  }
  const out = isAbsolute(outDir) ? outDir : resolve(host.cwd, outDir);
  try {
    mkdirSync(out, { recursive: true });
    for (const { result } of compiled) {
      const target = join(out, result.output!.fileName);
      const temporary = join(out, `.modelc-tmp-${process.pid}-${result.output!.fileName}`);
      writeFileSync(temporary, result.output!.text);
      renameSync(temporary, target);
    }
  } catch (error) {
    host.stderr(`error MC6002: cannot write to ${outDir}: ${(error as Error).message}\n`);
    return 1;
  }
  for (const { file, result } of compiled) host.stdout(`${file} -> ${join(outDir, result.output!.fileName)}\n`);
  return 0;
}
