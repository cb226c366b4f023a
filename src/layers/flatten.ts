// Flatten: keras.layers.Flatten (keras/src/layers/reshaping/flatten.py).
// (batch, d1, ..., dn) -> (batch, d1·...·dn): row-major, so the elements keep their order and the
// generated code is one copy. Any dtype. Like Keras, it drops an input mask.
// Divergence: data_format is channels_last only (channels_first would move the channels last first).
import { method, stmt, withComment } from '../kernel/build.js';
import { productDim } from '../shapes/dim.js';
import { defineLayer } from './layer.js';
import { dataFormatSchema } from './options/window.js';

export const flatten = defineLayer({
  type: 'Flatten',
  description: 'Flattens every axis but the batch: (batch, d1, ..., dn) -> (batch, d1·...·dn).',
  options: { data_format: dataFormatSchema },
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: (_config, [input]) => input!.shape.length <= 2,
  describe: () => 'Flatten()',

  inferShapes(_ctx, [input]) {
    const shape = input!.type.shape;
    const out = [shape[0]!, productDim(shape.slice(1))];
    return [{ dtype: input!.type.dtype, shape: out }];
  },

  params: () => [],

  emit(_ctx, io) {
    const input = io.inputs[0]!.buffer;
    const out = io.outputs[0]!.buffer;
    return [withComment(stmt(method(out, 'set', input)), 'The same elements in the same (row-major) order')];
  },
});
