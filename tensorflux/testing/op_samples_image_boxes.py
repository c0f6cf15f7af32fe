"""Inference-table rows for the box and patch ops of ``tf.image``: CropAndResize and its
gradient ops, ExtractImagePatches, NonMaxSuppressionV3/V5 and DrawBoundingBoxesV2."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops import (  # noqa: F401  (registers the ops)
    image_box_ops,
    image_crop_resize_ops,
    image_glimpse_ops,
    image_nms_ops,
    image_patches_ops,
)
from tensorflux.testing.op_samples import add_sample, f32

_BOXES = np.asarray([[0.1, 0.2, 0.8, 0.9], [0.7, 0.1, 0.2, 0.6], [-0.2, 0.3, 0.5, 1.2]], np.float32)
_INDICES = np.asarray([0, 1, 1], np.int32)

for method in ("bilinear", "nearest"):
    add_sample(
        "CropAndResize",
        f32(2, 4, 5, 3),
        _BOXES,
        _INDICES,
        np.asarray([3, 2], np.int32),
        method=method,
        extrapolation_value=0.5,
    )
    add_sample(
        "CropAndResizeGradImage",
        f32(3, 3, 2, 3),
        _BOXES,
        _INDICES,
        np.asarray([2, 4, 5, 3], np.int32),
        T=dtypes.float64,
        method=method,
    )
add_sample(
    "CropAndResizeGradBoxes", f32(3, 3, 2, 3), f32(2, 4, 5, 3), _BOXES, _INDICES, method="bilinear"
)
add_sample(
    "ExtractImagePatches",
    f32(2, 5, 6, 3),
    ksizes=[1, 2, 3, 1],
    strides=[1, 2, 1, 1],
    rates=[1, 1, 2, 1],
    padding="SAME",
)
add_sample(
    "ExtractImagePatches",
    f32(1, 4, 4, 2),
    ksizes=[1, 2, 2, 1],
    strides=[1, 1, 1, 1],
    rates=[1, 1, 1, 1],
    padding="VALID",
)
_SCORES = np.asarray([0.9, 0.8, 0.3], np.float32)
add_sample(
    "NonMaxSuppressionV3",
    _BOXES,
    _SCORES,
    np.asarray(2, np.int32),
    np.asarray(0.5, np.float32),
    np.asarray(0.0, np.float32),
)
for pad in (False, True):
    add_sample(
        "NonMaxSuppressionV5",
        _BOXES,
        _SCORES,
        np.asarray(5, np.int32),
        np.asarray(0.5, np.float32),
        np.asarray(0.0, np.float32),
        np.asarray(0.3, np.float32),
        pad_to_max_output_size=pad,
    )
add_sample(
    "DrawBoundingBoxesV2",
    f32(2, 5, 6, 3),
    np.stack([_BOXES, _BOXES[::-1]]),
    np.asarray([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.5, 1.0]], np.float32),
)

_OVERLAPS = np.asarray([[1.0, 0.7, 0.1], [0.7, 1.0, 0.4], [0.1, 0.4, 1.0]], np.float32)
add_sample(
    "NonMaxSuppressionWithOverlaps",
    _OVERLAPS,
    np.asarray([0.9, 0.8, 0.7], np.float32),
    np.asarray(2, np.int32),
    np.asarray(0.5, np.float32),
    np.asarray(0.0, np.float32),
)
for pad in (False, True):
    add_sample(
        "CombinedNonMaxSuppression",
        np.concatenate([_BOXES, _BOXES * 0.5], 0).reshape(2, 3, 1, 4),
        f32(2, 3, 2),
        np.asarray(2, np.int32),
        np.asarray(5, np.int32),
        np.asarray(0.5, np.float32),
        np.asarray(-1.0, np.float32),
        pad_per_class=pad,
        clip_boxes=True,
    )
for size in ([2, 3], [4, 4]):
    add_sample(
        "ExtractGlimpseV2",
        f32(2, 4, 5, 3),
        np.asarray(size, np.int32),
        np.asarray([[0.1, -0.3], [0.5, 0.9]], np.float32),
        centered=True,
        normalized=True,
        uniform_noise=False,
        noise="zero",
    )
