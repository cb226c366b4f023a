"""Keras's own summary (output shapes, parameter counts and "Connected to" per layer) of every spec in models/.

Writes test/fixtures/keras-extra/model-summaries.json, which test/layers/summaries.test.ts compares
with `modelc summary --format json`; `connected_to_column` says whether Keras's printed summary has
the "Connected to" column (it leaves it out for a chain). Layers without a `name` get Keras's default names the way
modelc gives them (lstm, lstm_1, dense, ...). Run as the other fixture scripts:
    KERAS_BACKEND=jax /work/keras-venv/bin/python scripts/keras/model_summaries.py
"""
import glob
import json
import os
import re
import sys

# rich (Keras's summary printer) cuts the table to the terminal's width, 80 without one: make it wide
# enough that the "Connected to" column is printed whenever Keras prints it.
os.environ["COLUMNS"] = "250"

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(__file__))
import yaml  # noqa: E402
import keras  # noqa: E402
from make_fixtures import build, connections  # noqa: E402


def snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def with_names(spec):
    taken = {l["name"] for l in spec["layers"] if "name" in l} | set(spec["inputs"])
    counters = {}
    for layer in spec["layers"]:
        if "name" in layer:
            continue
        if "shares" in layer:
            raise ValueError("an entry with `shares` needs a name")
        base = snake(layer["type"])
        while True:
            n = counters.get(base, 0)
            counters[base] = n + 1
            candidate = base if n == 0 else f"{base}_{n}"
            if candidate not in taken:
                layer["name"] = candidate
                taken.add(candidate)
                break
    return spec


root = os.path.join(os.path.dirname(__file__), "..", "..")
out = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}, "connected_to_column": {}}
for path in sorted(glob.glob(os.path.join(root, "models", "*.yaml"))):
    with open(path) as f:
        spec = with_names(yaml.safe_load(f))
    model, _, _, summary = build(spec)
    cells = connections(model)
    for row in summary["layers"]:
        row["connected_to"] = cells[row["name"]]
    printed = []
    model.summary(line_length=200, print_fn=lambda text, line_break=True: printed.append(text))
    out["models"][os.path.relpath(path, root)] = summary
    out["connected_to_column"][os.path.relpath(path, root)] = "Connected to" in "".join(printed)
target = os.path.join(root, "test", "fixtures", "keras-extra", "model-summaries.json")
with open(target, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(target), len(out["models"]), "models")
