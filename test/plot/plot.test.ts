// `modelc plot`: a golden SVG per model in models/ (UPDATE_GOLDENS=1 rewrites them), the picture's
// content (a box per input, layer and output, an arrow per connection, nested wrappers), the
// command's options, and, where Chromium is installed, that every label fits its box as a real
// browser lays the text out.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { compile } from '../../src/compile.ts';
import { layerRefs } from '../../src/ir/graph.ts';
import { plotSvg } from '../../src/plot/plot.ts';

const models = readdirSync('models').filter((f) => f.endsWith('.yaml')).sort();
const golden = (model: string) => join('test/plot', model.replace(/\.yaml$/, '.svg'));

function plotOf(model: string, rankdir: 'TB' | 'LR' = 'TB') {
  const file = `models/${model}`;
  const result = compile(readFileSync(file, 'utf8'), file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { svg: plotSvg(result.graph!, result.types!, { rankdir }), graph: result.graph! };
}

async function cli(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, color: false });
  return { code, stdout, stderr };
}

describe('plot goldens', () => {
  it.each(models)('%s draws exactly its golden SVG', (model) => {
    const { svg } = plotOf(model);
    if (process.env.UPDATE_GOLDENS) writeFileSync(golden(model), svg);
    expect(existsSync(golden(model)), `${golden(model)} is missing: UPDATE_GOLDENS=1 writes it`).toBe(true);
    expect(svg).toBe(readFileSync(golden(model), 'utf8'));
  });

  it('has a golden for every model and none for models that are gone', () => {
    expect(readdirSync('test/plot').filter((f) => f.endsWith('.svg')).sort()).toEqual(models.map((m) => m.replace(/\.yaml$/, '.svg')));
  });
});

describe('the picture', () => {
  it.each(models)('%s: a box per input, layer and output, an arrow per connection, self-contained', (model) => {
    const { svg, graph } = plotOf(model);
    const names = [...svg.matchAll(/<g class="node [a-z]+" data-name="([^"]+)">/g)].map((m) => m[1]);
    expect(names.sort()).toEqual([...graph.inputs.map((i) => i.name), ...graph.layers.map((l) => l.name), ...graph.outputs.map((o) => `output:${o.name}`)].sort());
    const edges = [...svg.matchAll(/<g class="edge" data-from="([^"]+)" data-to="([^"]+)">/g)].map((m) => `${m[1]}->${m[2]}`);
    const expected = [...graph.layers.flatMap((l) => layerRefs(l).map((r) => `${r.node}->${l.name}`)), ...graph.outputs.map((o) => `${o.ref.node}->output:${o.name}`)];
    expect(edges.sort()).toEqual(expected.sort());
    for (const layer of graph.layers) expect(svg).toContain(`>${layer.name} (${layer.type})</text>`);
    // Nothing from outside: no scripts, links, images or web fonts.
    expect(svg).not.toMatch(/<script|<image|href=|@import|url\((?!#arrow\))/);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('shows shapes, activation and parameter counts, and the wrapped layers inside their wrapper', () => {
    const { svg } = plotOf('seed_lstm_state.yaml');
    expect(svg).toContain('>lstm (LSTM)</text>');
    expect(svg).toContain('>output: (32, 25, 20), (32, 20), (32, 20)</text>');
    expect(svg).toContain('>params: 1,760</text>');
    expect(svg).toContain('>activation: tanh</text>');
    // The named outputs h and c label their arrows.
    expect(svg).toMatch(/data-from="lstm" data-to="output:lstm_h">[^]*?>h<\/text>/);
    // TimeDistributed(Dense): a dashed inner box inside the wrapper's group.
    const head = svg.slice(svg.indexOf('data-name="head"'));
    expect(head.slice(0, head.indexOf('</g>'))).toMatch(/stroke-dasharray="4 3"\/>\n[^]*>layer: Dense<\/text>/);
    const bi = plotOf('text_classifier.yaml').svg;
    expect(bi).toContain('>forward: LSTM</text>');
    expect(bi).toContain('>backward: LSTM</text>');
    // Initial states are labelled as such.
    expect(plotOf('encoder_decoder.yaml').svg).toContain('>h → initial state</text>');
  });

  it('lays out left to right with --rankdir LR (wider than tall), top to bottom by default', () => {
    const size = (svg: string) => svg.match(/width="([\d.]+)" height="([\d.]+)"/)!.slice(1).map(Number);
    const [tw, th] = size(plotOf('seed_lstm_dense.yaml').svg);
    const [lw, lh] = size(plotOf('seed_lstm_dense.yaml', 'LR').svg);
    expect(th).toBeGreaterThan(tw!);
    expect(lw).toBeGreaterThan(lh!);
  });
});

describe('modelc plot', () => {
  it('writes -o FILE, defaults to <name>.svg, writes to standard output with -o -', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelc-plot-'));
    const spec = join(process.cwd(), 'models/seed_lstm.yaml');
    const r = await cli(['plot', spec, '-o', 'm.svg'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'm.svg'), 'utf8')).toBe(readFileSync('test/plot/seed_lstm.svg', 'utf8').replace('(models/seed_lstm.yaml)', `(${spec})`));
    expect((await cli(['plot', spec], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'seed_lstm.svg'))).toBe(true);
    const piped = await cli(['plot', 'models/seed_lstm.yaml', '-o', '-']);
    expect(piped.stdout).toBe(readFileSync('test/plot/seed_lstm.svg', 'utf8'));
    const lr = await cli(['plot', 'models/seed_lstm.yaml', '--rankdir', 'LR', '--output', '-']);
    expect(lr.stdout).not.toBe(piped.stdout);
  });

  it('bad usage exits 2; a broken spec gets its diagnostics and exit 1', async () => {
    expect((await cli(['plot', 'models/seed_lstm.yaml', '--rankdir', 'RL'])).stderr).toContain('--rankdir must be TB or LR');
    expect((await cli(['plot'])).code).toBe(2);
    const broken = await cli(['plot', 'models/errors/time_distributed_2d.yaml', '-o', '-']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/^models\/errors\/time_distributed_2d\.yaml:12:5 - error MC4002/);
  });
});

// Real text metrics: each label, as Chromium sets it, lies inside its own box. Skipped where no
// Chromium is installed (Debian: apt-get install chromium).
// Run in the page (a string, so the DOM types stay out of this project): labels outside the
// innermost box drawn before them in their group.
const fitCheck = `(() => {
  const bad = [];
  for (const text of document.querySelectorAll('g.node text')) {
    const t = text.getBBox();
    let rect = text.previousElementSibling;
    while (rect && !rect.classList.contains('box')) rect = rect.previousElementSibling;
    const r = rect.getBBox();
    if (t.x < r.x || t.x + t.width > r.x + r.width - 2 || t.y < r.y || t.y + t.height > r.y + r.height)
      bad.push('"' + text.textContent + '" (' + t.width.toFixed(1) + ' wide) in a box ' + r.width.toFixed(1) + ' wide');
  }
  return bad;
})()`;
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
describe.skipIf(!chromium)('the pictures in a real browser', () => {
  it('every label fits inside its box, in every golden', async () => {
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({ executablePath: chromium!, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      for (const model of models) {
        await page.setContent(`<!doctype html><body style="margin:0">${readFileSync(golden(model), 'utf8')}</body>`);
        const misfits = (await page.evaluate(fitCheck)) as string[];
        expect(misfits, model).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
