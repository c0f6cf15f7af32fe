"""Inference-table rows for the box selection and sampling ops of ``tf.image``:
NonMaxSuppressionPaddedV2, SampleDistortedBoundingBoxV2 and
StatelessSampleDistortedBoundingBox."""

from __future__ import annotations

import numpy as np

from tensorflux.ops import (  # noqa: F401  (registers the ops)
    image_distort_box_ops,
    image_nms_padded,
)
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

_SDBB_ATTRS = {
    "aspect_ratio_range": (0.75, 1.33),
    "area_range": (0.05, 1.0),
    "max_attempts": 10,
    "use_image_if_no_bounding_boxes": False,
}
_OBJECTS = np.asarray([[[0.1, 0.2, 0.6, 0.7]]], np.float32)
add_sample(
    "SampleDistortedBoundingBoxV2",
    np.asarray([20, 30, 3], np.int32),
    _OBJECTS,
    np.float32(0.1),
    seed=1,
    seed2=2,
    **_SDBB_ATTRS,
)
add_sample(
    "StatelessSampleDistortedBoundingBox",
    np.asarray([20, 30, 3], np.int64),
    _OBJECTS,
    np.float32(0.5),
    np.asarray([3, 4], np.int32),
    **_SDBB_ATTRS,
)
