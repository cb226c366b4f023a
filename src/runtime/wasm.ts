// The host side of the WebAssembly engine, copied into modules built with it: the compiled module
// (once per generated module), and one engine per Model: its linear memory, where the weights,
// the buffers of each pass, the states and a staging copy of the inputs live as typed-array views,
// so layers printed to WebAssembly and layers left in TypeScript share them without copies.
//
// The WebAssembly API is reached through globalThis with the few members used declared here, so a
// module type-checks under any `lib` setting (ES2022 alone has no WebAssembly types).

/** The members of the host's WebAssembly API the engine uses. */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
  readonly RuntimeError: new () => Error;
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The compiled WebAssembly of this module: undefined before the first use, null where the host cannot run it. */
const wasmCompiled: { module: object | null | undefined } = { module: undefined };

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { readonly WebAssembly?: WasmApi }).WebAssembly;
}

/** The bytes of a base64 string (decoded here: ES2022 has no atob). */
function wasmBytes(base64: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const value = new Uint8Array(128);
  for (let i = 0; i < 64; i++) value[alphabet.charCodeAt(i)] = i;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((base64.length / 4) * 3 - padding);
  for (let i = 0, o = 0; i < base64.length; i += 4) {
    const n = (value[base64.charCodeAt(i)]! << 18) | (value[base64.charCodeAt(i + 1)]! << 12) | (value[base64.charCodeAt(i + 2)]! << 6) | value[base64.charCodeAt(i + 3)]!;
    if (o < bytes.length) bytes[o++] = n >> 16;
    if (o < bytes.length) bytes[o++] = (n >> 8) & 255;
    if (o < bytes.length) bytes[o++] = n & 255;
  }
  return bytes;
}

/** The compiled module (synchronous compilation, where the host allows it), or null where WebAssembly SIMD is unavailable. */
function wasmModule(base64: string): object | null {
  if (wasmCompiled.module !== undefined) return wasmCompiled.module;
  const api = wasmApi();
  const bytes = wasmBytes(base64);
  wasmCompiled.module = api !== undefined && api.validate(bytes) ? new api.Module(bytes) : null;
  return wasmCompiled.module;
}

/** Compiles the module asynchronously (for hosts that refuse synchronous compilation of larger modules). */
async function wasmModuleAsync(base64: string): Promise<object | null> {
  if (wasmCompiled.module !== undefined) return wasmCompiled.module;
  const api = wasmApi();
  const bytes = wasmBytes(base64);
  wasmCompiled.module = api !== undefined && api.validate(bytes) ? await api.compile(bytes) : null;
  return wasmCompiled.module;
}

/** Which engine a Model runs: 'auto' takes wasm where the host validates the module (it uses SIMD128). */
function chooseEngine(engine: string | undefined, base64: string): boolean {
  if (engine === 'js') return false;
  const available = wasmModule(base64) !== null;
  if (engine === 'wasm' && !available) throw new Error('engine "wasm": this host cannot run WebAssembly SIMD128 (or refuses synchronous compilation: use createModel())');
  return available;
}

/**
 * One Model's WebAssembly instance and linear memory. Slots hold trees of typed arrays (weights,
 * buffers of the forward pass and the step, states, staged inputs of each pass); `place` lays every
 * slot out again (growing the memory once) and replaces its arrays by views, keeping their values.
 * Nothing is allocated per call: only when a slot is (re)placed, i.e. when the batch size changes.
 */
class WasmEngine {
  readonly exports: object;
  readonly slots: (object | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  private readonly memory: WasmMemory;
  private statesBatch = 0;

  constructor(module: object, private readonly base: number) {
    const api = wasmApi()!;
    this.memory = new api.Memory({ initial: 1 });
    this.exports = new api.Instance(module, { env: { memory: this.memory } }).exports;
  }

  /** Sets slot `slot` to `tree` (its values are copied), then re-places every slot. */
  place(slot: number, tree: object | undefined): void {
    this.slots[slot] = tree;
    // Arrays that are views of this memory are copied out first: the new layout may overlap them.
    const own = (a: ArrayBufferView) => a.buffer === this.memory.buffer;
    const saved = new Map<ArrayBufferView, ArrayBufferView>();
    let bytes = this.base;
    const sizes = (node: unknown): void => {
      if (ArrayBuffer.isView(node)) {
        if (!saved.has(node)) {
          saved.set(node, own(node) ? (node as Float32Array).slice() : node);
          bytes += (node.byteLength + 15) & ~15;
        }
      } else if (typeof node === 'object' && node !== null) for (const key of Object.keys(node)) sizes((node as Record<string, unknown>)[key]);
    };
    for (const s of this.slots) sizes(s);
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    let top = this.base;
    const views = new Map<ArrayBufferView, ArrayBufferView>();
    const view = (node: unknown): unknown => {
      if (ArrayBuffer.isView(node)) {
        let v = views.get(node);
        if (v === undefined) {
          const source = saved.get(node) as Float32Array;
          const Ctor = source.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => Float32Array;
          const placed = new Ctor(this.memory.buffer, top, source.length);
          placed.set(source);
          top += (source.byteLength + 15) & ~15;
          v = placed;
          views.set(node, v);
        }
        return v;
      }
      if (typeof node !== 'object' || node === null) return node;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(node)) copy[key] = view((node as Record<string, unknown>)[key]);
      return copy;
    };
    for (let i = 0; i < this.slots.length; i++) this.slots[i] = view(this.slots[i]) as object | undefined;
  }

  /**
   * The buffers of a pass (slot 1: forward, 2: step) for `buffers` (from prepareBuffers, given the
   * slot's placed buffers), with the inputs staged into linear memory (slot 4 or 5) and, when the
   * pass reads states, the states (slot 3) created for the batch size when it changes.
   */
  prepare<B extends { readonly batch: number }>(slot: number, buffers: B, inputs: object, createStates?: (batch: number) => object): B {
    if (buffers !== this.slots[slot]) {
      const other = this.slots[3 - slot] as { readonly batch: number } | undefined;
      if (other !== undefined && other.batch !== buffers.batch) this.slots[3 - slot] = undefined;
      this.slots[slot + 3] = inputs;
      if (createStates !== undefined && (this.slots[3] === undefined || this.statesBatch !== buffers.batch)) {
        this.slots[3] = createStates(buffers.batch);
        this.statesBatch = buffers.batch;
      }
      this.place(slot, buffers);
    } else if (createStates !== undefined && (this.slots[3] === undefined || this.statesBatch !== buffers.batch)) {
      this.statesBatch = buffers.batch;
      this.place(3, createStates(buffers.batch));
    }
    const staged = this.slots[slot + 3] as Record<string, Float32Array>;
    for (const key in staged) staged[key]!.set((inputs as Record<string, Float32Array>)[key]!);
    return this.slots[slot] as B;
  }

  /** The states for `batch` rows (slot 3), created at zero when the batch size changes; batch 0: the current ones. */
  statesFor(batch: number, createStates: (batch: number) => object): object {
    if (batch === 0) batch = this.statesBatch;
    if (this.slots[3] === undefined || this.statesBatch !== batch) {
      this.statesBatch = batch;
      this.place(3, createStates(batch));
    }
    return this.slots[3]!;
  }

  /** Whether `error` is a trap of the WebAssembly code (a range check that the TypeScript path reports with its message). */
  static isTrap(error: unknown): boolean {
    const api = wasmApi();
    return api !== undefined && error instanceof api.RuntimeError;
  }
}

export { wasmCompiled, wasmApi, wasmBytes, wasmModule, wasmModuleAsync, chooseEngine, WasmEngine };
