// Shared by the element-wise layers (ReLU, LeakyReLU, ELU, Rescaling) and the layers that are the
// identity at inference (Identity, GaussianNoise, GaussianDropout, AlphaDropout,
// ActivityRegularization): the output has the input's shape, and the emitter is one loop over
// every element (rows × the other dimensions), or one copy.
import type { Expr, Stmt } from '../kernel/ir.js';
import { assign, at, constVar, forRange, id, method, mul, stmt, withComment, type Ex } from '../kernel/build.js';
import { expectDType } from '../shapes/rules.js';
import { defineLayer, type EmitContext, type LayerDef, type LayerIO } from './layer.js';
import type { ConfigOf, Options } from './options/option.js';

/** Every element of the layer's input in this call: rows × the non-batch dimensions. */
export function elements(ctx: EmitContext, io: LayerIO): Ex {
  return mul(io.rows, ...io.inputs[0]!.type.shape.slice(1).map((d) => ctx.dim(d)));
}

/** `out[i] = value(x[i])` for every element; `x` is read once into the local `v`. */
export function mapElements(ctx: EmitContext, io: LayerIO, value: (v: Expr) => Ex, formula: string): Stmt[] {
  const input = io.inputs[0]!.buffer;
  const out = io.outputs[0]!.buffer;
  return [withComment(forRange('i', 0, elements(ctx, io), [constVar('v', at(input, 'i')), assign(at(out, 'i'), value(id('v')))]), `${out}[i] = ${formula} with v = ${input}[i]`)];
}

interface ElementwiseSpec<O extends Options> {
  readonly type: string;
  readonly description: string;
  readonly options: O;
  readonly required?: readonly (keyof O & string)[];
  describe(config: ConfigOf<O>): string;
  /** The element's new value, and the formula in words for the comment. */
  value(v: Expr, config: ConfigOf<O>): Ex;
  formula(config: ConfigOf<O>): string;
}

/** A float32 element-wise layer without parameters: any shape, the mask passed on (Keras's supports_masking). */
export function elementwiseLayer<const O extends Options>(spec: ElementwiseSpec<O>): LayerDef {
  return defineLayer({
    type: spec.type,
    description: spec.description,
    options: spec.options,
    required: spec.required ?? [],
    arity: { min: 1, max: 1 },
    maskPolicy: () => 'pass',
    stepwise: () => true,
    outputNames: () => ['output'],
    describe: (c) => spec.describe(c),
    inferShapes(ctx, [input]) {
      if (!expectDType(ctx, input!, 'float32')) return undefined;
      return [input!.type];
    },
    params: () => [],
    emit: (ctx, io, c) => mapElements(ctx, io, (v) => spec.value(v, c), spec.formula(c)),
  });
}

interface IdentitySpec<O extends Options> {
  readonly type: string;
  readonly description: string;
  readonly options: O;
  readonly required?: readonly (keyof O & string)[];
  describe(config: ConfigOf<O>): string;
  /** What the layer does in training that this one does not, for the comment. */
  readonly note: string;
  /** Only float inputs (the noise layers); Identity takes any dtype. */
  readonly float?: boolean;
}

/** A layer that is the identity at inference: its output is a copy of its input. */
export function identityLayer<const O extends Options>(spec: IdentitySpec<O>): LayerDef {
  return defineLayer({
    type: spec.type,
    description: spec.description,
    options: spec.options,
    required: spec.required ?? [],
    arity: { min: 1, max: 1 },
    maskPolicy: () => 'pass',
    stepwise: () => true,
    outputNames: () => ['output'],
    describe: (c) => spec.describe(c),
    inferShapes(ctx, [input]) {
      if (spec.float && !expectDType(ctx, input!, 'float32')) return undefined;
      return [input!.type];
    },
    params: () => [],
    emit(_ctx, io) {
      const input = io.inputs[0]!.buffer;
      const out = io.outputs[0]!.buffer;
      return [withComment(stmt(method(out, 'set', input)), `${out} = ${input}: ${spec.note}`)];
    },
  });
}
