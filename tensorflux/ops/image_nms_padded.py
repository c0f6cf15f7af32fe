"""``tf.image.non_max_suppression_padded``: TF's batched, tiled hard NMS.

TF runs it as a traced function (``experimental_implements=
'non_max_suppression_padded_v2'``) built from elementwise ops, not as one kernel; its
output is that algorithm's, quirks included, so the kernel here replays it step for
step in float32:

* boxes whose score is not above ``score_threshold`` become all-zero boxes;
* the corner order is read from the first box of the first image alone and applied to
  every box (unless ``canonicalized_coordinates``);
* boxes are sorted by score (ties: the lower index) and cut into tiles of
  ``tile_size``; a tile is suppressed by the kept boxes of earlier tiles (IoU at or
  above the threshold) and then by itself, repeating until a step removes at most
  ``iou_threshold`` of summed IoU; tiles are processed until every image has
  ``max_output_size`` boxes;
* a box counts as selected when one of its coordinates is positive, so a box lying
  wholly at non-positive coordinates is never returned.

Registered as ``NonMaxSuppressionPaddedV2`` (the function's name: TF has no op of its
own for it). Not differentiable, as in TF.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor

__all__ = ["non_max_suppression_padded"]

_F32 = np.float32
_OP_NAME = "NonMaxSuppressionPaddedV2"
_EPSILON = _F32(1e-8)


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, _OP_NAME, f"{message} [Op:{_OP_NAME}]")


def _overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU ``[batch, len(a), len(b)]`` of two ``[batch, n, 4]`` float32 box sets, with
    TF's ``1e-8`` added to the union."""
    ay0, ax0, ay1, ax1 = (a[..., k : k + 1] for k in range(4))
    by0, bx0, by1, bx1 = (b[..., k][:, None, :] for k in range(4))
    width = np.maximum(np.minimum(ax1, bx1) - np.maximum(ax0, bx0), _F32(0))
    height = np.maximum(np.minimum(ay1, by1) - np.maximum(ay0, by0), _F32(0))
    inter = width * height
    area_a = (ay1 - ay0) * (ax1 - ax0)
    area_b = (by1 - by0) * (bx1 - bx0)
    return inter / (area_a + area_b - inter + _EPSILON)


def _self_suppress(tile: np.ndarray, threshold) -> np.ndarray:
    """The boxes of ``tile`` that TF's iterated self-suppression removes."""
    size = tile.shape[1]
    iou = _overlap(tile, tile)
    later = np.arange(size)[None, :] > np.arange(size)[:, None]
    iou = iou * (later & (iou >= threshold)).astype(_F32)
    total = iou.sum((1, 2), dtype=_F32)
    while True:
        free = (iou.max(1) < threshold).astype(_F32)[:, :, None]
        kept = ((free * iou).max(1) < threshold).astype(_F32)[:, :, None]
        iou = kept * iou
        new_total = iou.sum((1, 2), dtype=_F32)
        changed = bool((total - new_total > threshold).any())
        total = new_total
        if not changed:
            return iou.sum(1, dtype=_F32) > 0


def _suppress(boxes: np.ndarray, max_output_size: int, threshold, tile_size: int) -> tuple:
    """TF's tile loop over padded ``[batch, n, 4]`` float32 boxes: the suppressed boxes
    zeroed, tiles after the last one needed left untouched."""
    batch = boxes.shape[0]
    num_tiles = boxes.shape[1] // tile_size
    found = np.zeros(batch, np.int64)
    tile_index = 0
    while batch and found.min() < max_output_size and tile_index < num_tiles:
        start = tile_index * tile_size
        tile = boxes[:, start : start + tile_size]
        for earlier in range(tile_index):
            other = boxes[:, earlier * tile_size : (earlier + 1) * tile_size]
            keep = (_overlap(other, tile) < threshold).all(1)
            tile = keep.astype(_F32)[:, :, None] * tile
        tile = (_F32(1) - _self_suppress(tile, threshold).astype(_F32))[:, :, None] * tile
        # TF writes the tile back as tile * 1 + old * 0 (an inf or NaN left in the old
        # boxes turns the written ones into NaN, as there).
        mask = np.zeros((1, num_tiles, 1, 1), _F32)
        mask[0, tile_index] = 1
        grid = boxes.reshape(batch, num_tiles, tile_size, 4)
        boxes = (tile[:, None] * mask + grid * (_F32(1) - mask)).reshape(batch, -1, 4)
        found += (tile > 0).any(2).sum(1)
        tile_index += 1
    return boxes, found


def _nms_padded_kernel(
    boxes,
    scores,
    max_output_size,
    iou_threshold,
    score_threshold,
    sorted_input,
    canonicalized_coordinates,
    tile_size,
    pad_to_max_output_size,
):
    size = int(max_output_size)
    if size < 0:
        raise _error(f"Requires start <= limit when delta > 0: 0/{size}")
    if boxes.ndim < 2 or boxes.shape[-1] != 4:
        raise _error(f"boxes must have shape [..., num_boxes, 4], got {list(boxes.shape)}")
    batch_shape, count = boxes.shape[:-2], boxes.shape[-2]
    if scores.size != boxes.size // 4:
        raise _error(
            f"Input to reshape is a tensor with {scores.size} values, but the requested "
            f"shape requires a multiple of {count}"
        )
    threshold = _F32(iou_threshold)
    boxes = boxes.reshape(-1, count, 4)
    scores = scores.reshape(-1, count)
    batch = boxes.shape[0]
    if batch == 0 or count == 0:
        raise _error(f"slice index 0 of dimension 0 out of bounds for boxes {list(boxes.shape)}")
    mask = (scores > _F32(score_threshold)).astype(scores.dtype)
    scores = scores * mask
    boxes = boxes * mask.astype(boxes.dtype)[:, :, None]
    if not canonicalized_coordinates:
        columns = [0, 1, 2, 3]
        if not boxes[0, 0, 0] <= boxes[0, 0, 2]:
            columns[0], columns[2] = 2, 0
        if not boxes[0, 0, 1] <= boxes[0, 0, 3]:
            columns[1], columns[3] = 3, 1
        boxes = boxes[:, :, columns]
    order = np.argsort(-scores, axis=1, kind="stable")
    if not sorted_input:
        boxes = np.take_along_axis(boxes, order[:, :, None], 1)
    padded = int(np.ceil(_F32(max(count, size)) / _F32(tile_size))) * tile_size
    boxes = np.pad(boxes.astype(_F32), [(0, 0), (0, padded - count), (0, 0)])
    boxes, found = _suppress(boxes, size, threshold, tile_size)
    valid = np.minimum(found, size).astype(np.int32)
    rank = (boxes > 0).any(2) * np.arange(padded, 0, -1)
    top = -np.sort(-rank, axis=1, kind="stable")[:, :size]
    idx = np.minimum(padded - top, count - 1)
    if not sorted_input:
        idx = np.take_along_axis(order, idx, 1)
    idx = np.where(np.arange(size)[None, :] < valid[:, None], idx, 0).astype(np.int32)
    if not pad_to_max_output_size:
        return idx[0, : valid[0]], valid.reshape(batch_shape)
    return idx.reshape(batch_shape + (size,)), valid.reshape(batch_shape)


def _nms_padded_infer(
    boxes: Spec, scores: Spec, max_output_size: Spec, iou_threshold: Spec, score_threshold: Spec,
    sorted_input=False, canonicalized_coordinates=False, tile_size=512,
    pad_to_max_output_size=False,
) -> tuple:  # fmt: skip
    if boxes.shape.rank is None:
        return Spec(dtypes.int32, TensorShape(None)), Spec(dtypes.int32, TensorShape(None))
    batch = boxes.shape.as_list()[:-2]
    num_valid = Spec(dtypes.int32, TensorShape(batch))
    if not pad_to_max_output_size:
        return Spec(dtypes.int32, TensorShape([None])), num_valid
    return Spec(dtypes.int32, TensorShape(batch + [None])), num_valid


_NMS_PADDED = register(
    _OP_NAME,
    kernel=_nms_padded_kernel,
    grad=None,
    infer=_nms_padded_infer,
    num_outputs=2,
    allowed=frozenset({dtypes.float16, dtypes.float32, dtypes.float64}),
    dynamic_shape=True,
)


def _check_static_shapes(boxes, scores, canonicalized_coordinates) -> None:
    """The ValueErrors TF's traced implementation raises from static shapes."""
    if boxes.shape.rank is None or boxes.shape.rank < 2:
        return
    count = boxes.shape.as_list()[-2]
    if count == 0 and not canonicalized_coordinates:
        raise ValueError(
            "slice index 0 of dimension 1 out of bounds. for '{{node "
            "canonicalize_coordinates/strided_slice}}': boxes of shape "
            f"{boxes.shape.as_list()} hold no box"
        )
    size = scores.shape.num_elements()
    if count and size is not None and size % count:
        raise ValueError(
            f"Dimension size must be evenly divisible by {count} but is {size} for "
            f"'{{{{node Reshape_1}}}} = Reshape[T=DT_FLOAT, Tshape=DT_INT32](scores, "
            f"Reshape_1/shape)' with input shapes: {scores.shape.as_list()}: scores need "
            "one value per box"
        )


def non_max_suppression_padded(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_to_max_output_size=False,
    name=None,
    sorted_input=False,
    canonicalized_coordinates=False,
    tile_size=512,
) -> tuple:
    """Hard non-max suppression over a batch of images, optionally zero-padded to
    ``max_output_size`` indices (TF's tiled algorithm, see the module docstring).

    Args:
        boxes: float ``[..., num_boxes, 4]``; leading dimensions are batch dimensions.
        scores: float32 ``[..., num_boxes]``.
        max_output_size: the most indices to return per image.
        iou_threshold: boxes overlapping a kept box with IoU at or above it are dropped.
        score_threshold: boxes scoring at or below it are never selected.
        pad_to_max_output_size: return ``[..., max_output_size]`` indices, zero past
            ``num_valid``; required for batched boxes.
        sorted_input: boxes and scores are already in descending score order (the
            indices are then positions in that order).
        canonicalized_coordinates: boxes are ``[y_min, x_min, y_max, x_max]``.
        tile_size: boxes compared at once.

    Returns:
        ``(idx, num_valid)``: int32 indices ``[..., max_output_size]`` (or
        ``[num_valid]`` unpadded) and int32 counts of shape ``[...]``.

    Raises:
        ValueError: batched boxes without ``pad_to_max_output_size``, no boxes, scores
            not one per box.
        TypeError: scores that are not float32.
        InvalidArgumentError: a negative ``max_output_size``, mismatched shapes.

    >>> import tensorflux as tf
    >>> boxes = [[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, 2.0, 1.0, 3.0]]
    >>> idx, num = tf.image.non_max_suppression_padded(
    ...     boxes, [0.9, 0.8, 0.7], 3, pad_to_max_output_size=True)
    >>> idx.numpy(), int(num)
    (array([0, 2, 0], dtype=int32), 2)
    """
    boxes, scores = to_tensor(boxes), to_tensor(scores)
    rank = boxes.shape.rank
    if not pad_to_max_output_size and rank is not None and rank > 2:
        raise ValueError(
            f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for "
            "batched input"
        )
    if scores.dtype != dtypes.float32:
        raise TypeError(
            "Input 'y' of 'Greater' Op has type float32 that does not match type "
            f"{scores.dtype.name} of argument 'x'."
        )
    _check_static_shapes(boxes, scores, canonicalized_coordinates)
    inputs = (
        boxes,
        scores,
        to_tensor(max_output_size, dtypes.int32),
        to_tensor(iou_threshold, dtypes.float32),
        to_tensor(score_threshold, dtypes.float32),
    )
    attrs = {
        "sorted_input": bool(sorted_input),
        "canonicalized_coordinates": bool(canonicalized_coordinates),
        "tile_size": int(tile_size),
        "pad_to_max_output_size": bool(pad_to_max_output_size),
    }
    return tuple(execute(_NMS_PADDED, inputs, attrs))
