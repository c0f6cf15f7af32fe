"""``tf.nn`` pooling functions: max/avg pooling in 1-D, 2-D and 3-D, ``pool`` and
``max_pool_with_argmax``.

They normalise arguments as TF does (an int or a list of 1, N or N+2 window sizes and
strides) and run the pooling ops of ``pooling_ops``; 1-D pooling is 2-D pooling over a
height of 1, as in TF. Data in channels-first layouts reaches the ops, whose CPU
kernels refuse it with TF's message.
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.math_ops import add, maximum, truediv
from tensorflux.ops.pooling_ops import avg_pool_op, max_pool_op, max_pool_with_argmax_op
from tensorflux.ops.shape_ops import expand_dims, squeeze

__all__ = [
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool",
    "avg_pool",
    "pool",
    "max_pool_with_argmax",
]


def _sequence(value, n: int, channel_index: int, name: str) -> list:
    """An int or a list of 1, n or n + 2 entries -> the n + 2 entries of TF's attrs."""
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    if not isinstance(value, (list, tuple)):
        value = [value]
    value = [int(v) for v in value]
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError(
            f"{name} should be of length 1, {n} or {n + 2}. Received: "
            f"{name}={value} of length {len(value)}"
        )
    if channel_index == 1:
        return [1, 1] + value
    return [1] + value + [1]


def _channel_index(data_format) -> int:
    return 1 if data_format is not None and data_format.startswith("NC") else -1


def _explicit_paddings(padding, n: int):
    """TF's list-of-pairs ``padding`` -> ("EXPLICIT", flat pads for n + 2 dimensions); a
    string passes through. Pads on the batch or channel dimension are refused by the op."""
    if isinstance(padding, str):
        return padding, ()
    pairs = list(padding)
    if len(pairs) != n + 2:
        raise ValueError(
            f"When padding is a list, it must be of size {n + 2}. Received: "
            f"padding={padding} of size {len(pairs)}"
        )
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(
                f"When `padding` is a list, each element of `padding` must be a "
                f"list/tuple of size 2. Received: padding={padding} with element "
                f"at index {i} of size {len(pair)}"
            )
    return "EXPLICIT", [int(v) for pair in pairs for v in pair]


def _one_d(fn, x, ksize, strides, padding, data_format):
    """1-D pooling as 2-D pooling over a height of 1, TF's way."""
    # As TF, any format but NWC is taken for channels first.
    fmt, axis, channel = ("NHWC", 1, -1) if data_format == "NWC" else ("NCHW", 2, 1)
    ksize = _sequence(ksize, 1, channel, "ksize")
    strides = _sequence(strides, 1, channel, "strides")
    ksize = ksize[:axis] + [1] + ksize[axis:]
    strides = strides[:axis] + [1] + strides[axis:]
    x = expand_dims(to_tensor(x), axis)
    return squeeze(fn(x, ksize, strides, padding, fmt), [axis])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Max pooling over windows of a batch of sequences (``tf.nn.max_pool1d``).

    Args:
        input: a 3-D tensor ``[batch, width, channels]`` (``"NWC"``).
        ksize, strides: an int or a list of 1 or 3 ints.
        padding: ``"VALID"``, ``"SAME"``, or a list of ``(before, after)`` pairs.
        data_format: ``"NWC"`` (``"NCW"`` is refused on CPU, as in TF).

    Returns:
        The pooled tensor, of the input's dtype.

    Raises:
        ValueError: ksize or strides of the wrong length.
        InvalidArgumentError: non-positive sizes, a wrong rank, a window larger than a
            VALID input, or a layout the CPU kernels do not run.

    >>> import tensorflux as tf
    >>> tf.nn.max_pool1d(tf.constant([[[1.], [3.], [2.], [0.]]]), 2, 2, "VALID").numpy()[0, :, 0]
    array([3., 2.], dtype=float32)
    """
    padding, explicit = _explicit_paddings(padding, 1)
    if explicit:
        # The height axis 1-D pooling adds, unpadded.
        at = 2 if data_format == "NWC" else 4
        explicit = explicit[:at] + [0, 0] + explicit[at:]
    return _one_d(
        lambda x, k, s, p, f: max_pool_op(x, k, s, p, f, explicit),
        input,
        ksize,
        strides,
        padding,
        data_format,
    )


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Average pooling over windows of a batch of sequences (``tf.nn.avg_pool1d``).

    SAME padding averages over the cells inside the input only, as TF.

    Args:
        input: a 3-D floating tensor ``[batch, width, channels]``.
        ksize, strides: an int or a list of 1 or 3 ints.
        padding: ``"VALID"`` or ``"SAME"``.
        data_format: ``"NWC"``.

    Raises:
        ValueError / InvalidArgumentError: as ``max_pool1d``.

    >>> import tensorflux as tf
    >>> tf.nn.avg_pool1d(tf.constant([[[1.], [3.], [2.]]]), 2, 2, "SAME").numpy()[0, :, 0]
    array([2., 2.], dtype=float32)
    """
    return _one_d(avg_pool_op, input, ksize, strides, padding, data_format)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Max pooling over windows of a batch of images (``tf.nn.max_pool2d``).

    Among equal maxima the first (row-major in the window) takes the gradient, as in
    TF's CPU kernels.

    Args:
        input: a 4-D tensor ``[batch, height, width, channels]``.
        ksize, strides: an int or a list of 1, 2 or 4 ints.
        padding: ``"VALID"``, ``"SAME"``, or 4 ``(before, after)`` pairs (zeros on the
            batch and channel dimensions).
        data_format: ``"NHWC"`` (``"NCHW"`` is refused on CPU, as in TF).

    Returns:
        The pooled tensor, of the input's dtype.

    Raises:
        ValueError: ksize or strides of the wrong length.
        InvalidArgumentError: non-positive sizes, a wrong rank, a window larger than a
            VALID input, or a layout the CPU kernels do not run.

    >>> import tensorflux as tf
    >>> x = tf.reshape(tf.range(16.0), (1, 4, 4, 1))
    >>> tf.nn.max_pool2d(x, 2, 2, "VALID").numpy()[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
    """
    padding, explicit = _explicit_paddings(padding, 2)
    channel = _channel_index(data_format)
    return max_pool_op(
        to_tensor(input),
        _sequence(ksize, 2, channel, "ksize"),
        _sequence(strides, 2, channel, "strides"),
        padding,
        data_format,
        explicit,
    )


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Average pooling over windows of a batch of images (``tf.nn.avg_pool2d``).

    Args:
        input: a 4-D floating tensor ``[batch, height, width, channels]``.
        ksize, strides: an int or a list of 1, 2 or 4 ints.
        padding: ``"VALID"`` or ``"SAME"`` (SAME averages the valid cells only).
        data_format: ``"NHWC"``.

    Raises:
        ValueError / InvalidArgumentError: as ``max_pool2d``.

    >>> import tensorflux as tf
    >>> tf.nn.avg_pool2d(tf.ones((1, 3, 3, 1)), 2, 2, "SAME").numpy()[0, :, :, 0]
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """
    channel = _channel_index(data_format)
    return avg_pool_op(
        to_tensor(input),
        _sequence(ksize, 2, channel, "ksize"),
        _sequence(strides, 2, channel, "strides"),
        padding,
        data_format,
    )


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """Max pooling over windows of a batch of volumes (``tf.nn.max_pool3d``).

    Every cell equal to its window's maximum receives that window's gradient, as in
    TF's CPU MaxPool3DGrad.

    Args:
        input: a 5-D floating tensor ``[batch, depth, height, width, channels]``.
        ksize, strides: an int or a list of 1, 3 or 5 ints.
        padding: ``"VALID"`` or ``"SAME"``.
        data_format: ``"NDHWC"``.

    Raises:
        ValueError / InvalidArgumentError: as ``max_pool2d``.

    >>> import tensorflux as tf
    >>> tf.nn.max_pool3d(tf.ones((1, 2, 2, 2, 1)), 2, 2, "VALID").shape
    TensorShape([1, 1, 1, 1, 1])
    """
    channel = _channel_index(data_format)
    return max_pool_op(
        to_tensor(input),
        _sequence(ksize, 3, channel, "ksize"),
        _sequence(strides, 3, channel, "strides"),
        padding,
        data_format,
    )


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """Average pooling over windows of a batch of volumes (``tf.nn.avg_pool3d``).

    Args:
        input: a 5-D floating tensor ``[batch, depth, height, width, channels]``.
        ksize, strides: an int or a list of 1, 3 or 5 ints.
        padding: ``"VALID"`` or ``"SAME"``.
        data_format: ``"NDHWC"``.

    Raises:
        ValueError / InvalidArgumentError: as ``max_pool2d``.

    >>> import tensorflux as tf
    >>> float(tf.nn.avg_pool3d(tf.ones((1, 2, 2, 2, 1)), 2, 2, "VALID")[0, 0, 0, 0, 0])
    1.0
    """
    channel = _channel_index(data_format)
    return avg_pool_op(
        to_tensor(input),
        _sequence(ksize, 3, channel, "ksize"),
        _sequence(strides, 3, channel, "strides"),
        padding,
        data_format,
    )


def _spatial_rank(x: Tensor) -> int:
    rank = x.shape.rank
    if rank not in (3, 4, 5):
        raise ValueError(
            f"`input.shape.rank` must be 3, 4 or 5. Received: "
            f"input.shape={tuple(x.shape.as_list())} of rank {rank}."
        )
    return rank - 2


_MAX_BY_RANK = {1: max_pool1d, 2: max_pool2d, 3: max_pool3d}
_AVG_BY_RANK = {1: avg_pool1d, 2: avg_pool2d, 3: avg_pool3d}
_DEFAULT_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Max pooling of a 3-D, 4-D or 5-D input, by its rank (``tf.nn.max_pool``).

    Args:
        input: ``[batch, *spatial, channels]`` with 1 to 3 spatial dimensions.
        ksize, strides: an int or a list of 1, N or N + 2 ints.
        padding: ``"VALID"``, ``"SAME"``, or explicit pairs (2-D only).
        data_format: None (channels last) or TF's format string for the rank.

    Raises:
        ValueError: an input of rank other than 3, 4 or 5.

    >>> import tensorflux as tf
    >>> tf.nn.max_pool(tf.ones((2, 6, 3)), 2, 2, "VALID").shape
    TensorShape([2, 3, 3])
    """
    x = to_tensor(input)
    n = _spatial_rank(x)
    return _MAX_BY_RANK[n](x, ksize, strides, padding, data_format or _DEFAULT_FORMATS[n])


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Average pooling of a 3-D, 4-D or 5-D input, by its rank (``tf.nn.avg_pool``).

    Args:
        input: ``[batch, *spatial, channels]`` with 1 to 3 spatial dimensions.
        ksize, strides: an int or a list of 1, N or N + 2 ints.
        padding: ``"VALID"`` or ``"SAME"``.
        data_format: None (channels last) or TF's format string for the rank.

    Raises:
        ValueError: an input of rank other than 3, 4 or 5.

    >>> import tensorflux as tf
    >>> tf.nn.avg_pool(tf.ones((2, 6, 3)), 3, 3, "VALID").shape
    TensorShape([2, 2, 3])
    """
    x = to_tensor(input)
    n = _spatial_rank(x)
    return _AVG_BY_RANK[n](x, ksize, strides, padding, data_format or _DEFAULT_FORMATS[n])


def _int_list(value, n: int, name: str, default) -> list:
    if value is None:
        return [default] * n
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    values = [int(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    if len(values) == 1:
        values = values * n
    if len(values) != n:
        raise ValueError(
            f"`len({name})` should be {n}. Received: {name}={values} of length {len(values)}"
        )
    return values


def pool(
    input,
    window_shape,
    pooling_type,
    strides=None,
    padding="VALID",  # noqa: A002
    data_format=None,
    dilations=None,
    name=None,
):
    """N-D max or average pooling with optional strides (``tf.nn.pool``).

    Args:
        input: ``[batch, *spatial, channels]`` (or channels first with ``data_format``)
            with N = len(window_shape) spatial dimensions, N in 1..3.
        window_shape: N window sizes.
        pooling_type: ``"MAX"`` or ``"AVG"``.
        strides: N strides (default 1).
        padding: ``"VALID"`` or ``"SAME"``.
        data_format: None (channels last) or TF's format string.
        dilations: N dilation rates (default 1): a window of size k covers
            ``(k - 1) * rate + 1`` cells, every rate-th one pooled.

    Raises:
        ValueError: as TF: a window of the wrong length, an input of the wrong rank, an
            unknown pooling type, strides combined with dilations, SAME padding with
            dilations.

    >>> import tensorflux as tf
    >>> tf.nn.pool(tf.ones((1, 4, 4, 1)), [2, 2], "AVG", strides=[2, 2]).shape
    TensorShape([1, 2, 2, 1])
    """
    window = _int_list(
        window_shape,
        len(window_shape) if isinstance(window_shape, (list, tuple)) else 1,
        "window_shape",
        1,
    )
    n = len(window)
    if n not in (1, 2, 3):
        raise ValueError(
            f"`len(window_shape)` must be 1, 2, or 3. Received: window_shape={window} of length {n}"
        )
    x = to_tensor(input)
    if x.shape.rank is not None and x.shape.rank != n + 2:
        raise ValueError(f"Shape {tuple(x.shape.as_list())} must have rank {n + 2}")
    strides = _int_list(strides, n, "strides", 1)
    dilation = _int_list(dilations, n, "dilation_rate", 1)
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
    if any(s > 1 for s in strides) and any(d > 1 for d in dilation):
        raise ValueError(
            f"`strides > 1` not supported in conjunction with `dilation_rate > "
            f"1`. Received: strides={_np_repr(strides)} and "
            f"dilation_rate={_np_repr(dilation)}"
        )
    if padding == "SAME" and any(d > 1 for d in dilation):
        raise ValueError(
            f"pooling with 'SAME' padding is not implemented for `dilation_rate`"
            f" > 1. Received: padding=SAME and dilation_rate={_np_repr(dilation)}"
        )
    if any(d > 1 for d in dilation):
        return _dilated_valid_pool(x, window, dilation, pooling_type, data_format)
    fn = _MAX_BY_RANK[n] if pooling_type == "MAX" else _AVG_BY_RANK[n]
    return fn(x, window, strides, padding, data_format or _DEFAULT_FORMATS[n])


def _dilated_valid_pool(x: Tensor, window, dilation, pooling_type, data_format):
    """VALID pooling with stride 1 over dilated windows, composed from one slice of the
    input per window position (each ends ``(k - 1 - j) * rate`` cells before the input's
    end, so the slices fit any input size)."""
    first = 2 if data_format is not None and data_format.startswith("NC") else 1
    n = len(window)
    for axis, (k, d) in enumerate(zip(window, dilation)):
        size = x.shape.as_list()[first + axis]
        if size is not None and size < (k - 1) * d + 1:
            raise ValueError(
                f"The dilated window {(k - 1) * d + 1} is larger than the "
                f"input's spatial size {size} with padding 'VALID'. Use a "
                f"smaller window or dilation rate."
            )
    result = None
    for offset in itertools.product(*(range(k) for k in window)):
        index = [slice(None)] * (n + 2)
        for axis, (j, k, d) in enumerate(zip(offset, window, dilation)):
            end = (k - 1 - j) * d
            index[first + axis] = slice(j * d, -end if end else None)
        cells = x[tuple(index)]
        if result is None:
            result = cells
        elif pooling_type == "MAX":
            result = maximum(result, cells)
        else:
            result = add(result, cells)
    if pooling_type == "AVG":
        count = 1
        for k in window:
            count *= k
        result = truediv(result, Tensor(np.asarray(count, dtype=x._value.dtype), x._dtype))
    return result


def _np_repr(values) -> str:
    """A list printed as TF's messages print the NumPy arrays they hold: ``[2 2]``."""
    return "[" + " ".join(str(v) for v in values) + "]"


def max_pool_with_argmax(
    input,
    ksize,
    strides,
    padding,
    data_format="NHWC",  # noqa: A002
    output_dtype=dtypes.int64,
    include_batch_in_index=False,
    name=None,
):
    """Max pooling that also returns where each maximum was (``tf.nn.max_pool_with_argmax``).

    The argmax of a window is its first maximum (row-major), flattened as
    ``((b * height + y) * width + x) * channels + c``, without the ``b`` term unless
    ``include_batch_in_index``.

    Args:
        input: a 4-D tensor ``[batch, height, width, channels]``.
        ksize, strides: an int or a list of 1, 2 or 4 ints.
        padding: ``"VALID"`` or ``"SAME"``.
        data_format: ``"NHWC"`` only.
        output_dtype: ``tf.int64`` (default) or ``tf.int32``.
        include_batch_in_index: whether the flat index counts the batch too.

    Returns:
        ``(output, argmax)``.

    Raises:
        ValueError: a data_format other than NHWC, ksize/strides of the wrong length.

    >>> import tensorflux as tf
    >>> out, idx = tf.nn.max_pool_with_argmax(tf.reshape(tf.range(4.0), (1, 2, 2, 1)), 2, 2,
    ...                                        "VALID")
    >>> int(idx[0, 0, 0, 0])
    3
    """
    if data_format != "NHWC":
        raise ValueError(
            f"`data_format` values other  than 'NHWC' are not supported. "
            f"Received: data_format={data_format}"
        )
    return max_pool_with_argmax_op(
        to_tensor(input),
        _sequence(ksize, 2, -1, "ksize"),
        _sequence(strides, 2, -1, "strides"),
        padding,
        output_dtype,
        include_batch_in_index,
    )
