// The WebAssembly module of a plan: every kernel function the printer can lower, exported by
// name, with the runtime kernels they call. Functions it cannot lower stay in TypeScript: a layer
// in TypeScript and a layer in WebAssembly read and write the same buffers in linear memory.
import type { ModulePlan } from '../plan/plan.js';
import { ModuleBuilder } from './encoder.js';
import { printWasmFunction, type WasmFunction } from './print-wasm.js';

export { ARENA_BASE } from './kernels.js';

export interface WasmModule {
  readonly bytes: Uint8Array;
  /** The lowered functions, by name. */
  readonly functions: ReadonlyMap<string, WasmFunction>;
  /** Functions left in TypeScript, with the reason. */
  readonly fallbacks: readonly { readonly name: string; readonly reason: string }[];
}

export function buildWasmModule(plan: ModulePlan): WasmModule {
  const m = new ModuleBuilder();
  const functions = new Map<string, WasmFunction>();
  const fallbacks: { name: string; reason: string }[] = [];
  // Hoisted timestep functions come before the layer functions that call them.
  for (const k of plan.functions) {
    const result = printWasmFunction(m, k, functions);
    if (typeof result === 'string') fallbacks.push({ name: k.name, reason: result });
    else functions.set(k.name, result);
  }
  return { bytes: m.encode(1), functions, fallbacks };
}
