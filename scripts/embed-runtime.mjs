#!/usr/bin/env node
// Build step (part of `npm run build`, after tsc): embed the runtime kernels' TypeScript source in
// dist/runtime/sources.json. The emitter copies kernels into generated modules from their own
// source text (comments and all); an installed package has no src/, so dist must carry that text.
// Plain Node, no dependencies, so it runs wherever `tsc` does.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'runtime');
const to = join(root, 'dist', 'runtime');
const sources = {};
for (const name of readdirSync(from).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()) {
  sources[name.slice(0, -'.ts'.length)] = readFileSync(join(from, name), 'utf8');
}
if (Object.keys(sources).length === 0) throw new Error(`embed-runtime: no runtime sources in ${from}`);
mkdirSync(to, { recursive: true });
writeFileSync(join(to, 'sources.json'), `${JSON.stringify(sources, null, 1)}\n`);
