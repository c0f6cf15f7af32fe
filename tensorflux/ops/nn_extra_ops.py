"""Smaller ``tf.nn`` functions, all compositions of existing ops: ``crelu``, the weighted
and Poisson losses, the moment helpers (``sufficient_statistics``,
``normalize_moments``, ``weighted_moments``), ``space_to_depth`` / ``depth_to_space``,
local response normalization and the distribution-aware loss scalers."""

from __future__ import annotations

import math

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import math_ops
from tensorflux.ops.common import to_tensor
from tensorflux.ops.joining_ops import concat, pad
from tensorflux.ops.nn_ops import relu
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import expand_dims, reshape, squeeze, transpose
from tensorflux.ops.unary_math_ops import exp, log, log1p

__all__: list = []


def crelu(features, axis=-1, name=None) -> Tensor:
    """``concat([relu(x), relu(-x)], axis)``: both signs kept, the axis doubled.

    >>> import tensorflux as tf
    >>> tf.nn.crelu([1.0, -2.0]).numpy()
    array([1., 0., 0., 2.], dtype=float32)
    """
    x = to_tensor(features)
    return concat([relu(x), relu(math_ops.negative(x))], axis)


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None) -> Tensor:
    """Sigmoid cross entropy with the positive term weighted by ``pos_weight``:
    ``(1 - z) x + (1 + (q - 1) z) * (log1p(exp(-|x|)) + relu(-x))`` (stable form).

    Raises:
        ValueError: ``labels`` and ``logits`` of different shapes.

    >>> import tensorflux as tf
    >>> round(float(tf.nn.weighted_cross_entropy_with_logits(1.0, 0.0, 2.0)), 4)
    1.3863
    """
    logits = to_tensor(logits)
    labels = to_tensor(labels, dtype=logits.dtype)
    if not labels.shape.is_compatible_with(logits.shape):
        raise ValueError(
            f"logits and labels must have the same shape, received ({logits.shape} vs "
            f"{labels.shape})."
        )
    one = math_ops._const(1, logits)
    q = to_tensor(pos_weight, dtype=logits.dtype)
    log_weight = math_ops.add(one, math_ops.multiply(math_ops.subtract(q, one), labels))
    softplus_neg = math_ops.add(
        log1p(exp(math_ops.negative(math_ops.abs(logits)))), relu(math_ops.negative(logits))
    )
    return math_ops.add(
        math_ops.multiply(math_ops.subtract(one, labels), logits),
        math_ops.multiply(log_weight, softplus_neg),
    )


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None) -> Tensor:
    """Poisson negative log likelihood ``exp(c) - z c`` for ``c = log_input``; with
    ``compute_full_loss`` plus Stirling's ``z log z - z + 0.5 log(2 pi z)`` where z > 1.

    Raises:
        ValueError: ``targets`` and ``log_input`` of different shapes.

    >>> import tensorflux as tf
    >>> float(tf.nn.log_poisson_loss(2.0, 0.0))
    1.0
    """
    from tensorflux.ops.creation_ops import zeros_like
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import less_equal

    log_input = to_tensor(log_input)
    targets = to_tensor(targets, dtype=log_input.dtype)
    if not targets.shape.is_compatible_with(log_input.shape):
        raise ValueError(
            f"log_input and targets must have the same shape ({log_input.shape} vs {targets.shape})"
        )
    result = math_ops.subtract(exp(log_input), math_ops.multiply(log_input, targets))
    if not compute_full_loss:
        return result
    half = math_ops._const(0.5, targets)
    stirling = math_ops.add(
        math_ops.subtract(math_ops.multiply(targets, log(targets)), targets),
        math_ops.multiply(
            half, log(math_ops.multiply(math_ops._const(2 * math.pi, targets), targets))
        ),
    )
    one = math_ops._const(1, targets)
    stirling = where(less_equal(targets, one), zeros_like(targets), stirling)
    return math_ops.add(result, stirling)


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """The count, (shifted) sum and (shifted) sum of squares of ``x`` over ``axes``.

    Returns:
        ``(count, mean_ss, variance_ss, shift)``: count as a scalar of ``x``'s dtype.

    >>> import tensorflux as tf
    >>> [float(t) for t in tf.nn.sufficient_statistics([1.0, 2.0, 3.0], [0])[:3]]
    [3.0, 6.0, 14.0]
    """
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.reduction_ops import reduce_prod
    from tensorflux.ops.shape_ops import shape

    x = to_tensor(x)
    axes = [a + x.shape.rank if a < 0 else a for a in axes]
    dims = [x.shape[a] for a in axes]
    if all(d is not None for d in dims):
        counts = to_tensor(math.prod(dims), dtype=x.dtype)
    else:
        counts = math_ops.cast(reduce_prod(gather(shape(x), axes)), x.dtype)
    if shift is not None:
        shift = to_tensor(shift, dtype=x.dtype)
        m_ss = math_ops.subtract(x, shift)
        v_ss = math_ops.squared_difference(x, shift)
    else:
        m_ss, v_ss = x, math_ops.square(x)
    m_ss = reduce_sum(m_ss, axes, keepdims=keepdims)
    v_ss = reduce_sum(v_ss, axes, keepdims=keepdims)
    return counts, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """Mean and variance from ``sufficient_statistics``' sums.

    >>> import tensorflux as tf
    >>> [float(t) for t in tf.nn.normalize_moments(3.0, 6.0, 14.0, None)]
    [2.0, 0.6666669845581055]
    """
    mean_ss = to_tensor(mean_ss)
    divisor = math_ops.reciprocal(to_tensor(counts, dtype=mean_ss.dtype))
    variance_ss = to_tensor(variance_ss, dtype=mean_ss.dtype)
    shifted_mean = math_ops.multiply(mean_ss, divisor)
    mean = (
        shifted_mean
        if shift is None
        else math_ops.add(shifted_mean, to_tensor(shift, dtype=mean_ss.dtype))
    )
    variance = math_ops.subtract(
        math_ops.multiply(variance_ss, divisor), math_ops.square(shifted_mean)
    )
    return mean, variance


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """Mean and variance of ``x`` over ``axes`` with each element counted
    ``frequency_weights`` times (float16 is computed in float32, as in TF).

    >>> import tensorflux as tf
    >>> [float(t) for t in tf.nn.weighted_moments([1.0, 3.0], [0], [3.0, 1.0])]
    [1.5, 0.75]
    """
    from tensorflux.ops.creation_ops import zeros_like

    x = to_tensor(x)
    weights = to_tensor(frequency_weights, dtype=x.dtype)
    wide = x.dtype == dtypes.float16
    if wide:
        x, weights = math_ops.cast(x, dtypes.float32), math_ops.cast(weights, dtypes.float32)
    weighted_sum = reduce_sum(math_ops.multiply(weights, x), axes, keepdims=True)
    total = reduce_sum(math_ops.add(weights, zeros_like(x)), axes, keepdims=True)
    divisor = math_ops.reciprocal(total)
    mean = math_ops.multiply(weighted_sum, divisor)
    distsq = reduce_sum(
        math_ops.multiply(weights, math_ops.squared_difference(x, mean)), axes, keepdims=True
    )
    variance = math_ops.multiply(distsq, divisor)
    if not keepdims:
        mean, variance = squeeze(mean, axes), squeeze(variance, axes)
    if wide:
        mean, variance = (
            math_ops.cast(mean, dtypes.float16),
            math_ops.cast(variance, dtypes.float16),
        )
    return mean, variance


def _block_checks(x: Tensor, block_size, data_format: str, op_name: str) -> int:
    if data_format != "NHWC":
        raise InvalidArgumentError(
            None,
            op_name,
            f"Only NHWC data_format supported on CPU. Got {data_format} [Op:{op_name}]",
        )
    if x.shape.rank != 4:
        raise InvalidArgumentError(
            None,
            op_name,
            f"input rank should be 4 instead of {x.shape.rank} [Op:{op_name}]",
        )
    block_size = int(block_size)
    if block_size < 2:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'block_size' of {block_size} must be at least minimum 2 "
            f"[Op:{op_name}]",
        )
    return block_size


def space_to_depth(input, block_size, data_format="NHWC", name=None) -> Tensor:  # noqa: A002
    """Moves ``block_size x block_size`` spatial blocks into the depth axis:
    ``[N, H, W, C] -> [N, H/b, W/b, b*b*C]`` (block row, block column, channel order).

    Raises:
        InvalidArgumentError: a non-4-D input, ``block_size < 2``, H or W not divisible
            by ``block_size``, or a data_format other than NHWC (as TF on CPU).

    >>> import tensorflux as tf
    >>> tf.nn.space_to_depth(tf.reshape(tf.range(4), [1, 2, 2, 1]), 2).numpy().ravel()
    array([0, 1, 2, 3], dtype=int32)
    """
    x = to_tensor(input)
    b = _block_checks(x, block_size, data_format, "SpaceToDepth")
    n, h, w, c = x.shape.as_list()
    for size, what in ((h, "height"), (w, "width")):
        if size is not None and size % b:
            raise InvalidArgumentError(
                None,
                "SpaceToDepth",
                f"Image {what} {size} and block_size {b} should be divisible [Op:SpaceToDepth]",
            )
    blocks = reshape(x, [-1 if n is None else n, h // b, b, w // b, b, c])
    return reshape(
        transpose(blocks, [0, 1, 3, 2, 4, 5]), [-1 if n is None else n, h // b, w // b, b * b * c]
    )


def depth_to_space(input, block_size, data_format="NHWC", name=None) -> Tensor:  # noqa: A002
    """The inverse of ``space_to_depth``: ``[N, H, W, b*b*C] -> [N, H*b, W*b, C]``.

    Raises:
        InvalidArgumentError: a non-4-D input, ``block_size < 2``, a depth not divisible
            by ``block_size**2``, or a data_format other than NHWC (as TF on CPU).

    >>> import tensorflux as tf
    >>> tf.nn.depth_to_space(tf.reshape(tf.range(4), [1, 1, 1, 4]), 2).shape
    TensorShape([1, 2, 2, 1])
    """
    x = to_tensor(input)
    b = _block_checks(x, block_size, data_format, "DepthToSpace")
    n, h, w, c = x.shape.as_list()
    if c is not None and c % (b * b):
        raise InvalidArgumentError(
            None,
            "DepthToSpace",
            f"Input depth dimension {c} should be divisible by: {b * b} [Op:DepthToSpace]",
        )
    n = -1 if n is None else n
    blocks = reshape(x, [n, h, w, b, b, c // (b * b)])
    return reshape(transpose(blocks, [0, 1, 3, 2, 4, 5]), [n, h * b, w * b, c // (b * b)])


def local_response_normalization(
    input,  # noqa: A002
    depth_radius=5,
    bias=1.0,
    alpha=1.0,
    beta=0.5,
    name=None,
) -> Tensor:
    """``x / (bias + alpha * sum(x[..., d-r:d+r+1]**2)) ** beta`` over the last axis.

    Raises:
        InvalidArgumentError: an input that is not 4-D or not float16/bfloat16/float32
            (TF's LRN kernel has no float64).

    >>> import tensorflux as tf
    >>> tf.nn.local_response_normalization(tf.ones([1, 1, 1, 2]), 1, 0.0, 1.0, 0.5).numpy()
    array([[[[0.70710677, 0.70710677]]]], dtype=float32)
    """
    x = to_tensor(input)
    if x._dtype not in (dtypes.float16, dtypes.bfloat16, dtypes.float32):
        raise InvalidArgumentError(
            None,
            "LRN",
            f"Value for attr 'T' of {x._dtype.name} is not in the list of allowed values: "
            "half, bfloat16, float [Op:LRN]",
        )
    if x.shape.rank != 4:
        raise InvalidArgumentError(
            None, "LRN", f"input must be 4-dimensional, got shape {x.shape} [Op:LRN]"
        )
    r = int(depth_radius)
    depth = x.shape[3]
    squared = pad(math_ops.square(x), [[0, 0], [0, 0], [0, 0], [r, r]])
    window = math_ops.add_n([squared[:, :, :, k : k + depth] for k in range(2 * r + 1)])
    scale = math_ops.add(
        math_ops._const(bias, x), math_ops.multiply(math_ops._const(alpha, x), window)
    )
    return math_ops.multiply(x, math_ops.pow(scale, math_ops._const(-beta, x)))


lrn = local_response_normalization


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """``sum(per_example_loss * sample_weight) / global_batch_size`` (the batch size
    defaults to the loss's first dimension times the replicas in sync of the current
    ``tf.distribute`` strategy).

    Raises:
        ValueError: a scalar ``per_example_loss``.
        TypeError: a non-integer ``global_batch_size``.
        InvalidArgumentError: a negative or non-scalar ``global_batch_size``.

    >>> import tensorflux as tf
    >>> float(tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=6))
    1.0
    """
    from tensorflux.ops.shape_ops import shape

    loss = to_tensor(per_example_loss)
    if loss.shape.rank == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least "
            f"rank 1. Received: {loss}"
        )
    if sample_weight is not None:
        weight = to_tensor(sample_weight, dtype=loss.dtype)
        # TF's squeeze_or_expand_dimensions: a rank one above the loss's loses its last
        # axis, one below gains one ([2] weights on [1, 2] losses broadcast to [2, 2]).
        if weight.shape.rank - loss.shape.rank == 1:
            weight = squeeze(weight, [-1])
        elif weight.shape.rank and loss.shape.rank - weight.shape.rank == 1:
            weight = expand_dims(weight, -1)
        loss = math_ops.multiply(loss, weight)
    if global_batch_size is None:
        batch = math_ops.multiply(shape(loss)[0], _replicas_in_sync())
    else:
        batch = to_tensor(global_batch_size)
        if not batch.dtype.is_integer:
            raise TypeError(
                'global_batch_size must be an integer. Expected "x" to be integer type. '
                f"Found: tensor of dtype {batch.dtype!r}"
            )
        if batch.shape.rank != 0:
            raise InvalidArgumentError(
                None,
                "compute_average_loss",
                f"global_batch_size must be a scalar, got shape {batch.shape}.",
            )
        if int(batch.numpy()) < 0:
            raise InvalidArgumentError(
                None,
                "compute_average_loss",
                f"global_batch_size must be non-negative, got {int(batch.numpy())}.",
            )
    # A batch size of 0 gives 0, as TF divides with div_no_nan.
    return math_ops.divide_no_nan(reduce_sum(loss), math_ops.cast(batch, loss.dtype))


def scale_regularization_loss(regularization_loss):
    """The regularization loss summed (a list is added first) and divided by the number
    of replicas in sync of the current ``tf.distribute`` strategy.

    >>> import tensorflux as tf
    >>> float(tf.nn.scale_regularization_loss([1.0, 2.0]))
    3.0
    """
    if isinstance(regularization_loss, (list, tuple)):
        regularization_loss = math_ops.add_n(regularization_loss)
    return math_ops.truediv(reduce_sum(regularization_loss), _replicas_in_sync())


def _replicas_in_sync() -> int:
    """The replicas in sync of the current strategy (1 when tf.distribute was never
    imported, without importing it)."""
    import sys

    distribute_lib = sys.modules.get("tensorflux.distribute.distribute_lib")
    if distribute_lib is None:
        return 1
    return distribute_lib.get_strategy().num_replicas_in_sync


def zero_fraction(value, name=None) -> Tensor:
    """The fraction of zeros in ``value``, as float32 (``tf.nn.zero_fraction``).

    >>> import tensorflux as tf
    >>> float(tf.nn.zero_fraction([0.0, 2.0]))
    0.5
    """
    from tensorflux.ops.math_extra_ops import zero_fraction as fraction

    return fraction(value)
