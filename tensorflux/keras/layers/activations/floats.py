"""Keras 2 keeps the activation layers' numbers as ``floatx`` scalars: the values in
their configs are those numbers after rounding to ``floatx`` (0.3 reads back as
0.30000001192092896), so ours are rounded the same way."""

from __future__ import annotations

import numpy as np

from tensorflux.keras import backend

__all__ = ["as_floatx"]


def as_floatx(value) -> float:
    """``value`` rounded to ``keras.backend.floatx()``, as a Python float."""
    return float(np.asarray(value, dtype=backend.floatx()))
