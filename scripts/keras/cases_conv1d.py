"""Fixture cases: Conv1DTranspose, SeparableConv1D, DepthwiseConv1D, ConvLSTM1D/2D. Each call to case() adds one (see cases.py)."""

from cases import L, case, floats, seq_in  # noqa: F401
