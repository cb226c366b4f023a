// Reshape: keras.layers.Reshape (keras/src/layers/reshaping/reshape.py).
// (batch, ...) -> (batch, ...target_shape), the elements in the same row-major order; one entry
// of target_shape may be -1, inferred so that the number of elements per sample is unchanged
// (Keras's compute_reshape_output_shape). Any dtype. Like Keras, it drops an input mask.
import { method, stmt, withComment } from '../kernel/build.js';
import { elementCount, formatShape, productDim } from '../shapes/dim.js';
import { layerTitle } from '../shapes/rules.js';
import { defineLayer } from './layer.js';
import { integerList } from './options/option.js';

export const reshape = defineLayer({
  type: 'Reshape',
  description: 'Reshapes every axis but the batch to target_shape (one entry may be -1).',
  options: {
    target_shape: integerList('The shape of one sample (without the batch axis); at most one -1, inferred.', -1),
  },
  required: ['target_shape'],
  arity: { min: 1, max: 1 },

  outputNames: () => ['output'],
  stepwise: (c, [input]) => input!.shape.length <= 2 && c.target_shape.length <= 1,
  describe: (c) => `Reshape(${formatShape(c.target_shape)})`,

  inferShapes(ctx, [input], { target_shape: target }) {
    const shape = input!.type.shape;
    const title = layerTitle(ctx);
    const pointer = `${ctx.layer.pointer}/target_shape`;
    const unknown = target.filter((d) => d === -1).length;
    if (unknown > 1) {
      ctx.error('MC2008', `${title} expects at most one unknown dimension (-1) in target_shape. Received: target_shape=${formatShape(target)}.`, {
        pointer,
        hint: 'give every dimension but one a size.',
      });
      return undefined;
    }
    const size = elementCount(shape.slice(1));
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (size === undefined) {
      // Keras leaves -1 unknown and checks nothing until run time; the generated code would need
      // the size check at run time too, so a sample whose size is known only then is refused.
      ctx.error('MC6005', { layer: title, size: String(productDim(shape.slice(1))), target: formatShape(target) }, {
        pointer,
        related: [ctx.definedHere(input!.producer)],
        hint: 'give the input fixed dimensions.',
      });
      return undefined;
    }
    const related = [ctx.definedHere(input!.producer)];
    if (unknown === 0 && known !== size) {
      ctx.error('MC4016', { layer: title, relation: 'multiply to', size, target: formatShape(target), known, shape: formatShape(shape) }, {
        pointer,
        related,
        hint: `a sample has ${size} elements${shape.length > 2 ? ` (${shape.slice(1).join(' × ')})` : ''}: use a target_shape whose product is ${size}, e.g. \`[${shape.slice(1).join(', ')}]\`, or -1 for one dimension whose others divide ${size}.`,
      });
      return undefined;
    }
    if (unknown === 1 && (known === 0 || size % known !== 0)) {
      ctx.error('MC4016', { layer: title, relation: 'divide', size, target: formatShape(target), known, shape: formatShape(shape) }, {
        pointer,
        related,
        hint: `choose dimensions whose product divides ${size}.`,
      });
      return undefined;
    }
    return [{ dtype: input!.type.dtype, shape: [shape[0]!, ...target.map((d) => (d === -1 ? size / known : d))] }];
  },

  params: () => [],

  emit(_ctx, io) {
    const input = io.inputs[0]!.buffer;
    const out = io.outputs[0]!.buffer;
    return [withComment(stmt(method(out, 'set', input)), 'The same elements in the same (row-major) order')];
  },
});
