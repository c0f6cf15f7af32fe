"""Inference-table rows for the fused optimizer updates (``optimizer_ops``).

Imported at the end of ``op_samples``; importing the op module registers the op.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import optimizer_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample

_RNG = np.random.default_rng(11)


def _rows():
    for dtype, shape in ((np.float32, (3, 5)), (np.float64, (7,)), (np.float16, ())):
        var, m, grad = (_RNG.standard_normal(shape).astype(dtype) for _ in range(3))
        v = np.abs(_RNG.standard_normal(shape)).astype(dtype)
        coefficients = (dtype(0.01), dtype(0.1), dtype(0.001), dtype(1e-7))
        add_sample("_KerasAdamUpdate", var, m, v, grad, *coefficients)


_rows()
