// Shape checks shared by layer rules. Each reports through the ShapeContext and returns false
// on failure, so a layer rule reads as a list of requirements.
import type { LayerConfig } from '../ir/graph.js';
import type { ShapeContext, ShapeInput } from '../layers/layer.js';
import { formatShape, type DType } from './dim.js';

/** "LSTM layer \"lstm\"" */
export function layerTitle(ctx: ShapeContext): string {
  return `${ctx.layer.type} layer "${ctx.layer.name}"`;
}

/** A hint for a layer that needs a time axis it did not get: a recurrent producer can return sequences. */
export function sequenceHint(input: ShapeInput): string | undefined {
  const producer = input.producer;
  if (producer.kind === 'layer' && producer.config.return_sequences === false) {
    return `set \`return_sequences: true\` on ${producer.type} "${producer.name}" so it outputs every timestep, not only the last.`;
  }
  return undefined;
}

export function expectRank(ctx: ShapeContext, input: ShapeInput, min: number, max: number, meaning: string): boolean {
  const rank = input.type.shape.length;
  if (rank >= min && rank <= max) return true;
  const expected = min === max ? `a ${min}-D input ${meaning}` : max === Infinity ? `an input of rank ${min} or more ${meaning}` : `an input of rank ${min} to ${max} ${meaning}`;
  const hint = rank < min ? sequenceHint(input) : undefined;
  ctx.error('MC4001', `${layerTitle(ctx)} expects ${expected}. Received: a ${rank}-D input of shape ${formatShape(input.type.shape)}.`, {
    related: [ctx.definedHere(input.producer)],
    ...(hint ? { hint } : {}),
  });
  return false;
}

export function expectDType(ctx: ShapeContext, input: ShapeInput, dtype: DType): boolean {
  if (input.type.dtype === dtype) return true;
  ctx.error('MC4004', `${layerTitle(ctx)} expects a ${dtype} input. Received: ${input.type.dtype} of shape ${formatShape(input.type.shape)}.`, {
    related: [ctx.definedHere(input.producer)],
  });
  return false;
}

/** Option names that are set (true) in a config, for short descriptions. */
export function flags(config: LayerConfig, names: readonly string[]): string[] {
  return names.filter((n) => config[n] === true);
}
