// The types one layer function is written for when the forward pass and a streaming step share
// it: every dimension that is the time length in the forward pass and 1 in a step becomes the
// symbol STEPS, the number of timesteps of the call.
import type { TypeMap } from '../ir/graph.js';
import type { Dim, TensorType } from '../shapes/dim.js';

/** The symbol of the time length in shared layer functions; no spec symbol is named so (they end in `time` or `dimN`). */
export const STEPS = 'steps';

export interface SharedTypes {
  readonly types: TypeMap;
  /** The time length of the forward pass (a number, or a run-time symbol); undefined when it is 1, so both passes have one type. */
  readonly length: Dim | undefined;
}

/** The shared types, or undefined when the two passes differ in another way than the time length. */
export function sharedTimeTypes(forward: TypeMap, step: TypeMap): SharedTypes | undefined {
  let length: Dim | undefined;
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
        else if (sd === 1 && (length === undefined || length === d)) {
          length = d;
          shape.push(STEPS);
        } else return undefined;
      }
      out.push({ dtype: t.dtype, shape });
    }
    shared.set(name, out);
  }
  return { types: shared, length };
}
