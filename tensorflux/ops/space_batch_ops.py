"""``tf.space_to_batch`` / ``tf.space_to_batch_nd`` / ``tf.batch_to_space``: moving
spatial blocks into the batch axis and back, built from pad, reshape and transpose (so
gradients come from those ops). Shapes must be known when the function is called."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["batch_to_space", "space_to_batch", "space_to_batch_nd"]


def _block_and_pairs(x: Tensor, block_shape, pairs, op_name: str, what: str):
    block = np.asarray(to_tensor(block_shape).numpy(), np.int64).reshape(-1)
    m = block.size
    pairs = (
        np.asarray(to_tensor(pairs).numpy(), np.int64).reshape(-1, 2)
        if m
        else np.zeros((0, 2), np.int64)
    )
    if pairs.shape != (m, 2):
        raise InvalidArgumentError(
            None,
            op_name,
            f"{what} should have shape [{m}, 2] instead of {list(pairs.shape)} [Op:{op_name}]",
        )
    if x.shape.rank is None or x.shape.rank < m + 1:
        raise InvalidArgumentError(
            None,
            op_name,
            f"input rank should be >= {m + 1} instead of {x.shape.rank} [Op:{op_name}]",
        )
    if np.any(block < 1):
        raise InvalidArgumentError(
            None, op_name, f"All values in block_shape must be positive, got {block.tolist()}"
        )
    if np.any(pairs < 0):
        raise InvalidArgumentError(
            None, op_name, f"All values in {what} must be non-negative, got {pairs.tolist()}"
        )
    return block, pairs


def space_to_batch_nd(input, block_shape, paddings, name=None) -> Tensor:  # noqa: A002
    """Pads the ``M`` spatial axes after the batch axis, splits them into blocks of
    ``block_shape`` and moves the block offsets into the batch axis:
    ``[B, s1, ..., sM, rest] -> [B * prod(block), (s1 + pads) / b1, ..., rest]``.

    Raises:
        InvalidArgumentError: a padded size not divisible by its block size, negative
            paddings, non-positive block sizes, or an input of too small a rank.

    >>> import tensorflux as tf
    >>> tf.space_to_batch(tf.reshape(tf.range(4), [1, 2, 2, 1]), [2, 2], [[0, 0], [0, 0]]).shape
    TensorShape([4, 1, 1, 1])
    """
    from tensorflux.ops.joining_ops import pad
    from tensorflux.ops.shape_ops import reshape, transpose

    x = to_tensor(input)
    block, pads = _block_and_pairs(x, block_shape, paddings, "SpaceToBatchND", "paddings")
    m, dims = block.size, x.shape.as_list()
    padded = [dims[1 + i] + int(pads[i].sum()) for i in range(m)]
    for i, (size, b) in enumerate(zip(padded, block)):
        if size % b:
            raise InvalidArgumentError(
                None,
                "SpaceToBatchND",
                f"padded_shape[{i}]={size} is not divisible by block_shape[{i}]={b} "
                "[Op:SpaceToBatchND]",
            )
    rest = dims[1 + m :]
    full = [[0, 0]] + pads.tolist() + [[0, 0]] * len(rest)
    x = pad(x, full)
    split = [dims[0]]
    for size, b in zip(padded, block):
        split += [size // int(b), int(b)]
    x = reshape(x, split + rest)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    perm += list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    x = transpose(x, perm)
    out = [dims[0] * int(np.prod(block))] + [s // int(b) for s, b in zip(padded, block)]
    return reshape(x, out + rest)


def space_to_batch(input, block_shape, paddings, name=None) -> Tensor:  # noqa: A002
    """``space_to_batch_nd`` (TF 2's ``tf.space_to_batch`` and ``tf.nn.space_to_batch``).

    Raises:
        InvalidArgumentError: as ``space_to_batch_nd``.

    >>> import tensorflux as tf
    >>> tf.nn.space_to_batch(tf.ones([1, 4, 1]), [2], [[0, 0]]).shape
    TensorShape([2, 2, 1])
    """
    return space_to_batch_nd(input, block_shape, paddings)


def batch_to_space(input, block_shape, crops, name=None) -> Tensor:  # noqa: A002
    """The inverse of ``space_to_batch_nd``: moves batch blocks back into the spatial
    axes, then crops them: ``[B * prod(block), s1, ..., rest] -> [B, s1*b1 - crops, ...]``.

    Raises:
        InvalidArgumentError: a batch not divisible by ``prod(block_shape)``, crops larger
            than the space or negative, or an input of too small a rank.

    >>> import tensorflux as tf
    >>> tf.batch_to_space(tf.ones([4, 1, 1, 1]), [2, 2], [[0, 0], [0, 0]]).shape
    TensorShape([1, 2, 2, 1])
    """
    from tensorflux.ops.shape_ops import reshape, transpose
    from tensorflux.ops.strided_slice_ops import slice as slice_

    x = to_tensor(input)
    if isinstance(block_shape, int) and x.shape.rank is not None:
        block_shape = [block_shape] * (x.shape.rank - 2)
    block, crops = _block_and_pairs(x, block_shape, crops, "BatchToSpaceND", "crops")
    m, dims = block.size, x.shape.as_list()
    n_blocks = int(np.prod(block))
    if dims[0] % n_blocks:
        raise InvalidArgumentError(
            None,
            "BatchToSpaceND",
            f"Input batch dimension ({dims[0]}) is not divisible by product of block sizes "
            f"({n_blocks}) [Op:BatchToSpaceND]",
        )
    spatial, rest = dims[1 : 1 + m], dims[1 + m :]
    for i, (size, b) in enumerate(zip(spatial, block)):
        if crops[i].sum() > size * b:
            raise InvalidArgumentError(
                None,
                "BatchToSpaceND",
                f"Crops must be at most the spatial size: crops[{i}]={crops[i].tolist()} "
                f"for a size of {size * b} [Op:BatchToSpaceND]",
            )
    batch = dims[0] // n_blocks
    x = reshape(x, [int(b) for b in block] + [batch] + spatial + rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    x = reshape(transpose(x, perm), [batch] + [s * int(b) for s, b in zip(spatial, block)] + rest)
    begin = [0] + [int(c[0]) for c in crops] + [0] * len(rest)
    size = [batch] + [s * int(b) - int(c.sum()) for s, b, c in zip(spatial, block, crops)] + rest
    return slice_(x, begin, size)
