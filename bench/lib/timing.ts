// Interleaved timing: every round gives each contestant one short slot, in a rotated order, so a
// drift of the machine's speed spreads over all contestants instead of favouring whoever ran first.
// Inside a slot the contestant runs in groups of calls sized to take about GROUP_MS; each group gives
// one sample (its time over its calls). A cell's time is the median of its samples over all rounds.
import { groupRunner, type Contestant } from './contestants.js';

const GROUP_MS = 1;

export interface Series {
  readonly samples: number[]; // ms per call
  calls: number;
  /** Estimated ms per call from the warm-up. */
  estimate: number;
  readonly runGroup: (call: () => unknown, n: number) => unknown;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeGroup(c: Contestant, series: Series, n: number): Promise<number> {
  const t0 = performance.now();
  const r = series.runGroup(c.call, n);
  if (c.isAsync) await r;
  return performance.now() - t0;
}

/** Warm up (JIT, caches, backend switch) for at least `ms` and `minCalls` calls, and estimate the time per call. */
export async function warmUp(c: Contestant, ms: number, minCalls: number): Promise<Series> {
  const series: Series = { samples: [], calls: 0, estimate: 0, runGroup: groupRunner(c.isAsync) };
  if (c.enter) await c.enter();
  let calls = 0;
  const t0 = performance.now();
  let last = 0;
  while (calls < minCalls || performance.now() - t0 < ms) {
    last = await timeGroup(c, series, 1);
    calls++;
  }
  series.estimate = last;
  return series;
}

export interface SlotOptions {
  readonly slotMs: number;
  /** Stop timing a contestant after this many samples (for calls of seconds). */
  readonly maxSamples: number;
}

export async function slot(c: Contestant, series: Series, options: SlotOptions): Promise<void> {
  if (series.samples.length >= options.maxSamples) return;
  if (c.enter) {
    await c.enter();
    // the first call after a backend switch is not a sample (skipped for calls of seconds, which
    // dwarf any switching cost)
    if (series.estimate < 1000) await timeGroup(c, series, 1);
  }
  const n = Math.max(1, Math.round(GROUP_MS / Math.max(series.estimate, 1e-4)));
  const t0 = performance.now();
  do {
    const t = await timeGroup(c, series, n);
    series.samples.push(t / n);
    series.calls += n;
  } while (performance.now() - t0 < options.slotMs && series.samples.length < options.maxSamples);
}

export async function interleave(contestants: readonly Contestant[], series: Map<string, Series>, rounds: number, options: (c: Contestant) => SlotOptions, onRound?: (round: number) => void): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const start = round % contestants.length;
    const order = [...contestants.slice(start), ...contestants.slice(0, start)];
    for (const c of order) await slot(c, series.get(c.key)!, options(c));
    onRound?.(round);
  }
}
