"""Box ops of ``tf.image``: NonMaxSuppressionV3 / V5 (``non_max_suppression``,
``non_max_suppression_with_scores``) and DrawBoundingBoxesV2 (``draw_bounding_boxes``).

Non-max suppression is a greedy walk over a priority queue (score first, then the lower
box index), so it stays a Python loop; each step compares one candidate with the boxes
already selected in one vectorised IoU. Not differentiable, as in TF.
"""

from __future__ import annotations

import heapq

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["draw_bounding_boxes", "non_max_suppression", "non_max_suppression_with_scores"]

_FLOATS = frozenset({dtypes.float16, dtypes.float32})
# TF's palette when no colours are given (RGBA; the first ``depth`` components are used).
_PALETTE = np.array(
    [
        [1.0, 1.0, 0.0, 1.0],
        [0.0, 0.0, 1.0, 1.0],
        [1.0, 0.0, 0.0, 1.0],
        [0.0, 1.0, 0.0, 1.0],
        [0.5, 0.0, 0.5, 1.0],
        [0.5, 0.5, 0.0, 1.0],
        [0.5, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.5, 1.0],
        [0.0, 1.0, 1.0, 1.0],
        [1.0, 0.0, 1.0, 1.0],
    ],
    np.float32,
)


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _check_nms(op_name, boxes, scores, max_output_size, iou_threshold) -> None:
    if boxes.ndim != 2:
        raise _error(
            op_name,
            f"boxes must be 2-D[{','.join(str(d) for d in boxes.shape)}] "
            f"(Shape must be rank 2 but is rank {boxes.ndim})",
        )
    if boxes.shape[1] != 4:
        raise _error(
            op_name, f"boxes must have 4 columns (Dimension must be 4 but is {boxes.shape[1]})"
        )
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        got = scores.shape[0] if scores.ndim == 1 else list(scores.shape)
        raise _error(
            op_name,
            "scores has incompatible shape (Dimensions must be equal, but are "
            f"{got} and {boxes.shape[0]})",
        )
    if int(max_output_size) < 0:
        raise _error(op_name, "output size must be non-negative")
    if not 0 <= float(iou_threshold) <= 1:
        raise _error(op_name, "iou_threshold must be in [0, 1]")


def _iou(boxes: np.ndarray, i: int, others: list) -> np.ndarray:
    """IoU of box ``i`` with ``others`` in the boxes' dtype; 0 where an area is empty."""
    a, b = boxes[i], boxes[others]
    lo_a, hi_a = np.minimum(a[:2], a[2:]), np.maximum(a[:2], a[2:])
    lo_b, hi_b = np.minimum(b[:, :2], b[:, 2:]), np.maximum(b[:, :2], b[:, 2:])
    area_a = (hi_a[0] - lo_a[0]) * (hi_a[1] - lo_a[1])
    area_b = (hi_b[:, 0] - lo_b[:, 0]) * (hi_b[:, 1] - lo_b[:, 1])
    extent = np.maximum(np.minimum(hi_a, hi_b) - np.maximum(lo_a, lo_b), 0)
    inter = extent[:, 0] * extent[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area_a + area_b - inter)
    return np.where((area_a <= 0) | (area_b <= 0), boxes.dtype.type(0), iou)


def _suppress(boxes, scores, max_output_size, iou_threshold, score_threshold, sigma) -> tuple:
    """TF's greedy selection. Hard NMS drops a candidate whose IoU with a selected box
    exceeds the threshold; soft NMS (``sigma > 0``) scales its score by
    ``exp(-0.5 iou^2 / sigma)`` per selected box and queues it again."""
    kind = scores.dtype.type
    threshold, floor = kind(iou_threshold), kind(score_threshold)
    scale = kind(-0.5 / sigma) if sigma > 0 else kind(0)
    soft = sigma > 0
    queue = [(-s, i, s, 0) for i, s in enumerate(scores) if s > floor]
    heapq.heapify(queue)
    selected, selected_scores = [], []
    while len(selected) < max_output_size and queue:
        _, index, score, begin = heapq.heappop(queue)
        original = score
        hard = False
        # Only the boxes selected since this candidate was last scored.
        fresh = selected[begin:][::-1]
        if fresh:
            ious = _iou(boxes, index, fresh)
            for iou in ious:
                weight = np.exp(scale * iou * iou)
                score = kind(score * (weight if soft or iou <= threshold else kind(0)))
                if not soft and iou > threshold:
                    hard = True
                    break
                if score <= floor:
                    break
        if hard:
            continue
        if score == original:
            selected.append(index)
            selected_scores.append(score)
        elif score > floor:
            heapq.heappush(queue, (-score, index, score, len(selected)))
    return (
        np.asarray(selected, np.int32),
        np.asarray(selected_scores, scores.dtype),
    )


def _nms_v3_kernel(boxes, scores, max_output_size, iou_threshold, score_threshold):
    _check_nms("NonMaxSuppressionV3", boxes, scores, max_output_size, iou_threshold)
    indices, _ = _suppress(
        boxes, scores, int(max_output_size), iou_threshold, float(score_threshold), 0.0
    )
    return indices


def _nms_v3_infer(boxes: Spec, *rest) -> Spec:
    return Spec(dtypes.int32, TensorShape([None]))


_NMS_V3 = register(
    "NonMaxSuppressionV3",
    kernel=_nms_v3_kernel,
    grad=None,
    infer=_nms_v3_infer,
    allowed=_FLOATS,
    dynamic_shape=True,
)


def _nms_v5_kernel(
    boxes,
    scores,
    max_output_size,
    iou_threshold,
    score_threshold,
    soft_nms_sigma,
    pad_to_max_output_size,
):
    name = "NonMaxSuppressionV5"
    _check_nms(name, boxes, scores, max_output_size, iou_threshold)
    if float(soft_nms_sigma) < 0:
        raise _error(name, "soft_nms_sigma_val must be >= 0")
    size = int(max_output_size)
    indices, kept = _suppress(
        boxes, scores, size, iou_threshold, float(score_threshold), float(soft_nms_sigma)
    )
    valid = np.int32(indices.size)
    if pad_to_max_output_size:
        indices = np.pad(indices, (0, size - indices.size))
        kept = np.pad(kept, (0, size - kept.size))
    return indices, kept, valid


def _nms_v5_infer(
    boxes: Spec, scores: Spec, max_output_size: Spec, *rest, pad_to_max_output_size=False
) -> tuple:
    size = max_output_size.value if pad_to_max_output_size else None
    size = size if isinstance(size, int) else None
    return (
        Spec(dtypes.int32, TensorShape([size])),
        Spec(scores.dtype, TensorShape([size])),
        Spec(dtypes.int32, TensorShape([])),
    )


_NMS_V5 = register(
    "NonMaxSuppressionV5",
    kernel=_nms_v5_kernel,
    grad=None,
    infer=_nms_v5_infer,
    num_outputs=3,
    allowed=_FLOATS,
    dynamic_shape=True,
)


def _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold) -> tuple:
    b = boxes if isinstance(boxes, Tensor) else to_tensor(np.asarray(boxes, np.float32))
    s = scores if isinstance(scores, Tensor) else to_tensor(np.asarray(scores, b.dtype.name))
    return (
        b,
        s,
        to_tensor(max_output_size, dtypes.int32),
        to_tensor(iou_threshold, b.dtype),
        to_tensor(score_threshold, b.dtype),
    )


def non_max_suppression(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    name=None,
) -> Tensor:
    """Greedily selects boxes by descending score, dropping those whose IoU with an
    already selected box is above ``iou_threshold`` (``NonMaxSuppressionV3``).

    Args:
        boxes: ``[num_boxes, 4]`` float ``(y1, x1, y2, x2)``; either diagonal pair.
        scores: ``[num_boxes]``, one per box.
        max_output_size: the most boxes to select.
        iou_threshold: in ``[0, 1]``.
        score_threshold: boxes scoring at or below it are never selected.

    Returns:
        int32 ``[selected]``: indices into ``boxes``, best first (ties: lower index).

    Raises:
        InvalidArgumentError: bad shapes, a negative size, a threshold outside [0, 1].

    >>> from tensorflux.ops.image_box_ops import non_max_suppression
    >>> boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
    >>> non_max_suppression(boxes, [0.9, 0.95, 0.5], 3).numpy()
    array([1, 2], dtype=int32)
    """
    inputs = _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
    return execute(_NMS_V3, inputs, {})


def non_max_suppression_with_scores(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    soft_nms_sigma=0.0,
    name=None,
) -> tuple:
    """``non_max_suppression`` that also returns the selected scores, with Soft-NMS
    when ``soft_nms_sigma > 0``: an overlapping box's score decays by
    ``exp(-0.5 * iou**2 / soft_nms_sigma)`` instead of the box being dropped
    (``NonMaxSuppressionV5``).

    Returns:
        ``(selected_indices, selected_scores)``.

    Raises:
        InvalidArgumentError: as ``non_max_suppression``; a negative ``soft_nms_sigma``.

    >>> from tensorflux.ops.image_box_ops import non_max_suppression_with_scores
    >>> boxes = [[0, 0, 1, 1], [0, 0.5, 1, 1.5]]
    >>> idx, kept = non_max_suppression_with_scores(boxes, [0.9, 0.8], 2, soft_nms_sigma=0.5)
    >>> idx.numpy(), kept.numpy().round(4)
    (array([0, 1], dtype=int32), array([0.9   , 0.7159], dtype=float32))
    """
    inputs = _nms_inputs(boxes, scores, max_output_size, iou_threshold, score_threshold)
    sigma = to_tensor(soft_nms_sigma, inputs[0].dtype)
    indices, kept, _ = execute(_NMS_V5, (*inputs, sigma), {"pad_to_max_output_size": False})
    return indices, kept


def _draw_kernel(images, boxes, colors):
    name = "DrawBoundingBoxesV2"
    if images.ndim != 4:
        dims = ",".join(str(d) for d in images.shape)
        raise _error(name, f"The rank of the images should be 4[{dims}]")
    batch, height, width, depth = images.shape
    if batch < 1:
        raise _error(name, "Number of batches should be >= 1")
    if depth not in (1, 3, 4):
        raise _error(name, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    if boxes.ndim != 3:
        raise _error(name, "The rank of the boxes tensor should be 3")
    if boxes.shape[0] != batch:
        raise _error(name, "The batch sizes should be the same")
    if boxes.shape[2] != 4:
        raise _error(
            name,
            f"The size of the third dimension of the box must be 4. Received: {boxes.shape[2]}",
        )
    palette = _PALETTE
    if colors.size:
        if colors.ndim != 2:
            raise _error(
                name, f"colors must be a 2-D matrix[{','.join(str(d) for d in colors.shape)}]"
            )
        if colors.shape[1] < depth:
            raise _error(
                name,
                f"Channel depth is greater than number of color channels [{depth}, "
                f"{colors.shape[1]}]",
            )
        palette = colors.astype(np.float32)
    out = images.copy()
    for b in range(batch):
        for k, box in enumerate(boxes[b].astype(np.float32)):
            color = palette[k % len(palette), :depth].astype(out.dtype)
            # static_cast<int64>: truncation toward zero.
            top, bottom = (int(v) for v in np.trunc(box[[0, 2]] * np.float32(height - 1)))
            left, right = (int(v) for v in np.trunc(box[[1, 3]] * np.float32(width - 1)))
            if top > bottom or left > right:
                continue
            if top >= height or bottom < 0 or left >= width or right < 0:
                continue
            rows = slice(max(top, 0), min(bottom, height - 1) + 1)
            cols = slice(max(left, 0), min(right, width - 1) + 1)
            if top >= 0:
                out[b, top, cols] = color
            if bottom < height:
                out[b, bottom, cols] = color
            if left >= 0:
                out[b, rows, left] = color
            if right < width:
                out[b, rows, right] = color
    return out


def _draw_infer(images: Spec, boxes: Spec, colors: Spec) -> Spec:
    return Spec(images.dtype, images.shape)


_DRAW = register(
    "DrawBoundingBoxesV2",
    kernel=_draw_kernel,
    grad=None,
    infer=_draw_infer,
    allowed=_FLOATS,
)


def draw_bounding_boxes(images, boxes, colors, name=None) -> Tensor:
    """Draws each box's outline (one pixel wide) onto float images.

    Args:
        images: ``[batch, height, width, depth]`` float32/float16, depth 1, 3 or 4.
        boxes: ``[batch, num_boxes, 4]`` normalised ``(y_min, x_min, y_max, x_max)``.
        colors: ``[num_colors, >= depth]`` float, cycled over the boxes; None (or an
            empty table) uses TF's ten-colour palette.

    Returns:
        The images with the outlines drawn, same dtype and shape.

    Raises:
        InvalidArgumentError: bad ranks, batch or depth mismatches, too few colour channels.

    >>> import numpy as np
    >>> from tensorflux.ops.image_box_ops import draw_bounding_boxes
    >>> out = draw_bounding_boxes(np.zeros((1, 3, 3, 1), np.float32),
    ...                           [[[0.0, 0.0, 1.0, 1.0]]], [[1.0]])
    >>> out.numpy()[0, :, :, 0]
    array([[1., 1., 1.],
           [1., 0., 1.],
           [1., 1., 1.]], dtype=float32)
    """
    x = images if isinstance(images, Tensor) else to_tensor(images)
    b = boxes if isinstance(boxes, Tensor) else to_tensor(np.asarray(boxes, np.float32))
    if colors is None:
        colors = np.zeros((0, 4), np.float32)
    c = colors if isinstance(colors, Tensor) else to_tensor(np.asarray(colors, np.float32))
    return execute(_DRAW, (x, b, c), {})
