// The benchmark sizes of issue 5 and the model spec each one compiles, built in memory.
export interface Size {
  readonly id: 'XS' | 'S' | 'M' | 'L';
  readonly B: number;
  readonly T: number;
  readonly F: number;
  readonly U: number;
  /** Units of the Dense head. */
  readonly D: number;
  /** Also compile with `unroll: true` (only where T·U is small enough for V8 to optimize the body). */
  readonly unrolled: boolean;
  readonly note: string;
}

export const SIZES: readonly Size[] = [
  { id: 'XS', B: 1, T: 1, F: 8, U: 32, D: 10, unrolled: false, note: 'one streaming step' },
  { id: 'S', B: 32, T: 25, F: 1, U: 20, D: 10, unrolled: true, note: "the seed's size" },
  { id: 'M', B: 1, T: 100, F: 32, U: 128, D: 10, unrolled: false, note: 'one long sequence' },
  { id: 'L', B: 64, T: 50, F: 64, U: 256, D: 10, unrolled: false, note: 'a large batch' },
];

/** LSTM(U) -> Dense(D) on x (B, T, F). */
export function specText(s: Size, unroll: boolean): string {
  return [
    `name: bench_${s.id.toLowerCase()}${unroll ? '_unrolled' : ''}`,
    'inputs:',
    `  x: { shape: [${s.T}, ${s.F}], batch_size: ${s.B} }`,
    'layers:',
    '  - name: lstm',
    '    type: LSTM',
    `    units: ${s.U}`,
    ...(unroll ? ['    unroll: true'] : []),
    '  - name: head',
    '    type: Dense',
    `    units: ${s.D}`,
    '',
  ].join('\n');
}

/**
 * Multiply-adds counted twice (2 FLOPs each): the input projection B·T·F·4U, the recurrent
 * product B·T·U·4U, and the Dense B·U·D. Gate nonlinearities and elementwise updates are not counted.
 */
export function flops(s: Size): number {
  return 2 * s.B * s.T * 4 * s.U * (s.F + s.U) + 2 * s.B * s.U * s.D;
}

export const FLOP_FORMULA = 'FLOPs = 2·B·T·4U·(F + U) + 2·B·U·D (multiply-adds of the input projection, the recurrent product and the Dense, 2 FLOPs each; sigmoid/tanh and elementwise gate updates not counted)';

/** A deterministic uniform generator in [-1, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
