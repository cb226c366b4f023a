"""Fixture cases: Conv1DTranspose, SeparableConv1D, DepthwiseConv1D, ConvLSTM1D/2D. Each call to case() adds one (see cases.py)."""

import numpy as np

from cases import L, case

# Explicit inputs from a generator of this file's own, so that the draws of cases.py's `floats` (and
# of the topic files imported after this one) stay as they are.
_R = np.random.default_rng(20261202)


def floats(*shape):
    return _R.uniform(-1.0, 1.0, size=shape).astype("float32")

_CIN = {"x": {"shape": [7, 4], "batch_size": 2}}

# ------------------------------------------------------------------ Conv1DTranspose
# Output length (keras/src/backend/common/backend_utils.py): valid (L-1)*s + max(span, s), same L*s;
# with output_padding op: valid (L-1)*s + span + op, same (L-1)*s + span % 2 + op.
for nm, opts, d in [
    ("conv1d_transpose_valid", {}, "padding valid"),
    ("conv1d_transpose_same", {"padding": "same"}, "padding same"),
    ("conv1d_transpose_strides2", {"strides": 2}, "strides 2, valid"),
    ("conv1d_transpose_strides2_same", {"strides": 2, "padding": "same"}, "strides 2, same"),
    ("conv1d_transpose_strides3_k2", {"strides": 3, "kernel_size": 2}, "kernel_size 2, strides 3 (stride > span), valid"),
    ("conv1d_transpose_output_padding", {"strides": 2, "output_padding": 1}, "strides 2, output_padding 1, valid"),
    ("conv1d_transpose_output_padding_same", {"strides": 3, "output_padding": 2, "padding": "same"}, "strides 3, output_padding 2, same"),
    ("conv1d_transpose_output_padding_0_same_k4", {"strides": 2, "output_padding": 0, "padding": "same", "kernel_size": 4}, "kernel_size 4, strides 2, output_padding 0, same"),
    ("conv1d_transpose_k4_strides2_same", {"strides": 2, "padding": "same", "kernel_size": 4}, "kernel_size 4, strides 2, same"),
    ("conv1d_transpose_dilation2", {"dilation_rate": 2}, "dilation_rate 2, valid"),
    ("conv1d_transpose_dilation2_same", {"dilation_rate": 2, "padding": "same"}, "dilation_rate 2, same"),
    ("conv1d_transpose_relu_no_bias", {"activation": "relu", "use_bias": False}, "activation relu, use_bias false"),
]:
    o = {"filters": 3, "kernel_size": 3}
    o.update(opts)
    case(nm, f"Conv1DTranspose(filters 3, kernel_size {o['kernel_size']}) {d}, input [7, 4]",
         [L("Conv1DTranspose", "conv1d_transpose", **o)], inputs=_CIN)

# ------------------------------------------------------------------ DepthwiseConv1D
for nm, opts, d in [
    ("depthwise_conv1d_valid", {}, "padding valid"),
    ("depthwise_conv1d_same_dm2", {"padding": "same", "depth_multiplier": 2}, "padding same, depth_multiplier 2"),
    ("depthwise_conv1d_strides2_dm3", {"strides": 2, "depth_multiplier": 3}, "strides 2, depth_multiplier 3"),
    ("depthwise_conv1d_dilation2_same", {"dilation_rate": 2, "padding": "same"}, "dilation_rate 2, same"),
    ("depthwise_conv1d_relu_no_bias", {"activation": "relu", "use_bias": False, "kernel_size": 2}, "kernel_size 2, relu, use_bias false"),
]:
    o = {"kernel_size": 3}
    o.update(opts)
    case(nm, f"DepthwiseConv1D(kernel_size {o['kernel_size']}) {d}, input [7, 4]",
         [L("DepthwiseConv1D", "depthwise_conv1d", **o)], inputs=_CIN)

# ------------------------------------------------------------------ SeparableConv1D
for nm, opts, d in [
    ("separable_conv1d_valid", {}, "padding valid"),
    ("separable_conv1d_same_dm2", {"padding": "same", "depth_multiplier": 2}, "padding same, depth_multiplier 2"),
    ("separable_conv1d_strides2_same", {"strides": 2, "padding": "same", "kernel_size": 4}, "kernel_size 4, strides 2, same"),
    ("separable_conv1d_dilation2", {"dilation_rate": 2}, "dilation_rate 2, valid"),
    ("separable_conv1d_relu_no_bias", {"activation": "relu", "use_bias": False, "depth_multiplier": 3}, "depth_multiplier 3, relu, use_bias false"),
]:
    o = {"filters": 5, "kernel_size": 3}
    o.update(opts)
    case(nm, f"SeparableConv1D(filters 5, kernel_size {o['kernel_size']}) {d}, input [7, 4]",
         [L("SeparableConv1D", "separable_conv1d", **o)], inputs=_CIN)

case("separable_conv1d_lstm", "SeparableConv1D(6, 3, same, relu) -> Conv1DTranspose(4, 2, strides 2) -> LSTM(3)",
     [L("SeparableConv1D", "separable_conv1d", filters=6, kernel_size=3, padding="same", activation="relu"),
      L("Conv1DTranspose", "conv1d_transpose", filters=4, kernel_size=2, strides=2),
      L("LSTM", "lstm", units=3)], inputs=_CIN)

# ------------------------------------------------------------------ ConvLSTM1D
# Input (batch, time, steps, channels); the states (batch, new_steps, filters).
_LIN = {"x": {"shape": [4, 6, 3], "batch_size": 2}}
case("conv_lstm1d_default", "ConvLSTM1D(2, kernel_size 3), defaults: padding valid, last output (2, 4, 2)",
     [L("ConvLSTM1D", "conv_lstm1d", filters=2, kernel_size=3)], inputs=_LIN)
case("conv_lstm1d_same_sequences", "ConvLSTM1D(3, 3) padding same, return_sequences",
     [L("ConvLSTM1D", "conv_lstm1d", filters=3, kernel_size=3, padding="same", return_sequences=True)], inputs=_LIN)
case("conv_lstm1d_state_strides2", "ConvLSTM1D(2, 2) strides 2, return_state: output, h, c",
     [L("ConvLSTM1D", "conv_lstm1d", filters=2, kernel_size=2, strides=2, return_state=True)], inputs=_LIN,
     outputs=["conv_lstm1d", "conv_lstm1d.h", "conv_lstm1d.c"])
case("conv_lstm1d_dilation2_backwards", "ConvLSTM1D(2, 2) dilation_rate 2, go_backwards, return_sequences, recurrent_activation hard_sigmoid",
     [L("ConvLSTM1D", "conv_lstm1d", filters=2, kernel_size=2, dilation_rate=2, go_backwards=True, return_sequences=True,
        recurrent_activation="hard_sigmoid")], inputs=_LIN)
case("conv_lstm1d_k4_same_no_bias", "ConvLSTM1D(2, 4) padding same (even kernel: the recurrent conv pads 1 before, 2 after), use_bias false",
     [L("ConvLSTM1D", "conv_lstm1d", filters=2, kernel_size=4, padding="same", use_bias=False, return_sequences=True)], inputs=_LIN)
# No mask case: Keras 3.15's ConvLSTM1D fails on a (batch, time) mask ("Incompatible shapes for
# broadcasting: shapes=[(2, 1), (2, 4, 2), (2, 4, 2)]": the RNN base broadcasts it against 2-D states
# only), so modelc refuses a mask on ConvLSTM1D (MC4061).
_LA = floats(2, 4, 6, 3)
_LB = floats(2, 4, 6, 3)
case("conv_lstm1d_stateful", "ConvLSTM1D(2, 3, stateful) return_sequences: calls A, B, reset_states, A (the 4th equals the 1st)",
     [L("ConvLSTM1D", "conv_lstm1d", filters=2, kernel_size=3, stateful=True, return_sequences=True)], inputs=_LIN,
     calls=[{"x": _LA}, {"x": _LB}, "reset_states", {"x": _LA}])

# ------------------------------------------------------------------ stateful TimeDistributed (issue 12)
# Keras 3 (time_distributed.py) calls the wrapped layer once per outer timestep, in order, when the
# time axis is static: a stateful recurrent layer continues from the states the previous outer
# timestep left, and the next call continues from the last one's.
_TIN = {"x": {"shape": [3, 4, 2], "batch_size": 2}}
_TA = floats(2, 3, 4, 2)
_TB = floats(2, 3, 4, 2)
_TDNOTE = ("Keras's TimeDistributed.call runs the wrapped layer on x[:, 0], x[:, 1], ... in a Python loop; a stateful "
           "LSTM inside continues its states from one outer timestep to the next and into the next call, so the "
           "outputs equal one stateful LSTM over the (batch, 3 * 4, 2) flattened sequence, read at the end of each chunk.")
case("time_distributed_lstm_stateful", "TimeDistributed(LSTM(3, stateful)): calls A, B, reset_states, A (states carry "
     "across outer timesteps and calls; the 4th equals the 1st)",
     [L("TimeDistributed", "time_distributed", layer={"type": "LSTM", "units": 3, "stateful": True})], inputs=_TIN,
     calls=[{"x": _TA}, {"x": _TB}, "reset_states", {"x": _TA}], notes=_TDNOTE)
case("time_distributed_gru_stateful_sequences", "TimeDistributed(GRU(3, stateful, return_sequences, go_backwards)): "
     "calls A, A, reset_states, A (each chunk read backwards, the states carried chunk to chunk)",
     [L("TimeDistributed", "time_distributed", layer={"type": "GRU", "units": 3, "stateful": True, "return_sequences": True,
                                                     "go_backwards": True})], inputs=_TIN,
     calls=[{"x": _TA}, {"x": _TA}, "reset_states", {"x": _TA}], notes=_TDNOTE)
case("time_distributed_conv_lstm1d", "TimeDistributed(ConvLSTM1D(2, 3, return_sequences)) on (batch, 2, 3, 6, 3): each outer step its own sequence",
     [L("TimeDistributed", "time_distributed", layer={"type": "ConvLSTM1D", "filters": 2, "kernel_size": 3, "return_sequences": True})],
     inputs={"x": {"shape": [2, 3, 6, 3], "batch_size": 2}})

# ------------------------------------------------------------------ ConvLSTM2D
# Input (batch, time, rows, cols, channels); the states (batch, new_rows, new_cols, filters).
_L2IN = {"x": {"shape": [3, 5, 6, 2], "batch_size": 2}}
case("conv_lstm2d_default", "ConvLSTM2D(2, kernel_size 3), defaults: padding valid, last output (2, 3, 4, 2)",
     [L("ConvLSTM2D", "conv_lstm2d", filters=2, kernel_size=3)], inputs=_L2IN)
case("conv_lstm2d_same_sequences_23", "ConvLSTM2D(3, kernel_size (2, 3)) padding same, return_sequences (even rows of the kernel)",
     [L("ConvLSTM2D", "conv_lstm2d", filters=3, kernel_size=[2, 3], padding="same", return_sequences=True)], inputs=_L2IN)
case("conv_lstm2d_state_strides", "ConvLSTM2D(2, 2) strides (2, 1), return_state, go_backwards: output, h, c",
     [L("ConvLSTM2D", "conv_lstm2d", filters=2, kernel_size=2, strides=[2, 1], return_state=True, go_backwards=True)], inputs=_L2IN,
     outputs=["conv_lstm2d", "conv_lstm2d.h", "conv_lstm2d.c"])
case("conv_lstm2d_dilation", "ConvLSTM2D(2, 2) dilation_rate (1, 2), return_sequences",
     [L("ConvLSTM2D", "conv_lstm2d", filters=2, kernel_size=2, dilation_rate=[1, 2], return_sequences=True)], inputs=_L2IN)
_L2A = floats(2, 3, 5, 6, 2)
_L2B = floats(2, 3, 5, 6, 2)
case("conv_lstm2d_stateful", "ConvLSTM2D(2, 3, same, stateful): calls A, B, reset_states, A (the 4th equals the 1st)",
     [L("ConvLSTM2D", "conv_lstm2d", filters=2, kernel_size=3, padding="same", stateful=True)], inputs=_L2IN,
     calls=[{"x": _L2A}, {"x": _L2B}, "reset_states", {"x": _L2A}])
