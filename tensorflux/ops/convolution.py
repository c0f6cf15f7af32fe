"""The public convolutions of ``tf.nn``: conv1d/2d/3d, convolution, the transposes and
the atrous forms.

They normalise their arguments as TF does (an int, or 1, N or N + 2 strides and
dilations; padding as "SAME"/"VALID" or a list of pairs) and run the ops of
``conv_ops``. 1-D convolutions are 2-D ones over an inserted axis of size 1, as in TF.
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.conv_ops import conv_backprop_input_raw, conv_raw
from tensorflux.ops.creation_ops import is_traced_shape, traced_shape_arg
from tensorflux.ops.shape_ops import expand_dims, squeeze

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "convolution",
    "conv1d_transpose",
    "conv2d_transpose",
    "conv3d_transpose",
    "atrous_conv2d",
    "atrous_conv2d_transpose",
]


def _get_sequence(value, n: int, channel_index: int, name: str) -> list:
    """Strides or dilations as a full-rank list: an int, or 1, ``n`` or ``n + 2`` values
    (the spatial ones get 1 at the batch and channel positions)."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, (numbers.Integral, np.integer)):
        value = [int(value)]
    elif isinstance(value, Tensor):
        value = [int(v) for v in np.asarray(value.numpy()).reshape(-1)]
    else:
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
    return [1, 1, *value] if channel_index == 1 else [1, *value, 1]


def _convert_padding(padding, expected: int):
    """``(padding string, flat explicit paddings)``; a list of pairs means EXPLICIT."""
    if isinstance(padding, str) and padding.upper() == "EXPLICIT":
        raise ValueError(
            '"EXPLICIT" is not a valid value for `padding`. To use explicit '
            "padding, `padding` must be a list."
        )
    if not isinstance(padding, (list, tuple)):
        return padding, ()
    flat = []
    for i, pair in enumerate(padding):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(
                f"When padding is a list, each element of padding must be a "
                f"list/tuple of size 2. Received: padding={padding} with element "
                f"at index {i}: {pair!r}"
            )
        flat.extend(int(p) for p in pair)
    if len(padding) != expected:
        raise ValueError(
            f"When padding is a list, it must be of size {expected}. Received: "
            f"padding={padding} of size {len(padding)}"
        )
    return "EXPLICIT", tuple(flat)


def _shape_input(shape) -> Tensor:
    """An ``output_shape`` argument as an int32 tensor (traced entries stay symbolic)."""
    if type(shape) is SymbolicTensor:
        return shape
    if is_traced_shape(shape):
        tensor, hint = traced_shape_arg(shape)
        # What tracing knows of the entries, as for tf.shape: the op's result keeps it.
        tensor._graph.shape_values.setdefault(tensor._slot, list(hint))
        return tensor
    if isinstance(shape, Tensor):
        return shape
    return Tensor(
        np.asarray([int(d) for d in np.asarray(shape).reshape(-1)], np.int32), dtypes.int32
    )


def _shape_entries(shape) -> list:
    """An ``output_shape`` argument as a list of entries, to insert a dimension into."""
    if type(shape) is SymbolicTensor:
        return [shape[i] for i in range(shape.shape.as_list()[0])]
    if isinstance(shape, Tensor):
        return [int(d) for d in shape.numpy()]
    return list(shape)


def conv2d(
    input,
    filters,
    strides,
    padding,
    data_format="NHWC",
    dilations=None,  # noqa: A002
    name=None,
) -> Tensor:
    """2-D convolution (cross-correlation, as in every deep-learning framework).

    Runs the Conv2D op, a primitive: im2col and BLAS are far faster than any composition.

    Args:
        input: ``(batch, height, width, in_channels)``.
        filters: ``(kh, kw, in_channels / groups, out_channels)``; an input with a
            multiple of the filter's in_channels is convolved in groups.
        strides: an int or 1, 2 or 4 ints.
        padding: "SAME", "VALID", or a list of 4 ``[before, after]`` pairs.
        data_format: "NHWC" (the CPU runs only this) or "NCHW".
        dilations: an int or 1, 2 or 4 ints.

    Returns:
        ``(batch, out_height, out_width, out_channels)``.

    Raises:
        ValueError: strides, dilations or padding of the wrong length.
        InvalidArgumentError: inputs that are not 4-D, channels that do not match, bad
            strides or padding (TF's messages).
        UnimplementedError: "NCHW" (TF's CPU kernels run NHWC only).

    >>> import tensorflux as tf
    >>> tf.nn.conv2d(tf.ones([1, 4, 4, 1]), tf.ones([3, 3, 1, 2]), 1, "VALID").shape
    TensorShape([1, 2, 2, 2])
    """
    data_format = data_format or "NHWC"
    channel = 1 if data_format.startswith("NC") else 3
    padding, explicit = _convert_padding(padding, 4)
    attrs = {
        "strides": tuple(_get_sequence(strides, 2, channel, "strides")),
        "padding": padding,
        "explicit_paddings": explicit,
        "data_format": data_format,
        "dilations": tuple(_get_sequence(dilations, 2, channel, "dilations")),
    }
    return conv_raw(2, to_tensor(input), to_tensor(filters), attrs)


def _conv1d_layout(data_format):
    if data_format in (None, "NWC", "NHWC"):
        return "NHWC", -3, 2
    if data_format in ("NCW", "NCHW"):
        return "NCHW", -2, 1
    raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")


def conv1d(
    input,
    filters,
    stride,
    padding,
    data_format="NWC",
    dilations=None,  # noqa: A002
    name=None,
) -> Tensor:
    """1-D convolution: a 2-D one over an inserted height of 1 (``tf.nn.conv1d``).

    Args:
        input: ``(batch, width, in_channels)``.
        filters: ``(kw, in_channels / groups, out_channels)``.
        stride: an int or 1 or 3 ints.
        padding: "SAME", "VALID", or a list of 3 ``[before, after]`` pairs.
        data_format: "NWC" or "NCW" (the CPU runs only "NWC").
        dilations: an int or 1 or 3 ints.

    Raises:
        ValueError: a bad ``data_format``, stride or dilations length.
        InvalidArgumentError: inputs that are not 3-D or channels that do not match.

    >>> import tensorflux as tf
    >>> tf.nn.conv1d(tf.ones([1, 5, 2]), tf.ones([3, 2, 4]), 2, "SAME").shape
    TensorShape([1, 3, 4])
    """
    fmt, axis, channel = _conv1d_layout(data_format)
    strides = _get_sequence(stride, 1, channel, "stride")
    dilations = _get_sequence(dilations, 1, channel, "dilations")
    at = axis + 4
    strides.insert(at, 1)
    dilations.insert(at, 1)
    if isinstance(padding, (list, tuple)):
        padding = list(padding[:at]) + [[0, 0]] + list(padding[at:])
    x = expand_dims(to_tensor(input), axis)
    w = expand_dims(to_tensor(filters), 0)
    return squeeze(conv2d(x, w, strides, padding, fmt, dilations), [axis])


def conv3d(
    input,
    filters,
    strides,
    padding,
    data_format="NDHWC",  # noqa: A002
    dilations=None,
    name=None,
) -> Tensor:
    """3-D convolution (``tf.nn.conv3d``).

    Args:
        input: ``(batch, depth, height, width, in_channels)``.
        filters: ``(kd, kh, kw, in_channels, out_channels)``.
        strides: a list of 5 ints (batch and channel strides 1).
        padding: "SAME" or "VALID".
        data_format: "NDHWC" (the CPU runs only this) or "NCDHW".
        dilations: a list of 5 ints.

    Raises:
        TypeError: strides that are not a list.
        InvalidArgumentError: bad shapes, strides or padding (TF's messages).

    >>> import tensorflux as tf
    >>> tf.nn.conv3d(tf.ones([1, 4, 4, 4, 1]), tf.ones([2, 2, 2, 1, 3]), [1, 2, 2, 2, 1],
    ...              "VALID").shape
    TensorShape([1, 2, 2, 2, 3])
    """
    if not isinstance(strides, (list, tuple, np.ndarray)):
        raise TypeError(f"Expected list for 'strides' argument to 'conv3d' Op, not {strides}.")
    attrs = {
        "strides": tuple(int(s) for s in strides),
        "padding": padding,
        "data_format": data_format or "NDHWC",
        "dilations": tuple(int(d) for d in (dilations or [1] * 5)),
    }
    return conv_raw(3, to_tensor(input), to_tensor(filters), attrs)


def convolution(
    input,
    filters,
    strides=None,
    padding="VALID",
    data_format=None,  # noqa: A002
    dilations=None,
    name=None,
) -> Tensor:
    """N-D convolution, N = 1, 2 or 3 from the filter's rank (``tf.nn.convolution``).

    Args:
        input: ``(batch, *spatial, in_channels)`` (channels first with "NC..." formats).
        filters: ``(*kernel, in_channels, out_channels)``.
        strides, dilations: an int or 1 or N ints (default 1); strides above 1 cannot be
            combined with dilations above 1.
        padding: "SAME" or "VALID" (or, for N = 1 and 2, a list of pairs).

    Raises:
        ValueError: filters of rank other than 3 to 5, or strides > 1 with dilations > 1.

    >>> import tensorflux as tf
    >>> tf.nn.convolution(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 1]), padding="SAME",
    ...                   dilations=2).shape
    TensorShape([1, 5, 5, 1])
    """
    x, w = to_tensor(input), to_tensor(filters)
    n = (w.shape.rank or x.shape.rank or 0) - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"`input` and `filter` must have rank at least 3 and at most 5. "
            f"Received: input.shape={x.shape} of rank {x.shape.rank}, "
            f"filter.shape={w.shape} of rank {w.shape.rank}"
        )
    channels_first = data_format is not None and data_format.startswith("NC")
    channel = 1 if channels_first else n + 1
    full_s = _get_sequence(strides, n, channel, "strides")
    full_d = _get_sequence(dilations, n, channel, "dilations")
    spatial = [i for i in range(1, n + 2) if i != channel]
    s = np.array([full_s[i] for i in spatial])
    d = np.array([full_d[i] for i in spatial])
    if (d < 1).any():
        raise ValueError(
            f"all values of `dilation_rate` must be positive. Received: dilation_rate={d}"
        )
    if (s > 1).any() and (d > 1).any():
        raise ValueError(
            f"`strides > 1` not supported in conjunction with `dilation_rate > 1`."
            f" Received: strides={s} and dilation_rate={d}"
        )
    if n == 1:
        fmt = "NCW" if channels_first else "NWC"
        return conv1d(x, w, full_s, padding, fmt, full_d)
    if n == 2:
        return conv2d(x, w, full_s, padding, "NCHW" if channels_first else "NHWC", full_d)
    return conv3d(x, w, full_s, padding, "NCDHW" if channels_first else "NDHWC", full_d)


def conv2d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",  # noqa: A002
    data_format="NHWC",
    dilations=None,
    name=None,
) -> Tensor:
    """The transpose (gradient) of ``conv2d``, sometimes called deconvolution.

    Args:
        input: ``(batch, height, width, in_channels)``.
        filters: ``(kh, kw, out_channels, in_channels)`` (note the order).
        output_shape: the 4 output dimensions: a list (entries may be traced scalars) or
            a 1-D tensor. Its convolution by ``filters`` must give ``input``'s shape.
        strides, padding, data_format, dilations: as in ``conv2d``.

    Raises:
        InvalidArgumentError: an ``output_shape`` whose convolution does not give the
            input's size, or channels that do not match (TF's messages).

    >>> import tensorflux as tf
    >>> tf.nn.conv2d_transpose(tf.ones([1, 3, 3, 2]), tf.ones([3, 3, 4, 2]),
    ...                        [1, 6, 6, 4], 2).shape
    TensorShape([1, 6, 6, 4])
    """
    data_format = data_format or "NHWC"
    channel = 1 if data_format.startswith("NC") else 3
    padding, explicit = _convert_padding(padding, 4)
    attrs = {
        "strides": tuple(_get_sequence(strides, 2, channel, "strides")),
        "padding": padding,
        "explicit_paddings": explicit,
        "data_format": data_format,
        "dilations": tuple(_get_sequence(dilations, 2, channel, "dilations")),
    }
    return conv_backprop_input_raw(
        2, _shape_input(output_shape), to_tensor(filters), to_tensor(input), attrs
    )


def conv1d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",  # noqa: A002
    data_format="NWC",
    dilations=None,
    name=None,
) -> Tensor:
    """The transpose of ``conv1d`` (``tf.nn.conv1d_transpose``).

    Args:
        input: ``(batch, width, in_channels)``.
        filters: ``(kw, out_channels, in_channels)``.
        output_shape: the 3 output dimensions (a list or a 1-D tensor).

    >>> import tensorflux as tf
    >>> tf.nn.conv1d_transpose(tf.ones([1, 5, 2]), tf.ones([3, 4, 2]), [1, 10, 4], 2).shape
    TensorShape([1, 10, 4])
    """
    fmt, axis, channel = _conv1d_layout(data_format)
    at = axis + 4
    strides = _get_sequence(strides, 1, channel, "stride")
    dilations = _get_sequence(dilations, 1, channel, "dilations")
    strides.insert(at, 1)
    dilations.insert(at, 1)
    entries = _shape_entries(output_shape)
    entries = entries[:at] + [1] + entries[at:]
    x = expand_dims(to_tensor(input), axis)
    w = expand_dims(to_tensor(filters), 0)
    return squeeze(conv2d_transpose(x, w, entries, strides, padding, fmt, dilations), [axis])


def conv3d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",  # noqa: A002
    data_format="NDHWC",
    dilations=None,
    name=None,
) -> Tensor:
    """The transpose of ``conv3d`` (``tf.nn.conv3d_transpose``).

    Args:
        input: ``(batch, depth, height, width, in_channels)``.
        filters: ``(kd, kh, kw, out_channels, in_channels)``.
        output_shape: the 5 output dimensions (a list or a 1-D tensor).
        strides, dilations: an int or 1, 3 or 5 ints.

    >>> import tensorflux as tf
    >>> tf.nn.conv3d_transpose(tf.ones([1, 2, 2, 2, 1]), tf.ones([2, 2, 2, 3, 1]),
    ...                        [1, 4, 4, 4, 3], 2).shape
    TensorShape([1, 4, 4, 4, 3])
    """
    data_format = data_format or "NDHWC"
    channel = 1 if data_format.startswith("NC") else 4
    attrs = {
        "strides": tuple(_get_sequence(strides, 3, channel, "strides")),
        "padding": padding,
        "data_format": data_format,
        "dilations": tuple(_get_sequence(dilations, 3, channel, "dilations")),
    }
    return conv_backprop_input_raw(
        3, _shape_input(output_shape), to_tensor(filters), to_tensor(input), attrs
    )


def atrous_conv2d(value, filters, rate, padding, name=None) -> Tensor:
    """2-D convolution with holes: ``conv2d`` with ``dilations=rate`` (NHWC).

    Raises:
        ValueError: a ``rate`` below 1.

    >>> import tensorflux as tf
    >>> tf.nn.atrous_conv2d(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 1]), 2, "VALID").shape
    TensorShape([1, 1, 1, 1])
    """
    return convolution(value, filters, padding=padding, dilations=[rate, rate])


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None) -> Tensor:
    """The transpose of ``atrous_conv2d`` (NHWC).

    Args:
        value: ``(batch, height, width, in_channels)``.
        filters: ``(kh, kw, out_channels, in_channels)``.
        output_shape: the 4 output dimensions.
        rate: the dilation, at least 1.
        padding: "SAME" or "VALID".

    Raises:
        ValueError: channels that do not match, a ``rate`` below 1, another padding, or
            an ``output_shape`` without 4 entries (TF's messages).

    >>> import tensorflux as tf
    >>> tf.nn.atrous_conv2d_transpose(tf.ones([1, 1, 1, 1]), tf.ones([3, 3, 1, 1]),
    ...                               [1, 5, 5, 1], 2, "VALID").shape
    TensorShape([1, 5, 5, 1])
    """
    x, w = to_tensor(value), to_tensor(filters)
    if not x.shape[3:4].is_compatible_with(w.shape[3:4]):
        raise ValueError(
            f"`value` channel count must be compatible with `filters` input "
            f"channel count. Received: value.shape={x.shape} with channel count "
            f"{x.shape[3]} and filters.shape={w.shape} with input channel count "
            f"{w.shape[3]}."
        )
    if rate < 1:
        raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be either VALID or SAME: {padding}")
    sizes = _shape_input(output_shape)
    if sizes.shape.as_list() != [4]:
        raise ValueError(
            f"`output_shape` must have shape (4,). Received: output_shape={sizes.shape}"
        )
    return conv2d_transpose(x, w, sizes, 1, padding, "NHWC", rate)
