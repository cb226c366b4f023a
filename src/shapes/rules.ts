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
  if (producer.kind === 'layer' && producer.def.recurrent && !producer.def.returnsSequences(producer.config)) {
    return `set \`return_sequences: true\` on ${producer.type} "${producer.name}" so it outputs every timestep, not only the last.`;
  }
  return undefined;
}

/** The likely fix for an input of the wrong rank: where the missing axis comes from, or how to drop an extra one. */
function rankHint(input: ShapeInput, min: number, max: number, meaning: string, type: string): string | undefined {
  const rank = input.type.shape.length;
  const producer = input.producer;
  if (min === 4 && max === 4) return imageHint(input, type);
  if (rank < min) {
    const fromRecurrent = sequenceHint(input);
    if (fromRecurrent || rank !== 2 || min !== 3) return fromRecurrent;
    // (batch, n) where (batch, steps, features) is read: the data has no time axis yet.
    const n = String(input.type.shape[1]);
    const [, steps = 'timesteps', features = 'features'] = meaning.replace(/[()]/g, '').split(', ');
    const one = (word: string) => word.replace(/s$/, '');
    if (producer.kind === 'input') {
      return `give input "${producer.name}" a time axis: \`shape: [${n}, 1]\` is ${n} ${steps} of 1 ${one(features)}, \`shape: [1, ${n}]\` 1 ${one(steps)} of ${n} ${features}.`;
    }
    return `add a time axis before this layer: a Reshape with \`target_shape: [${n}, 1]\` or a RepeatVector; or give the model input a time axis, which layers such as Dense keep.`;
  }
  if (rank > max) {
    if (producer.kind === 'layer' && producer.def.returnsSequences(producer.config) && rank === 3) {
      return `set \`return_sequences: false\` on ${producer.type} "${producer.name}" so it outputs only the last timestep.`;
    }
    if (producer.kind === 'layer' && producer.type === 'Embedding') {
      return `Embedding "${producer.name}" adds an axis to its input: feed it token ids of shape (batch, timesteps), not vectors.`;
    }
    if (max === 2) return 'reduce the sequence to one vector per sample first: an LSTM or GRU without return_sequences, GlobalAveragePooling1D, or Flatten.';
  }
  return undefined;
}

/** For a layer of images (batch, rows, cols, channels): frames of images want TimeDistributed; one image without channels, a channels axis. */
function imageHint(input: ShapeInput, type: string): string | undefined {
  const shape = input.type.shape;
  if (shape.length === 5) return `the input is frames of images (batch, frames, rows, cols, channels): wrap the layer in TimeDistributed (\`type: TimeDistributed\`, \`layer: { type: ${type}, ... }\`) to apply it to every frame.`;
  if (shape.length !== 3) return undefined;
  const fix = `[${shape.slice(1).map(String).join(', ')}, 1]`;
  const producer = input.producer;
  if (producer.kind === 'input') return `give input "${producer.name}" a channels axis: \`shape: ${fix}\` is one channel (grey pixels).`;
  if (producer.type === 'Reshape') return `give the image a channels axis: \`target_shape: ${fix}\` on Reshape "${producer.name}" is one channel.`;
  return `add a channels axis before this layer: a Reshape with \`target_shape: ${fix}\`.`;
}

export function expectRank(ctx: ShapeContext, input: ShapeInput, min: number, max: number, meaning: string): boolean {
  const rank = input.type.shape.length;
  if (rank >= min && rank <= max) return true;
  const expected = min === max ? `a ${min}-D input ${meaning}` : max === Infinity ? `an input of rank ${min} or more ${meaning}` : `an input of rank ${min} to ${max} ${meaning}`;
  const hint = rankHint(input, min, max, meaning, ctx.layer.type);
  ctx.error('MC4001', `${layerTitle(ctx)} expects ${expected}. Received: a ${rank}-D input of shape ${formatShape(input.type.shape)}.`, {
    related: [ctx.definedHere(input.producer)],
    ...(hint ? { hint } : {}),
  });
  return false;
}

export function expectDType(ctx: ShapeContext, input: ShapeInput, dtype: DType): boolean {
  if (input.type.dtype === dtype) return true;
  const source = input.producer.kind === 'input' ? `input "${input.producer.name}"` : 'the model input';
  const hint =
    dtype === 'int32'
      ? `${ctx.layer.type} looks up integer token ids: declare ${source} as \`{ shape: [${input.producer.kind === 'input' && input.type.shape.length > 1 ? String(input.type.shape[1]) : 'timesteps'}], dtype: int32 }\`; if it already holds vectors (one-hot rows or features), remove the ${ctx.layer.type} layer.`
      : dtype === 'float32' && input.type.dtype === 'int32'
        ? `token ids go through an Embedding first; if ${source} holds numbers, declare it with \`dtype: float32\`.`
        : undefined;
  ctx.error('MC4004', `${layerTitle(ctx)} expects ${dtype === 'int32' ? 'an' : 'a'} ${dtype} input. Received: ${input.type.dtype} of shape ${formatShape(input.type.shape)}.`, {
    related: [ctx.definedHere(input.producer)],
    ...(hint ? { hint } : {}),
  });
  return false;
}

/** Option names that are set (true) in a config, for short descriptions. */
export function flags(config: LayerConfig, names: readonly string[]): string[] {
  return names.filter((n) => config[n] === true);
}
