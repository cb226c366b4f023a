// Identifier allocation for one generated file: deterministic, collision-free and safe from
// reserved words. Every name that comes from a spec reaches code only through `allocate`.
import { reservedWords } from './builders.js';

/**
 * Block-scoped locals that emitters use freely inside loops (indices, per-element temporaries).
 * They are reserved, so no buffer or input is ever named like one.
 */
export const localNames = ['b', 's', 'i', 'j', 'k', 'r', 'row', 'col', 'zx', 'hb', 'hk', 'rk', 'ig', 'fg', 'gg', 'og', 'cj', 'hj', 'zg', 'rg', 'hh', 'keep', 'v', 'xk'] as const;

/** Globals that generated code uses: a buffer named like one would shadow it. */
export const globalNames = ['Math', 'Number', 'Object', 'Array', 'JSON', 'Error', 'RangeError', 'TypeError', 'Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array', 'globalThis'] as const;

export class NameAllocator {
  private readonly taken = new Set<string>([...reservedWords, ...localNames, ...globalNames]);

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** A copy that starts from the names taken so far: for a function scope whose locals may repeat another's. */
  fork(): NameAllocator {
    const copy = new NameAllocator();
    for (const name of this.taken) copy.taken.add(name);
    return copy;
  }

  /** Whether a name is taken. */
  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** Mark names the module itself declares (exports, runtime functions) as taken. */
  reserve(...names: string[]): void {
    for (const name of names) this.taken.add(name);
  }

  /** A fresh identifier that reads like `hint`. */
  allocate(hint: string): string {
    const base = sanitize(hint);
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }
}

/** Letters, digits and `_` only, not starting with a digit; `-` and other characters become `_`. */
export function sanitize(hint: string): string {
  const cleaned = hint.replace(/[^A-Za-z0-9_]/g, '_');
  const safe = /^[0-9]/.test(cleaned) || cleaned === '' ? `_${cleaned}` : cleaned;
  return safe;
}
