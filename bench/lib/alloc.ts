// Bytes allocated on the V8 heap per call in steady state. v8.GCProfiler (Node ≥ 18.15) records
// every garbage collection in a window with the used heap size before and after it, so
// allocated = (used at the end − used at the start) + Σ over collections (used before − used after).
// This counts every JS object, array, closure, promise and typed-array object made by a call
// (a Float32Array's header lives on the V8 heap even when its backing store does not), and nothing
// made outside the window. It does not count memory inside WebAssembly instances or native
// (onnxruntime) allocations. Node 20's V8 has no total_allocated_bytes counter.
import v8 from 'node:v8';
import { groupRunner, type Contestant } from './contestants.js';

export interface Allocation {
  /** Calls per window. */
  readonly calls: number;
  /** The least bytes per call over the windows: steady state, after any tier-up finished. */
  readonly bytesPerCall: number;
  /** Bytes per call in each window, in order. */
  readonly windows: number[];
  /** Garbage collections during the windows. */
  readonly collections: number;
}

async function window(call: () => unknown, isAsync: boolean, n: number): Promise<{ bytes: number; collections: number }> {
  const runGroup = groupRunner(isAsync);
  // a first run compiles the group runner outside the window
  const warm = runGroup(() => undefined, 2);
  if (isAsync) await warm;
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  const r = runGroup(call, n);
  if (isAsync) await r;
  const after = v8.getHeapStatistics().used_heap_size;
  const stats = profiler.stop();
  let collected = 0;
  for (const s of stats.statistics) collected += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
  return { bytes: after - before + collected, collections: stats.statistics.length };
}

/**
 * Bytes per call over about `minMs` of calls (at most `maxCalls`), minus what the same window
 * measures around a no-op call (the loop, the statistics objects and, for asynchronous calls, the
 * awaits); `windows` windows in a row, the least of them is the steady state. A code path that
 * deoptimizes on every call allocates in every window, so it still shows.
 */
export async function measureAllocation(c: Contestant, minMs: number, maxCalls: number, windows = 3): Promise<Allocation> {
  if (c.enter) await c.enter();
  let calls = 0;
  const t0 = performance.now();
  while (calls < maxCalls && (calls === 0 || performance.now() - t0 < minMs / 4)) {
    const r = c.call();
    if (c.isAsync) await r;
    calls++;
  }
  const n = Math.max(1, Math.min(maxCalls, Math.round((calls * minMs) / Math.max(1e-3, performance.now() - t0))));
  const baseline = await window(() => undefined, c.isAsync, n);
  const perCall: number[] = [];
  let collections = 0;
  for (let i = 0; i < windows; i++) {
    const measured = await window(c.call, c.isAsync, n);
    perCall.push(Math.max(0, measured.bytes - baseline.bytes) / n);
    collections += measured.collections;
  }
  return { calls: n, bytesPerCall: Math.min(...perCall), windows: perCall, collections };
}
