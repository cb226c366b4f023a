"""Reference values for regularizers, constraints and activity regularization from Keras 3.

Writes test/fixtures/keras-extra/regularizers.json. Run as the other fixture scripts:
    KERAS_BACKEND=jax /work/keras-venv/bin/python scripts/keras/regularizers.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

rng = np.random.default_rng(20261126)
out = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "weights": [], "regularizers": [], "constraints": [], "models": []}

matrices = [rng.uniform(-1.5, 1.5, size=s).astype("float32") for s in [(3, 8), (5, 4), (4, 4)]]
out["weights"] = [m.tolist() for m in matrices]

regularizers = [
    ("l1", {}), ("l2", {}), ("l1l2", {}),
    ({"class_name": "L1L2", "config": {"l1": 0.03, "l2": 0.2}}, None),
    ({"class_name": "L1", "config": {"l1": 0.5}}, None),
    ("orthogonal_regularizer", {}),
    ({"class_name": "OrthogonalRegularizer", "config": {"factor": 0.3, "mode": "columns"}}, None),
]
for spec, _ in regularizers:
    reg = keras.regularizers.get(spec if isinstance(spec, str) else {"class_name": spec["class_name"], "config": spec["config"]})
    out["regularizers"].append({"spec": spec, "losses": [float(reg(keras.ops.convert_to_tensor(m))) for m in matrices]})

constraints = [
    "max_norm", "non_neg", "unit_norm", "min_max_norm",
    {"class_name": "MaxNorm", "config": {"max_value": 0.5, "axis": 1}},
    {"class_name": "MinMaxNorm", "config": {"min_value": 0.8, "max_value": 1.2, "rate": 0.5, "axis": 0}},
    {"class_name": "UnitNorm", "config": {"axis": -1}},
]
for spec in constraints:
    c = keras.constraints.get(spec if isinstance(spec, str) else {"class_name": spec["class_name"], "config": spec["config"]})
    out["constraints"].append({"spec": spec, "results": [np.asarray(c(keras.ops.convert_to_tensor(m))).tolist() for m in matrices]})

# Activity regularization: Dense and LSTM outputs, divided by the batch size in Keras 3.
for layer_spec in [
    {"type": "Dense", "units": 4, "activity_regularizer": "l2"},
    {"type": "LSTM", "units": 3, "return_sequences": True, "activity_regularizer": {"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.05}}},
]:
    shape = [5, 3]
    x = rng.uniform(-1, 1, size=(2, *shape)).astype("float32")
    inp = keras.Input(shape=shape, batch_size=2)
    cfg = {k: v for k, v in layer_spec.items() if k != "type"}
    reg = cfg.pop("activity_regularizer")
    cls = getattr(keras.layers, layer_spec["type"])
    layer = cls(**cfg, activity_regularizer=reg if isinstance(reg, str) else keras.regularizers.get(reg))
    model = keras.Model(inp, layer(inp))
    weights = [rng.uniform(-0.5, 0.5, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    model(x)
    names = ["kernel", "bias"] if layer_spec["type"] == "Dense" else ["kernel", "recurrent_kernel", "bias"]
    out["models"].append({
        "layer": {"name": "layer", **layer_spec},
        "input_shape": shape,
        "weights": {n: w.tolist() for n, w in zip(names, weights)},
        "x": x.tolist(),
        "activity_loss": float(sum(float(l) for l in model.losses)),
    })

path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "keras-extra", "regularizers.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
