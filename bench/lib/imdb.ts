// The IMDB text-classifier size (issue 10): Embedding(20000, 128) -> LSTM(128) -> Dense(1, sigmoid)
// on 200 tokens, batch 1, through modelc's two engines only (the peers of the main table take float
// sequences; building their embedding models is left for later). Interleaved rounds, medians.
import { compile } from '../../src/compile.js';
import { loadGeneratedModule } from '../../src/load-module.js';
import { median } from './timing.js';

export interface ImdbResult {
  readonly spec: string;
  readonly rows: readonly { readonly engine: 'js' | 'wasm'; readonly msPerCall: number; readonly samples: number }[];
  readonly maxDiff: number;
}

export const IMDB_SPEC = [
  'name: bench_imdb',
  'inputs:',
  '  tokens: { shape: [200], dtype: int32, batch_size: 1 }',
  'layers:',
  '  - { name: embedding, type: Embedding, input_dim: 20000, output_dim: 128 }',
  '  - { name: lstm, type: LSTM, units: 128 }',
  '  - { name: head, type: Dense, units: 1, activation: sigmoid }',
  '',
].join('\n');

export async function imdb(random: () => number, quick: boolean): Promise<ImdbResult> {
  const result = compile(IMDB_SPEC, 'bench/imdb.yaml');
  if (!result.output) throw new Error(`modelc failed to compile the IMDB size: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  const mod = await loadGeneratedModule(result.output.text);
  const weights = mod.initWeights(7);
  const tokens = Int32Array.from({ length: 200 }, () => Math.floor((random() * 0.5 + 0.5) * 20000));
  const models = (['js', 'wasm'] as const).map((engine) => ({ engine, model: new mod.Model(weights, { engine }), samples: [] as number[] }));
  const [a, b] = models.map((m) => m.model.predict({ tokens }).head!.slice());
  const maxDiff = Math.abs(a![0]! - b![0]!);
  for (const m of models) for (let i = 0; i < 20; i++) m.model.predict({ tokens });
  const rounds = quick ? 5 : 30;
  for (let r = 0; r < rounds; r++) {
    for (const m of r % 2 === 0 ? models : [...models].reverse()) {
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 20) (m.model.predict({ tokens }), n++);
      m.samples.push((performance.now() - t0) / n);
    }
  }
  return { spec: IMDB_SPEC, rows: models.map((m) => ({ engine: m.engine, msPerCall: median(m.samples), samples: m.samples.length })), maxDiff };
}

export function renderImdb(r: ImdbResult): string {
  const [js, wasm] = r.rows;
  return [
    '## IMDB text-classifier size: Embedding(20000, 128) → LSTM(128) → Dense(1), batch 1, 200 tokens',
    '',
    '| engine | time / call | vs modelc-js |',
    '| --- | ---: | ---: |',
    ...r.rows.map((row) => `| modelc-${row.engine} | ${(row.msPerCall * 1000).toFixed(0)} µs | ${(js!.msPerCall / row.msPerCall).toFixed(2)}× |`),
    '',
    `Median of ${wasm!.samples} interleaved slots of 20 ms each; the engines agree within ${r.maxDiff.toExponential(1)}. Peers are not built for this size yet.`,
    '',
  ].join('\n');
}
