// The registry: the single list of layer kinds. The schema, the graph builder and the emitter
// all read it.
//
// Adding a layer kind:
//   1. src/layers/<kind>.ts: `defineLayer({...})` in the fixed order: header comment (Keras
//      reference, semantics, any "Divergence:"), the option table (options/option.ts builders;
//      the config type is derived from it), `stepwise` (required), the shape rule (errors through
//      catalogue templates), params in Keras's layout, `emit` in kernel IR (src/kernel/build.ts);
//   2. one line in `layerDefs` below;
//   3. test/layers/<kind>.test.ts: shape-rule table, error codes, numbers against an oracle;
//   4. usually an example spec in models/; then `npm run schema` and `npm start`.
import { bidirectional } from './bidirectional.js';
import { dense } from './dense.js';
import type { LayerDef } from './layer.js';
import { embedding } from './embedding.js';
import { gru } from './gru.js';
import { lstm } from './lstm.js';
import { masking } from './masking.js';
import { simpleRnn } from './simple-rnn.js';
import { timeDistributed } from './time-distributed.js';
import { activation } from './activation.js';
import { add } from './add.js';
import { average } from './average.js';
import { averagePooling1d } from './average-pooling1d.js';
import { batchNormalization } from './batch-normalization.js';
import { concatenate } from './concatenate.js';
import { conv1d } from './conv1d.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { globalAveragePooling1d } from './global-average-pooling1d.js';
import { globalMaxPooling1d } from './global-max-pooling1d.js';
import { layerNormalization } from './layer-normalization.js';
import { maxPooling1d } from './max-pooling1d.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { multiply } from './multiply.js';
import { permute } from './permute.js';
import { repeatVector } from './repeat-vector.js';
import { reshape } from './reshape.js';
import { spatialDropout1d } from './spatial-dropout1d.js';
import { subtract } from './subtract.js';
import { relu } from './relu.js';
import { normalization } from './normalization.js';
import { spatialDropout2d } from './spatial-dropout2d.js';
import { dot } from './dot.js';
import { additiveAttention, attention } from './attention.js';
import { leakyRelu } from './leaky-relu.js';
import { prelu } from './prelu.js';
import { elu } from './elu.js';
import { softmax } from './softmax.js';
import { identity } from './identity.js';
import { gaussianNoise } from './gaussian-noise.js';
import { gaussianDropout } from './gaussian-dropout.js';
import { alphaDropout } from './alpha-dropout.js';
import { activityRegularization } from './activity-regularization.js';
import { unitNormalization } from './unit-normalization.js';
import { rescaling } from './rescaling.js';
import { categoryEncoding } from './category-encoding.js';
import { zeroPadding1d } from './zero-padding1d.js';
import { cropping1d } from './cropping1d.js';
import { upSampling1d } from './up-sampling1d.js';
import { conv2d } from './conv2d.js';
import { maxPooling2d } from './max-pooling2d.js';
import { averagePooling2d } from './average-pooling2d.js';
import { globalMaxPooling2d } from './global-max-pooling2d.js';
import { globalAveragePooling2d } from './global-average-pooling2d.js';
import { zeroPadding2d } from './zero-padding2d.js';
import { cropping2d } from './cropping2d.js';
import { upSampling2d } from './up-sampling2d.js';
import { multiHeadAttention } from './multi-head-attention.js';
import { conv1dTranspose } from './conv1d-transpose.js';
import { depthwiseConv1d } from './depthwise-conv1d.js';
import { separableConv1d } from './separable-conv1d.js';
import { convLstm1d, convLstm2d } from './conv-lstm.js';

export const layerDefs: readonly LayerDef[] = [dense, lstm, gru, simpleRnn, timeDistributed, bidirectional, embedding, masking, conv1d, maxPooling1d, averagePooling1d, globalMaxPooling1d, globalAveragePooling1d, flatten, reshape, permute, repeatVector, activation, dropout, spatialDropout1d, concatenate, add, subtract, multiply, average, maximum, minimum, layerNormalization, batchNormalization, relu, leakyRelu, prelu, elu, softmax, identity, gaussianNoise, gaussianDropout, alphaDropout, activityRegularization, unitNormalization, rescaling, categoryEncoding, zeroPadding1d, cropping1d, upSampling1d, normalization, spatialDropout2d, dot, attention, additiveAttention, conv2d, maxPooling2d, averagePooling2d, globalMaxPooling2d, globalAveragePooling2d, zeroPadding2d, cropping2d, upSampling2d, multiHeadAttention, conv1dTranspose, depthwiseConv1d, separableConv1d, convLstm1d, convLstm2d];

export const layerByType: ReadonlyMap<string, LayerDef> = new Map(layerDefs.map((def) => [def.type, def]));

/** Keras's default layer name for a type (its `to_snake_case`): LSTM -> lstm, TimeDistributed -> time_distributed, Conv1D -> conv1d. */
export function defaultLayerName(type: string): string {
  return type
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Keras's other names for kinds above (`keras.layers.MaxPool1D is keras.layers.MaxPooling1D`): a
 * spec names a kind one way, Keras's class name, so these get a hint that says which, not a guess.
 */
const kerasAliases: ReadonlyMap<string, string> = new Map([
  ['Convolution1D', 'Conv1D'], ['Convolution2D', 'Conv2D'], ['Convolution1DTranspose', 'Conv1DTranspose'],
  ['SeparableConvolution1D', 'SeparableConv1D'], ['MaxPool1D', 'MaxPooling1D'], ['MaxPool2D', 'MaxPooling2D'],
  ['AvgPool1D', 'AveragePooling1D'], ['AvgPool2D', 'AveragePooling2D'], ['GlobalMaxPool1D', 'GlobalMaxPooling1D'],
  ['GlobalMaxPool2D', 'GlobalMaxPooling2D'], ['GlobalAvgPool1D', 'GlobalAveragePooling1D'], ['GlobalAvgPool2D', 'GlobalAveragePooling2D'],
]);

/** The registered kind a Keras alias names (Convolution1D -> Conv1D), if `type` is one. */
export function canonicalOfAlias(type: string): string | undefined {
  return kerasAliases.get(type);
}
