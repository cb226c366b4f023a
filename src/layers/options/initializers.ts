// The `*_initializer` options: a Keras name or `{ class_name, config }`, normalized to one of a
// few distributions, with Keras 3's defaults and fan computation, and emitted as a runtime call.
import type { Expr } from '../../kernel/ir.js';
import { call, str, type Ex } from '../../kernel/build.js';
import type { EmitContext } from '../layer.js';
import { option, type Option } from './option.js';
import { kerasObjectSchema, numberOr, resolveKerasObject, stringOr, type KerasObjectKind } from './keras-object.js';

export type InitializerSpec =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'random_uniform'; readonly minval: number; readonly maxval: number }
  | { readonly kind: 'random_normal' | 'truncated_normal'; readonly mean: number; readonly stddev: number }
  | { readonly kind: 'variance_scaling'; readonly scale: number; readonly mode: string; readonly distribution: string }
  | { readonly kind: 'orthogonal' | 'identity'; readonly gain: number }
  /** LSTM's: `base` (the bias_initializer) everywhere, then ones in the forget gate's block. */
  | { readonly kind: 'unit_forget_bias'; readonly units: number; readonly base: InitializerSpec };

/** Keras names (snake_case) and class names, with the class's defaults. */
const initializers: KerasObjectKind<InitializerSpec> = {
  byName: {
    zeros: () => ({ kind: 'constant', value: 0 }),
    ones: () => ({ kind: 'constant', value: 1 }),
    constant: (c) => ({ kind: 'constant', value: numberOr(c.value, 0) }),
    random_uniform: (c) => ({ kind: 'random_uniform', minval: numberOr(c.minval, -0.05), maxval: numberOr(c.maxval, 0.05) }),
    random_normal: (c) => ({ kind: 'random_normal', mean: numberOr(c.mean, 0), stddev: numberOr(c.stddev, 0.05) }),
    truncated_normal: (c) => ({ kind: 'truncated_normal', mean: numberOr(c.mean, 0), stddev: numberOr(c.stddev, 0.05) }),
    variance_scaling: (c) => ({ kind: 'variance_scaling', scale: numberOr(c.scale, 1), mode: stringOr(c.mode, 'fan_in'), distribution: stringOr(c.distribution, 'truncated_normal') }),
    glorot_uniform: () => ({ kind: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' }),
    glorot_normal: () => ({ kind: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' }),
    he_uniform: () => ({ kind: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'uniform' }),
    he_normal: () => ({ kind: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }),
    lecun_uniform: () => ({ kind: 'variance_scaling', scale: 1, mode: 'fan_in', distribution: 'uniform' }),
    lecun_normal: () => ({ kind: 'variance_scaling', scale: 1, mode: 'fan_in', distribution: 'truncated_normal' }),
    orthogonal: (c) => ({ kind: 'orthogonal', gain: numberOr(c.gain, 1) }),
    identity: (c) => ({ kind: 'identity', gain: numberOr(c.gain, 1) }),
  },
  classNames: {
    Zeros: 'zeros', Ones: 'ones', Constant: 'constant', RandomUniform: 'random_uniform', RandomNormal: 'random_normal',
    TruncatedNormal: 'truncated_normal', VarianceScaling: 'variance_scaling', GlorotUniform: 'glorot_uniform',
    GlorotNormal: 'glorot_normal', HeUniform: 'he_uniform', HeNormal: 'he_normal', LecunUniform: 'lecun_uniform',
    LecunNormal: 'lecun_normal', Orthogonal: 'orthogonal', Identity: 'identity',
  },
  config: {
    value: { type: 'number' },
    minval: { type: 'number' },
    maxval: { type: 'number' },
    mean: { type: 'number' },
    stddev: { type: 'number', exclusiveMinimum: 0 },
    gain: { type: 'number' },
    scale: { type: 'number', exclusiveMinimum: 0 },
    mode: { enum: ['fan_in', 'fan_out', 'fan_avg'] },
    distribution: { enum: ['truncated_normal', 'untruncated_normal', 'normal', 'uniform'] },
    seed: { type: ['integer', 'null'] },
  },
};

export function initializerSchema(defaultName: string, description: string): Option<unknown> {
  return option(kerasObjectSchema(initializers, description, defaultName));
}

/** Normalize a validated option value. */
export function initializerOf(value: unknown): InitializerSpec {
  return resolveKerasObject(initializers, value)!;
}

/** Keras's fans: (in, out) for a matrix; for a kernel of rank > 2, both times the receptive field. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** The call that fills `out` (a Float32Array of the parameter's size) from `rng`. */
export function emitInitializer(ctx: EmitContext, spec: InitializerSpec, shape: readonly number[], out: Ex, rng: Ex): Expr {
  switch (spec.kind) {
    case 'constant':
      return call(ctx.runtime('fillConstant'), out, spec.value);
    case 'random_uniform':
      return call(ctx.runtime('fillUniform'), out, rng, spec.minval, spec.maxval);
    case 'random_normal':
      return call(ctx.runtime('fillNormal'), out, rng, spec.mean, spec.stddev);
    case 'truncated_normal':
      return call(ctx.runtime('fillTruncatedNormal'), out, rng, spec.mean, spec.stddev);
    case 'variance_scaling': {
      const { fanIn, fanOut } = fans(shape);
      return call(ctx.runtime('fillVarianceScaling'), out, rng, spec.scale, str(spec.mode), str(spec.distribution), fanIn, fanOut);
    }
    case 'orthogonal': {
      const cols = shape[shape.length - 1] ?? 1;
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      return call(ctx.runtime('fillOrthogonal'), out, rng, rows, cols, spec.gain);
    }
    case 'identity':
      return call(ctx.runtime('fillIdentity'), out, shape[0] ?? 1, shape[1] ?? 1, spec.gain);
    case 'unit_forget_bias':
      return call(ctx.runtime('fillUnitForgetBias'), emitInitializer(ctx, spec.base, shape, out, rng), spec.units);
  }
}
