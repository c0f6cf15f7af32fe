"""Grayscale morphology: ``tf.nn.dilation2d`` and ``tf.nn.erosion2d``.

``Dilation2D`` is a primitive (TF's op): each output is the largest ``input + filter``
over its window, with TF's SAME/VALID geometry on the dilated filter and positions
outside the input skipped (not padded with zeros). Its gradients send each output's
gradient to the one input pixel and the one filter tap that won its window; among equal
candidates the first in row-major window order wins, as in TF's kernels (a strict ``>``
while scanning). Erosion is TF's identity ``-dilation2d(-x, reversed filter)``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import REAL, Spec, execute, register
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor
from tensorflux.ops.window_ops_utils import window_dim

__all__ = ["dilation2d", "erosion2d"]


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _geometry(x_shape, f_shape, strides, rates, padding, op):
    """Checks the shapes and attrs as TF's ``ParseSizes``; returns per spatial dimension
    ``(out, pad_before)`` and the steps."""
    if len(x_shape) != 4:
        raise InvalidArgumentError(
            None, op, f"input must be 4-dimensional{_shape_text(x_shape)} [Op:{op}]"
        )
    if len(f_shape) != 3:
        raise InvalidArgumentError(
            None, op, f"filter must be 3-dimensional: {list(f_shape)} [Op:{op}]"
        )
    if x_shape[3] != f_shape[2]:
        raise InvalidArgumentError(
            None,
            op,
            f"input and filter must have the same depth: {x_shape[3]} vs {f_shape[2]} [Op:{op}]",
        )
    if strides[0] != 1 or strides[3] != 1:
        raise UnimplementedError(
            None, op, f"Stride is only supported across spatial dimensions. [Op:{op}]"
        )
    if rates[0] != 1 or rates[3] != 1:
        raise UnimplementedError(
            None, op, f"Rate is only supported across spatial dimensions. [Op:{op}]"
        )
    dims = [
        window_dim(x_shape[1 + i], f_shape[i], strides[1 + i], rates[1 + i], padding, op_name=op)
        for i in range(2)
    ]
    return [(d.out, d.pad_before) for d in dims]


def _winners(x, f, strides, rates, padding, op):
    """The winning ``input + filter`` of each window, the window tap that won (first of
    equals) and the input row/column it read: ``[B, out_h, out_w, C]`` each."""
    (oh, top), (ow, left) = _geometry(x.shape, f.shape, strides, rates, padding, op)
    sh, sw, rh, rw = strides[1], strides[2], rates[1], rates[2]
    fh, fw, _ = f.shape
    rows = np.arange(oh)[:, None] * sh + np.arange(fh)[None, :] * rh - top  # [oh, fh]
    cols = np.arange(ow)[:, None] * sw + np.arange(fw)[None, :] * rw - left  # [ow, fw]
    ok_r, ok_c = (rows >= 0) & (rows < x.shape[1]), (cols >= 0) & (cols < x.shape[2])
    rc, cc = np.clip(rows, 0, x.shape[1] - 1), np.clip(cols, 0, x.shape[2] - 1)
    # [B, oh, fh, ow, fw, C] candidates, then windows flattened in (fh, fw) order.
    cand = x[:, rc[:, :, None, None], cc[None, None, :, :], :] + f[None, None, :, None, :, :]
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    valid = (ok_r[:, :, None, None] & ok_c[None, None, :, :])[None, :, :, :, :, None]
    cand = np.where(valid, cand, lowest).astype(x.dtype)
    b, c = x.shape[0], x.shape[3]
    cand = cand.transpose(0, 1, 3, 5, 2, 4).reshape(b, oh, ow, c, fh * fw)
    tap = np.argmax(cand, axis=-1) if fh * fw else np.zeros((b, oh, ow, c), np.int64)
    value = np.take_along_axis(cand, tap[..., None], -1)[..., 0] if fh * fw else cand[..., 0]
    dy, dx = tap // fw, tap % fw
    in_r = np.arange(oh)[None, :, None, None] * sh + dy * rh - top
    in_c = np.arange(ow)[None, None, :, None] * sw + dx * rw - left
    return value, dy, dx, in_r, in_c


def _dilation_kernel(input, filter, strides, rates, padding):  # noqa: A002 - TF's names
    return _winners(input, filter, strides, rates, padding, "Dilation2D")[0]


def _dilation_infer(input: Spec, filter: Spec, strides, rates, padding):  # noqa: A002
    dims = input.shape.as_list() if input.shape.rank is not None else [None] * 4
    fdims = filter.shape.as_list() if filter.shape.rank is not None else [None] * 3
    out = [
        window_dim(dims[1 + i], fdims[i], strides[1 + i], rates[1 + i], padding, op_name=op).out
        for i, op in enumerate(["Dilation2D"] * 2)
    ]
    return Spec(input.dtype, TensorShape([dims[0], *out, dims[3] or fdims[2]]))


def _dilation_grad(call, dy):
    """d/dx, d/df: each output's gradient goes to its window's winning input pixel and
    filter tap (Dilation2DBackpropInput / Dilation2DBackpropFilter)."""
    x, f = call.inputs
    attrs = call.attrs
    return (
        execute(_BACKPROP_INPUT, (x, f, dy), attrs),
        execute(_BACKPROP_FILTER, (x, f, dy), attrs),
    )


_DILATION = register(
    "Dilation2D",
    kernel=_dilation_kernel,
    grad=_dilation_grad,
    infer=_dilation_infer,
    same_dtype=True,
    allowed=REAL,
)


def _check_backprop(op, x, f, out_backprop, strides, rates, padding):
    (oh, _), (ow, _) = _geometry(x.shape, f.shape, strides, rates, padding, op)
    want = (x.shape[0], oh, ow, x.shape[3])
    if out_backprop.shape != want:
        raise InvalidArgumentError(
            None,
            op,
            f"out_backprop has incompatible size: {list(out_backprop.shape)} vs "
            f"{list(want)} [Op:{op}]",
        )


def _backprop_input_kernel(input, filter, out_backprop, strides, rates, padding):  # noqa: A002
    op = "Dilation2DBackpropInput"
    _check_backprop(op, input, filter, out_backprop, strides, rates, padding)
    _, _, _, r, c = _winners(input, filter, strides, rates, padding, op)
    grad = np.zeros(input.shape, out_backprop.dtype)
    bi, _, _, ci = np.indices(out_backprop.shape, sparse=True)
    np.add.at(grad, (bi, r, c, ci), out_backprop)
    return grad


def _backprop_filter_kernel(input, filter, out_backprop, strides, rates, padding):  # noqa: A002
    op = "Dilation2DBackpropFilter"
    _check_backprop(op, input, filter, out_backprop, strides, rates, padding)
    _, dy, dx, _, _ = _winners(input, filter, strides, rates, padding, op)
    grad = np.zeros(filter.shape, out_backprop.dtype)
    ci = np.indices(out_backprop.shape, sparse=True)[3]
    np.add.at(grad, (dy, dx, ci), out_backprop)
    return grad


_BACKPROP_INPUT = register(
    "Dilation2DBackpropInput",
    kernel=_backprop_input_kernel,
    grad=None,
    infer=lambda x, f, out_backprop, **attrs: Spec(x.dtype, x.shape),
    same_dtype=True,
    allowed=REAL,
)
_BACKPROP_FILTER = register(
    "Dilation2DBackpropFilter",
    kernel=_backprop_filter_kernel,
    grad=None,
    infer=lambda x, f, out_backprop, **attrs: Spec(f.dtype, f.shape),
    same_dtype=True,
    allowed=REAL,
)


def _attrs(strides, dilations, padding, data_format) -> dict:
    if data_format != "NHWC":
        raise ValueError(
            "`data_format` values other  than 'NHWC' are not supported. Received: "
            f"data_format={data_format}"
        )
    for name, value in (("strides", strides), ("rates", dilations)):
        if len(value) < 4:
            raise InvalidArgumentError(
                None,
                "Dilation2D",
                f"Length for attr '{name}' of {len(value)} must be at least minimum 4",
            )
    padding = padding.upper() if isinstance(padding, str) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}.")
    return {
        "strides": [int(s) for s in strides],
        "rates": [int(r) for r in dilations],
        "padding": padding,
    }


def dilation2d(input, filters, strides, padding, data_format, dilations, name=None):  # noqa: A002
    """Grayscale dilation: ``out[b, y, x, c] = max over (i, j) of
    input[b, y*sh + i*rh - pad, x*sw + j*rw - pad, c] + filters[i, j, c]``
    (``tf.nn.dilation2d``).

    Args:
        input: ``[batch, height, width, depth]`` real tensor.
        filters: ``[filter_height, filter_width, depth]``, the same dtype.
        strides: ``[1, stride_height, stride_width, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: only ``"NHWC"``.
        dilations: ``[1, rate_height, rate_width, 1]``.

    Returns:
        ``[batch, out_height, out_width, depth]``.

    Raises:
        ValueError: a data format other than NHWC.
        InvalidArgumentError: ranks or depths that do not fit.
        UnimplementedError: strides or rates other than 1 on the batch or depth axis.

    >>> import tensorflux as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> tf.nn.dilation2d(x, tf.zeros([2, 2, 1]), [1, 1, 1, 1], "VALID", "NHWC",
    ...                  [1, 1, 1, 1])[0, :, :, 0].numpy().tolist()
    [[4.0, 5.0], [7.0, 8.0]]
    """
    attrs = _attrs(strides, dilations, padding, data_format)
    return execute(_DILATION, (to_tensor(input), to_tensor(filters)), attrs)


def erosion2d(value, filters, strides, padding, data_format, dilations, name=None):
    """Grayscale erosion: ``out[b, y, x, c] = min over (i, j) of
    value[b, y*sh + i*rh - pad, x*sw + j*rw - pad, c] - filters[i, j, c]``
    (``tf.nn.erosion2d``; TF's ``-dilation2d(-value, reversed filters)``).

    Args and Raises: as ``dilation2d``.

    >>> import tensorflux as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> tf.nn.erosion2d(x, tf.zeros([2, 2, 1]), [1, 1, 1, 1], "VALID", "NHWC",
    ...                 [1, 1, 1, 1])[0, :, :, 0].numpy().tolist()
    [[-0.0, 1.0], [3.0, 4.0]]
    """
    from tensorflux.ops.joining_ops import reverse
    from tensorflux.ops.math_ops import negative

    attrs = _attrs(strides, dilations, padding, data_format)
    flipped = reverse(to_tensor(filters), [0, 1])
    return negative(execute(_DILATION, (negative(to_tensor(value)), flipped), attrs))
