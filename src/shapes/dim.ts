// Dimensions and tensor types. A dimension is known (a number) or symbolic: a named run-time
// symbol (`batch` when the spec does not fix it, `time` for a null in an input's shape) or an
// expression of them (`time - 2`, `ceil(time / 2)`, `time * 4`), as the conv, pooling, padding
// and reshaping rules compute it. Symbolic dimensions are interned: one object per canonical form,
// so `===` compares them by structure. They are printed only for messages and comments, and
// lowered to code by the planner.
// A shape includes the batch axis, as Keras prints it.

export type Dim = number | SymbolicDim;
export type Shape = readonly Dim[];
export type DType = 'float32' | 'int32' | 'bool';

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** A symbolic dimension: a run-time symbol, or an expression of dimensions. */
export type SymbolicDim =
  | { readonly kind: 'symbol'; readonly name: string; toString(): string }
  /** Σ terms + constant. */
  | { readonly kind: 'sum'; readonly terms: readonly SymbolicDim[]; readonly constant: number; toString(): string }
  /** Π factors · constant. */
  | { readonly kind: 'product'; readonly factors: readonly SymbolicDim[]; readonly constant: number; toString(): string }
  /** floor(of / by) or ceil(of / by), by a positive integer. */
  | { readonly kind: 'floorDiv' | 'ceilDiv'; readonly of: SymbolicDim; readonly by: number; toString(): string };

const interned = new Map<string, SymbolicDim>();

function intern<T extends SymbolicDim>(text: string, make: () => Omit<T, 'toString'>): T {
  const known = interned.get(text);
  if (known) return known as T;
  const d = Object.freeze({ ...make(), toString: () => text }) as T;
  interned.set(text, d);
  return d;
}

/** The run-time symbol `name`. */
export function symbol(name: string): SymbolicDim {
  return intern(name, () => ({ kind: 'symbol', name }));
}

export const BATCH = symbol('batch');

export function isKnown(dim: Dim): dim is number {
  return typeof dim === 'number';
}

/** A run-time symbol itself (not an expression of symbols). */
export function isSymbol(dim: Dim): dim is Extract<SymbolicDim, { kind: 'symbol' }> {
  return typeof dim !== 'number' && dim.kind === 'symbol';
}

const atom = (d: SymbolicDim) => (d.kind === 'sum' ? `(${String(d)})` : String(d));

/** a + b + ...: constants folded, symbolic terms kept in order. */
export function addDims(...dims: readonly Dim[]): Dim {
  let constant = 0;
  const terms: SymbolicDim[] = [];
  for (const d of dims) {
    if (isKnown(d)) constant += d;
    else if (d.kind === 'sum') {
      terms.push(...d.terms);
      constant += d.constant;
    } else terms.push(d);
  }
  if (terms.length === 0) return constant;
  if (terms.length === 1 && constant === 0) return terms[0]!;
  const text = [terms.map(String).join(' + '), constant === 0 ? '' : constant > 0 ? ` + ${constant}` : ` - ${-constant}`].join('');
  return intern(text, () => ({ kind: 'sum', terms, constant }));
}

/** a · b · ...: constants folded. */
export function mulDims(...dims: readonly Dim[]): Dim {
  let constant = 1;
  const factors: SymbolicDim[] = [];
  for (const d of dims) {
    if (isKnown(d)) constant *= d;
    else if (d.kind === 'product') {
      factors.push(...d.factors);
      constant *= d.constant;
    } else factors.push(d);
  }
  if (factors.length === 0 || constant === 0) return constant;
  if (factors.length === 1 && constant === 1) return factors[0]!;
  const text = [...factors.map(atom), ...(constant === 1 ? [] : [String(constant)])].join(' * ');
  return intern(text, () => ({ kind: 'product', factors, constant }));
}

/** floor(d / by) or ceil(d / by), by a positive integer. */
export function divDim(d: Dim, by: number, round: 'floor' | 'ceil'): Dim {
  if (isKnown(d)) return round === 'floor' ? Math.floor(d / by) : Math.ceil(d / by);
  if (by === 1) return d;
  const kind = round === 'floor' ? 'floorDiv' : 'ceilDiv';
  return intern(`${round}(${atom(d)} / ${by})`, () => ({ kind, of: d, by }));
}

/** Shapes as Keras prints them, with symbols by name: `(batch, 25, 20)`. */
export function formatShape(shape: readonly (Dim | string)[]): string {
  return shape.length === 1 ? `(${String(shape[0])},)` : `(${shape.map(String).join(', ')})`;
}

/** Shapes for JSON and for `summary`: unknown dimensions are null. */
export function shapeToJson(shape: Shape): (number | null)[] {
  return shape.map((d) => (isKnown(d) ? d : null));
}

/** Whether two dimensions are the same: equal numbers, or the same symbolic form. */
export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

/** The number of elements per batch row (the product of the non-batch axes), when all are known. */
export function rowSize(shape: Shape): number | undefined {
  return elementCount(shape.slice(1));
}

/** Elements in the whole tensor, or undefined when a dimension is symbolic. */
export function elementCount(shape: Shape): number | undefined {
  let size = 1;
  for (const d of shape) {
    if (!isKnown(d)) return undefined;
    size *= d;
  }
  return size;
}

/** The product of dimensions: a number when all are known, else its symbolic form (`time * 4`). */
export function productDim(dims: readonly Dim[]): Dim {
  return mulDims(...dims);
}
