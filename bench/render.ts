// Re-renders bench/results/latest.md from bench/results/latest.json (after a change of the
// report's format, without running the benchmark again):  npx tsx bench/render.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, type Report } from './lib/report.js';

const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
const report = JSON.parse(readFileSync(join(results, 'latest.json'), 'utf8')) as Report;
const markdown = renderMarkdown(report);
writeFileSync(join(results, 'latest.md'), markdown);
process.stdout.write(markdown);
