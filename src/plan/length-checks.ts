// Lengths that layers compute from a run-time length and that a short input makes less than one
// step: a valid convolution or pooling window over `time` outputs `time - 2` or
// `floor((time - 3) / 2) + 1`, which a 2-step input makes 0 or less. Each such length (once per
// formula, named after the first layer that outputs it) is checked when the inputs are measured,
// so a short input is a RangeError that names the layer and the window, not an empty output.
import type { Graph } from '../ir/graph.js';
import type { Expr } from '../kernel/ir.js';
import { isKnown, type Dim, type SymbolicDim } from '../shapes/dim.js';
import type { TypeMap } from '../ir/graph.js';

export interface LengthCheck {
  /** `Conv1D layer "conv"`. */
  readonly layer: string;
  /** The length as a formula of the run-time lengths, `time - 2`. */
  readonly formula: string;
  /** The length in code. */
  readonly length: Expr;
  /** The run-time length it is computed from, as the spec names it, and its variable in code. */
  readonly symbol: string;
  readonly variable: Expr;
}

/** True when some value of the run-time symbols makes the dimension less than 1 (a sum with a negative constant, or a division of one). */
export function mayBeBelowOne(d: Dim): boolean {
  if (isKnown(d)) return false;
  switch (d.kind) {
    case 'symbol':
    case 'product':
      return false;
    case 'sum':
      return d.constant < 0 || d.terms.some(mayBeBelowOne);
    case 'floorDiv':
    case 'ceilDiv':
      return mayBeBelowOne(d.of);
  }
}

function firstSymbol(d: SymbolicDim): SymbolicDim {
  switch (d.kind) {
    case 'symbol':
      return d;
    case 'sum':
      return firstSymbol(d.terms[0]!);
    case 'product':
      return firstSymbol(d.factors[0]!);
    case 'floorDiv':
    case 'ceilDiv':
      return firstSymbol(d.of);
  }
}

/** One check per distinct length that may fall below one step, in layer order. */
export function lengthChecks(graph: Graph, types: TypeMap, dimOf: (d: Dim) => Expr): LengthCheck[] {
  const seen = new Set<string>();
  const checks: LengthCheck[] = [];
  for (const layer of graph.layers) {
    for (const type of types.get(layer.name) ?? []) {
      for (const d of type.shape.slice(1)) {
        if (isKnown(d) || !mayBeBelowOne(d) || seen.has(String(d))) continue;
        seen.add(String(d));
        const symbol = firstSymbol(d);
        checks.push({ layer: `${layer.type} layer "${layer.name}"`, formula: String(d), length: dimOf(d), symbol: String(symbol), variable: dimOf(symbol) });
      }
    }
  }
  return checks;
}
