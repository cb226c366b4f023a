// Helpers of the import tests: the CLI in-process, and import -> run against Keras's outputs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli.ts';

export const FIXTURES = 'test/fixtures/import';
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

interface Io {
  readonly inputs: Record<string, unknown>;
  readonly outputs: unknown[];
}

export async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, color: false });
  return { code, out, err };
}

/** Imports a fixture, runs the spec on Keras's inputs, returns the largest difference per output. */
export async function importAndRun(file: string, ioFile = `${file.replace(/\.(keras|h5)$/, '')}.io.json`): Promise<{ diffs: number[]; spec: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'modelc-import-'));
  const io = JSON.parse(readFileSync(join(FIXTURES, ioFile), 'utf8')) as Io;
  const started = performance.now();
  const imported = await cli(['import', join(process.cwd(), FIXTURES, file), '--out', dir, '--name', 'model'], dir);
  const ms = performance.now() - started;
  expect(imported.err, file).toBe('');
  expect(imported.code).toBe(0);
  const spec = readFileSync(join(dir, 'model.yaml'), 'utf8');
  // Keras names a Sequential model's input tensor itself: inputs go by position.
  const inputNames = Object.keys((parse(spec) as { inputs: Record<string, unknown> }).inputs);
  const values = Object.values(io.inputs);
  writeFileSync(join(dir, 'input.json'), JSON.stringify(Object.fromEntries(inputNames.map((n, i) => [n, values[i]]))));
  const run = await cli(['run', 'model.yaml', '--input', 'input.json'], dir);
  expect(run.err, file).toBe('');
  const result = Object.values(JSON.parse(run.out) as Record<string, unknown>);
  expect(result.length).toBe(io.outputs.length);
  const diffs = io.outputs.map((expected, i) => {
    const a = flat(result[i]);
    const b = flat(expected);
    expect(a.length).toBe(b.length);
    return a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]!)), 0);
  });
  return { diffs, spec, ms };
}

