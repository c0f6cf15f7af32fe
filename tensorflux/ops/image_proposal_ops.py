"""``tf.image.generate_bounding_box_proposals`` (TF's GenerateBoundingBoxProposals).

TF 2.21 registers this op's kernel for GPUs only: on a CPU build (the behaviour
matched here) an eager call fails with TF's NotFoundError "Could not find device for
node", whatever the inputs. Traced, TF's shape function runs first (inputs of the wrong
rank raise its ValueError); the call then fails with the same NotFoundError while
tracing (TF's graph fails when it runs, with an InvalidArgumentError "No OpKernel was
registered to support Op 'GenerateBoundingBoxProposals'"). With no kernel to run, no op
is registered here.
"""

from __future__ import annotations

from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import NotFoundError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor

__all__ = ["generate_bounding_box_proposals"]

_OP_NAME = "GenerateBoundingBoxProposals"
# TF's shape function: (scores, bbox_deltas, image_info, anchors, nms_threshold,
# pre_nms_topn, min_size).
_RANKS = (4, 4, 2, 3, 0, 0, 0)


def _node(post_nms_topn: int) -> str:
    return f"{{{{node {_OP_NAME}}}}} = {_OP_NAME}[post_nms_topn={post_nms_topn}]"


def _shape_text(shape: TensorShape) -> str:
    if shape.rank is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _check_ranks(inputs, post_nms_topn: int) -> None:
    """TF's shape function's rank checks, with its ValueError."""
    for tensor, rank in zip(inputs, _RANKS):
        if tensor.shape.rank is not None and tensor.shape.rank != rank:
            shapes = ", ".join(_shape_text(t.shape) for t in inputs)
            raise ValueError(
                f"Shape must be rank {rank} but is rank {tensor.shape.rank} for "
                f"'{_node(post_nms_topn)}' with input shapes: {shapes}."
            )


def generate_bounding_box_proposals(
    scores,
    bbox_deltas,
    image_info,
    anchors,
    nms_threshold=0.7,
    pre_nms_topn=6000,
    min_size=16,
    post_nms_topn=300,
    name=None,
):
    """Region proposals from anchors, box deltas and objectness scores
    (``GenerateBoundingBoxProposals``), as TF 2.21 runs it on a CPU: TF has only a GPU
    kernel, so the call fails with TF's NotFoundError.

    Args:
        scores: float32 ``[batch, height, width, num_anchors]``.
        bbox_deltas: float32 ``[batch, height, width, 4 * num_anchors]``.
        image_info: float32 ``[batch, 5]``.
        anchors: float32 ``[batch, num_anchors * height * width, 4]``.
        nms_threshold: the NMS IoU threshold.
        pre_nms_topn: boxes kept before NMS.
        min_size: the smallest box side kept.
        post_nms_topn: boxes returned per image.

    Returns:
        Never returns on a CPU (TF's GPU kernel returns ``(rois [batch, post_nms_topn,
        4], roi_probabilities [batch, post_nms_topn])``).

    Raises:
        NotFoundError: always (no CPU kernel, as in TF).
        ValueError: inputs of the wrong rank, while tracing.

    >>> import tensorflux as tf
    >>> try:
    ...     tf.image.generate_bounding_box_proposals(
    ...         tf.ones([1, 2, 2, 1]), tf.zeros([1, 2, 2, 4]), [[4.0, 4.0, 1.0, 1.0, 1.0]],
    ...         tf.zeros([1, 4, 4]))
    ... except tf.errors.NotFoundError as e:
    ...     print(type(e).__name__)
    NotFoundError
    """
    inputs = (
        to_tensor(scores, dtypes.float32),
        to_tensor(bbox_deltas, dtypes.float32),
        to_tensor(image_info, dtypes.float32),
        to_tensor(anchors, dtypes.float32),
        to_tensor(nms_threshold, dtypes.float32),
        to_tensor(pre_nms_topn, dtypes.int32),
        to_tensor(min_size, dtypes.float32),
    )
    post_nms_topn = int(post_nms_topn)
    if context.state.graph is not None:
        _check_ranks(inputs, post_nms_topn)
    raise NotFoundError(
        None,
        _OP_NAME,
        f"Could not find device for node: {_node(post_nms_topn)}\nAll kernels registered "
        f"for op {_OP_NAME}:\n  device='GPU'\n [Op:{_OP_NAME}] name: ",
    )
