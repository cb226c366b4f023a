"""Fixture cases: 2-D layers (Conv2D, 2-D pooling, padding, cropping, upsampling) and TimeDistributed over them. Each call to case() adds one (see cases.py)."""

from cases import L, case, floats, seq_in  # noqa: F401
