"""``tf.nn`` functions that dispatch to or wrap other ops: ``conv_transpose`` (the N-D
transposed convolution), ``with_space_to_batch`` (an op run on a space-to-batch view, as
TF builds atrous ops) and ``batch_norm_with_global_normalization`` (the old argument
order of ``batch_normalization``). Gradients come from the ops they compose.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["batch_norm_with_global_normalization", "conv_transpose", "with_space_to_batch"]


def batch_norm_with_global_normalization(input, mean, variance, beta, gamma, variance_epsilon,  # noqa: A002
                                         scale_after_normalization, name=None):  # fmt: skip
    """``(input - mean) / sqrt(variance + variance_epsilon) * gamma + beta``, with
    ``gamma`` used only when ``scale_after_normalization``
    (``tf.nn.batch_norm_with_global_normalization``).

    Args:
        input: the tensor to normalise.
        mean, variance, beta, gamma: 1-D tensors over the last dimension.
        variance_epsilon: a small float added to the variance.
        scale_after_normalization: whether to multiply by ``gamma``.

    Returns:
        The normalised tensor, ``input``'s shape and dtype.

    >>> import tensorflux as tf
    >>> tf.nn.batch_norm_with_global_normalization(
    ...     tf.constant([[1.0, 3.0]]), [1.0, 1.0], [4.0, 4.0], [0.0, 1.0], [2.0, 2.0], 0.0,
    ...     True).numpy().tolist()
    [[0.0, 3.0]]
    """
    from tensorflux.ops.nn_ops import batch_normalization

    scale = gamma if scale_after_normalization else None
    return batch_normalization(input, mean, variance, beta, scale, variance_epsilon)


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None,  # noqa: A002
                   dilations=None, name=None):  # fmt: skip
    """The transposed convolution of 1, 2 or 3 spatial dimensions, chosen by the length
    of ``output_shape`` (``tf.nn.conv_transpose``).

    Args:
        input: ``[batch, *spatial, in_channels]`` (or channels first).
        filters: ``[*spatial, out_channels, in_channels]``.
        output_shape: the output's full shape (length 3, 4 or 5), a list or 1-D tensor.
        strides, padding, data_format, dilations: as in ``conv1d_transpose`` and the rest.

    Returns:
        The ``output_shape`` tensor.

    Raises:
        ValueError: ``output_shape`` not of length 3, 4 or 5, or not sized.

    >>> import tensorflux as tf
    >>> tf.nn.conv_transpose(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), [1, 4, 4, 1],
    ...                      2).shape
    TensorShape([1, 4, 4, 1])
    """
    from tensorflux.ops import convolution

    if isinstance(output_shape, Tensor):
        n = output_shape.shape.as_list()[0] - 2
    elif hasattr(output_shape, "__len__"):
        n = len(output_shape) - 2
    else:
        raise ValueError(
            "`output_shape` must be a tensor or sized collection. Received: "
            f"output_shape={output_shape}"
        )
    if not 1 <= n <= 3:
        raise ValueError(
            "`output_shape` must be of length 3, 4 or 5. Received: "
            f"output_shape={output_shape} of length {n + 2}."
        )
    op = (convolution.conv1d_transpose, convolution.conv2d_transpose,
          convolution.conv3d_transpose)[n - 1]  # fmt: skip
    return op(input, filters, output_shape, strides, padding=padding, data_format=data_format,
              dilations=dilations)  # fmt: skip


def _base_paddings(filter_shape, rates) -> np.ndarray:
    """SAME's padding of the dilated filter, per spatial dimension (half before)."""
    extra = (np.asarray(filter_shape, np.int64) - 1) * rates
    return np.stack([extra // 2, extra - extra // 2], axis=1)


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None,  # noqa: A002
                        spatial_dims=None, data_format=None):  # fmt: skip
    """Runs ``op(x, num_spatial_dims, padding)`` on the space-to-batch rearrangement of
    ``input`` by ``dilation_rate`` and rearranges the result back: a "VALID" op then acts
    with holes of ``dilation_rate`` (``tf.nn.with_space_to_batch``). With all rates 1 it is
    ``op(input, num_spatial_dims, padding)``.

    Args:
        input: ``[batch, *spatial, ...]`` (channels first with an "NC" ``data_format``).
        dilation_rate: one positive int per spatial dimension.
        padding: "VALID" or "SAME" (then ``filter_shape`` is required).
        op: a function ``(input, num_spatial_dims, padding) -> Tensor``.
        filter_shape: the spatial filter shape, for "SAME".
        spatial_dims: increasing positive input axes holding the spatial dimensions.
        data_format: None, or a format string; "NC..." puts channels before space.

    Returns:
        ``op``'s result on the dilated view.

    Raises:
        ValueError: a bad ``dilation_rate``, ``spatial_dims`` or ``padding``, "SAME"
            without ``filter_shape``, or an input of too small a rank.

    >>> import tensorflux as tf
    >>> pool = lambda x, n, padding: tf.nn.max_pool1d(x, 2, 1, padding)
    >>> tf.nn.with_space_to_batch(tf.reshape(tf.range(6.0), [1, 6, 1]), [2], "VALID",
    ...                           pool)[0, :, 0].numpy().tolist()
    [2.0, 3.0, 4.0, 5.0]
    """
    from tensorflux.ops.space_batch_ops import batch_to_space, space_to_batch_nd

    x = to_tensor(input)
    rates = np.asarray(to_tensor(dilation_rate).numpy(), np.int64)
    if rates.ndim != 1:
        raise ValueError(
            f"`dilation_rate.shape.rank` must be 1. Received: dilation_rate={rates} of rank "
            f"{rates.ndim}"
        )
    n = rates.size
    channels_first = data_format is not None and data_format.startswith("NC")
    first = 2 if channels_first else 1
    dims = list(range(first, first + n)) if spatial_dims is None else list(spatial_dims)
    if sorted({int(d) for d in dims}) != dims or any(d < 1 for d in dims):
        raise ValueError(
            "`spatial_dims` must be a monotonically increasing sequence of positive integers. "
            f"Received: spatial_dims={dims}"
        )
    want_rank = dims[-1] if channels_first else dims[-1] + 1
    if x.shape.rank is not None and x.shape.rank < want_rank:
        raise ValueError(
            f"`input.shape.rank` must be at least {want_rank}. Received: input.shape={x.shape} "
            f"with rank {x.shape.rank}"
        )
    if np.any(rates < 1):
        raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={rates}")
    if np.all(rates == 1):
        return op(x, n, padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError(
                "`filter_shape` must be specified for `padding='SAME'`. Received: "
                f"filter_shape={filter_shape} and padding={padding}"
            )
        base = _base_paddings(to_tensor(filter_shape).numpy(), rates)
    elif padding == "VALID":
        base = np.zeros([n, 2], np.int64)
    else:
        raise ValueError(f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}")
    sizes = np.asarray([x.shape.as_list()[d] for d in dims], np.int64)
    extra = (rates - (sizes + base.sum(axis=1)) % rates) % rates
    paddings = np.stack([base[:, 0], base[:, 1] + extra], axis=1)
    crops = np.stack([np.zeros(n, np.int64), extra], axis=1)
    # Axes 1..max(dims) take part: the spatial ones with their rates, the others with 1.
    block = np.ones(dims[-1], np.int64)
    full_pads = np.zeros([dims[-1], 2], np.int64)
    full_crops = np.zeros([dims[-1], 2], np.int64)
    for i, d in enumerate(dims):
        block[d - 1], full_pads[d - 1], full_crops[d - 1] = rates[i], paddings[i], crops[i]
    converted = space_to_batch_nd(x, block, full_pads)
    result = op(converted, n, "VALID")
    return batch_to_space(result, block, full_crops)
