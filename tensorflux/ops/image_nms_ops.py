"""More box suppression of ``tf.image``: NonMaxSuppressionWithOverlaps
(``non_max_suppression_overlaps``) and CombinedNonMaxSuppression
(``combined_non_max_suppression``, per class and per batch item, then the best overall).

Both are TF's greedy walks. CombinedNonMaxSuppression visits a class's candidates in
the order of TF's ``std::priority_queue`` (a binary heap ordered by score alone), which
is replayed here push for push, so candidates of equal score come out in TF's order.
The final ranking over the classes is a stable sort by score, which is libstdc++'s
order whenever a batch item has at most 16 candidate slots (``size_per_class *
num_classes``); beyond that equal scores of different classes may be listed in another
order. Not differentiable, as in TF.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.image_box_ops import _error, _iou

__all__ = ["combined_non_max_suppression", "non_max_suppression_overlaps"]

_F32 = np.float32


def _shape_text(array: np.ndarray) -> str:
    return "[" + ",".join(str(d) for d in array.shape) + "]"


def _check_scalar(op_name: str, what: str, value: np.ndarray) -> None:
    if np.ndim(value) != 0:
        raise _error(op_name, f"{what} must be 0-D, got shape {_shape_text(np.asarray(value))}")


# -- NonMaxSuppressionWithOverlaps ---------------------------------------------------------


def _nms_overlaps_kernel(overlaps, scores, max_output_size, overlap_threshold, score_threshold):
    name = "NonMaxSuppressionWithOverlaps"
    _check_scalar(name, "max_output_size", max_output_size)
    _check_scalar(name, "overlap_threshold", overlap_threshold)
    _check_scalar(name, "score_threshold", score_threshold)
    if overlaps.ndim != 2:
        raise _error(name, f"overlaps must be 2-D{_shape_text(overlaps)}")
    if overlaps.shape[0] != overlaps.shape[1]:
        raise _error(name, f"overlaps must be square{_shape_text(overlaps)}")
    count = overlaps.shape[0]
    if scores.ndim != 1:
        raise _error(
            name,
            f"scores must be 1-D{_shape_text(scores)} (Shape must be rank 1 but is rank "
            f"{scores.ndim})",
        )
    if scores.shape[0] != count:
        raise _error(
            name,
            "scores has incompatible shape (Dimensions must be equal, but are "
            f"{scores.shape[0]} and {count})",
        )
    size = int(max_output_size)
    if size < 0:
        raise _error(name, "output size must be non-negative")
    threshold, floor = _F32(overlap_threshold), _F32(score_threshold)
    scores = scores.astype(_F32)
    # Hard suppression never changes a score: candidates leave the queue by score, ties
    # by the lower index.
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] > floor]
    selected: list = []
    for index in order:
        if len(selected) >= size:
            break
        if not selected or not (overlaps[index, selected[::-1]] > threshold).any():
            selected.append(int(index))
    return np.asarray(selected, np.int32)


def _nms_overlaps_infer(overlaps: Spec, *rest) -> Spec:
    return Spec(dtypes.int32, TensorShape([None]))


_NMS_OVERLAPS = register(
    "NonMaxSuppressionWithOverlaps",
    kernel=_nms_overlaps_kernel,
    grad=None,
    infer=_nms_overlaps_infer,
    allowed=frozenset({dtypes.float32}),
    dynamic_shape=True,
)


# -- CombinedNonMaxSuppression ----------------------------------------------------------


class _ScoreHeap:
    """libstdc++'s ``std::priority_queue`` of (score, index) ordered by score only:
    push_heap and pop_heap move the same slots, so equal scores pop in TF's order."""

    def __init__(self):
        self.items: list = []

    def push(self, item) -> None:
        heap = self.items
        heap.append(item)
        self._sift_up(len(heap) - 1, 0, item)

    def _sift_up(self, hole: int, top: int, item) -> None:
        heap = self.items
        parent = (hole - 1) // 2
        while hole > top and heap[parent][0] < item[0]:
            heap[hole] = heap[parent]
            hole = parent
            parent = (hole - 1) // 2
        heap[hole] = item

    def pop(self):
        heap = self.items
        top, last = heap[0], heap.pop()
        length = len(heap)
        if length:
            hole = child = 0
            while child < (length - 1) // 2:
                child = 2 * (child + 1)
                if heap[child][0] < heap[child - 1][0]:
                    child -= 1
                heap[hole] = heap[child]
                hole = child
            if length % 2 == 0 and child == (length - 2) // 2:
                child = 2 * (child + 1)
                heap[hole] = heap[child - 1]
                hole = child - 1
            self._sift_up(hole, 0, last)
        return top

    def __len__(self) -> int:
        return len(self.items)


def _nms_one_class(boxes, scores, size_per_class, iou_threshold, score_threshold) -> list:
    """TF's selection for one class: ``[(score, box index)]`` best first."""
    heap = _ScoreHeap()
    for index, score in enumerate(scores):
        if score > score_threshold:
            heap.push((score, index))
    selected: list = []
    while len(selected) < size_per_class and len(heap):
        score, index = heap.pop()
        if selected:
            others = [i for _, i in selected[::-1]]
            if (_iou(boxes, index, others) > iou_threshold).any():
                continue
        selected.append((score, index))
    return selected


def _combined_nms_kernel(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold,
    score_threshold,
    pad_per_class,
    clip_boxes,
):
    name = "CombinedNonMaxSuppression"
    if boxes.ndim != 4:
        raise _error(
            name, f"boxes must be 4-D [batch, num_boxes, q, 4], got shape {_shape_text(boxes)}"
        )
    if scores.ndim != 3:
        raise _error(
            name,
            f"scores must be 3-D [batch, num_boxes, num_classes], got shape {_shape_text(scores)}",
        )
    batch, count, q, _ = boxes.shape
    classes = scores.shape[2]
    if q not in (1, classes):
        raise _error(name, "third dimension of boxes must be either 1 or num classes")
    if boxes.shape[3] != 4:
        raise _error(name, "boxes must have 4 columns")
    if scores.shape[1] != count:
        raise _error(name, "scores has incompatible shape")
    if scores.shape[0] != batch:
        raise _error(name, "boxes and scores must have same batch size")
    _check_scalar(name, "max_size_per_class", max_output_size_per_class)
    per_class = int(max_output_size_per_class)
    if per_class <= 0:
        raise _error(name, "max_size_per_class must be positive")
    _check_scalar(name, "max_total_size", max_total_size)
    total = int(max_total_size)
    if total <= 0:
        raise _error(name, "max_total_size must be > 0")
    _check_scalar(name, "iou_threshold", iou_threshold)
    _check_scalar(name, "score_threshold", score_threshold)
    threshold, floor = _F32(iou_threshold), _F32(score_threshold)
    if not 0 <= threshold <= 1:
        raise _error(name, "iou_threshold must be in [0, 1]")
    size_per_class = min(per_class, count)
    out_size = min(total, per_class * classes) if pad_per_class else total
    boxes, scores = boxes.astype(_F32), scores.astype(_F32)
    out_boxes = np.zeros((batch, out_size, 4), _F32)
    out_scores = np.zeros((batch, out_size), _F32)
    out_classes = np.zeros((batch, out_size), _F32)
    valid = np.zeros(batch, np.int32)
    for b in range(batch):
        found = []  # (score, class, box row), class by class, best first within a class
        for c in range(classes):
            class_boxes = boxes[b, :, c if q > 1 else 0]
            for score, index in _nms_one_class(
                class_boxes, scores[b, :, c], size_per_class, threshold, floor
            ):
                found.append((score, c, class_boxes[index]))
        found.sort(key=lambda item: -item[0])
        keep = min(len(found), out_size)
        valid[b] = keep
        for k, (score, c, box) in enumerate(found[:keep]):
            out_boxes[b, k] = np.clip(box, _F32(0), _F32(1)) if clip_boxes else box
            out_scores[b, k], out_classes[b, k] = score, c
    return out_boxes, out_scores, out_classes, valid


def _combined_nms_infer(
    boxes: Spec,
    scores: Spec,
    max_output_size_per_class: Spec,
    max_total_size: Spec,
    iou_threshold: Spec,
    score_threshold: Spec,
    pad_per_class,
    clip_boxes,
) -> tuple:
    batch = boxes.shape[0] if boxes.shape.rank else None
    size = max_total_size.value
    size = int(size) if size is not None and np.ndim(size) == 0 else None
    if pad_per_class and size is not None:
        per_class, classes = max_output_size_per_class.value, None
        if scores.shape.rank:
            classes = scores.shape[2]
        if per_class is None or classes is None:
            size = None
        else:
            size = min(size, int(per_class) * classes)
    return (
        Spec(dtypes.float32, TensorShape([batch, size, 4])),
        Spec(dtypes.float32, TensorShape([batch, size])),
        Spec(dtypes.float32, TensorShape([batch, size])),
        Spec(dtypes.int32, TensorShape([batch])),
    )


_COMBINED_NMS = register(
    "CombinedNonMaxSuppression",
    kernel=_combined_nms_kernel,
    grad=None,
    infer=_combined_nms_infer,
    num_outputs=4,
    allowed=frozenset({dtypes.float32}),
    dynamic_shape=True,
)


# -- public functions ------------------------------------------------------------------


def _floats(value) -> Tensor:
    return value if isinstance(value, Tensor) else to_tensor(np.asarray(value, np.float32))


def non_max_suppression_overlaps(
    overlaps,
    scores,
    max_output_size,
    overlap_threshold=0.5,
    score_threshold=float("-inf"),
    name=None,
) -> Tensor:
    """Greedy selection by descending score from a precomputed ``[n, n]`` overlap
    matrix: a candidate whose overlap with an already selected box is above
    ``overlap_threshold`` is dropped (``NonMaxSuppressionWithOverlaps``).

    Args:
        overlaps: float32 ``[num_boxes, num_boxes]``; ``overlaps[i, j]`` is read with
            ``i`` the candidate and ``j`` a selected box.
        scores: float32 ``[num_boxes]``.
        max_output_size: the most boxes to select.
        overlap_threshold: the overlap above which a box is suppressed.
        score_threshold: boxes scoring at or below it are never selected.

    Returns:
        int32 ``[selected]``: indices, best first (ties: the lower index).

    Raises:
        InvalidArgumentError: overlaps not square, scores of another length, a negative
            ``max_output_size``.

    >>> from tensorflux.ops.image_nms_ops import non_max_suppression_overlaps
    >>> overlaps = [[1.0, 0.7, 0.0], [0.7, 1.0, 0.2], [0.0, 0.2, 1.0]]
    >>> non_max_suppression_overlaps(overlaps, [0.9, 0.8, 0.7], 3).numpy()
    array([0, 2], dtype=int32)
    """
    inputs = (
        _floats(overlaps),
        _floats(scores),
        to_tensor(max_output_size, dtypes.int32),
        to_tensor(overlap_threshold, dtypes.float32),
        to_tensor(score_threshold, dtypes.float32),
    )
    return execute(_NMS_OVERLAPS, inputs, {})


def combined_non_max_suppression(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_per_class=False,
    clip_boxes=True,
    name=None,
) -> tuple:
    """Non-max suppression per class and batch item, then the ``max_total_size`` best
    selections of each item over all classes (``CombinedNonMaxSuppression``).

    Args:
        boxes: float32 ``[batch, num_boxes, q, 4]``, ``q`` 1 (shared by the classes) or
            ``num_classes``.
        scores: float32 ``[batch, num_boxes, num_classes]``.
        max_output_size_per_class: the most boxes each class keeps.
        max_total_size: the most boxes each batch item keeps.
        iou_threshold: in [0, 1].
        score_threshold: boxes scoring at or below it are never selected.
        pad_per_class: pad to ``min(max_total_size, max_output_size_per_class *
            num_classes)`` instead of ``max_total_size``.
        clip_boxes: clip the returned coordinates to [0, 1].

    Returns:
        ``(nmsed_boxes [batch, size, 4], nmsed_scores [batch, size], nmsed_classes
        [batch, size] (float32), valid_detections [batch] (int32))``, zero-padded.

    Raises:
        InvalidArgumentError: bad ranks or sizes, non-positive sizes, an IoU threshold
            outside [0, 1].

    >>> from tensorflux.ops.image_nms_ops import combined_non_max_suppression
    >>> boxes = [[[[0, 0, 1, 1]], [[0, 0, 0.9, 1]], [[0, 2, 1, 3]]]]
    >>> scores = [[[0.9, 0.1], [0.8, 0.7], [0.2, 0.6]]]
    >>> out = combined_non_max_suppression(boxes, scores, 2, 3)
    >>> out[1].numpy()
    array([[0.9, 0.7, 0.6]], dtype=float32)
    >>> out[2].numpy(), out[3].numpy()
    (array([[0., 1., 1.]], dtype=float32), array([3], dtype=int32))
    """
    inputs = (
        _floats(boxes),
        _floats(scores),
        to_tensor(max_output_size_per_class, dtypes.int32),
        to_tensor(max_total_size, dtypes.int32),
        to_tensor(iou_threshold, dtypes.float32),
        to_tensor(score_threshold, dtypes.float32),
    )
    attrs = {"pad_per_class": bool(pad_per_class), "clip_boxes": bool(clip_boxes)}
    return tuple(execute(_COMBINED_NMS, inputs, attrs))
