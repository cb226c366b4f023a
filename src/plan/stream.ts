// The types one layer function is written for when the forward pass and a streaming step share
// it: every dimension that is a time length in the forward pass and 1 in a step becomes a
// symbol, the number of timesteps of the call: STEPS for the first length, `steps_2`, ... for
// inputs of other lengths (an encoder's and a decoder's).
import type { TypeMap } from '../ir/graph.js';
import { symbol, type Dim, type TensorType } from '../shapes/dim.js';

/** The symbol of the time length in shared layer functions; no spec symbol is named so (they end in `time` or `dimN`). */
export const STEPS = 'steps';
const stepsSymbol = (n: number) => symbol(n === 1 ? STEPS : `${STEPS}_${n}`);

export interface SharedTypes {
  readonly types: TypeMap;
  /** The time lengths of the forward pass (numbers, or run-time symbols), each with its symbol; none when they are all 1. */
  readonly lengths: readonly { readonly symbol: Dim; readonly length: Dim }[];
}

/** The shared types, or undefined when the two passes differ in another way than the time length. */
export function sharedTimeTypes(forward: TypeMap, step: TypeMap): SharedTypes | undefined {
  const lengths: { symbol: Dim; length: Dim }[] = [];
  const symbolOf = (d: Dim) => {
    let entry = lengths.find((e) => e.length === d);
    if (!entry) lengths.push((entry = { symbol: stepsSymbol(lengths.length + 1), length: d }));
    return entry.symbol;
  };
  const shared = new Map<string, readonly TensorType[]>();
  for (const [name, list] of forward) {
    const stepList = step.get(name);
    if (!stepList || stepList.length !== list.length) return undefined;
    const out: TensorType[] = [];
    for (const [k, t] of list.entries()) {
      const s = stepList[k]!;
      if (s.shape.length !== t.shape.length) return undefined;
      const shape: Dim[] = [];
      for (const [axis, d] of t.shape.entries()) {
        const sd = s.shape[axis]!;
        if (sd === d) shape.push(d);
        else if (sd === 1) shape.push(symbolOf(d));
        else return undefined;
      }
      out.push({ dtype: t.dtype, shape });
    }
    shared.set(name, out);
  }
  return { types: shared, lengths };
}
