"""Fixture cases: 2-D layers (Conv2D, 2-D pooling, padding, cropping, upsampling) and TimeDistributed over them. Each call to case() adds one (see cases.py)."""

import os

import numpy as np
import yaml

from cases import L, case

_R = np.random.default_rng(20261202)  # explicit inputs of this file, apart from the other topics' stream


def floats(*shape):
    return _R.uniform(-1.0, 1.0, size=shape).astype("float32")


def img_in(H=6, W=7, C=2, bs=2):
    """One image input (batch, H, W, C); None for a run-time size."""
    return {"x": {"shape": [H, W, C], "batch_size": bs}}


def video_in(T=3, H=6, W=5, C=2, bs=2):
    """Frames of images (batch, T, H, W, C) for TimeDistributed."""
    return {"x": {"shape": [T, H, W, C], "batch_size": bs}}


def td(name, inner):
    return L("TimeDistributed", name, layer=inner)


# ------------------------------------------------------------------ Conv2D
for nm, o, d in [
    ("conv2d_valid", {}, "padding valid"),
    ("conv2d_same", {"padding": "same"}, "padding same"),
    ("conv2d_strides2", {"strides": 2}, "strides 2, valid"),
    ("conv2d_strides2_same", {"strides": 2, "padding": "same"}, "strides 2, same (padding 1 before, 1 after on 7 rows; 0/1 on 6)"),
    ("conv2d_strides_21_kernel_32", {"strides": [2, 1], "kernel_size": [3, 2]}, "strides (2, 1), kernel (3, 2)"),
    ("conv2d_dilation2", {"dilation_rate": 2}, "dilation_rate 2, valid"),
    ("conv2d_dilation_12_same", {"dilation_rate": [1, 2], "padding": "same"}, "dilation_rate (1, 2), same"),
    ("conv2d_groups2", {"groups": 2, "filters": 6}, "groups 2 (in 4, filters 6; kernel (3, 3, 2, 6))"),
    ("conv2d_relu_no_bias", {"activation": "relu", "use_bias": False}, "activation relu, use_bias false"),
    ("conv2d_k4_strides2_same", {"kernel_size": 4, "strides": 2, "padding": "same"}, "kernel 4, strides 2, same (asymmetric padding)"),
    ("conv2d_softmax_k1", {"kernel_size": 1, "activation": "softmax"}, "kernel 1, softmax over the filters"),
]:
    o = {"filters": 3, "kernel_size": 3, **o}
    C = 4 if o.get("groups") else 2
    case(nm, f"Conv2D(filters {o['filters']}, kernel_size {o['kernel_size']}) {d}, input [7, 6, {C}]",
         [L("Conv2D", "conv2d", **o)], inputs=img_in(7, 6, C))

case("conv2d_runtime_rows", "Conv2D(3, 3) strides 2 on (2, None, 6, 2): the output rows a formula of the run-time rows",
     [L("Conv2D", "conv2d", filters=3, kernel_size=3, strides=2), L("GlobalMaxPooling2D", "global_max_pooling2d")],
     inputs=img_in(None, 6, 2), given={"x": floats(2, 9, 6, 2)})

# ------------------------------------------------------------------ pooling
for kind in ("Max", "Average"):
    base = f"{kind.lower()}_pooling2d"
    for nm, o, d in [
        ("", {"pool_size": 2}, "pool 2 (strides 2, valid)"),
        ("_same", {"pool_size": 2, "padding": "same"}, "pool 2, same (odd rows and cols: an edge window partly outside)"),
        ("_3_strides_1_same", {"pool_size": 3, "strides": 1, "padding": "same"}, "pool 3, strides 1, same"),
        ("_pool_32_strides_21", {"pool_size": [3, 2], "strides": [2, 1]}, "pool (3, 2), strides (2, 1)"),
    ]:
        case(base + nm, f"{kind}Pooling2D {d}, input [7, 5, 3]", [L(f"{kind}Pooling2D", base, **o)], inputs=img_in(7, 5, 3))

case("global_max_pooling2d", "GlobalMaxPooling2D on [5, 4, 3]", [L("GlobalMaxPooling2D", "global_max_pooling2d")], inputs=img_in(5, 4, 3))
case("global_average_pooling2d", "GlobalAveragePooling2D on [5, 4, 3]", [L("GlobalAveragePooling2D", "global_average_pooling2d")], inputs=img_in(5, 4, 3))
case("global_average_pooling2d_keepdims", "GlobalAveragePooling2D(keepdims) on [5, 4, 3] -> (2, 1, 1, 3)",
     [L("GlobalAveragePooling2D", "global_average_pooling2d", keepdims=True)], inputs=img_in(5, 4, 3))
case("global_max_pooling2d_keepdims", "GlobalMaxPooling2D(keepdims) on [5, 4, 3] -> (2, 1, 1, 3)",
     [L("GlobalMaxPooling2D", "global_max_pooling2d", keepdims=True)], inputs=img_in(5, 4, 3))

# ------------------------------------------------------------------ padding, cropping, upsampling
case("zero_padding2d", "ZeroPadding2D() (1 on every side) on [3, 4, 2]", [L("ZeroPadding2D", "zero_padding2d")], inputs=img_in(3, 4, 2))
case("zero_padding2d_pairs", "ZeroPadding2D(((1, 2), (0, 3))) on [3, 4, 2]",
     [L("ZeroPadding2D", "zero_padding2d", padding=[[1, 2], [0, 3]])], inputs=img_in(3, 4, 2))
case("zero_padding2d_symmetric", "ZeroPadding2D((2, 1)) then Conv2D(2, 3) on [3, 4, 2]",
     [L("ZeroPadding2D", "zero_padding2d", padding=[2, 1]), L("Conv2D", "conv2d", filters=2, kernel_size=3)], inputs=img_in(3, 4, 2))
case("cropping2d", "Cropping2D(((1, 0), (2, 1))) on [5, 6, 2]",
     [L("Cropping2D", "cropping2d", cropping=[[1, 0], [2, 1]])], inputs=img_in(5, 6, 2))
case("cropping2d_int", "Cropping2D(1) on [5, 6, 2]", [L("Cropping2D", "cropping2d", cropping=1)], inputs=img_in(5, 6, 2))
case("up_sampling2d", "UpSampling2D() (2 x 2, nearest) on [3, 4, 2]", [L("UpSampling2D", "up_sampling2d")], inputs=img_in(3, 4, 2))
case("up_sampling2d_23", "UpSampling2D((2, 3)) nearest on [3, 4, 2]", [L("UpSampling2D", "up_sampling2d", size=[2, 3])], inputs=img_in(3, 4, 2))
case("up_sampling2d_bilinear", "UpSampling2D(2, bilinear) on [3, 4, 2]",
     [L("UpSampling2D", "up_sampling2d", interpolation="bilinear")], inputs=img_in(3, 4, 2))
case("up_sampling2d_bilinear_31", "UpSampling2D((3, 1), bilinear) on [3, 4, 2]",
     [L("UpSampling2D", "up_sampling2d", size=[3, 1], interpolation="bilinear")], inputs=img_in(3, 4, 2))

# ------------------------------------------------------------------ Flatten, Reshape of feature maps
case("conv2d_flatten_dense", "Conv2D(4, 3, relu) -> MaxPooling2D -> Flatten -> Dense(3) on [8, 8, 1]",
     [L("Conv2D", "conv2d", filters=4, kernel_size=3, activation="relu"), L("MaxPooling2D", "max_pooling2d"),
      L("Flatten", "flatten"), L("Dense", "dense", units=3)], inputs=img_in(8, 8, 1))
case("conv2d_reshape_lstm", "Conv2D(3, 3) -> Reshape to (rows, cols * filters) timesteps -> LSTM(4) on [6, 5, 2]",
     [L("Conv2D", "conv2d", filters=3, kernel_size=3), L("Reshape", "reshape", target_shape=[4, 9]), L("LSTM", "lstm", units=4)],
     inputs=img_in(6, 5, 2))

# ------------------------------------------------------------------ TimeDistributed over each
case("td_conv2d_gap_lstm", "TimeDistributed(Conv2D(4, 3, relu)) -> TD(MaxPooling2D) -> TD(GlobalAveragePooling2D) -> LSTM(3), frames (3, 6, 5, 2)",
     [td("conv", {"type": "Conv2D", "filters": 4, "kernel_size": 3, "activation": "relu", "padding": "same"}),
      td("pool", {"type": "MaxPooling2D"}), td("gap", {"type": "GlobalAveragePooling2D"}), L("LSTM", "lstm", units=3)],
     inputs=video_in())
case("td_2d_chain", "TD(ZeroPadding2D) -> TD(Conv2D strides 2 same) -> TD(AveragePooling2D same) -> TD(UpSampling2D bilinear) "
     "-> TD(Cropping2D) -> TD(GlobalMaxPooling2D) -> LSTM(3) seq, frames (3, 6, 5, 2)",
     [td("pad", {"type": "ZeroPadding2D", "padding": [[1, 0], [2, 1]]}),
      td("conv", {"type": "Conv2D", "filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}),
      td("avg", {"type": "AveragePooling2D", "pool_size": 2, "padding": "same"}),
      td("up", {"type": "UpSampling2D", "size": [2, 3], "interpolation": "bilinear"}),
      td("crop", {"type": "Cropping2D", "cropping": [[1, 0], [0, 1]]}),
      td("gmp", {"type": "GlobalMaxPooling2D"}), L("LSTM", "lstm", units=3, return_sequences=True)],
     inputs=video_in())
case("td_conv2d_flatten_runtime_frames", "TD(Conv2D(2, 3)) -> TD(Flatten) -> LSTM(3) over a run-time number of frames (None, 5, 4, 1)",
     [td("conv", {"type": "Conv2D", "filters": 2, "kernel_size": 3}), td("flatten", {"type": "Flatten"}), L("LSTM", "lstm", units=3)],
     inputs=video_in(None, 5, 4, 1), given={"x": floats(2, 4, 5, 4, 1)})


# ------------------------------------------------------------------ the example model, models/cnn_lstm_frames.yaml
def _example(path):
    with open(os.path.join(os.path.dirname(__file__), "..", "..", path)) as f:
        spec = yaml.safe_load(f)
    return spec


_CNN_LSTM = _example("models/cnn_lstm_frames.yaml")
case("cnn_lstm_frames", "models/cnn_lstm_frames.yaml itself (its layers and input, batch 2): a CNN per frame, then an LSTM",
     _CNN_LSTM["layers"], inputs={k: {**v, "batch_size": 2} for k, v in _CNN_LSTM["inputs"].items()})
