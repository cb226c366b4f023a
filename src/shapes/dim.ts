// Dimensions and tensor types. A dimension is known (a number) or symbolic: `batch` (the batch
// size, when the spec does not fix it) or a named length known only at run time (`time`).
// A shape includes the batch axis, as Keras prints it.

export type Dim = number | string;
export type Shape = readonly Dim[];
export type DType = 'float32' | 'int32' | 'bool';

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export const BATCH = 'batch';

export function isKnown(dim: Dim): dim is number {
  return typeof dim === 'number';
}

/** Shapes as Keras prints them, with symbols by name: `(batch, 25, 20)`. */
export function formatShape(shape: Shape): string {
  return shape.length === 1 ? `(${String(shape[0])},)` : `(${shape.join(', ')})`;
}

/** Shapes for JSON and for `summary`: unknown dimensions are null. */
export function shapeToJson(shape: Shape): (number | null)[] {
  return shape.map((d) => (isKnown(d) ? d : null));
}

export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

/** The number of elements per batch row (the product of the non-batch axes), when all are known. */
export function rowSize(shape: Shape): number | undefined {
  let size = 1;
  for (const d of shape.slice(1)) {
    if (!isKnown(d)) return undefined;
    size *= d;
  }
  return size;
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

/** The product of dimensions: a number when all are known, else a symbol that writes the product out (`time * 4`). */
export function productDim(dims: readonly Dim[]): Dim {
  if (dims.every(isKnown)) return dims.reduce((a: number, b) => a * b, 1);
  return dims.join(' * ');
}
