"""Inference-table rows for the segment reductions (SegmentMax ... SegmentMean,
UnsortedSegmentMax/Min/Prod) and the other ops of the extra ``tf.math`` functions.

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read. Empty segments, negative (dropped)
unsorted ids and multi-dimensional ids are covered.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import (  # noqa: F401  (registers the ops)
    bincount_ops,
    math_extra_ops,
    segment_reduce_ops,
    special_gamma_ops,
    special_ops,
    special_zeta_ops,
)
from tensorflux.testing.op_samples import add_sample, f32, f64


def _ids(*values, dtype=np.int32):
    return np.array(values, dtype)


for _kind in ("Max", "Min", "Prod", "Mean"):
    add_sample(f"Segment{_kind}", f32(4, 3), _ids(0, 0, 2, 2))
    add_sample(f"Segment{_kind}", f64(3), _ids(1, 1, 1, dtype=np.int64))
    add_sample(f"Segment{_kind}", _ids(3, 1, 4, 5, 9), _ids(0, 1, 1, 3, 3))
for _kind in ("Max", "Min", "Prod"):
    add_sample(f"UnsortedSegment{_kind}", f32(4, 2), _ids(2, -1, 0, 2), num_segments=4)
    add_sample(f"UnsortedSegment{_kind}", f64(2, 3, 2), _ids([0, 1, 1], [1, 0, -1]), num_segments=2)
    add_sample(f"UnsortedSegment{_kind}", _ids(3, 1, 4), _ids(0, 0, 1), num_segments=3)

add_sample("Xlog1py", f32(2, 3), f32(3, low=-0.9))
add_sample("Xlog1py", np.zeros(3), f64(2, 1, low=0.0))
add_sample("NextAfter", f32(4), f32(4))
add_sample("NextAfter", f64(2, 3), f64(3))
add_sample("InvertPermutation", _ids(3, 0, 2, 1))
add_sample("InvertPermutation", _ids(dtype=np.int64))

for _name in ("Erfinv", "Ndtri", "BesselI0", "BesselI0e", "BesselI1", "BesselI1e"):
    add_sample(_name, f32(2, 3, low=-0.9, high=0.9))
    add_sample(_name, f64(4, low=0.05, high=0.95))
    add_sample(_name, np.float16([0.25, -0.5]))

add_sample("Zeta", f32(2, 3, low=1.5, high=4.0), f32(3, low=0.5, high=3.0))
add_sample("Zeta", np.array([2.0, 1.0, 0.5]), np.array([0.0, 2.0, -1.5]))
add_sample("Polygamma", np.float32([[0.0], [2.0]]), f32(3, low=0.5, high=3.0))
add_sample("Polygamma", np.array([1.0, 1.5, 3.0]), f64(3))

for _name in ("Igamma", "Igammac", "IgammaGradA"):
    add_sample(_name, f32(2, 3, low=0.5, high=4.0), f32(3, low=0.0, high=6.0))
    add_sample(_name, f64(4, low=0.5, high=3.0), np.float64(2.5))
add_sample(
    "Betainc",
    f32(2, 3, low=0.5, high=4.0),
    f32(2, 3, low=0.5, high=4.0),
    f32(2, 3, low=0.0, high=1.0),
)
add_sample("Betainc", f64(4, low=0.5, high=3.0), np.float64(2.0), np.float64(0.4))
add_sample("Betainc", np.float32(1.5), np.float32(2.0), np.float32([0.0, 0.5, 1.0]))

add_sample("DenseBincount", _ids(1, 1, 3, 0), np.int32(5), np.zeros(0, np.int32))
add_sample("DenseBincount", _ids(1, 4, dtype=np.int64), np.int32(3), f32(2))
add_sample("DenseBincount", _ids([1, 2], [0, 0]), np.int32(4), f64(2, 2))
add_sample(
    "DenseBincount", _ids([1, 2], [0, 0]), np.int32(3), np.zeros(0, np.int64), binary_output=True
)

add_sample("CumulativeLogsumexp", f32(2, 3), np.int32(1), exclusive=True, reverse=False)
add_sample("CumulativeLogsumexp", f64(4), np.int32(0), exclusive=False, reverse=True)
add_sample("CumulativeLogsumexp", f32(0, 2), np.int32(0), exclusive=True, reverse=True)
