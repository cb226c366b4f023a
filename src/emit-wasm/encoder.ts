// A small WebAssembly binary encoder: value types, LEB128, instruction bytes, and the sections
// modelc needs (types, one imported memory, functions, exports, code, data). Fixed-width SIMD128
// instructions are 0xFD plus a LEB128 index. Output depends only on what is added, in order, so the
// same module gives the same bytes.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const typeByte: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

export function uleb(n: number, out: number[] = []): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`internal: uleb of ${n}`);
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

export function sleb(n: number, out: number[] = []): number[] {
  if (!Number.isInteger(n)) throw new Error(`internal: sleb of ${n}`);
  let big = BigInt(n);
  for (;;) {
    const byte = Number(big & 0x7fn);
    big >>= 7n;
    if ((big === 0n && (byte & 0x40) === 0) || (big === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const named = (s: string) => [...uleb(utf8(s).length), ...utf8(s)];

/** Opcodes by their text-format names (the ones the printer and the kernels use). */
export const Op = {
  unreachable: [0x00], block: [0x02], loop: [0x03], if: [0x04], else: [0x05], end: [0x0b], br: [0x0c], br_if: [0x0d], return: [0x0f], call: [0x10], drop: [0x1a], select: [0x1b],
  'local.get': [0x20], 'local.set': [0x21], 'local.tee': [0x22],
  'i32.eqz': [0x45], 'i32.eq': [0x46], 'i32.ne': [0x47], 'i32.lt_s': [0x48], 'i32.gt_s': [0x4a], 'i32.le_s': [0x4c], 'i32.ge_s': [0x4e],
  'f64.eq': [0x61], 'f64.ne': [0x62], 'f64.lt': [0x63], 'f64.gt': [0x64], 'f64.le': [0x65], 'f64.ge': [0x66],
  'i32.add': [0x6a], 'i32.sub': [0x6b], 'i32.mul': [0x6c], 'i32.rem_s': [0x6f], 'i32.and': [0x71], 'i32.or': [0x72], 'i32.shl': [0x74], 'i32.shr_s': [0x75],
  'i64.add': [0x7c], 'i64.shl': [0x86],
  'f32.add': [0x92], 'f32.sub': [0x93], 'f32.mul': [0x94], 'f32.div': [0x95],
  'f64.abs': [0x99], 'f64.neg': [0x9a], 'f64.floor': [0x9c], 'f64.sqrt': [0x9f], 'f64.add': [0xa0], 'f64.sub': [0xa1], 'f64.mul': [0xa2], 'f64.div': [0xa3], 'f64.min': [0xa4], 'f64.max': [0xa5],
  'i32.trunc_f64_s': [0xaa], 'i64.extend_i32_s': [0xac], 'f64.convert_i32_s': [0xb7], 'f32.demote_f64': [0xb6], 'f32.convert_i32_s': [0xb2], 'f64.promote_f32': [0xbb], 'f64.reinterpret_i64': [0xbf],
  'i32.trunc_sat_f64_s': [0xfc, 0x02], 'memory.copy': [0xfc, 10, 0, 0], 'memory.fill': [0xfc, 11, 0],
  // SIMD128
  'f32x4.splat': [0xfd, 0x13], 'f32x4.extract_lane': [0xfd, 0x1f], 'i32x4.splat': [0xfd, 0x11],
  'f32x4.eq': [0xfd, 0x41], 'f32x4.lt': [0xfd, 0x43], 'f32x4.gt': [0xfd, 0x44], 'f32x4.le': [0xfd, 0x45], 'f32x4.ge': [0xfd, 0x46],
  'v128.and': [0xfd, 0x4e], 'v128.or': [0xfd, 0x50], 'v128.bitselect': [0xfd, 0x52],
  'f32x4.nearest': [0xfd, 0x6a], 'i32x4.shl': [0xfd, 0xab, 0x01], 'i32x4.add': [0xfd, 0xae, 0x01],
  'f32x4.abs': [0xfd, 0xe0, 0x01], 'f32x4.neg': [0xfd, 0xe1, 0x01], 'f32x4.add': [0xfd, 0xe4, 0x01], 'f32x4.sub': [0xfd, 0xe5, 0x01], 'f32x4.mul': [0xfd, 0xe6, 0x01], 'f32x4.div': [0xfd, 0xe7, 0x01],
  'f32x4.min': [0xfd, 0xe8, 0x01], 'f32x4.max': [0xfd, 0xe9, 0x01], 'i32x4.trunc_sat_f32x4_s': [0xfd, 0xf8, 0x01],
} as const satisfies Record<string, readonly number[]>;
export type OpName = keyof typeof Op;

/** Loads and stores, with their natural alignment (log2). */
export const Mem = {
  'i32.load': [0x28, 2], 'f32.load': [0x2a, 2], 'f64.load': [0x2b, 3], 'i32.load8_u': [0x2d, 0],
  'i32.store': [0x36, 2], 'f32.store': [0x38, 2], 'f64.store': [0x39, 3], 'i32.store8': [0x3a, 0],
  'v128.load': [0xfd, 0x00, 4], 'v128.store': [0xfd, 0x0b, 4], 'v128.load32_splat': [0xfd, 0x09, 2],
} as const;
export type MemName = keyof typeof Mem;

/** A function body being written: its locals and its instruction bytes. */
export class FunctionBuilder {
  readonly bytes: number[] = [];
  readonly locals: ValType[] = [];
  constructor(readonly params: readonly ValType[], readonly results: readonly ValType[]) {}

  /** A new local of type t: its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }
  op(name: OpName, ...immediates: number[]): this {
    this.bytes.push(...Op[name], ...immediates.flatMap((n) => uleb(n)));
    return this;
  }
  get(i: number): this {
    return this.op('local.get', i);
  }
  set(i: number): this {
    return this.op('local.set', i);
  }
  tee(i: number): this {
    return this.op('local.tee', i);
  }
  i32(n: number): this {
    this.bytes.push(0x41, ...sleb(n | 0));
    return this;
  }
  i64(n: number): this {
    this.bytes.push(0x42, ...sleb(n));
    return this;
  }
  f64(x: number): this {
    const b = new Uint8Array(new Float64Array([x]).buffer);
    this.bytes.push(0x44, ...b);
    return this;
  }
  f32(x: number): this {
    const b = new Uint8Array(new Float32Array([x]).buffer);
    this.bytes.push(0x43, ...b);
    return this;
  }
  /** A v128 of four equal f32 lanes (v128.const). */
  f32x4(x: number): this {
    const b = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
    this.bytes.push(0xfd, 0x0c, ...b);
    return this;
  }
  i32x4(n: number): this {
    const b = new Uint8Array(new Int32Array([n, n, n, n]).buffer);
    this.bytes.push(0xfd, 0x0c, ...b);
    return this;
  }
  mem(name: MemName, offset = 0): this {
    const spec = Mem[name] as readonly number[];
    this.bytes.push(...spec.slice(0, -1), ...uleb(spec[spec.length - 1]!), ...uleb(offset));
    return this;
  }
  /** block/loop/if with an optional result type. */
  open(kind: 'block' | 'loop' | 'if', result?: ValType): this {
    this.bytes.push(...Op[kind], result === undefined ? 0x40 : typeByte[result]);
    return this;
  }
  end(): this {
    return this.op('end');
  }
  call(index: number): this {
    return this.op('call', index);
  }
  /** Lane immediates are one byte, not LEB128. */
  lane(name: 'f32x4.extract_lane', lane: number): this {
    this.bytes.push(...Op[name], lane);
    return this;
  }
}

export interface FunctionDef {
  readonly name: string;
  readonly body: FunctionBuilder;
  readonly exported: boolean;
}

/** A module: one imported memory (`env.memory`), functions, exports, active data segments. */
export class ModuleBuilder {
  private readonly functions: FunctionDef[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly data: { offset: number; bytes: Uint8Array }[] = [];

  /** Reserve an index for a function defined later (calls may precede definitions). */
  declare(name: string): number {
    let i = this.indexOf.get(name);
    if (i === undefined) {
      i = this.indexOf.size;
      this.indexOf.set(name, i);
    }
    return i;
  }
  has(name: string): boolean {
    return this.functions.some((f) => f.name === name);
  }
  define(name: string, body: FunctionBuilder, exported: boolean): void {
    this.declare(name);
    this.functions.push({ name, body, exported });
  }
  addData(offset: number, bytes: Uint8Array): void {
    this.data.push({ offset, bytes });
  }

  encode(minPages: number): Uint8Array {
    const defs = [...this.functions].sort((a, b) => this.indexOf.get(a.name)! - this.indexOf.get(b.name)!);
    defs.forEach((d, i) => {
      if (this.indexOf.get(d.name) !== i) throw new Error(`internal: wasm function ${d.name} declared but not defined`);
    });
    if (defs.length !== this.indexOf.size) throw new Error('internal: a declared wasm function is not defined');
    const sigKey = (f: FunctionBuilder) => `${f.params.join(',')}>${f.results.join(',')}`;
    const sigs: FunctionBuilder[] = [];
    const sigIndex = new Map<string, number>();
    for (const d of defs) if (!sigIndex.has(sigKey(d.body))) (sigIndex.set(sigKey(d.body), sigs.length), sigs.push(d.body));
    const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
    const types = vec(sigs.map((s) => [0x60, ...vec(s.params.map((p) => [typeByte[p]])), ...vec(s.results.map((r) => [typeByte[r]]))]));
    const imports = vec([[...named('env'), ...named('memory'), 0x02, 0x00, ...uleb(minPages)]]);
    const funcs = vec(defs.map((d) => uleb(sigIndex.get(sigKey(d.body))!)));
    const exports = vec(defs.filter((d) => d.exported).map((d) => [...named(d.name), 0x00, ...uleb(this.indexOf.get(d.name)!)]));
    const code = vec(
      defs.map((d) => {
        // Runs of equal local types, as the format groups them.
        const runs: number[][] = [];
        let k = 0;
        while (k < d.body.locals.length) {
          let n = 1;
          while (k + n < d.body.locals.length && d.body.locals[k + n] === d.body.locals[k]) n++;
          runs.push([...uleb(n), typeByte[d.body.locals[k]!]]);
          k += n;
        }
        const body = [...vec(runs), ...d.body.bytes, 0x0b];
        return [...uleb(body.length), ...body];
      }),
    );
    const data = vec(this.data.map((s) => [0x00, 0x41, ...sleb(s.offset), 0x0b, ...uleb(s.bytes.length), ...s.bytes]));
    const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code), ...(this.data.length > 0 ? section(11, data) : [])];
    return Uint8Array.from(bytes);
  }
}
