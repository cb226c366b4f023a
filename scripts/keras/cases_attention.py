"""Fixture cases: MultiHeadAttention and Transformer blocks. Each call to case() adds one (see cases.py)."""

from cases import L, case, floats, seq_in  # noqa: F401

import numpy as np  # noqa: E402

# ================================================================== MultiHeadAttention (issue 12)
_X = {"x": {"shape": [5, 4], "batch_size": 2}}
_QV = {"q": {"shape": [4, 6], "batch_size": 2}, "v": {"shape": [5, 3], "batch_size": 2}}
_QVK = {"q": {"shape": [4, 6], "batch_size": 2}, "v": {"shape": [5, 3], "batch_size": 2}, "k": {"shape": [5, 2], "batch_size": 2}}
_MHA = "MultiHeadAttention"

case("mha_self", "MultiHeadAttention(num_heads=2, key_dim=3) self-attention of x on itself",
     [L(_MHA, "mha", num_heads=2, key_dim=3, inputs=["x", "x"])], inputs=_X)
case("mha_cross_key_value_dim", "MultiHeadAttention(num_heads=3, key_dim=2, value_dim=4, dropout=0.1) [query, value, key] of "
     "different features, at inference (Keras 3.15 on JAX fails on value_dim != key_dim without dropout or scores: its "
     "dot_product_attention reshapes to the query's shape)",
     [L(_MHA, "mha", num_heads=3, key_dim=2, value_dim=4, dropout=0.1, inputs=["q", "v", "k"])], inputs=_QVK)
case("mha_output_shape", "MultiHeadAttention(output_shape=5, use_bias=False, attention_axes=-2): the time axis, as Keras normalizes it",
     [L(_MHA, "mha", num_heads=2, key_dim=2, output_shape=5, use_bias=False, attention_axes=-2, inputs=["q", "v"])], inputs=_QV)
case("mha_output_shape_2d", "MultiHeadAttention(output_shape=[2, 3], attention_axes=[1]): output (batch, Tq, 2, 3)",
     [L(_MHA, "mha", num_heads=2, key_dim=2, output_shape=[2, 3], attention_axes=[1], inputs=["q", "v"])], inputs=_QV)
case("mha_causal_scores", "MultiHeadAttention(use_causal_mask=True, return_attention_scores=True) self-attention",
     [L(_MHA, "mha", num_heads=2, key_dim=3, use_causal_mask=True, return_attention_scores=True, inputs=["x", "x"])], inputs=_X,
     outputs=["mha", "mha.scores"])
case("mha_cross_scores", "MultiHeadAttention cross-attention with return_attention_scores: scores (2, 2, 4, 5); Keras's symbolic "
     "shape (and summary) says (2, 2, 4, 4)",
     [L(_MHA, "mha", num_heads=2, key_dim=2, return_attention_scores=True, inputs=["q", "v"])], inputs=_QV,
     outputs=["mha", "mha.scores"])

_AMASK = np.array([[[1, 1, 0, 0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]],
                   [[0, 1, 1, 1, 1], [0, 0, 0, 0, 0], [1, 0, 1, 0, 1], [0, 0, 0, 0, 1]]], dtype=bool)
_QVM = dict(_QV, m={"shape": [4, 5], "dtype": "bool", "batch_size": 2})
_R = np.random.default_rng(16)
_GIVEN_QVM = {"q": _R.uniform(-1, 1, (2, 4, 6)).astype("float32"), "v": _R.uniform(-1, 1, (2, 5, 3)).astype("float32"), "m": _AMASK}
case("mha_attention_mask", "MultiHeadAttention with an attention_mask input (batch, Tq, Tv), a row of it all false: "
     "Keras's dot_product_attention path gives that row uniform weights",
     [L(_MHA, "mha", num_heads=2, key_dim=3, inputs=["q", "v", "m"])], inputs=_QVM, given=_GIVEN_QVM)
case("mha_attention_mask_scores", "the same with return_attention_scores: Keras's Softmax path gives the hidden row zero weights "
     "(its output is the output bias); causal too",
     [L(_MHA, "mha", num_heads=2, key_dim=3, use_causal_mask=True, return_attention_scores=True, inputs=["q", "v", "m"])],
     inputs=_QVM, given=_GIVEN_QVM, outputs=["mha", "mha.scores"])

_TOK_Q = np.array([[1, 2, 0, 0], [3, 1, 4, 0]], dtype="int32")
_TOK_V = np.array([[2, 5, 1, 0, 0], [1, 1, 1, 1, 3]], dtype="int32")
_TOK_K = np.array([[2, 0, 1, 1, 0], [1, 1, 0, 1, 1]], dtype="int32")
_TOKS = {"q": {"shape": [4], "dtype": "int32", "batch_size": 2}, "v": {"shape": [5], "dtype": "int32", "batch_size": 2}}
_EMB = [L("Embedding", "emb_q", input_dim=6, output_dim=4, mask_zero=True, input="q"),
        L("Embedding", "emb_v", input_dim=6, output_dim=4, mask_zero=True, input="v")]
case("mha_masked", "MultiHeadAttention over Embedding(mask_zero) query and value: the masks combine; a masked query step "
     "gets uniform weights (dot_product_attention path); the output carries the query's mask into GlobalAveragePooling1D",
     _EMB + [L(_MHA, "mha", num_heads=2, key_dim=2, inputs=["emb_q", "emb_v"]), L("GlobalAveragePooling1D", "pool")],
     inputs=_TOKS, given={"q": _TOK_Q, "v": _TOK_V}, outputs=["mha", "pool"])
case("mha_masked_scores", "the same with return_attention_scores: masked query steps get zero weights (Softmax path)",
     _EMB + [L(_MHA, "mha", num_heads=2, key_dim=2, return_attention_scores=True, inputs=["emb_q", "emb_v"])],
     inputs=_TOKS, given={"q": _TOK_Q, "v": _TOK_V}, outputs=["mha", "mha.scores"])
case("mha_masked_key_causal_dropout", "MultiHeadAttention(dropout=0.2) at inference, causal, over masked query, value and key: "
     "dropout > 0 takes Keras's Softmax path (hidden rows zero)",
     _EMB + [L("Embedding", "emb_k", input_dim=6, output_dim=3, mask_zero=True, input="k"),
             L(_MHA, "mha", num_heads=2, key_dim=2, dropout=0.2, use_causal_mask=True, inputs=["emb_q", "emb_v", "emb_k"])],
     inputs=dict(_TOKS, k={"shape": [5], "dtype": "int32", "batch_size": 2}), given={"q": _TOK_Q, "v": _TOK_V, "k": _TOK_K})
case("mha_run_time_lengths", "MultiHeadAttention with query and value lengths known only at run time (shape [null, F])",
     [L(_MHA, "mha", num_heads=2, key_dim=2, output_shape=3, inputs=["q", "v"])],
     inputs={"q": {"shape": [None, 6], "batch_size": 2}, "v": {"shape": [None, 3], "batch_size": 2}},
     given={"q": _R.uniform(-1, 1, (2, 3, 6)).astype("float32"), "v": _R.uniform(-1, 1, (2, 7, 3)).astype("float32")})
case("mha_gate_sliding_window", "MultiHeadAttention(use_gate=True, sliding_window=2) self-attention: the sigmoid gate "
     "(weights query, key, gate, value, attention_output) and a band |i - j| < 2",
     [L(_MHA, "mha", num_heads=2, key_dim=3, use_gate=True, sliding_window=2, inputs=["x", "x"])], inputs=_X)
_Q6V3 = {"q": {"shape": [6, 4], "batch_size": 2}, "v": {"shape": [3, 3], "batch_size": 2}}
case("mha_sliding_window_cross", "MultiHeadAttention(sliding_window=2) of 6 query steps over 3 value steps: steps 4 and 5 "
     "see no key (uniform weights on Keras's dot_product_attention path)",
     [L(_MHA, "mha", num_heads=2, key_dim=2, sliding_window=2, inputs=["q", "v"])], inputs=_Q6V3)
case("mha_sliding_window_causal_scores", "the same, causal, with the scores: hidden rows get zero weights (Softmax path)",
     [L(_MHA, "mha", num_heads=2, key_dim=2, sliding_window=2, use_causal_mask=True, return_attention_scores=True,
        inputs=["q", "v"])], inputs=_Q6V3, outputs=["mha", "mha.scores"])

# ================================================================== the Transformer example and a Bahdanau seq2seq
import os  # noqa: E402

import yaml  # noqa: E402

_MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models")
with open(os.path.join(_MODELS, "transformer_timeseries.yaml")) as _f:
    _TRANSFORMER = yaml.safe_load(_f)
case("transformer_timeseries", "models/transformer_timeseries.yaml as it is: keras.io's Transformer time-series classifier "
     "(2 pre-norm blocks of LayerNormalization, MultiHeadAttention(2 heads, key_dim 8, dropout 0.25), Dropout, Add, "
     "LayerNormalization, Conv1D(4, 1, relu), Dropout, Conv1D(1, 1), Add; Flatten; Dense relu; Dense softmax), 3 series",
     _TRANSFORMER["layers"], inputs={"series": dict(_TRANSFORMER["inputs"]["series"], batch_size=3)},
     notes="The spec of models/transformer_timeseries.yaml with batch_size 3 (test/keras/transformer.test.ts checks they agree). "
           "Flatten stands for the example's GlobalAveragePooling1D(data_format='channels_first'), the same on one feature.")

_SRC = np.array([[4, 2, 7, 1, 0, 0], [3, 3, 5, 6, 2, 1]], dtype="int32")
_TGT = np.array([[1, 5, 2, 0], [1, 4, 4, 3]], dtype="int32")
case("bahdanau_seq2seq", "Bahdanau-attention seq2seq (keras.io-style): Embedding(mask_zero) source -> LSTM encoder (sequences and "
     "states); Embedding target (teacher forcing, every step) -> LSTM decoder from the encoder's states; AdditiveAttention([decoder, encoder]); "
     "Concatenate([decoder, context]); Dense softmax over the target vocabulary",
     [L("Embedding", "src_embedding", input_dim=8, output_dim=4, mask_zero=True, input="source"),
      L("LSTM", "encoder", units=5, return_sequences=True, return_state=True),
      L("Embedding", "tgt_embedding", input_dim=7, output_dim=4, input="target"),
      L("LSTM", "decoder", units=5, return_sequences=True, initial_state=["encoder.h", "encoder.c"]),
      L("AdditiveAttention", "attention", inputs=["decoder", "encoder"]),
      L("Concatenate", "decoder_context", inputs=["decoder", "attention"]),
      L("Dense", "next_token", units=7, activation="softmax")],
     inputs={"source": {"shape": [6], "dtype": "int32", "batch_size": 2}, "target": {"shape": [4], "dtype": "int32", "batch_size": 2}},
     given={"source": _SRC, "target": _TGT},
     notes="The target embedding has no mask: Keras 3.15 does not pass a masked input's mask into an LSTM called with "
           "initial_state (Layer.__call__ fills `mask` only when the call has one tensor argument), though the output "
           "still carries it; modelc masks the recurrence, so a masked decoder input would differ at its padded steps.")
