// The model spec's JSON Schema (draft-07), assembled from the layer registry. The committed
// schemas/model.schema.json is this object, printed; a test keeps them equal.
import { layerDefs } from '../layers/registry.js';
import type { SchemaFragment } from '../layers/layer.js';

export const NAME_PATTERN = '^(?!__proto__$)[A-Za-z_][A-Za-z0-9_-]*$';
export const REFERENCE_PATTERN = '^(?!__proto__(\\.|$))[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$';

const reference = { type: 'string', pattern: REFERENCE_PATTERN, description: 'NAME (a model input or a layer\'s main output) or NAME.OUTPUT (e.g. lstm.h).' };

/** Keys every layer may have, besides its options. */
export const structuralKeys = ['type', 'name', 'input', 'inputs', 'initial_state', 'mask', 'layer', 'backward_layer', 'shares'] as const;

/**
 * An entry that applies an earlier layer again (`{ name: enc_b, shares: enc_a, input: b }`): a
 * Keras layer called on several inputs, one set of weights. It has what one call has (its inputs,
 * initial states and mask) and nothing the layer has (type, options), which come from `shares`.
 */
const sharedLayerSchema: SchemaFragment = {
  type: 'object',
  description: "Applies the layer named by `shares` again: the same type, options and weights (stored once, under that layer's name), on this entry's own inputs; its output is this entry's `name`.",
  additionalProperties: false,
  required: ['name', 'shares'],
  properties: {
    shares: { type: 'string', pattern: NAME_PATTERN, description: 'The layer whose weights this entry uses: it calls that layer again, as a Keras layer called on a second input.' },
    name: { type: 'string', pattern: NAME_PATTERN, description: 'The name of this application\'s output (required: the layer\'s own name is taken by its first application).' },
    input: { ...reference, description: 'The input tensor; default: the previous layer\'s main output.' },
    inputs: { type: 'array', items: reference, minItems: 1, description: 'Input tensors, for layers with several inputs.' },
    initial_state: { type: 'array', items: reference, minItems: 1, description: 'Tensors to start a shared recurrent layer\'s states from, for this application.' },
    mask: { ...reference, description: 'A bool model input of shape [timesteps] masking this application of a shared recurrent layer.' },
  },
};

function layerSchema(def: (typeof layerDefs)[number]): SchemaFragment {
  const properties: Record<string, unknown> = {
    type: { const: def.type },
    name: { type: 'string', pattern: NAME_PATTERN, description: 'The layer\'s name; default as Keras names it (lstm, lstm_1, ...).' },
    input: { ...reference, description: 'The input tensor; default: the previous layer\'s main output.' },
    inputs: { type: 'array', items: reference, minItems: 1, description: 'Input tensors, for layers with several inputs.' },
  };
  if (def.recurrent) {
    properties.initial_state = { type: 'array', items: reference, minItems: 1, description: 'Tensors to start the states from (LSTM: [h, c]).' };
    properties.mask = { ...reference, description: 'A bool model input of shape [timesteps]: false skips the step, as layer(x, mask=m) in Keras.' };
  }
  if (def.wrapper) properties.layer = { $ref: '#/definitions/layer', description: 'The wrapped layer.' };
  if (def.backwardLayer) properties.backward_layer = { $ref: '#/definitions/layer', description: 'The layer for the backward direction; default: a copy of `layer` with go_backwards flipped.' };
  Object.assign(properties, def.options);
  return {
    type: 'object',
    description: def.description,
    additionalProperties: false,
    required: ['type', ...(def.required ?? [])],
    properties,
  };
}

export function buildModelSchema(): SchemaFragment {
  const definitions: Record<string, unknown> = {
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['shape'],
      properties: {
        shape: {
          type: 'array',
          minItems: 1,
          items: { type: ['integer', 'null'], minimum: 1 },
          description: 'The non-batch dimensions, as in keras.Input; null for a length known only at run time.',
        },
        batch_size: { type: ['integer', 'null'], minimum: 1, default: null, description: 'A fixed batch size; absent or null: any.' },
        dtype: { enum: ['float32', 'int32', 'bool'], default: 'float32' },
      },
    },
    layer: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: layerDefs.map((d) => d.type), description: 'The Keras layer class.' } },
      allOf: layerDefs.map((def) => ({
        if: { properties: { type: { const: def.type } }, required: ['type'] },
        then: { $ref: `#/definitions/${def.type}` },
      })),
    },
  };
  for (const def of layerDefs) definitions[def.type] = layerSchema(def);
  definitions.shared_layer = sharedLayerSchema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/modelc/modelc/schemas/model.schema.json',
    title: 'modelc model spec',
    description: 'A Keras-style model for the modelc compiler: inputs, a list of layers, outputs.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'inputs', 'layers'],
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', pattern: NAME_PATTERN, description: 'The model\'s name; the generated module is <name>.ts.' },
      seed: { type: 'integer', minimum: 0, default: 0, description: 'Seed of the initial weights.' },
      weights: { type: 'string', description: 'A weights file, relative to the spec: JSON, .safetensors, or a Keras file (.keras, .weights.h5, .h5) read by layer name.' },
      inputs: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: { $ref: '#/definitions/input' },
      },
      layers: {
        type: 'array',
        items: { if: { type: 'object', properties: { shares: {} }, required: ['shares'] }, then: { $ref: '#/definitions/shared_layer' }, else: { $ref: '#/definitions/layer' } },
      },
      outputs: {
        anyOf: [
          { type: 'array', items: reference, minItems: 1 },
          { type: 'object', minProperties: 1, propertyNames: { pattern: NAME_PATTERN }, additionalProperties: reference },
        ],
        description: 'References to return: a list, or a map from output name to reference. Default: the last layer\'s main output.',
      },
    },
    definitions,
  };
}

/** The committed file's exact text. */
export function schemaText(): string {
  return `${JSON.stringify(buildModelSchema(), null, 2)}\n`;
}
