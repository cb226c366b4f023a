// The transposed window (Conv1DTranspose): Keras's output length
// (keras/src/backend/common/backend_utils.py, _get_output_shape_given_tf_padding) and where the
// taps of input step i land, from the padding JAX applies
// (_convert_conv_transpose_padding_args_from_keras_to_jax): JAX dilates the input by `strides`,
// pads it with left_pad zeros before and convolves with the flipped kernel, so tap k of input
// step i lands on output step i·strides + k·dilation − (span − 1 − left_pad).
import { addDims, mulDims, type Dim } from './dim.js';
import { windowSpan, type Window } from './conv.js';

/** A transposed window: `outputPadding` null is Keras's default (None). */
export interface TransposedWindow extends Window {
  readonly outputPadding: number | null;
}

/**
 * valid: (L − 1)·s + span + output_padding, whose default max(span, s) − span gives
 * (L − 1)·s + max(span, s); same: L·s by default, else (L − 1)·s + span % 2 + output_padding.
 * A run-time length gives the formula (`time * 2 + 1`).
 */
export function transposedOutputLength(length: Dim, w: TransposedWindow): Dim {
  const span = windowSpan(w);
  if (w.padding === 'valid') return addDims(mulDims(length, w.stride), span - w.stride + (w.outputPadding ?? Math.max(span, w.stride) - span));
  if (w.outputPadding === null) return mulDims(length, w.stride);
  return addDims(mulDims(length, w.stride), (span % 2) - w.stride + w.outputPadding);
}

/** The zeros JAX pads before the dilated input: valid span − 1; same half the total, rounded up, at most span − 1. */
function leftPad(w: TransposedWindow): number {
  const span = windowSpan(w);
  if (w.padding === 'valid') return span - 1;
  const total = w.outputPadding === null ? w.stride + span - 2 : span + (span % 2) - 2 + w.outputPadding;
  return Math.min(Math.floor(total / 2) + (total % 2), span - 1);
}

/** How far before i·strides + k·dilation the output step of tap k of input step i is: span − 1 − left_pad. */
export function transposedOffset(w: TransposedWindow): number {
  return windowSpan(w) - 1 - leftPad(w);
}
