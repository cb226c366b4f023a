"""Keras's numbers for models/imdb_bilstm.yaml at its real size (2,757,761 parameters).

The model is keras.io's "Bidirectional LSTM on IMDB" (examples/nlp/bidirectional_lstm_imdb.py),
written here with the Keras API as that example does. Its weights are not stored: each variable is
filled by a formula that test/examples/imdb-bilstm.test.ts repeats exactly (integer arithmetic,
then float32), so the fixture holds only the variable list, two batches of token ids of different
lengths (the one module serves both) and Keras's outputs. Writes test/fixtures/keras-extra/imdb-bilstm.json:
    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/keras/imdb_bilstm.py
"""
import json
import os
import sys

sys.dont_write_bytecode = True
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.config.set_floatx("float32")
MAX_FEATURES = 20000


def filled(shape, salt):
    """Variable number `salt`: element i is ((i * 2654435761 + salt * 40503) mod 2^32) / 2^32 - 0.5, times 0.6."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.uint64)
    u = (i * np.uint64(2654435761) + np.uint64(salt * 40503)) % np.uint64(2**32)
    return ((u.astype(np.float64) / 2**32 - 0.5) * 0.6).astype(np.float32).reshape(shape)


inputs = keras.Input(shape=(None,), dtype="int32", name="tokens")
x = layers.Embedding(MAX_FEATURES, 128, name="embedding")(inputs)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True), name="bidirectional")(x)
x = layers.Bidirectional(layers.LSTM(64), name="bidirectional_1")(x)
outputs = layers.Dense(1, activation="sigmoid", name="positive")(x)
model = keras.Model(inputs, outputs, name="imdb_bilstm")

variables = []
for layer in model.layers:
    if isinstance(layer, layers.Bidirectional):
        parts = [("forward", layer.forward_layer), ("backward", layer.backward_layer)]
    else:
        parts = [(None, layer)]
    for part, inner in parts:
        values = []
        for v in inner.weights:
            key = "/".join([layer.name] + ([part] if part else []) + [v.name])
            values.append(filled(tuple(v.shape), len(variables)))
            variables.append({"key": key, "shape": list(v.shape)})
        inner.set_weights(values)

rng = np.random.default_rng(20261202)
batches = []
for length in (9, 23):
    tokens = rng.integers(1, MAX_FEATURES, size=(2, length)).astype("int32")
    y = keras.ops.convert_to_numpy(model(tokens, training=False))
    batches.append({"tokens": tokens.tolist(), "positive": [[float(np.float32(v)) for v in row] for row in y]})

out = {
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "description": "keras.io Bidirectional LSTM on IMDB at real size; weights by formula (see scripts/keras/imdb_bilstm.py)",
    "total_params": int(model.count_params()),
    "variables": variables,
    "batches": batches,
}
target = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "keras-extra", "imdb-bilstm.json")
with open(target, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(target), out["total_params"], "parameters")
