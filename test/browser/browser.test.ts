// examples/browser in a real browser: Vite builds the page through modelc/plugin (its own
// vite.config.ts), a static server serves it on 127.0.0.1, headless Chromium (the system's, driven
// by playwright-core) opens it, and the numbers it shows must be Node's for the same model and
// input within 1e-6. Skipped where no Chromium is installed (Debian: apt-get install chromium).
// SCREENSHOT=path writes a screenshot of the page (the README's).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { loadGeneratedModule } from '../../src/load-module.ts';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    done({ server, url: `http://127.0.0.1:${address.port}/` });
  }));
}

describe.skipIf(!chromium)('examples/browser', () => {
  it("shows the seed model's outputs, the same as Node's within 1e-6, and the time per call", async () => {
    const root = resolve('examples/browser');
    const outDir = mkdtempSync(join(tmpdir(), 'modelc-browser-'));
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', base: './', build: { outDir, emptyOutDir: true } });
    // The spec is compiled into the bundle: no YAML and no module import left.
    const assets = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(assets).toContain('<script type="module"');

    // Node: the same module, the same input.
    const spec = 'models/seed_lstm_state.yaml';
    const mod = await loadGeneratedModule(compile(readFileSync(spec, 'utf8'), spec).output!.text);
    const x = new Float32Array(32 * 25);
    for (let b = 0; b < 32; b++) for (let t = 0; t < 25; t++) x[b * 25 + t] = Math.sin(t / 3) * (1 + b / 32);
    const expected = new mod.Model().predict({ x });

    const { server, url } = await serve(outDir);
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({ executablePath: chromium!, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 420 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForFunction("document.querySelector('#status')?.textContent === 'done'", undefined, { timeout: 30_000 });
      expect(errors).toEqual([]);
      const result = (await page.evaluate('window.modelcResult')) as { outputs: Record<string, number[]>; perCall: number };
      expect(Object.keys(result.outputs)).toEqual(Object.keys(expected));
      for (const [name, data] of Object.entries(expected)) {
        const shown = result.outputs[name]!;
        expect(shown.length, name).toBe(data.length);
        const worst = Math.max(...shown.map((v, i) => Math.abs(v - data[i]!)));
        expect(worst, name).toBeLessThanOrEqual(1e-6);
      }
      expect(result.perCall).toBeGreaterThan(0);
      // What a reader sees: a row per output with its shape, and the time per call.
      const rows = await page.locator('#outputs tbody tr').allTextContents();
      expect(rows).toHaveLength(4);
      expect(rows[0]).toContain('lstm(32, 25, 20)');
      expect(await page.locator('#timing').textContent()).toMatch(/^\d+\.\d{3} ms per call \(batch 32, 50 calls\)$/);
      if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});
