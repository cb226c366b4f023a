"""Fixture cases: shared layers (one layer applied to several inputs). Each call to case() adds one (see cases.py)."""

from cases import L, case, floats, seq_in  # noqa: F401

import numpy as np

_R = np.random.default_rng(20261202)


def ids(*shape, vocab=10, zeros_at=()):
    a = _R.integers(1, vocab, size=shape).astype("int32")
    for index in zeros_at:
        a[index] = 0
    return a


case("shared_lstm_siamese", "siamese LSTM(4) encoder: one layer applied to a (5 steps) and b (7 steps), concatenated, Dense(1)",
     [L("LSTM", "enc", units=4, input="a"),
      {"name": "enc_b", "shares": "enc", "input": "b"},
      L("Concatenate", "cat", inputs=["enc", "enc_b"]),
      L("Dense", "head", units=1, activation="sigmoid")],
     inputs={"a": {"shape": [5, 3], "batch_size": 2}, "b": {"shape": [7, 3], "batch_size": 2}})
case("shared_dense_two_inputs", "Dense(4, relu) applied to two inputs, added; then Dense(3) applied twice in a chain (its own output)",
     [L("Dense", "proj", units=3, activation="relu", input="x1"),
      {"name": "proj_x2", "shares": "proj", "input": "x2"},
      L("Add", "add", inputs=["proj", "proj_x2"]),
      L("Dense", "square", units=3, activation="tanh"),
      {"name": "square_again", "shares": "square"}],
     inputs={"x1": {"shape": [3], "batch_size": 2}, "x2": {"shape": [3], "batch_size": 2}},
     outputs=["square_again", "proj_x2"])
case("shared_embedding_lstm_masked", "Embedding(10, 4, mask_zero) and LSTM(3) shared by two token inputs of lengths 5 and 6 with padding: masks per application",
     [L("Embedding", "embed", input_dim=10, output_dim=4, mask_zero=True, input="q1"),
      {"name": "embed_q2", "shares": "embed", "input": "q2"},
      L("LSTM", "enc", units=3, input="embed"),
      {"name": "enc_q2", "shares": "enc", "input": "embed_q2"},
      L("Concatenate", "cat", inputs=["enc", "enc_q2"]),
      L("Dense", "head", units=2)],
     inputs={"q1": {"shape": [5], "batch_size": 2, "dtype": "int32"}, "q2": {"shape": [6], "batch_size": 2, "dtype": "int32"}},
     given={"q1": ids(2, 5, zeros_at=[(0, 3), (0, 4)]), "q2": ids(2, 6, zeros_at=[(1, 5)])})
case("shared_lstm_states", "LSTM(4, return_state, return_sequences) applied to a, then again to b from a's final states: states per application",
     [L("LSTM", "enc", units=4, return_sequences=True, return_state=True, input="a"),
      {"name": "enc_b", "shares": "enc", "input": "b", "initial_state": ["enc.h", "enc.c"]}],
     inputs={"a": {"shape": [4, 3], "batch_size": 2}, "b": {"shape": [3, 3], "batch_size": 2}},
     outputs=["enc_b", "enc_b.h", "enc_b.c", "enc.h"])
case("shared_bidirectional_gru", "Bidirectional(GRU(3), concat) shared by two inputs of lengths 4 and 6, averaged",
     [L("Bidirectional", "bi", layer={"type": "GRU", "units": 3}, input="a"),
      {"name": "bi_b", "shares": "bi", "input": "b"},
      L("Average", "avg", inputs=["bi", "bi_b"])],
     inputs={"a": {"shape": [4, 2], "batch_size": 2}, "b": {"shape": [6, 2], "batch_size": 2}})
