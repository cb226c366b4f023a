#!/usr/bin/env python3
"""Generate Keras 3 reference fixtures for modelc's tests.

Each case is written in OUR spec language (see docs/spec-language.md); this
script interprets the spec into a real Keras functional model, draws weights
from a fixed seed, sets them with set_weights, runs the model and writes
test/fixtures/keras/<case>.json (spec, weights, inputs, outputs, summary).

Run (see README.md in this directory):
    KERAS_BACKEND=jax /work/keras-venv/bin/python scripts/keras/make_fixtures.py [--out DIR] [case ...]
"""

import argparse
import json
import os
import sys
import zlib

sys.dont_write_bytecode = True  # keep scripts/keras free of __pycache__
os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import ops  # noqa: E402

assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"
keras.config.set_floatx("float32")

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures", "keras"))


# --------------------------------------------------------------------------
# activations

def hard_sigmoid_keras2(x):
    """Keras 2 / TF.js hard_sigmoid: clip(0.2x + 0.5, 0, 1)."""
    return ops.clip(0.2 * x + 0.5, 0.0, 1.0)


# Activation names of our spec language that Keras 3 does not know.
EXTRA_ACTIVATIONS = {"hard_sigmoid_keras2": hard_sigmoid_keras2}

ACTIVATIONS = [
    "tanh", "sigmoid", "hard_sigmoid", "relu", "relu6", "linear", "elu", "selu",
    "softplus", "softsign", "silu", "hard_silu", "gelu", "exponential",
    "leaky_relu", "mish",
]


# --------------------------------------------------------------------------
# spec -> Keras

NON_KERAS_KEYS = {"name", "type", "input", "inputs", "initial_state", "mask", "layer", "backward_layer", "shares",
                  "use_causal_mask", "return_attention_scores"}
# Options of our spec language that are call arguments in Keras (Attention).
CALL_KEYS = ("use_causal_mask", "return_attention_scores")
RECURRENT = {"LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D"}


def keras_kwargs(d):
    kw = {}
    for k, v in d.items():
        if k in NON_KERAS_KEYS:
            continue
        if k in ("activation", "recurrent_activation") and v in EXTRA_ACTIVATIONS:
            v = EXTRA_ACTIVATIONS[v]
        if isinstance(v, list):
            v = tuple(v)
        kw[k] = v
    return kw


def make_layer(d, name=None):
    t = d["type"]
    cls = getattr(keras.layers, t)
    kw = keras_kwargs(d)
    if name is not None:
        kw["name"] = name
    if t == "TimeDistributed":
        return cls(make_layer(d["layer"], name=f"{name}_inner" if name else None), **kw)
    if t == "Bidirectional":
        if "backward_layer" in d:
            kw["backward_layer"] = make_layer(d["backward_layer"])
        return cls(make_layer(d["layer"]), **kw)
    return cls(**kw)


def output_names_of(d, n_outputs):
    """Names of a layer's outputs, in the order Keras returns them."""
    t = d["type"]
    if t in RECURRENT:
        if n_outputs == 1:
            return ["output"]
        return ["output", "h", "c"] if t in ("LSTM", "ConvLSTM1D", "ConvLSTM2D") else ["output", "h"]
    if t == "Bidirectional":
        inner = d["layer"]
        merge_none = "merge_mode" in d and d["merge_mode"] is None
        seq = ["forward", "backward"] if merge_none else ["output"]
        st = []
        if inner.get("return_state"):
            per = ["h", "c"] if inner["type"] == "LSTM" else ["h"]
            st = [f"forward_{s}" for s in per] + [f"backward_{s}" for s in per]
        names = seq + st
        assert len(names) == n_outputs, (names, n_outputs)
        return names
    if t in ("Attention", "AdditiveAttention", "MultiHeadAttention") and d.get("return_attention_scores"):
        return ["output", "scores"]
    assert n_outputs == 1
    return ["output"]


def call_multi_head_attention(layer, x, call_kw):
    """MultiHeadAttention takes query, value (, key) positionally; in our spec a bool last input is its attention_mask."""
    if len(x) > 2 and x[-1].dtype == "bool":
        call_kw = dict(call_kw, attention_mask=x[-1])
        x = x[:-1]
    return layer(*x, **call_kw)


def build(spec):
    """Returns (model, {layer name: keras layer}, [output names], summary)."""
    tensors = {}  # ref -> KerasTensor
    model_inputs = []
    for iname, idef in spec["inputs"].items():
        t = keras.Input(
            shape=tuple(idef["shape"]),
            batch_size=idef.get("batch_size"),
            dtype=idef.get("dtype", "float32"),
            name=iname,
        )
        tensors[iname] = t
        model_inputs.append(t)

    layers = {}  # name -> Keras layer, once per set of weights
    summary = []
    rows = {}  # owner name -> its summary row
    owners = {}  # entry name -> (owner name, owner's spec); an entry `shares: OWNER` calls OWNER's layer again
    prev = model_inputs[0] if len(model_inputs) == 1 else None
    last_name = None
    for d in spec["layers"]:
        name = d["name"]
        if "shares" in d:
            owner, owner_spec = owners[d["shares"]]
            layer = layers[owner]
        else:
            owner, owner_spec = name, d
            layer = make_layer(d, name=name)
            layers[name] = layer
        owners[name] = (owner, owner_spec)
        if "inputs" in d:
            x = [tensors[r] for r in d["inputs"]]
        elif "input" in d:
            x = tensors[d["input"]]
        else:
            assert prev is not None, f"{name}: no input"
            x = prev
        call_kw = {}
        if "initial_state" in d:
            call_kw["initial_state"] = [tensors[r] for r in d["initial_state"]]
        if "mask" in d:
            call_kw["mask"] = tensors[d["mask"]]
        for key in CALL_KEYS:
            if key in d:
                call_kw[key] = d[key]
        if isinstance(layer, keras.layers.MultiHeadAttention):
            y = call_multi_head_attention(layer, x, call_kw)
        else:
            y = layer(x, **call_kw)
        outs = list(y) if isinstance(y, (list, tuple)) else [y]
        names = output_names_of(owner_spec, len(outs))
        for n, o in zip(names, outs):
            tensors[f"{name}.{n}"] = o
        tensors[name] = outs[0]
        prev = outs[0]
        last_name = name
        shapes = [list(o.shape) for o in outs]
        if owner in rows:  # Keras lists a shared layer once, with the output shape of its last call
            rows[owner]["output_shape"] = shapes[0] if len(shapes) == 1 else shapes
            continue
        rows[owner] = {
            "name": name,
            "type": type(layer).__name__,
            "output_shape": shapes[0] if len(shapes) == 1 else shapes,
            "params": int(layer.count_params()),
        }
        summary.append(rows[owner])

    outs = spec.get("outputs")
    if outs is None:
        out_names, out_refs = [last_name], [last_name]
    elif isinstance(outs, dict):
        out_names, out_refs = list(outs.keys()), list(outs.values())
    else:
        out_names, out_refs = [r.replace(".", "_") for r in outs], list(outs)
    model = keras.Model(inputs=model_inputs, outputs=[tensors[r] for r in out_refs], name=spec["name"])
    total = int(model.count_params())
    assert total == sum(s["params"] for s in summary)
    return model, layers, out_names, {"layers": summary, "total_params": total}


def connections(model):
    """Keras's "Connected to" column, per layer, as model.summary() computes it (summary_utils.get_connections).

    Left out: tensors of operations that are not layers. Keras 3 records the mask an
    Embedding(mask_zero=True) computes as an operation of the graph (`not_equal`, a row of its own in
    the summary, read by the layers the mask reaches); modelc has no such row (see the README).
    """
    relevant = [n for nodes in model._nodes_by_depth.values() for n in nodes]
    layers = {layer.name for layer in model.layers}
    result = {}
    for layer in model.layers:
        cells = []
        for node in layer._inbound_nodes:
            if node not in relevant:
                continue
            for kt in node.input_tensors:
                history = kt._keras_history
                if not isinstance(history.operation, keras.layers.InputLayer) and history.operation.name not in layers:
                    continue
                cells.append(f"{history.operation.name}[{history.node_index}][{history.tensor_index}]")
        result[layer.name] = cells
    return result


# --------------------------------------------------------------------------
# weights

def draw(rng, var_name, shape):
    if var_name == "moving_variance":
        return rng.uniform(0.5, 1.5, size=shape).astype("float32")
    if var_name == "variance":  # Normalization's adapted variance
        return rng.uniform(0.5, 1.5, size=shape).astype("float32")
    if var_name == "count":  # Normalization's sample count (an int, unused by call)
        return np.asarray(rng.integers(1, 100), dtype="float32").reshape(shape)
    return rng.uniform(-0.5, 0.5, size=shape).astype("float32")


def set_leaf(layer, rng, override=None):
    vals, out = [], {}
    for v in layer.weights:
        if override and v.name in override:
            a = np.asarray(override[v.name], dtype="float32")
            assert a.shape == tuple(v.shape), (v.path, a.shape, v.shape)
        else:
            a = draw(rng, v.name, tuple(v.shape))
        assert v.name not in out, v.path
        vals.append(a)
        out[v.name] = a
    layer.set_weights(vals)
    if isinstance(layer, keras.layers.Normalization):
        layer.finalize_state()  # as loading a saved model does: set_weights alone leaves call() on the old mean
    return out


def set_weights(layers, rng):
    result = {}
    for name, layer in layers.items():
        if not layer.weights:
            continue
        if isinstance(layer, keras.layers.Bidirectional):
            result[name] = {
                "forward": set_leaf(layer.forward_layer, rng),
                "backward": set_leaf(layer.backward_layer, rng),
            }
        elif isinstance(layer, keras.layers.MultiHeadAttention):
            # Its EinsumDense sublayers, in get_weights() order, as `query/kernel`, ... in our weights format.
            subs = (layer.query_dense, layer.key_dense, getattr(layer, "_gate_dense", None), layer.value_dense, layer.output_dense)
            result[name] = {sub.name: set_leaf(sub, rng) for sub in subs if sub is not None}
        elif isinstance(layer, keras.layers.TimeDistributed):
            result[name] = set_leaf(layer.layer, rng)
        else:
            result[name] = set_leaf(layer, rng)
    return result


# --------------------------------------------------------------------------
# inputs

def draw_inputs(spec, rng, given=None):
    given = given or {}
    out = {}
    for iname, idef in spec["inputs"].items():
        if iname in given:
            dt = idef.get("dtype", "float32")
            out[iname] = np.asarray(given[iname], dtype={"float32": "float32", "int32": "int32", "bool": "bool"}[dt])
            continue
        bs = idef.get("batch_size") or 2
        shape = (bs,) + tuple(idef["shape"])
        dt = idef.get("dtype", "float32")
        if dt == "float32":
            out[iname] = rng.uniform(-1.0, 1.0, size=shape).astype("float32")
        else:
            raise ValueError(f"input {iname} of dtype {dt} must be given explicitly")
    return out


# --------------------------------------------------------------------------
# JSON output

def to_json_value(a):
    a = np.asarray(a)
    if a.dtype == np.bool_:
        return a.tolist()
    if np.issubdtype(a.dtype, np.integer):
        return a.astype(int).tolist()
    a = a.astype("float32")

    def conv(x):
        if isinstance(x, list):
            return [conv(e) for e in x]
        return float(str(np.float32(x)))  # shortest repr that round-trips as float32

    return conv(a.tolist())


def tree_json(t):
    if isinstance(t, dict):
        return {k: tree_json(v) for k, v in t.items()}
    if isinstance(t, np.ndarray) or np.isscalar(t) and not isinstance(t, str):
        return to_json_value(t)
    return t


def dumps(obj, indent=0):
    """Pretty JSON with arrays of numbers kept on one line per innermost row."""
    pad = "  " * indent
    flat = json.dumps(obj)
    if len(flat) + 2 * indent <= 110:
        return flat
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {dumps(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(e, (list, dict)) for e in obj):
            return json.dumps(obj)
        if all(isinstance(e, list) and all(not isinstance(f, (list, dict)) for f in e) for e in obj) \
                and sum(len(e) for e in obj) <= 24:
            return json.dumps(obj)
        items = [f"{pad}  {dumps(e, indent + 1)}" for e in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


# --------------------------------------------------------------------------
# running a case

def seed_of(case_name):
    return zlib.crc32(case_name.encode()) & 0x7FFFFFFF


def run_case(c):
    keras.utils.clear_session()
    spec = c["spec"]
    rng = np.random.default_rng(seed_of(c["case"]))
    model, layers, out_names, summary = build(spec)
    weights = set_weights(layers, rng)
    fixture = {
        "case": c["case"],
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "description": c["description"],
        "spec": spec,
        "weights": tree_json(weights),
    }

    def call(inputs):
        y = model({k: v for k, v in inputs.items()}, training=False)
        ys = list(y) if isinstance(y, (list, tuple)) else [y]
        return {n: to_json_value(keras.ops.convert_to_numpy(v)) for n, v in zip(out_names, ys)}

    if "calls" in c:
        calls = []
        for i, given in enumerate(c["calls"]):
            if given == "reset_states":
                for layer in layers.values():
                    # a TimeDistributed is not stateful itself: the layer it wraps is
                    for stateful in (layer, getattr(layer, "layer", None)):
                        if getattr(stateful, "stateful", False):
                            stateful.reset_states()
                calls.append("reset_states")
                continue
            inputs = draw_inputs(spec, rng, given)
            calls.append({"inputs": tree_json(inputs), "outputs": call(inputs)})
        fixture["calls"] = calls
    else:
        inputs = draw_inputs(spec, rng, c.get("inputs"))
        if "post_inputs" in c:
            inputs = c["post_inputs"](inputs)
        fixture["inputs"] = tree_json(inputs)
        fixture["outputs"] = call(inputs)
    fixture["summary"] = summary
    if "notes" in c:
        fixture["notes"] = c["notes"]
    return fixture


def activations_fixture():
    xs = np.linspace(-6.0, 6.0, 21).astype("float32")
    res = {}
    for a in ACTIVATIONS:
        f = keras.activations.get(a)
        res[a] = to_json_value(keras.ops.convert_to_numpy(f(keras.ops.convert_to_tensor(xs))))
    res["hard_sigmoid_keras2"] = to_json_value(np.clip(0.2 * xs + 0.5, 0.0, 1.0).astype("float32"))
    return {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "description": "Keras 3 activations (keras.activations.get(name), default arguments: "
                       "leaky_relu negative_slope=0.2, gelu approximate=False, elu alpha=1) on 21 points "
                       "from -6 to 6; hard_sigmoid_keras2 = clip(0.2x+0.5, 0, 1) by formula",
        "x": to_json_value(xs),
        "activations": res,
    }


def main():
    from cases import CASES  # noqa: E402  (scripts/keras/cases.py)

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    selected = [c for c in CASES if not args.cases or c["case"] in args.cases]
    summaries = {}
    failed = []
    for c in selected:
        try:
            fx = run_case(c)
        except Exception as e:  # report and go on
            failed.append((c["case"], f"{type(e).__name__}: {e}"))
            print(f"FAILED {c['case']}: {type(e).__name__}: {str(e)[:300]}", file=sys.stderr)
            continue
        path = os.path.join(args.out, c["case"] + ".json")
        with open(path, "w") as f:
            f.write(dumps(fx) + "\n")
        summaries[c["case"]] = fx["summary"]
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    if not args.cases:
        with open(os.path.join(args.out, "activations.json"), "w") as f:
            f.write(dumps(activations_fixture()) + "\n")
        with open(os.path.join(args.out, "summaries.json"), "w") as f:
            f.write(dumps({"keras_version": keras.__version__, "summaries": summaries}) + "\n")
    if failed:
        print(f"{len(failed)} case(s) failed:", file=sys.stderr)
        for n, e in failed:
            print(f"  {n}: {e[:300]}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
