#!/usr/bin/env python3
"""Make the model files that `modelc import` is tested on: test/fixtures/import/.

Each model is built with real Keras 3, given weights drawn from a fixed seed (uniform in
[-0.5, 0.5]; BatchNormalization moving_variance in [0.5, 1.5], so nothing is a trivial zero or
one), saved as `<name>.keras` and as a legacy `<name>.h5` (`model.save('x.h5')`), and run on a
small batch of inputs: `<name>.io.json` holds
    { "keras_version", "inputs": {input name: nested list}, "outputs": [nested list, ...] }
with the outputs in the model's output order. `npm test` reads these files and never needs
Python.

Run once (a venv outside the repo; see scripts/keras/README.md for the versions):
    python3 -m venv /tmp/kvenv
    /tmp/kvenv/bin/pip install keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 numpy==2.4.6 h5py
    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/make-import-fixtures.py [name ...]
"""

import json
import os
import sys
import zlib

sys.dont_write_bytecode = True
os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"
keras.config.set_floatx("float32")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "test", "fixtures", "import"))
BATCH = 2


def seq(input_shape, *stack, name=None, dtype="float32"):
    return keras.Sequential([keras.Input(input_shape, dtype=dtype), *stack], name=name)


def functional_two_inputs():
    a = keras.Input((5, 3), name="series")
    b = keras.Input((2,), name="context")
    h = layers.LSTM(4, name="encoder")(a)
    c = layers.Dense(4, activation="relu", name="context_dense")(b)
    m = layers.Concatenate(name="merge")([h, c])
    out = layers.Dense(1, activation="sigmoid", name="score")(m)
    return keras.Model([a, b], out, name="two_inputs")


def functional_states():
    x = keras.Input((6, 2), name="x")
    seqs, h, c = layers.LSTM(3, return_sequences=True, return_state=True, name="lstm")(x)
    head = layers.TimeDistributed(layers.Dense(2), name="head")(seqs)
    return keras.Model(x, [head, h, c], name="states")


def nested_functional():
    encoder = keras.Sequential([keras.Input((5, 3)), layers.LSTM(4, return_sequences=True), layers.Dense(2)], name="encoder")
    x = keras.Input((5, 3), name="x")
    y = layers.GRU(3, name="decoder")(encoder(x))
    return keras.Model(x, y, name="nested")


def nested_sequential():
    block = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(2)], name="block")
    return seq((4,), block, layers.Dense(1))


def encoder_decoder():
    source = keras.Input((6, 3), name="source")
    target = keras.Input((4, 2), name="target")
    _, h, c = layers.LSTM(5, return_state=True, name="encoder")(source)
    seqs = layers.LSTM(5, return_sequences=True, name="decoder")(target, initial_state=[h, c])
    out = layers.TimeDistributed(layers.Dense(3, activation="softmax"), name="head")(seqs)
    return keras.Model([source, target], out, name="encoder_decoder")


def explicit_mask():
    x = keras.Input((5, 2), name="x")
    m = keras.Input((5,), dtype="bool", name="m")
    y = layers.GRU(3, name="gru")(x, mask=m)
    return keras.Model([x, m], y, name="explicit_mask")


def stateful():
    x = keras.Input(batch_shape=(BATCH, 5, 3), name="x")
    y = layers.LSTM(4, stateful=True, return_sequences=True, name="lstm")(x)
    return keras.Model(x, layers.Dense(2, name="dense")(y), name="stateful")


def shared_siamese():
    """One Embedding(mask_zero) and one LSTM applied to two token inputs (shared layers: one set of weights)."""
    a = keras.Input((6,), dtype="int32", name="a")
    b = keras.Input((6,), dtype="int32", name="b")
    embed = layers.Embedding(12, 4, mask_zero=True, name="embed")
    encoder = layers.LSTM(5, name="encoder")
    ea, eb = encoder(embed(a)), encoder(embed(b))
    y = layers.Dense(1, activation="sigmoid", name="score")(layers.Concatenate(name="cat")([ea, eb, layers.Subtract(name="diff")([ea, eb])]))
    return keras.Model([a, b], y, name="shared_siamese")


def shared_states():
    """An LSTM applied to x, then again to y from the states its first call ended with; a Dense applied twice in a chain."""
    x = keras.Input((5, 3), name="x")
    y = keras.Input((4, 3), name="y")
    lstm = layers.LSTM(4, return_sequences=True, return_state=True, name="lstm")
    _, h, c = lstm(x)
    seqs, h2, _ = lstm(y, initial_state=[h, c])
    dense = layers.Dense(4, activation="tanh", name="dense")
    return keras.Model([x, y], [dense(dense(seqs)), h2], name="shared_states")


def shared_nested():
    """A Sequential encoder (LSTM, Dense) called on two inputs: a shared nested model."""
    encoder = keras.Sequential([keras.Input((5, 3)), layers.LSTM(4), layers.Dense(3, activation="tanh")], name="encoder")
    a = keras.Input((5, 3), name="a")
    b = keras.Input((5, 3), name="b")
    y = layers.Dense(1, name="score")(layers.Subtract(name="diff")([encoder(a), encoder(b)]))
    return keras.Model([a, b], y, name="shared_nested")


# Every model is saved as .keras and as legacy .h5 (nested models too).
NO_H5 = set()

def attention():
    """A Transformer encoder block and a cross-attention with every call argument modelc reads."""
    x = keras.Input((6, 4), name="x")
    v = keras.Input((5, 3), name="v")
    m = keras.Input((6, 5), dtype="bool", name="m")
    a = layers.MultiHeadAttention(num_heads=2, key_dim=3, name="self_attention")(x, x, use_causal_mask=True)
    h = layers.LayerNormalization(epsilon=1e-6, name="norm")(layers.Add(name="residual")([a, x]))
    c, scores = layers.MultiHeadAttention(num_heads=2, key_dim=2, output_shape=3, use_gate=True, name="cross_attention")(
        h, v, key=v, attention_mask=m, return_attention_scores=True)
    return keras.Model([x, v, m], [c, scores], name="attention")


MODELS = {
    # the seed tutorial's model: LSTM(20) on (25, 1)
    "seed_lstm": lambda: seq((25, 1), layers.LSTM(20)),
    "dense": lambda: seq((4,), layers.Dense(3, activation="relu"), layers.Dense(2, use_bias=False)),
    "gru_reset_after": lambda: seq((7, 3), layers.GRU(5, return_sequences=True), layers.GRU(4)),
    "gru_reset_before": lambda: seq((7, 3), layers.GRU(5, reset_after=False, activation="relu")),
    "simple_rnn": lambda: seq((6, 2), layers.SimpleRNN(5, go_backwards=True)),
    "bidirectional": lambda: seq(
        (5, 3),
        layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
        layers.Bidirectional(layers.GRU(3), merge_mode="sum"),
    ),
    "embedding_mask": lambda: seq(
        (6,), layers.Embedding(12, 4, mask_zero=True), layers.LSTM(5), dtype="int32"
    ),
    "conv1d": lambda: seq(
        (10, 3),
        layers.Conv1D(4, 3, padding="causal", activation="relu"),
        layers.MaxPooling1D(2),
        layers.Conv1D(3, 2, strides=2, padding="same", dilation_rate=1),
        layers.GlobalAveragePooling1D(),
        layers.Dense(2),
    ),
    "conv2d": lambda: seq(
        (12, 10, 2),
        layers.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
        layers.AveragePooling2D(2, padding="same"),
        layers.UpSampling2D(2, interpolation="bilinear"),
        layers.ZeroPadding2D(((1, 0), (0, 2))),
        layers.Cropping2D(((1, 0), (0, 1))),
        layers.Conv2D(2, (2, 3), dilation_rate=(1, 2), groups=2),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(2),
    ),
    "cnn_lstm": lambda: seq(
        (4, 8, 8, 1),
        layers.TimeDistributed(layers.Conv2D(3, 3, padding="same", activation="relu")),
        layers.TimeDistributed(layers.MaxPooling2D()),
        layers.TimeDistributed(layers.GlobalMaxPooling2D()),
        layers.LSTM(3),
    ),
    "time_distributed": lambda: seq(
        (5, 4), layers.TimeDistributed(layers.Dense(3, activation="tanh")), layers.LayerNormalization(),
        layers.BatchNormalization(), layers.Flatten(), layers.Dropout(0.3), layers.Dense(2)
    ),
    "conv_family": lambda: seq(
        (4, 6, 3),
        layers.ConvLSTM1D(2, 3, padding="same", return_sequences=True),
        layers.TimeDistributed(layers.SeparableConv1D(3, 2, depth_multiplier=2)),
        layers.TimeDistributed(layers.Conv1DTranspose(2, 3, strides=2)),
        layers.TimeDistributed(layers.DepthwiseConv1D(2, depth_multiplier=2, activation="relu")),
    ),
    "conv_lstm2d": lambda: seq(
        (3, 5, 6, 2),
        layers.ConvLSTM2D(2, (2, 3), padding="same", return_sequences=True),
        layers.ConvLSTM2D(3, 2, strides=(2, 1)),
        layers.Flatten(),
        layers.Dense(2),
    ),
    "two_inputs": functional_two_inputs,
    "states": functional_states,
    "encoder_decoder": encoder_decoder,
    "explicit_mask": explicit_mask,
    "stateful": stateful,
    "nested": nested_functional,
    "nested_sequential": nested_sequential,
    "shared_siamese": shared_siamese,
    "shared_states": shared_states,
    "shared_nested": shared_nested,
    "attention": attention,
}


def draw_weights(model, rng):
    weights = []
    for w in model.weights:
        shape = tuple(w.shape)
        if w.path.endswith("moving_variance"):
            weights.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            weights.append(rng.uniform(-0.5, 0.5, shape).astype("float32"))
    model.set_weights(weights)


def draw_input(inp, rng):
    shape = (BATCH, *inp.shape[1:])
    if inp.dtype == "bool":
        mask = np.ones(shape, dtype=bool)
        mask[0, 3:] = False
        mask[1, 1] = False
        return mask
    if inp.dtype.startswith("int"):
        ids = rng.integers(1, 12, shape)
        ids[0, -2:] = 0  # padding at the end of the first sequence: the mask matters
        ids[1, :1] = 0
        return ids.astype("int32")
    return rng.uniform(-1, 1, shape).astype("float32")


def make(name):
    keras.utils.clear_session()
    seed = zlib.crc32(name.encode())
    rng = np.random.default_rng(seed)
    model = MODELS[name]()
    draw_weights(model, rng)
    inputs = {i.name: draw_input(i, rng) for i in model.inputs}
    feed = [inputs[i.name] for i in model.inputs]
    outputs = model(feed if len(feed) > 1 else feed[0], training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    model.save(os.path.join(OUT, f"{name}.keras"))
    if name not in NO_H5:
        model.save(os.path.join(OUT, f"{name}.h5"))
    io = {
        "keras_version": keras.__version__,
        "inputs": {k: v.tolist() for k, v in inputs.items()},
        "outputs": [np.asarray(o).astype("float64").round(8).tolist() for o in outputs],
    }
    with open(os.path.join(OUT, f"{name}.io.json"), "w") as f:
        json.dump(io, f, separators=(",", ":"))
        f.write("\n")
    print(name, [tuple(np.asarray(o).shape) for o in outputs])


def make_guards():
    """guards.h5: datasets an HDF5 reader must refuse rather than read as zeros."""
    import h5py

    with h5py.File(os.path.join(OUT, "guards.h5"), "w") as f:
        f.create_dataset("ok", data=np.arange(6, dtype="<f4").reshape(2, 3))
        f.create_dataset("gzip", data=np.linspace(-1, 1, 40, dtype="<f4").reshape(4, 10), chunks=(2, 5), compression="gzip", shuffle=True)
        partial = f.create_dataset("partial", shape=(8,), dtype="<f4", chunks=(2,))
        partial[0:2] = [1.0, 2.0]  # chunks 2..4 are never written: HDF5 libraries return the fill value, 0
        f.create_dataset("half", data=np.ones(4, dtype="<f2"))
        f.create_dataset("double", data=np.ones(4, dtype="<f8"))
        f.create_dataset("huge", shape=(1024, 1024, 1024), dtype="<f4", chunks=(1, 1, 1024))  # 4 GiB declared, nothing stored
        cycle = f.create_group("cycle")
        cycle.create_dataset("w", data=np.ones(2, dtype="<f4"))
        cycle["again"] = cycle  # a hard link back to itself: a walk must not loop
    print("guards.h5")


def make_pre36(name="two_inputs"):
    """<name>_pre36.keras: the same archive without the `name` attributes Keras writes on `vars`
    groups since 3.6, so the importer must find each layer's weights by counting classes."""
    import io as bytes_io
    import shutil
    import zipfile

    import h5py

    src = os.path.join(OUT, f"{name}.keras")
    with zipfile.ZipFile(src) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    buf = bytes_io.BytesIO(entries["model.weights.h5"])
    with h5py.File(buf, "r+") as f:
        f.visititems(lambda n, o: o.attrs.__delitem__("name") if "name" in o.attrs else None)
        if "name" in f["vars"].attrs:
            del f["vars"].attrs["name"]
    entries["model.weights.h5"] = buf.getvalue()
    with zipfile.ZipFile(os.path.join(OUT, f"{name}_pre36.keras"), "w") as z:
        for n, data in entries.items():
            z.writestr(n, data)
    shutil.copy(os.path.join(OUT, f"{name}.io.json"), os.path.join(OUT, f"{name}_pre36.io.json"))
    print(f"{name}_pre36")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or [*MODELS, "guards", "pre36"]:
        make_guards() if name == "guards" else make_pre36() if name == "pre36" else make(name)
