"""Fixture cases: MultiHeadAttention and Transformer blocks. Each call to case() adds one (see cases.py)."""

from cases import L, case, floats, seq_in  # noqa: F401
