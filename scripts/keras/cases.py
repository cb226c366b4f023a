"""The fixture cases, each a spec in modelc's spec language (docs/spec-language.md).

A case is a dict:
  case         file name (test/fixtures/keras/<case>.json)
  description  one line
  spec         the spec (name, inputs, layers, outputs)
  inputs       optional: explicit input arrays (needed for int32 and bool inputs)
  calls        optional: list of input maps (or "reset_states"), run in order on one model
  notes        optional: text copied into the fixture
Float inputs not given are drawn uniform in [-1, 1]; weights are drawn uniform in
[-0.5, 0.5] (moving_variance in [0.5, 1.5]) from a seed derived from the case name.
"""

import numpy as np

from make_fixtures import ACTIVATIONS

CASES = []
_R = np.random.default_rng(20240601)  # for explicit inputs below


def case(name, description, layers, inputs=None, outputs=None, given=None, calls=None, notes=None):
    spec = {"name": name, "inputs": inputs or seq_in(), "layers": layers}
    if outputs is not None:
        spec["outputs"] = outputs
    c = {"case": name, "description": description, "spec": spec}
    if given is not None:
        c["inputs"] = given
    if calls is not None:
        c["calls"] = calls
    if notes is not None:
        c["notes"] = notes
    CASES.append(c)


def seq_in(T=5, F=3, bs=2, **extra):
    d = {"x": {"shape": [T, F]}}
    if bs is not None:
        d["x"]["batch_size"] = bs
    for k, v in extra.items():
        d[k] = v
    return d


def floats(*shape, lo=-1.0, hi=1.0):
    return _R.uniform(lo, hi, size=shape).astype("float32")


def L(type_, name, **opts):
    d = {"name": name, "type": type_}
    d.update(opts)
    return d


# ------------------------------------------------------------------ masks
MASK3x5 = np.array([
    [True, False, True, True, False],
    [False, True, True, False, True],   # first step masked
    [True, True, True, True, True],
])


def mask_in(T=5, F=3, bs=3):
    return {"x": {"shape": [T, F], "batch_size": bs}, "m": {"shape": [T], "dtype": "bool", "batch_size": bs}}


# ================================================================== 1. LSTM
case("lstm_default", "LSTM(4), defaults (last output only)",
     [L("LSTM", "lstm", units=4)])
case("lstm_return_sequences", "LSTM(4) return_sequences",
     [L("LSTM", "lstm", units=4, return_sequences=True)])
case("lstm_return_state", "LSTM(4) return_state, last output + h + c",
     [L("LSTM", "lstm", units=4, return_state=True)], outputs=["lstm", "lstm.h", "lstm.c"])
case("lstm_return_state_seq", "LSTM(4) return_sequences + return_state",
     [L("LSTM", "lstm", units=4, return_sequences=True, return_state=True)],
     outputs=["lstm", "lstm.h", "lstm.c"])
case("lstm_go_backwards_seq", "LSTM(4) go_backwards + return_sequences: Keras returns outputs in processing "
     "(reversed time) order, output[:, 0] is the step that saw x[:, T-1]",
     [L("LSTM", "lstm", units=4, go_backwards=True, return_sequences=True)])
case("lstm_go_backwards_last", "LSTM(4) go_backwards, last output (the step that saw x[:, 0])",
     [L("LSTM", "lstm", units=4, go_backwards=True)])
case("lstm_go_backwards_state", "LSTM(4) go_backwards + return_sequences + return_state",
     [L("LSTM", "lstm", units=4, go_backwards=True, return_sequences=True, return_state=True)],
     outputs=["lstm", "lstm.h", "lstm.c"])
case("lstm_no_bias", "LSTM(4) use_bias false (no bias parameter)",
     [L("LSTM", "lstm", units=4, use_bias=False, return_sequences=True)])
for a in ACTIVATIONS:
    case(f"lstm_activation_{a}", f"LSTM(4) activation {a}, return_sequences",
         [L("LSTM", "lstm", units=4, activation=a, return_sequences=True)])
case("lstm_activation_null", "LSTM(4) activation null (= linear), return_sequences",
     [L("LSTM", "lstm", units=4, activation=None, return_sequences=True)])
for a in ACTIVATIONS + ["hard_sigmoid_keras2"]:
    case(f"lstm_recurrent_activation_{a}", f"LSTM(4) recurrent_activation {a}, return_sequences"
         + (" (Keras model built with clip(0.2x+0.5,0,1) as a Python callable)" if a == "hard_sigmoid_keras2" else ""),
         [L("LSTM", "lstm", units=4, recurrent_activation=a, return_sequences=True)])
case("lstm_unroll", "LSTM(4) unroll true, return_sequences",
     [L("LSTM", "lstm", units=4, unroll=True, return_sequences=True)])
case("lstm_unroll_go_backwards", "LSTM(4) unroll + go_backwards + return_sequences + return_state",
     [L("LSTM", "lstm", units=4, unroll=True, go_backwards=True, return_sequences=True, return_state=True)],
     outputs=["lstm", "lstm.h", "lstm.c"])
case("lstm_implementation_1", "LSTM(4) implementation 1 (same numbers as 2), return_sequences",
     [L("LSTM", "lstm", units=4, implementation=1, return_sequences=True)])
case("lstm_initial_state", "LSTM(4) starting from model inputs h0, c0; return_sequences + return_state",
     [L("LSTM", "lstm", units=4, return_sequences=True, return_state=True, initial_state=["h0", "c0"], input="x")],
     inputs=seq_in(h0={"shape": [4], "batch_size": 2}, c0={"shape": [4], "batch_size": 2}),
     outputs=["lstm", "lstm.h", "lstm.c"])
case("lstm_encoder_decoder",
     "encoder LSTM(4) return_state -> decoder LSTM(4) initial_state [encoder.h, encoder.c] -> TimeDistributed(Dense(3))",
     [L("LSTM", "encoder", units=4, return_state=True, input="enc_x"),
      L("LSTM", "decoder", units=4, return_sequences=True, input="dec_x", initial_state=["encoder.h", "encoder.c"]),
      L("TimeDistributed", "head", layer={"type": "Dense", "units": 3})],
     inputs={"enc_x": {"shape": [5, 3], "batch_size": 2}, "dec_x": {"shape": [4, 2], "batch_size": 2}},
     outputs=["head", "encoder.h", "encoder.c"])
case("lstm_seq_state_head", "the doc's example scaled down: LSTM(4) seq+state, TimeDistributed(Dense(3)) head",
     [L("LSTM", "lstm", units=4, return_sequences=True, return_state=True),
      L("TimeDistributed", "head", layer={"type": "Dense", "units": 3}, input="lstm")],
     inputs=seq_in(T=5, F=1, bs=2), outputs=["head", "lstm.h", "lstm.c"])
case("lstm_outputs_map", "outputs as a map {y: lstm, hidden: lstm.h, cell: lstm.c}",
     [L("LSTM", "lstm", units=3, return_state=True)],
     outputs={"y": "lstm", "hidden": "lstm.h", "cell": "lstm.c"})
case("lstm_variable_time", "LSTM(4) on shape [null, 3] (run with 6 steps), no batch_size",
     [L("LSTM", "lstm", units=4, return_sequences=True)],
     inputs={"x": {"shape": [None, 3]}}, given={"x": floats(2, 6, 3)})
case("lstm_stacked", "LSTM(4) seq -> LSTM(3) last",
     [L("LSTM", "lstm", units=4, return_sequences=True), L("LSTM", "lstm_1", units=3)])

_A, _B = floats(2, 4, 3), floats(2, 4, 3)
case("lstm_stateful", "stateful LSTM(4), batch_size 2, called on two consecutive chunks: states carry over",
     [L("LSTM", "lstm", units=4, stateful=True, return_sequences=True, return_state=True)],
     inputs=seq_in(T=4, F=3, bs=2), outputs=["lstm", "lstm.h", "lstm.c"],
     calls=[{"x": _A}, {"x": _B}])
case("lstm_stateful_reset", "stateful LSTM(4): calls A, B, reset_states, A (4th output equals 1st)",
     [L("LSTM", "lstm", units=4, stateful=True)],
     inputs=seq_in(T=4, F=3, bs=2),
     calls=[{"x": _A}, {"x": _B}, "reset_states", {"x": _A}],
     notes="calls holds {inputs, outputs} entries and the string \"reset_states\" (as modelc run's call list)")

_MNOTE = ("Keras 3 (jax, unroll false): at a masked step the state is carried unchanged and the output "
          "is the previous h (zero_output_for_mask false, the default for LSTM/GRU/SimpleRNN)")
for seq in (True, False):
    sfx = "seq" if seq else "last"
    case(f"lstm_mask_{sfx}", f"LSTM(4) with explicit bool mask input m, return_sequences {str(seq).lower()}",
         [L("LSTM", "lstm", units=4, return_sequences=seq, mask="m", input="x")],
         inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_MNOTE)
    case(f"lstm_mask_go_backwards_{sfx}",
         f"LSTM(4) go_backwards with explicit mask, return_sequences {str(seq).lower()}",
         [L("LSTM", "lstm", units=4, return_sequences=seq, go_backwards=True, mask="m", input="x")],
         inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_MNOTE)
case("lstm_mask_state", "LSTM(4) explicit mask + return_sequences + return_state (final h, c at last unmasked step)",
     [L("LSTM", "lstm", units=4, return_sequences=True, return_state=True, mask="m", input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, outputs=["lstm", "lstm.h", "lstm.c"],
     notes=_MNOTE)
case("lstm_mask_unroll", "LSTM(4) explicit mask + unroll + return_sequences",
     [L("LSTM", "lstm", units=4, return_sequences=True, unroll=True, mask="m", input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5},
     notes="unrolled: a masked step outputs the previous step's output (zeros before the first step)")
case("lstm_mask_zero_output", "LSTM(4) explicit mask, return_sequences, zero_output_for_mask true",
     [L("LSTM", "lstm", units=4, return_sequences=True, zero_output_for_mask=True, mask="m", input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5},
     notes="zero_output_for_mask true: outputs at masked steps are zeros; states still carried")
case("lstm_mask_zero_output_unroll", "LSTM(4) explicit mask, return_sequences, zero_output_for_mask true, unroll",
     [L("LSTM", "lstm", units=4, return_sequences=True, zero_output_for_mask=True, unroll=True, mask="m",
        input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5},
     notes="KERAS QUIRK (jax backend): the unrolled path ignores zero_output_for_mask; masked steps repeat "
           "the previous output (zeros before the first step)")
_H0, _C0 = floats(3, 4), floats(3, 4)
for unroll in (False, True):
    case("lstm_mask_initial_state" + ("_unroll" if unroll else ""),
         "LSTM(4) explicit mask (row 1 starts masked) + initial_state [h0, c0], return_sequences, unroll "
         + str(unroll).lower(),
         [L("LSTM", "lstm", units=4, return_sequences=True, return_state=True, unroll=unroll, mask="m",
            initial_state=["h0", "c0"], input="x")],
         inputs=dict(mask_in(), h0={"shape": [4], "batch_size": 3}, c0={"shape": [4], "batch_size": 3}),
         given={"x": floats(3, 5, 3), "m": MASK3x5, "h0": _H0, "c0": _C0},
         outputs=["lstm", "lstm.h", "lstm.c"],
         notes=("KERAS INCONSISTENCY: for a masked FIRST step Keras outputs h0 when unroll is false but zeros "
                "when unroll is true (row 1, step 0); states are h0/c0 either way" ))

# ================================================================== 2. Dense
case("dense_2d", "Dense(4) on [batch, 3]",
     [L("Dense", "dense", units=4)], inputs={"x": {"shape": [3]}})
case("dense_3d", "Dense(5) on [batch, 4, 3] (applies to the last axis)",
     [L("Dense", "dense", units=5)], inputs={"x": {"shape": [4, 3]}})
case("dense_no_bias", "Dense(4) use_bias false",
     [L("Dense", "dense", units=4, use_bias=False)], inputs={"x": {"shape": [3]}})
case("time_distributed_dense", "TimeDistributed(Dense(5)) on [batch, 4, 3]",
     [L("TimeDistributed", "td", layer={"type": "Dense", "units": 5})], inputs={"x": {"shape": [4, 3]}})
case("dense_stack", "Dense(5, relu) -> Dense(3, softmax)",
     [L("Dense", "dense", units=5, activation="relu"), L("Dense", "dense_1", units=3, activation="softmax")],
     inputs={"x": {"shape": [4]}})
for a in ACTIVATIONS + ["softmax", "hard_sigmoid_keras2"]:
    case(f"dense_activation_{a}", f"Dense(6) activation {a}, inputs in [-4, 4]",
         [L("Dense", "dense", units=6, activation=a)], inputs={"x": {"shape": [3], "batch_size": 3}},
         given={"x": floats(3, 3, lo=-4, hi=4)})

# ================================================================== 3. GRU, SimpleRNN
for ra in (True, False):
    p = "gru" if ra else "gru_reset_after_false"
    extra = {} if ra else {"reset_after": False}
    d = "GRU(4)" + ("" if ra else " reset_after false")
    case(f"{p}_default", f"{d}, last output", [L("GRU", "gru", units=4, **extra)])
    case(f"{p}_return_sequences", f"{d} return_sequences",
         [L("GRU", "gru", units=4, return_sequences=True, **extra)])
    case(f"{p}_return_state", f"{d} return_state", [L("GRU", "gru", units=4, return_state=True, **extra)],
         outputs=["gru", "gru.h"])
    case(f"{p}_return_state_seq", f"{d} return_sequences + return_state",
         [L("GRU", "gru", units=4, return_sequences=True, return_state=True, **extra)], outputs=["gru", "gru.h"])
    case(f"{p}_go_backwards_seq", f"{d} go_backwards + return_sequences (processing order)",
         [L("GRU", "gru", units=4, go_backwards=True, return_sequences=True, **extra)])
    case(f"{p}_go_backwards_last", f"{d} go_backwards, last output",
         [L("GRU", "gru", units=4, go_backwards=True, **extra)])
    case(f"{p}_no_bias", f"{d} use_bias false",
         [L("GRU", "gru", units=4, use_bias=False, return_sequences=True, **extra)])
    case(f"{p}_mask_seq", f"{d} explicit mask, return_sequences",
         [L("GRU", "gru", units=4, return_sequences=True, mask="m", input="x", **extra)],
         inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_MNOTE)
case("gru_mask_last", "GRU(4) explicit mask, last output",
     [L("GRU", "gru", units=4, mask="m", input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_MNOTE)
case("gru_mask_go_backwards_seq", "GRU(4) explicit mask + go_backwards + return_sequences",
     [L("GRU", "gru", units=4, go_backwards=True, return_sequences=True, mask="m", input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_MNOTE)
case("gru_initial_state", "GRU(4) from model input h0, return_sequences + return_state",
     [L("GRU", "gru", units=4, return_sequences=True, return_state=True, initial_state=["h0"], input="x")],
     inputs=seq_in(h0={"shape": [4], "batch_size": 2}), outputs=["gru", "gru.h"])
case("gru_unroll", "GRU(4) unroll + return_sequences",
     [L("GRU", "gru", units=4, unroll=True, return_sequences=True)])
case("gru_activation_relu_recurrent_hard_sigmoid", "GRU(4) activation relu, recurrent_activation hard_sigmoid",
     [L("GRU", "gru", units=4, activation="relu", recurrent_activation="hard_sigmoid", return_sequences=True)])
case("gru_stateful", "stateful GRU(4), two consecutive chunks",
     [L("GRU", "gru", units=4, stateful=True, return_sequences=True)],
     inputs=seq_in(T=4, F=3, bs=2), calls=[{"x": _A}, {"x": _B}])

case("simple_rnn_default", "SimpleRNN(4), last output", [L("SimpleRNN", "simple_rnn", units=4)])
case("simple_rnn_return_sequences", "SimpleRNN(4) return_sequences",
     [L("SimpleRNN", "simple_rnn", units=4, return_sequences=True)])
case("simple_rnn_return_state", "SimpleRNN(4) return_sequences + return_state",
     [L("SimpleRNN", "simple_rnn", units=4, return_sequences=True, return_state=True)],
     outputs=["simple_rnn", "simple_rnn.h"])
case("simple_rnn_return_state_last", "SimpleRNN(4) return_state, last output",
     [L("SimpleRNN", "simple_rnn", units=4, return_state=True)], outputs=["simple_rnn", "simple_rnn.h"])
case("simple_rnn_go_backwards_seq", "SimpleRNN(4) go_backwards + return_sequences (processing order)",
     [L("SimpleRNN", "simple_rnn", units=4, go_backwards=True, return_sequences=True)])
case("simple_rnn_go_backwards_last", "SimpleRNN(4) go_backwards, last output",
     [L("SimpleRNN", "simple_rnn", units=4, go_backwards=True)])
case("simple_rnn_relu", "SimpleRNN(4) activation relu, return_sequences",
     [L("SimpleRNN", "simple_rnn", units=4, activation="relu", return_sequences=True)])
case("simple_rnn_no_bias", "SimpleRNN(4) use_bias false, return_sequences",
     [L("SimpleRNN", "simple_rnn", units=4, use_bias=False, return_sequences=True)])
case("simple_rnn_mask_seq", "SimpleRNN(4) explicit mask, return_sequences",
     [L("SimpleRNN", "simple_rnn", units=4, return_sequences=True, mask="m", input="x")],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_MNOTE)
case("simple_rnn_initial_state", "SimpleRNN(4) from model input h0, return_sequences",
     [L("SimpleRNN", "simple_rnn", units=4, return_sequences=True, initial_state=["h0"], input="x")],
     inputs=seq_in(h0={"shape": [4], "batch_size": 2}))

# ================================================================== 4. Conv1D
_CIN = {"x": {"shape": [7, 4], "batch_size": 2}}
for nm, opts, d in [
    ("conv1d_valid", {}, "padding valid"),
    ("conv1d_same", {"padding": "same"}, "padding same"),
    ("conv1d_causal", {"padding": "causal"}, "padding causal"),
    ("conv1d_strides2", {"strides": 2}, "strides 2, valid"),
    ("conv1d_strides2_same", {"strides": 2, "padding": "same"}, "strides 2, same"),
    ("conv1d_dilation2", {"dilation_rate": 2}, "dilation_rate 2, valid"),
    ("conv1d_dilation2_causal", {"dilation_rate": 2, "padding": "causal"}, "dilation_rate 2, causal"),
    ("conv1d_dilation2_same", {"dilation_rate": 2, "padding": "same"}, "dilation_rate 2, same"),
    ("conv1d_groups2", {"groups": 2, "filters": 6}, "groups 2 (in 4, filters 6; kernel (3, 2, 6))"),
    ("conv1d_relu", {"activation": "relu"}, "activation relu"),
    ("conv1d_no_bias", {"use_bias": False}, "use_bias false"),
]:
    o = {"filters": 3, "kernel_size": 3}
    o.update(opts)
    case(nm, f"Conv1D(filters {o['filters']}, kernel_size 3) {d}, input [7, 4]",
         [L("Conv1D", "conv1d", **o)], inputs=_CIN)
case("conv1d_same_k4_strides2", "Conv1D(3, kernel_size 4) strides 2 padding same (asymmetric padding)",
     [L("Conv1D", "conv1d", filters=3, kernel_size=4, strides=2, padding="same")], inputs=_CIN)
case("conv1d_k1", "Conv1D(5, kernel_size 1)", [L("Conv1D", "conv1d", filters=5, kernel_size=1)], inputs=_CIN)

# ================================================================== 5. Bidirectional
_BNOTE = ("Keras's Bidirectional sets zero_output_for_mask = return_sequences on both inner layers: with "
          "return_sequences, outputs at masked steps are ZERO in both halves (unlike a plain LSTM)")
for rnn in ("LSTM", "GRU"):
    p = f"bidirectional_{rnn.lower()}"
    st = ["h", "c"] if rnn == "LSTM" else ["h"]
    for mm in ("concat", "sum", "mul", "ave"):
        case(f"{p}_{mm}", f"Bidirectional({rnn}(4) return_sequences) merge_mode {mm}",
             [L("Bidirectional", "bidirectional", merge_mode=mm,
                layer={"type": rnn, "units": 4, "return_sequences": True})])
    case(f"{p}_none", f"Bidirectional({rnn}(4) return_sequences) merge_mode null: outputs forward, backward "
         "(backward in input time order)",
         [L("Bidirectional", "bidirectional", merge_mode=None,
            layer={"type": rnn, "units": 4, "return_sequences": True})],
         outputs=["bidirectional.forward", "bidirectional.backward"])
    case(f"{p}_last", f"Bidirectional({rnn}(4)) last outputs, concat",
         [L("Bidirectional", "bidirectional", layer={"type": rnn, "units": 4})])
    case(f"{p}_return_state", f"Bidirectional({rnn}(4) return_sequences, return_state) concat",
         [L("Bidirectional", "bidirectional",
            layer={"type": rnn, "units": 4, "return_sequences": True, "return_state": True})],
         outputs=["bidirectional"] + [f"bidirectional.{d}_{s}" for d in ("forward", "backward") for s in st])
    case(f"{p}_none_return_state", f"Bidirectional({rnn}(3) return_state) merge_mode null, last outputs",
         [L("Bidirectional", "bidirectional", merge_mode=None,
            layer={"type": rnn, "units": 3, "return_state": True})],
         outputs=["bidirectional.forward", "bidirectional.backward"]
         + [f"bidirectional.{d}_{s}" for d in ("forward", "backward") for s in st])
    case(f"{p}_mask", f"Bidirectional({rnn}(4) return_sequences) concat with explicit mask m",
         [L("Bidirectional", "bidirectional", mask="m", input="x",
            layer={"type": rnn, "units": 4, "return_sequences": True})],
         inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_BNOTE)
    case(f"{p}_mask_last", f"Bidirectional({rnn}(4)) last outputs, concat, explicit mask m",
         [L("Bidirectional", "bidirectional", mask="m", input="x", layer={"type": rnn, "units": 4})],
         inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5}, notes=_BNOTE)
case("bidirectional_lstm_mask_unroll", "Bidirectional(LSTM(4) return_sequences, unroll) concat, explicit mask",
     [L("Bidirectional", "bidirectional", mask="m", input="x",
        layer={"type": "LSTM", "units": 4, "return_sequences": True, "unroll": True})],
     inputs=mask_in(), given={"x": floats(3, 5, 3), "m": MASK3x5},
     notes="KERAS QUIRK (jax backend): unrolled, the forced zero_output_for_mask is ignored; masked steps "
           "repeat each direction's previous output (zeros before its first step)")
case("bidirectional_lstm_initial_state", "Bidirectional(LSTM(3) seq) with initial_state [fh, fc, bh, bc]",
     [L("Bidirectional", "bidirectional", input="x", initial_state=["fh", "fc", "bh", "bc"],
        layer={"type": "LSTM", "units": 3, "return_sequences": True})],
     inputs=seq_in(**{k: {"shape": [3], "batch_size": 2} for k in ("fh", "fc", "bh", "bc")}))
case("bidirectional_backward_layer", "Bidirectional(LSTM(4) seq, backward_layer GRU(3) go_backwards seq) concat",
     [L("Bidirectional", "bidirectional",
        layer={"type": "LSTM", "units": 4, "return_sequences": True},
        backward_layer={"type": "GRU", "units": 3, "return_sequences": True, "go_backwards": True})])

# ================================================================== 6. Embedding / Masking
TOK = np.array([
    [3, 5, 2, 0, 0, 0],   # zeros at the end
    [4, 0, 7, 1, 0, 9],   # zeros in the middle
    [0, 0, 2, 8, 6, 1],   # leading zeros
], dtype="int32")
_TIN = {"tokens": {"shape": [6], "dtype": "int32", "batch_size": 3}}
_EMB = L("Embedding", "embedding", input_dim=10, output_dim=3, mask_zero=True)
_ENOTE = "the mask is tokens != 0; masked steps carry state, outputs at masked steps repeat the previous h"
case("embedding", "Embedding(10, 3) without mask", [L("Embedding", "embedding", input_dim=10, output_dim=3)],
     inputs=_TIN, given={"tokens": TOK})
case("embedding_mask_zero_lstm_last", "Embedding(10, 3, mask_zero) -> LSTM(4) last output",
     [_EMB, L("LSTM", "lstm", units=4)], inputs=_TIN, given={"tokens": TOK}, notes=_ENOTE)
case("embedding_mask_zero_lstm_seq", "Embedding(10, 3, mask_zero) -> LSTM(4) return_sequences",
     [_EMB, L("LSTM", "lstm", units=4, return_sequences=True)], inputs=_TIN, given={"tokens": TOK}, notes=_ENOTE)
case("embedding_mask_zero_lstm_go_backwards", "Embedding(mask_zero) -> LSTM(4) go_backwards + return_sequences",
     [_EMB, L("LSTM", "lstm", units=4, go_backwards=True, return_sequences=True)],
     inputs=_TIN, given={"tokens": TOK}, notes=_ENOTE)
case("embedding_mask_zero_stacked_lstm",
     "Embedding(mask_zero) -> LSTM(4) seq -> LSTM(3) last (the mask propagates through the first LSTM)",
     [_EMB, L("LSTM", "lstm", units=4, return_sequences=True), L("LSTM", "lstm_1", units=3)],
     inputs=_TIN, given={"tokens": TOK}, notes=_ENOTE)
case("embedding_mask_zero_lstm_state", "Embedding(mask_zero) -> LSTM(4) return_state",
     [_EMB, L("LSTM", "lstm", units=4, return_state=True)], inputs=_TIN, given={"tokens": TOK},
     outputs=["lstm", "lstm.h", "lstm.c"], notes=_ENOTE)
case("embedding_mask_zero_gru_last", "Embedding(mask_zero) -> GRU(4) last output",
     [_EMB, L("GRU", "gru", units=4)], inputs=_TIN, given={"tokens": TOK}, notes=_ENOTE)
case("embedding_mask_zero_bidirectional_lstm", "Embedding(mask_zero) -> Bidirectional(LSTM(3) seq) concat",
     [_EMB, L("Bidirectional", "bidirectional", layer={"type": "LSTM", "units": 3, "return_sequences": True})],
     inputs=_TIN, given={"tokens": TOK}, notes=_BNOTE)
case("embedding_mask_zero_bidirectional_lstm_last", "Embedding(mask_zero) -> Bidirectional(LSTM(3)) last, concat",
     [_EMB, L("Bidirectional", "bidirectional", layer={"type": "LSTM", "units": 3})],
     inputs=_TIN, given={"tokens": TOK}, notes=_ENOTE)
case("embedding_mask_zero_global_average_pooling",
     "Embedding(mask_zero) -> GlobalAveragePooling1D (averages over unmasked steps only)",
     [_EMB, L("GlobalAveragePooling1D", "global_average_pooling1d")], inputs=_TIN, given={"tokens": TOK})
case("embedding_mask_zero_lstm_td_dense", "Embedding(mask_zero) -> LSTM(4) seq -> TimeDistributed(Dense(2))",
     [_EMB, L("LSTM", "lstm", units=4, return_sequences=True),
      L("TimeDistributed", "td", layer={"type": "Dense", "units": 2})], inputs=_TIN, given={"tokens": TOK})

_MX = floats(3, 5, 3)
_MX[0, 3:] = 0.0       # trailing masked steps
_MX[1, 1] = 0.0        # a masked step in the middle
_MX[1, 3, 0] = 0.0     # a partly-zero step: NOT masked
_MX[2, 0] = 0.0        # first step masked
_MNOTE2 = "Masking masks a step when all its features equal mask_value; row 1 step 3 is only partly zero (kept)"
case("masking_lstm_last", "Masking(mask_value 0) -> LSTM(4) last output",
     [L("Masking", "masking", mask_value=0.0), L("LSTM", "lstm", units=4)],
     inputs=seq_in(bs=3), given={"x": _MX}, notes=_MNOTE2)
case("masking_lstm_seq", "Masking(mask_value 0) -> LSTM(4) return_sequences",
     [L("Masking", "masking", mask_value=0.0), L("LSTM", "lstm", units=4, return_sequences=True)],
     inputs=seq_in(bs=3), given={"x": _MX}, notes=_MNOTE2)
case("masking_output", "Masking(mask_value 0) alone: zeroes masked steps (all already zero here)",
     [L("Masking", "masking", mask_value=0.0)], inputs=seq_in(bs=3), given={"x": _MX})

# ================================================================== 7. others
case("repeat_vector", "RepeatVector(4) on [batch, 3]", [L("RepeatVector", "repeat_vector", n=4)],
     inputs={"x": {"shape": [3]}})
case("lstm_autoencoder", "LSTM(4) last -> RepeatVector(5) -> LSTM(3) seq -> TimeDistributed(Dense(3))",
     [L("LSTM", "encoder", units=4), L("RepeatVector", "repeat_vector", n=5),
      L("LSTM", "decoder", units=3, return_sequences=True),
      L("TimeDistributed", "head", layer={"type": "Dense", "units": 3})])
case("flatten", "Flatten [4, 3] -> Dense(2)",
     [L("Flatten", "flatten"), L("Dense", "dense", units=2)], inputs={"x": {"shape": [4, 3]}},
     outputs=["flatten", "dense"])
case("reshape", "Reshape [6, 2] -> [3, 4]", [L("Reshape", "reshape", target_shape=[3, 4])],
     inputs={"x": {"shape": [6, 2]}})
case("reshape_minus1", "Reshape [6, 2] -> [-1, 3]", [L("Reshape", "reshape", target_shape=[-1, 3])],
     inputs={"x": {"shape": [6, 2]}})
case("permute", "Permute [2, 1] on [4, 3]", [L("Permute", "permute", dims=[2, 1])],
     inputs={"x": {"shape": [4, 3]}})
case("concatenate", "Concatenate (axis -1) of [4, 3] and [4, 2]",
     [L("Concatenate", "concatenate", inputs=["a", "b"])],
     inputs={"a": {"shape": [4, 3]}, "b": {"shape": [4, 2]}})
case("concatenate_axis1", "Concatenate axis 1 of [4, 3] and [2, 3]",
     [L("Concatenate", "concatenate", axis=1, inputs=["a", "b"])],
     inputs={"a": {"shape": [4, 3]}, "b": {"shape": [2, 3]}})
case("concatenate_lstm_states", "Concatenate of LSTM h and c (return_state)",
     [L("LSTM", "lstm", units=3, return_state=True),
      L("Concatenate", "concatenate", inputs=["lstm.h", "lstm.c"])])
case("add", "Add of [4, 3] and [4, 3]", [L("Add", "add", inputs=["a", "b"])],
     inputs={"a": {"shape": [4, 3]}, "b": {"shape": [4, 3]}})
case("add_three", "Add of three inputs", [L("Add", "add", inputs=["a", "b", "c"])],
     inputs={"a": {"shape": [3]}, "b": {"shape": [3]}, "c": {"shape": [3]}})
_PIN = {"x": {"shape": [7, 3]}}
for cls, pre in (("MaxPooling1D", "max_pooling1d"), ("AveragePooling1D", "average_pooling1d")):
    case(pre, f"{cls}(pool_size 2) valid on [7, 3]", [L(cls, pre, pool_size=2)], inputs=_PIN)
    case(f"{pre}_same", f"{cls}(pool_size 2) padding same on [7, 3]",
         [L(cls, pre, pool_size=2, padding="same")], inputs=_PIN)
    case(f"{pre}_3_strides_2_same", f"{cls}(pool_size 3, strides 2) padding same on [7, 3]",
         [L(cls, pre, pool_size=3, strides=2, padding="same")], inputs=_PIN)
    case(f"{pre}_3_strides_1", f"{cls}(pool_size 3, strides 1) valid on [7, 3]",
         [L(cls, pre, pool_size=3, strides=1)], inputs=_PIN)
case("global_max_pooling1d", "GlobalMaxPooling1D on [7, 3]",
     [L("GlobalMaxPooling1D", "global_max_pooling1d")], inputs=_PIN)
case("global_average_pooling1d", "GlobalAveragePooling1D on [7, 3]",
     [L("GlobalAveragePooling1D", "global_average_pooling1d")], inputs=_PIN)
case("layer_normalization", "LayerNormalization (axis -1, epsilon 1e-3) on [4, 3], random gamma/beta",
     [L("LayerNormalization", "layer_normalization")], inputs={"x": {"shape": [4, 3]}})
case("layer_normalization_2d", "LayerNormalization on [5]",
     [L("LayerNormalization", "layer_normalization")], inputs={"x": {"shape": [5]}})
case("batch_normalization", "BatchNormalization inference (epsilon 1e-3) on [4, 3], nonzero moving stats",
     [L("BatchNormalization", "batch_normalization")], inputs={"x": {"shape": [4, 3]}},
     notes="weights: gamma, beta, moving_mean, moving_variance (Keras order and names), each (features)")
case("batch_normalization_2d", "BatchNormalization inference on [5]",
     [L("BatchNormalization", "batch_normalization")], inputs={"x": {"shape": [5]}})
case("dropout_inference", "Dense(4) -> Dropout(0.5) (identity at inference)",
     [L("Dense", "dense", units=4), L("Dropout", "dropout", rate=0.5)], inputs={"x": {"shape": [3]}})
case("activation_layer", "Activation(softmax) layer on [4, 3]",
     [L("Activation", "activation", activation="softmax")], inputs={"x": {"shape": [4, 3]}})
case("conv1d_lstm", "Conv1D(4, 3, causal, relu) -> MaxPooling1D(2) -> LSTM(3)",
     [L("Conv1D", "conv1d", filters=4, kernel_size=3, padding="causal", activation="relu"),
      L("MaxPooling1D", "max_pooling1d", pool_size=2), L("LSTM", "lstm", units=3)],
     inputs={"x": {"shape": [7, 2], "batch_size": 2}})

# Merges of masked sequences: two token inputs, each embedded with mask_zero, merged, then an LSTM
# that reads the merged mask (Keras 3: Add/Subtract/Average/Multiply/Maximum/Minimum OR the masks
# when every input has one; Multiply puts 1 at masked elements; Maximum/Minimum take the other
# input at masked elements; Concatenate ORs them, an unmasked input counting as all kept).
TOK2 = np.array([
    [0, 6, 1, 0, 3, 0],
    [2, 0, 0, 5, 0, 0],
    [7, 7, 0, 0, 1, 2],
])
_TIN2 = {"a": {"shape": [6], "dtype": "int32", "batch_size": 3}, "b": {"shape": [6], "dtype": "int32", "batch_size": 3}}
for _merge in ["Add", "Subtract", "Average", "Multiply", "Maximum", "Minimum", "Concatenate"]:
    _snake = {"Add": "add", "Subtract": "subtract", "Average": "average", "Multiply": "multiply", "Maximum": "maximum", "Minimum": "minimum", "Concatenate": "concatenate"}[_merge]
    case(f"masked_merge_{_snake}", f"two Embedding(mask_zero) branches merged by {_merge}, then LSTM(3) reading the merged mask",
         [L("Embedding", "emb_a", input_dim=10, output_dim=4, mask_zero=True, input="a"),
          L("Embedding", "emb_b", input_dim=10, output_dim=4, mask_zero=True, input="b"),
          L(_merge, "merged", inputs=["emb_a", "emb_b"]),
          L("LSTM", "lstm", units=3, return_sequences=True)],
         inputs=_TIN2, given={"a": TOK, "b": TOK2}, outputs=["merged", "lstm"])
case("masked_merge_concatenate_one_mask", "Concatenate of a masked and an unmasked branch: the unmasked one keeps every step",
     [L("Embedding", "emb_a", input_dim=10, output_dim=4, mask_zero=True, input="a"),
      L("Embedding", "emb_b", input_dim=10, output_dim=4, input="b"),
      L("Concatenate", "merged", inputs=["emb_a", "emb_b"]),
      L("LSTM", "lstm", units=3, return_sequences=True)],
     inputs=_TIN2, given={"a": TOK, "b": TOK2}, outputs=["merged", "lstm"])
case("masked_merge_add_one_mask", "Add of a masked and an unmasked branch: no mask follows",
     [L("Embedding", "emb_a", input_dim=10, output_dim=4, mask_zero=True, input="a"),
      L("Embedding", "emb_b", input_dim=10, output_dim=4, input="b"),
      L("Add", "merged", inputs=["emb_a", "emb_b"]),
      L("LSTM", "lstm", units=3, return_sequences=True)],
     inputs=_TIN2, given={"a": TOK, "b": TOK2}, outputs=["merged", "lstm"])

# ================================================================== 8. stateful wrappers (issue 12)
# Keras's Bidirectional is stateful when the wrapped layer is: both directions carry their final
# states (the backward one: its state after reading x[:, 0], last) into the next call.
case("bidirectional_lstm_stateful", "Bidirectional(LSTM(3, stateful)) return_sequences: calls A, B, reset_states, A "
     "(both directions carry their final states; the 4th output equals the 1st)",
     [L("Bidirectional", "bidirectional", layer={"type": "LSTM", "units": 3, "stateful": True, "return_sequences": True})],
     inputs=seq_in(T=4, F=3, bs=2), calls=[{"x": _A}, {"x": _B}, "reset_states", {"x": _A}])
case("bidirectional_gru_stateful", "Bidirectional(GRU(3, stateful), merge_mode sum): calls A, A, reset_states, A "
     "(the 2nd differs from the 1st, the 3rd equals it). Keras 3.15 fails to build this wrapper with return_state",
     [L("Bidirectional", "bidirectional", merge_mode="sum", layer={"type": "GRU", "units": 3, "stateful": True})],
     inputs=seq_in(T=4, F=3, bs=2), calls=[{"x": _A}, {"x": _A}, "reset_states", {"x": _A}])

# ================================================================== 9. small layers of sequence models (issue 12)
_TOK5 = np.array([[0, 3, 3, 1], [4, 4, 4, 2]], dtype="int32")
_TOK5_1 = np.array([[3], [0]], dtype="int32")
_TOK5_OUT = np.array([[0, 7, -1, 2], [4, 5, 4, 4]], dtype="int32")   # 7, -1, 5: outside [0, 5)
_TIN = {"t": {"shape": [4], "dtype": "int32", "batch_size": 2}}
_TIN1 = {"t": {"shape": [1], "dtype": "int32", "batch_size": 2}}
_WIDE = seq_in(T=5, F=3, bs=2)
case("relu_layer", "ReLU() on (2, 5, 3)", [L("ReLU", "relu")])
case("relu_max_value", "ReLU(max_value=0.5)", [L("ReLU", "relu", max_value=0.5)])
case("relu_all_options", "ReLU(max_value=0.6, negative_slope=0.1, threshold=0.2)",
     [L("ReLU", "relu", max_value=0.6, negative_slope=0.1, threshold=0.2)])
case("relu_max_value_6", "ReLU(max_value=6) on inputs scaled to [-8, 8] (Keras's relu6 path)",
     [L("Rescaling", "scale", scale=8.0), L("ReLU", "relu", max_value=6.0)])
case("leaky_relu_layer", "LeakyReLU() (Keras 3 default negative_slope 0.3)", [L("LeakyReLU", "leaky_re_lu")])
case("leaky_relu_slope", "LeakyReLU(negative_slope=0.05)", [L("LeakyReLU", "leaky_re_lu", negative_slope=0.05)])
case("prelu_layer", "PReLU() on (2, 5, 3): alpha (5, 3)", [L("PReLU", "p_re_lu")])
case("prelu_shared_axes", "PReLU(shared_axes=[1]) on (2, 5, 3): alpha (1, 3)", [L("PReLU", "p_re_lu", shared_axes=[1])])
case("prelu_shared_both", "PReLU(shared_axes=[1, 2]): one alpha (1, 1)", [L("PReLU", "p_re_lu", shared_axes=[1, 2])])
case("elu_layer", "ELU() alpha 1", [L("ELU", "elu")])
case("elu_alpha", "ELU(alpha=0.4)", [L("ELU", "elu", alpha=0.4)])
case("softmax_layer", "Softmax() over the last axis", [L("Softmax", "softmax")])
case("softmax_axis_1", "Softmax(axis=1): over the time axis", [L("Softmax", "softmax", axis=1)])
case("softmax_axes_1_2", "Softmax(axis=[1, 2]): over both non-batch axes", [L("Softmax", "softmax", axis=[1, 2])])
case("identity_layer", "Identity()", [L("Identity", "identity")])
case("noise_layers_inference", "GaussianNoise, GaussianDropout, AlphaDropout, ActivityRegularization at inference: the identity",
     [L("GaussianNoise", "gaussian_noise", stddev=0.5), L("GaussianDropout", "gaussian_dropout", rate=0.3),
      L("AlphaDropout", "alpha_dropout", rate=0.2), L("ActivityRegularization", "activity_regularization", l1=0.01, l2=0.02),
      L("Dense", "dense", units=2)])
case("unit_normalization_layer", "UnitNormalization() over the last axis", [L("UnitNormalization", "unit_normalization")])
case("unit_normalization_axes", "UnitNormalization(axis=[1, 2])", [L("UnitNormalization", "unit_normalization", axis=[1, 2])])
case("rescaling_layer", "Rescaling(scale=1/255, offset=-0.5)", [L("Rescaling", "rescaling", scale=1 / 255, offset=-0.5)])
case("zero_padding1d_layer", "ZeroPadding1D() (1 step each side)", [L("ZeroPadding1D", "zero_padding1d")])
case("zero_padding1d_pair", "ZeroPadding1D(padding=[2, 0]) then LSTM(3)",
     [L("ZeroPadding1D", "zero_padding1d", padding=[2, 0]), L("LSTM", "lstm", units=3, return_sequences=True)])
case("cropping1d_layer", "Cropping1D() ([1, 1])", [L("Cropping1D", "cropping1d")])
case("cropping1d_pair", "Cropping1D(cropping=[0, 3])", [L("Cropping1D", "cropping1d", cropping=[0, 3])])
case("up_sampling1d_layer", "UpSampling1D() (size 2)", [L("UpSampling1D", "up_sampling1d")])
case("up_sampling1d_size_3", "UpSampling1D(size=3) then Conv1D(2, 3)",
     [L("UpSampling1D", "up_sampling1d", size=3), L("Conv1D", "conv1d", filters=2, kernel_size=3)])
case("category_encoding_multi_hot", "CategoryEncoding(5) multi_hot (the default) of (2, 4) tokens",
     [L("CategoryEncoding", "category_encoding", num_tokens=5)], inputs=_TIN, given={"t": _TOK5})
case("category_encoding_count", "CategoryEncoding(5, count) of (2, 4) tokens",
     [L("CategoryEncoding", "category_encoding", num_tokens=5, output_mode="count")], inputs=_TIN, given={"t": _TOK5})
case("category_encoding_one_hot", "CategoryEncoding(5, one_hot) of (2, 4) tokens: (2, 4, 5)",
     [L("CategoryEncoding", "category_encoding", num_tokens=5, output_mode="one_hot")], inputs=_TIN, given={"t": _TOK5})
case("category_encoding_one_hot_1", "CategoryEncoding(5, one_hot) of (2, 1) tokens: the axis of 1 is encoded, (2, 5)",
     [L("CategoryEncoding", "category_encoding", num_tokens=5, output_mode="one_hot")], inputs=_TIN1, given={"t": _TOK5_1})
case("category_encoding_out_of_range", "CategoryEncoding(5, count) with tokens 7, -1 and 5 outside [0, 5): they add nothing",
     [L("CategoryEncoding", "category_encoding", num_tokens=5, output_mode="count")], inputs=_TIN, given={"t": _TOK5_OUT})
case("category_encoding_one_hot_out_of_range", "CategoryEncoding(5, one_hot) with tokens outside [0, 5): zero rows",
     [L("CategoryEncoding", "category_encoding", num_tokens=5, output_mode="one_hot")], inputs=_TIN, given={"t": _TOK5_OUT})
case("normalization_weights", "Normalization() with adapted mean, variance, count as weights (axis -1)",
     [L("Normalization", "normalization")])
case("normalization_axes_1_2", "Normalization(axis=[1, 2]): a mean and variance per (step, feature)",
     [L("Normalization", "normalization", axis=[1, 2])])
case("normalization_axis_none", "Normalization(axis=null): one mean and variance (scalar weights)",
     [L("Normalization", "normalization", axis=None)])
case("normalization_invert", "Normalization(invert=True) with weights",
     [L("Normalization", "normalization", invert=True)])
case("normalization_given", "Normalization(mean=[0.1, -0.2, 0.3], variance=[0.5, 2, 4e-15]) given in the spec: no weights; "
     "the last variance is below epsilon squared",
     [L("Normalization", "normalization", mean=[0.1, -0.2, 0.3], variance=[0.5, 2.0, 4e-15])])
case("normalization_given_scalar_invert", "Normalization(mean=0.5, variance=4, invert=True)",
     [L("Normalization", "normalization", mean=0.5, variance=4.0, invert=True)])
case("spatial_dropout2d_inference", "SpatialDropout2D(0.4) on (2, 3, 4, 2) at inference: the identity",
     [L("SpatialDropout2D", "spatial_dropout2d", rate=0.4)], inputs={"x": {"shape": [3, 4, 2], "batch_size": 2}})

# ================================================================== 10. Dot (issue 12)
_DOT2 = {"a": {"shape": [4], "batch_size": 2}, "b": {"shape": [4], "batch_size": 2}}
_DOT3 = {"a": {"shape": [5, 3], "batch_size": 2}, "b": {"shape": [4, 3], "batch_size": 2}}
_DOT3T = {"a": {"shape": [5, 3], "batch_size": 2}, "b": {"shape": [5, 2], "batch_size": 2}}
_DOT32 = {"a": {"shape": [5, 3], "batch_size": 2}, "b": {"shape": [3], "batch_size": 2}}
case("dot_vectors", "Dot(axes=1) of two (2, 4) vectors: (2, 1)", [L("Dot", "dot", axes=1, inputs=["a", "b"])], inputs=_DOT2)
case("dot_vectors_normalize", "Dot(axes=-1, normalize=True): cosine similarity", [L("Dot", "dot", axes=-1, normalize=True, inputs=["a", "b"])], inputs=_DOT2)
case("dot_scores", "Dot(axes=2) of (2, 5, 3) and (2, 4, 3): attention scores (2, 5, 4)", [L("Dot", "dot", axes=2, inputs=["a", "b"])], inputs=_DOT3)
case("dot_time_axes", "Dot(axes=[1, 1]) of (2, 5, 3) and (2, 5, 2): (2, 3, 2)", [L("Dot", "dot", axes=[1, 1], inputs=["a", "b"])], inputs=_DOT3T)
case("dot_mixed_axes_normalize", "Dot(axes=[2, 1], normalize=True) of (2, 5, 3) and (2, 5, 2)... (2, 5, 3)·(2, 3): (2, 5)",
     [L("Dot", "dot", axes=[2, 1], normalize=True, inputs=["a", "b"])], inputs=_DOT32)
case("dot_weights_context", "Dot(axes=[1, 1]) of Softmax scores (2, 5, 1) and values (2, 5, 3): the attention context (2, 1, 3)",
     [L("Dense", "score", units=1, input="a"), L("Softmax", "weights", axis=1), L("Dot", "dot", axes=[1, 1], inputs=["weights", "a"])],
     inputs={"a": {"shape": [5, 3], "batch_size": 2}})

# ================================================================== 11. Attention (issue 12)
_ATT = {"q": {"shape": [4, 3], "batch_size": 2}, "v": {"shape": [5, 3], "batch_size": 2}}
_ATTK = {"q": {"shape": [4, 3], "batch_size": 2}, "v": {"shape": [5, 2], "batch_size": 2}, "k": {"shape": [5, 3], "batch_size": 2}}
_ATTS = {"x": {"shape": [5, 3], "batch_size": 2}}
case("attention_dot", "Attention() [query, value]: dot scores", [L("Attention", "attention", inputs=["q", "v"])], inputs=_ATT)
case("attention_key_scores", "Attention() [query, value, key] with return_attention_scores",
     [L("Attention", "attention", inputs=["q", "v", "k"], return_attention_scores=True)], inputs=_ATTK,
     outputs=["attention", "attention.scores"])
case("attention_use_scale", "Attention(use_scale=True): scale is a weight", [L("Attention", "attention", use_scale=True, inputs=["q", "v"])], inputs=_ATT)
case("attention_concat", "Attention(score_mode='concat')", [L("Attention", "attention", score_mode="concat", inputs=["q", "v"])], inputs=_ATT)
case("attention_concat_scale", "Attention(score_mode='concat', use_scale=True)",
     [L("Attention", "attention", score_mode="concat", use_scale=True, inputs=["q", "v", "k"])], inputs=_ATTK)
case("attention_causal_self", "self-attention Attention(use_causal_mask=True) of x on itself, with the scores",
     [L("Attention", "attention", use_causal_mask=True, return_attention_scores=True, inputs=["x", "x"])], inputs=_ATTS,
     outputs=["attention", "attention.scores"])
_ATOK_Q = np.array([[1, 2, 0, 0], [3, 1, 4, 0]], dtype="int32")
_ATOK_V = np.array([[2, 5, 1, 0, 0], [1, 1, 1, 1, 3]], dtype="int32")
case("attention_masked", "Attention over Embedding(mask_zero) query and value: value mask on the scores, query mask zeroes "
     "the output and passes to an LSTM",
     [L("Embedding", "emb_q", input_dim=6, output_dim=3, mask_zero=True, input="q"),
      L("Embedding", "emb_v", input_dim=6, output_dim=3, mask_zero=True, input="v"),
      L("Attention", "attention", use_causal_mask=True, inputs=["emb_q", "emb_v"]),
      L("LSTM", "lstm", units=2, return_sequences=True)],
     inputs={"q": {"shape": [4], "dtype": "int32", "batch_size": 2}, "v": {"shape": [5], "dtype": "int32", "batch_size": 2}},
     given={"q": _ATOK_Q, "v": _ATOK_V}, outputs=["attention", "lstm"])
case("additive_attention", "AdditiveAttention() [query, value]: use_scale (a weight per feature) by default",
     [L("AdditiveAttention", "additive_attention", inputs=["q", "v"])], inputs=_ATT)
case("additive_attention_no_scale_key", "AdditiveAttention(use_scale=False) [query, value, key], causal, with the scores",
     [L("AdditiveAttention", "additive_attention", use_scale=False, use_causal_mask=True, return_attention_scores=True, inputs=["q", "v", "k"])],
     inputs=_ATTK, outputs=["additive_attention", "additive_attention.scores"])
case("additive_attention_masked", "AdditiveAttention over Embedding(mask_zero) query and value (Bahdanau over a padded source)",
     [L("Embedding", "emb_q", input_dim=6, output_dim=3, mask_zero=True, input="q"),
      L("Embedding", "emb_v", input_dim=6, output_dim=3, mask_zero=True, input="v"),
      L("AdditiveAttention", "additive_attention", inputs=["emb_q", "emb_v"])],
     inputs={"q": {"shape": [4], "dtype": "int32", "batch_size": 2}, "v": {"shape": [5], "dtype": "int32", "batch_size": 2}},
     given={"q": _ATOK_Q, "v": _ATOK_V})


# ================================================================== cases by topic, one file each
# Each module calls case() above when imported (cases_<topic>.py).
import importlib  # noqa: E402

for _topic in ("conv2d", "attention", "conv1d", "shared"):
    importlib.import_module(f"cases_{_topic}")
