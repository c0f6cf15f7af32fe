"""Inference-table rows for the fused batch norm ops (``FusedBatchNormV3`` and its
gradient, with the older versions on the same kernels).

Imported at the end of ``op_samples``; importing the op module registers the ops.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import fused_batch_norm_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample

_RNG = np.random.default_rng(7)
_X = _RNG.standard_normal((2, 3, 2, 3)).astype(np.float32)
_X5 = _RNG.standard_normal((2, 2, 1, 2, 3)).astype(np.float32)
_C = np.array([1.0, 0.5, 2.0], np.float32)


def _rows():
    for name in ("FusedBatchNormV3", "FusedBatchNormV2", "FusedBatchNorm"):
        add_sample(name, _X, _C, _C, _C, _C, epsilon=1e-3, is_training=True)
        add_sample(name, _X, _C, _C, _C, _C, is_training=False)
        add_sample(name, _X.transpose(0, 3, 1, 2), _C, _C, _C, _C, data_format="NCHW")
        add_sample(name, _X5, _C, _C, _C, _C, data_format="NDHWC", exponential_avg_factor=0.5)
    for name in ("FusedBatchNormV3", "FusedBatchNormV2"):
        add_sample(name, _X.astype(np.float16), _C, _C, _C, _C, is_training=True)
    saved = (_C, _C, np.zeros(0, np.float32))
    for name, extra in (
        ("FusedBatchNormGradV3", saved),
        ("FusedBatchNormGradV2", saved[:2]),
        ("FusedBatchNormGrad", saved[:2]),
    ):
        add_sample(name, _X, _X, _C, *extra, epsilon=1e-3, is_training=True)
        add_sample(name, _X, _X, _C, *extra, is_training=False)
        xt = _X.transpose(0, 3, 1, 2)
        add_sample(name, xt, xt, _C, *extra, data_format="NCHW", is_training=True)
        add_sample(name, _X5, _X5, _C, *extra, data_format="NDHWC")
    half = _X.astype(np.float16)
    add_sample("FusedBatchNormGradV3", half, half, _C, *saved)


_rows()
