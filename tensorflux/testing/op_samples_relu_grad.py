"""Inference-table rows for the rectifiers' gradient ops (ReluGrad, Relu6Grad,
LeakyReluGrad).

Imported at the end of ``op_samples``; it imports the op module it covers, so its ops
are registered whenever the table is read. The features stay clear of the kinks at 0
and 6, where the gradient in them is not the (zero) derivative.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import activation_grad_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample

# Fixed values, not the shared generator: drawing from it would shift the rows of the
# modules imported after this one (some are compared with values recorded from TF).
_FEATURES = np.array([[-1.5, 0.5, 2.0], [7.0, -0.25, 5.5]], np.float32)
_GRADIENTS = np.array([[0.3, -1.2, 0.8], [1.1, 0.4, -0.7]], np.float32)


def _rows():
    for name in ("ReluGrad", "Relu6Grad"):
        add_sample(name, _GRADIENTS, _FEATURES)
        add_sample(name, np.array([0.6, -1.3, 2.1]), np.array([-0.5, 6.5, 3.0]))
        add_sample(name, np.array([3, -2], np.int32), np.array([1, 0], np.int32))
        add_sample(name, np.float16(2), np.float16(1))
    add_sample("LeakyReluGrad", _GRADIENTS, _FEATURES, alpha=0.3)
    add_sample("LeakyReluGrad", np.array([0.6, -1.3, 2.1]), np.array([-0.5, 6.5, 3.0]), alpha=1.5)


_rows()
