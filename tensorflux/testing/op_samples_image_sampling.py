"""Inference-table rows for the box selection and sampling ops of ``tf.image``:
NonMaxSuppressionPaddedV2, SampleDistortedBoundingBoxV2 and
StatelessSampleDistortedBoundingBox."""

from __future__ import annotations

import numpy as np

from tensorflux.ops import image_nms_padded  # noqa: F401  (registers the op)
from tensorflux.testing.op_samples import add_sample

_BOXES = np.asarray(
    [[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, 2.0, 1.0, 3.0], [2.0, 2.0, 3.0, 3.5]],
    np.float32,
)
_SCORES = np.asarray([0.9, 0.8, 0.7, 0.95], np.float32)
_NMS_ATTRS = {"sorted_input": False, "canonicalized_coordinates": False, "tile_size": 2}
for pad in (False, True):
    add_sample(
        "NonMaxSuppressionPaddedV2",
        _BOXES,
        _SCORES,
        np.int32(3),
        np.float32(0.5),
        np.float32(-np.inf),
        pad_to_max_output_size=pad,
        **_NMS_ATTRS,
    )
add_sample(
    "NonMaxSuppressionPaddedV2",
    np.stack([_BOXES, _BOXES[::-1]])[None],
    np.stack([_SCORES, _SCORES])[None],
    np.int32(5),
    np.float32(0.3),
    np.float32(0.75),
    pad_to_max_output_size=True,
    **_NMS_ATTRS,
)
