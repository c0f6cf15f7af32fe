"""Depthwise 2-D convolution: ``DepthwiseConv2dNative`` and its two backprops.

Each input channel ``c`` is convolved with its own ``channel_multiplier`` filters, so
output channel ``c * multiplier + q`` is ``sum_{i,j} x[.., s*h + d*i, s*w + d*j, c] *
filter[i, j, c, q]``. The three ops are primitives: one pass over the kernel offsets of
strided input windows, each a broadcast multiply-add over all channels, is several times
faster than an im2col copy followed by one small matmul per channel (measured: 18 ms
against 50-180 ms for 64x28x28x32 inputs and 3x3 filters, float32).

As on TF's CPU build, only NHWC is computed: NCHW raises ``UnimplementedError`` (Keras
layers transpose channels-first inputs first). Dilations are computed here by the ops
themselves, as TF's GPU kernels do; ``tf.nn.depthwise_conv2d`` gives TF's results for
dilated convolutions in every case (see ``depthwise_conv2d``).
"""

from __future__ import annotations

import warnings

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import merge_dims, runtime_shape, static_dims, to_tensor, value_dims
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.shape_ops import reshape
from tensorflux.ops.window_ops_utils import explicit_pairs, window_dims

__all__ = [
    "depthwise_conv2d",
    "depthwise_conv2d_backprop_input",
    "depthwise_conv2d_backprop_filter",
    "separable_conv2d",
]

_FWD = "DepthwiseConv2dNative"
_BPI = "DepthwiseConv2dNativeBackpropInput"
_BPF = "DepthwiseConv2dNativeBackpropFilter"
# The names TF's backprop kernels put in front of their messages.
_PREFIX = {
    _FWD: "",
    _BPI: "DepthwiseConv2DBackpropInput: ",
    _BPF: "DepthwiseConv2DBackpropFilter: ",
}
_NO_DILATIONS = (1, 1, 1, 1)


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


# -- Attributes and window geometry (shared by the three ops) ---------------


def _check_attrs(op_name, strides, padding, explicit_paddings, data_format, dilations):
    """TF's attribute checks; returns ``(stride, (dil_h, dil_w), pads)`` with ``pads`` the
    explicit ``(before, after)`` pairs of the two spatial axes (None unless EXPLICIT)."""
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise _error(
            op_name,
            f"Value for attr 'padding' of \"{padding}\" is not in the list "
            f'of allowed values: "SAME", "VALID", "EXPLICIT"',
        )
    if data_format not in ("NHWC", "NCHW"):
        raise _error(
            op_name,
            f"Value for attr 'data_format' of \"{data_format}\" is not in "
            f'the list of allowed values: "NHWC", "NCHW"',
        )
    if data_format == "NCHW":
        raise UnimplementedError(
            None,
            op_name,
            f"Depthwise convolution on CPU is only supported for NHWC format "
            f"[Op:{op_name}]. Transpose the input to NHWC (tf.transpose(x, [0, 2, 3, 1])).",
        )
    if len(strides) != 4:
        raise _error(op_name, "Sliding window strides field must specify 4 dimensions")
    if len(dilations) != 4:
        raise _error(op_name, "Sliding window dilations field must specify 4 dimensions")
    if strides[0] != 1 or strides[3] != 1:
        raise _error(
            op_name,
            "Current implementation does not yet support strides in the "
            "batch and depth dimensions.",
        )
    if strides[1] != strides[2]:
        raise _error(
            op_name,
            "Current implementation only supports equal length strides in "
            "the row and column dimensions.",
        )
    if strides[1] < 1:
        raise _error(op_name, f"Stride must be > 0, but got {strides[1]}")
    if dilations[0] != 1 or dilations[3] != 1:
        raise _error(
            op_name,
            "Current implementation does not yet support dilations in the "
            "batch and depth dimensions.",
        )
    if dilations[1] < 1 or dilations[2] < 1:
        raise _error(op_name, "Dilated rates should be larger than 0.")
    if padding != "EXPLICIT":
        if len(explicit_paddings):
            raise _error(
                op_name,
                "explicit_paddings attribute must be empty if the padding "
                "attribute is not EXPLICIT",
            )
        return int(strides[1]), (int(dilations[1]), int(dilations[2])), None
    pads = explicit_pairs(explicit_paddings, (1, 2), op_name)
    return int(strides[1]), (int(dilations[1]), int(dilations[2])), pads


def _windows(op_name, hw, khw, stride, dil, padding, pads):
    return window_dims(hw, khw, (stride, stride), dil, padding, pads, op_name)


def _compute_dtype(dtype: np.dtype) -> np.dtype:
    # float16 and bfloat16 accumulate in float32, as TF's CPU kernels do.
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


def _window(xp, i, j, dil, stride, ho, wo):
    """The strided view of padded input ``xp`` that kernel offset ``(i, j)`` meets."""
    h0, w0 = i * dil[0], j * dil[1]
    return xp[:, h0 : h0 + stride * (ho - 1) + 1 : stride, w0 : w0 + stride * (wo - 1) + 1 : stride]


def _padded(x, rows, cols):
    if rows.pad_before == rows.pad_after == cols.pad_before == cols.pad_after == 0:
        return x
    return np.pad(
        x, ((0, 0), (rows.pad_before, rows.pad_after), (cols.pad_before, cols.pad_after), (0, 0))
    )


def _planes(out_backprop, ctype, m) -> list:
    """``out_backprop``'s channels ``c * m + q`` split into ``m`` contiguous planes
    ``[n, h, w, c]``, one per multiplier ``q``."""
    dy = out_backprop.astype(ctype, copy=False)
    if m == 1:
        return [dy]
    dy = dy.reshape(dy.shape[:3] + (-1, m))
    return [np.ascontiguousarray(dy[..., q]) for q in range(m)]


def _dims(op_name, what, shape):
    if len(shape) != 4:
        raise _error(
            op_name,
            f"{_PREFIX[op_name]}{what} must be 4-dimensional"
            + (f"{list(shape)}" if what == "input" and op_name == _FWD else ""),
        )


def _check_depths(op_name, in_depth, filter_shape, out_depth):
    if filter_shape[2] != in_depth:
        raise _error(op_name, f"{_PREFIX[op_name]}input and filter must have the same in_depth")
    if filter_shape[2] * filter_shape[3] != out_depth:
        raise _error(
            op_name, f"{_PREFIX[op_name]}depth_multiplier * in_depth not equal to out_depth"
        )


def _check_out_backprop(op_name, input_shape, out_shape, rows, cols):
    if input_shape[0] != out_shape[0]:
        raise _error(
            op_name, f"{_PREFIX[op_name]}input and out_backprop must have the same batch size"
        )
    for what, got, want in (("rows", out_shape[1], rows.out), ("columns", out_shape[2], cols.out)):
        if got != want:
            raise _error(
                op_name,
                f"{_PREFIX[op_name]}Number of {what} of out_backprop doesn't "
                f"match computed: actual = {got}, computed = {want}",
            )


def _sizes(op_name, sizes, what):
    sizes = np.asarray(sizes)
    if sizes.ndim != 1:
        raise _error(
            op_name,
            f"Conv2DBackprop{what.title()}: {what}_sizes input must be 1-dim, not {sizes.ndim}",
        )
    shape = tuple(int(s) for s in sizes)
    _dims(op_name, "input" if what == "input" else "filter", shape)
    return shape


def _check_same_dtype(op_name, a, b, index):
    dtype = dtypes.from_numpy(a.dtype)
    if dtype not in FLOATING:
        raise _error(
            op_name,
            f"Value for attr 'T' of {dtype.name} is not in the list of "
            f"allowed values: half, bfloat16, float, double. Cast the "
            f"input first, e.g. tf.cast(x, tf.float32)",
        )
    if a.dtype != b.dtype:
        raise _dtype_mismatch(op_name, index, dtype, dtypes.from_numpy(b.dtype))


def _dtype_mismatch(op_name, index, expected, got) -> InvalidArgumentError:
    """TF's message for operands of different dtypes (TF's C type names)."""
    names = {dtypes.float32: "float", dtypes.float64: "double", dtypes.float16: "half"}
    return _error(
        op_name,
        f"cannot compute {op_name} as input #{index}(zero-based) was "
        f"expected to be a {names.get(expected, expected.name)} tensor but "
        f"is a {names.get(got, got.name)} tensor. Cast one of them, e.g. "
        f"tf.cast(t, tf.{expected.name})",
    )


# -- DepthwiseConv2dNative --------------------------------------------------


def _depthwise_conv2d_native_kernel(
    input,
    filter,
    strides,
    padding,  # noqa: A002
    explicit_paddings=(),
    data_format="NHWC",
    dilations=_NO_DILATIONS,
):
    op = _FWD
    stride, dil, pads = _check_attrs(
        op, strides, padding, explicit_paddings, data_format, dilations
    )
    _dims(op, "input", input.shape)
    if filter.ndim != 4:
        raise _error(op, f"filter must be 4-dimensional: {list(filter.shape)}")
    n, h, w, c = input.shape
    kh, kw, fc, m = filter.shape
    if fc != c:
        raise _error(op, f"input and filter must have the same depth: {c} vs {fc}")
    rows, cols = _windows(op, (h, w), (kh, kw), stride, dil, padding, pads)
    ho, wo = rows.out, cols.out
    ctype = _compute_dtype(input.dtype)
    if n * ho * wo * c * m == 0:
        return np.zeros((n, ho, wo, c * m), dtype=input.dtype)
    xp = _padded(input.astype(ctype, copy=False), rows, cols)
    f = filter.astype(ctype, copy=False)
    tmp = np.empty((n, ho, wo, c), dtype=ctype)
    # One contiguous plane per multiplier q: broadcasting over a short trailing axis of
    # size m is several times slower in NumPy.
    planes = []
    for q in range(m):
        acc = np.zeros((n, ho, wo, c), dtype=ctype)
        for i in range(kh):
            for j in range(kw):
                acc += np.multiply(_window(xp, i, j, dil, stride, ho, wo), f[i, j, :, q], out=tmp)
        planes.append(acc)
    out = planes[0][..., None] if m == 1 else np.stack(planes, axis=-1)
    return out.reshape(n, ho, wo, c * m).astype(input.dtype, copy=False)


def _spatial_infer(op_name, in_hw, k_hw, strides, padding, explicit_paddings, dilations):
    stride, dil, pads = _check_attrs(
        op_name, strides, padding, explicit_paddings, "NHWC", dilations
    )
    outs = []
    for a, (n, k) in enumerate(zip(in_hw, k_hw)):
        if k is not None:
            pair = pads[a] if pads else (0, 0)
            outs.append(window_dims([n], [k], [stride], [dil[a]], padding, [pair], op_name)[0].out)
        else:  # an unknown window: only SAME's output size does not depend on it
            outs.append(-(-n // stride) if padding == "SAME" and n is not None else None)
    return outs


def _depthwise_conv2d_native_infer(
    input: Spec,
    filter: Spec,
    strides=_NO_DILATIONS,  # noqa: A002
    padding="VALID",
    explicit_paddings=(),
    data_format="NHWC",
    dilations=_NO_DILATIONS,
) -> Spec:
    x = input.shape.as_list() if input.shape.rank is not None else [None] * 4
    f = filter.shape.as_list() if filter.shape.rank is not None else [None] * 4
    rows, cols = _spatial_infer(
        _FWD, x[1:3], f[0:2], strides, padding, explicit_paddings, dilations
    )
    depth = None if None in (x[3], f[3]) else x[3] * f[3]
    return Spec(input.dtype, TensorShape([x[0], rows, cols, depth]))


def _depthwise_conv2d_native_grad(call, dy):
    """dx = DepthwiseConv2dNativeBackpropInput(shape(x), f, dy); df =
    DepthwiseConv2dNativeBackpropFilter(x, shape(f), dy)."""
    x, f = call.inputs
    dx = _backprop_input(_shape_of(x), f, dy, call.attrs, like=x)
    df = _backprop_filter(x, _shape_of(f), dy, call.attrs, like=f)
    return dx, df


_DEPTHWISE_CONV2D_NATIVE = register(
    _FWD,
    kernel=_depthwise_conv2d_native_kernel,
    grad=_depthwise_conv2d_native_grad,
    infer=_depthwise_conv2d_native_infer,
    same_dtype=True,
    allowed=FLOATING,
)


# -- DepthwiseConv2dNativeBackpropInput -------------------------------------


def _depthwise_conv2d_native_backprop_input_kernel(
    input_sizes,
    filter,
    out_backprop,  # noqa: A002
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=_NO_DILATIONS,
):
    op = _BPI
    stride, dil, pads = _check_attrs(
        op, strides, padding, explicit_paddings, data_format, dilations
    )
    shape = _sizes(op, input_sizes, "input")
    _dims(op, "filter", filter.shape)
    _dims(op, "out_backprop", out_backprop.shape)
    _check_same_dtype(op, filter, out_backprop, 2)
    n, h, w, c = shape
    kh, kw, _, m = filter.shape
    _check_depths(op, c, filter.shape, out_backprop.shape[3])
    rows, cols = _windows(op, (h, w), (kh, kw), stride, dil, padding, pads)
    _check_out_backprop(op, shape, out_backprop.shape, rows, cols)
    ho, wo = rows.out, cols.out
    ctype = _compute_dtype(filter.dtype)
    hp, wp = h + rows.pad_before + rows.pad_after, w + cols.pad_before + cols.pad_after
    dxp = np.zeros((n, hp, wp, c), dtype=ctype)
    if ho * wo * n * c:
        planes = _planes(out_backprop, ctype, m)
        f = filter.astype(ctype, copy=False)
        tmp = np.empty((n, ho, wo, c), dtype=ctype)
        for i in range(kh):
            for j in range(kw):
                view = _window(dxp, i, j, dil, stride, ho, wo)
                for q, plane in enumerate(planes):
                    view += np.multiply(plane, f[i, j, :, q], out=tmp)
    dx = dxp[:, rows.pad_before : rows.pad_before + h, cols.pad_before : cols.pad_before + w]
    return np.ascontiguousarray(dx, dtype=filter.dtype)


def _depthwise_conv2d_native_backprop_input_infer(
    input_sizes: Spec,
    filter: Spec,  # noqa: A002
    out_backprop: Spec,
    strides=_NO_DILATIONS,
    padding="VALID",
    explicit_paddings=(),
    data_format="NHWC",
    dilations=_NO_DILATIONS,
) -> Spec:
    # The spatial sizes are values of ``input_sizes``, known where tracing knows them.
    f = filter.shape.as_list() if filter.shape.rank is not None else [None] * 4
    dy = out_backprop.shape.as_list() if out_backprop.shape.rank is not None else [None] * 4
    dims = merge_dims(value_dims(input_sizes, 4), [dy[0], None, None, f[2]])
    return Spec(filter.dtype, TensorShape(dims))


def _depthwise_conv2d_native_backprop_input_grad(call, g):
    """d/df = DepthwiseConv2dNativeBackpropFilter(g, shape(f), dy); d/d(dy) =
    DepthwiseConv2dNative(g, f); input_sizes gets none."""
    _, f, dy = call.inputs
    df = _backprop_filter(g, _shape_of(f), dy, call.attrs, like=f)
    ddy = execute(_DEPTHWISE_CONV2D_NATIVE, (g, f), call.attrs)
    return None, df, ddy


_DEPTHWISE_CONV2D_NATIVE_BACKPROP_INPUT = register(
    _BPI,
    kernel=_depthwise_conv2d_native_backprop_input_kernel,
    grad=_depthwise_conv2d_native_backprop_input_grad,
    infer=_depthwise_conv2d_native_backprop_input_infer,
    shape_inputs=(0,),
)


# -- DepthwiseConv2dNativeBackpropFilter ------------------------------------


def _depthwise_conv2d_native_backprop_filter_kernel(
    input,
    filter_sizes,
    out_backprop,  # noqa: A002
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=_NO_DILATIONS,
):
    op = _BPF
    stride, dil, pads = _check_attrs(
        op, strides, padding, explicit_paddings, data_format, dilations
    )
    fshape = _sizes(op, filter_sizes, "filter")
    _dims(op, "input", input.shape)
    _dims(op, "out_backprop", out_backprop.shape)
    _check_same_dtype(op, input, out_backprop, 2)
    n, h, w, c = input.shape
    kh, kw, _, m = fshape
    _check_depths(op, c, fshape, out_backprop.shape[3])
    rows, cols = _windows(op, (h, w), (kh, kw), stride, dil, padding, pads)
    _check_out_backprop(op, input.shape, out_backprop.shape, rows, cols)
    ho, wo = rows.out, cols.out
    ctype = _compute_dtype(input.dtype)
    df = np.zeros((kh, kw, c, m), dtype=ctype)
    if ho * wo * n * c:
        xp = _padded(input.astype(ctype, copy=False), rows, cols)
        planes = _planes(out_backprop, ctype, m)
        for i in range(kh):
            for j in range(kw):
                win = _window(xp, i, j, dil, stride, ho, wo)
                for q, plane in enumerate(planes):
                    df[i, j, :, q] = np.einsum("nhwc,nhwc->c", win, plane)
    return df.astype(input.dtype, copy=False)


def _depthwise_conv2d_native_backprop_filter_infer(
    input: Spec,
    filter_sizes: Spec,  # noqa: A002
    out_backprop: Spec,
    strides=_NO_DILATIONS,
    padding="VALID",
    explicit_paddings=(),
    data_format="NHWC",
    dilations=_NO_DILATIONS,
) -> Spec:
    # The window sizes are values of ``filter_sizes``, known where tracing knows them.
    x = input.shape.as_list() if input.shape.rank is not None else [None] * 4
    dy = out_backprop.shape.as_list() if out_backprop.shape.rank is not None else [None] * 4
    multiplier = dy[3] // x[3] if x[3] and dy[3] is not None else None
    dims = merge_dims(value_dims(filter_sizes, 4), [None, None, x[3], multiplier])
    return Spec(input.dtype, TensorShape(dims))


def _depthwise_conv2d_native_backprop_filter_grad(call, g):
    """d/dx = DepthwiseConv2dNativeBackpropInput(shape(x), g, dy); d/d(dy) =
    DepthwiseConv2dNative(x, g); filter_sizes gets none."""
    x, _, dy = call.inputs
    dx = _backprop_input(_shape_of(x), g, dy, call.attrs, like=x)
    ddy = execute(_DEPTHWISE_CONV2D_NATIVE, (x, g), call.attrs)
    return dx, None, ddy


_DEPTHWISE_CONV2D_NATIVE_BACKPROP_FILTER = register(
    _BPF,
    kernel=_depthwise_conv2d_native_backprop_filter_kernel,
    grad=_depthwise_conv2d_native_backprop_filter_grad,
    infer=_depthwise_conv2d_native_backprop_filter_infer,
    shape_inputs=(1,),
)


# -- Gradient helpers ---------------------------------------------------------


def _shape_of(t: Tensor) -> Tensor:
    """``t``'s shape as an int32 tensor: a constant when known on every call."""
    shape = runtime_shape(t)
    if isinstance(shape, tuple):
        return Tensor(np.array(shape, dtype=np.int32), dtypes.int32)
    return shape


def _pin_shape(t: Tensor, like: Tensor) -> Tensor:
    """``t`` with the static shape of ``like`` where the backprop's inference could not
    know it (its sizes come from a shape tensor): a variable's gradient then keeps the
    variable's shape inside traced train steps."""
    want = static_dims(like)
    have = t.shape.as_list()
    if all(h is not None or w is None for h, w in zip(have, want)):
        return t
    if sum(w is None for w in want) > 1:
        return t
    return reshape(t, [-1 if w is None else w for w in want])


def _backprop_input(sizes, f, dy, attrs, like):
    return _pin_shape(execute(_DEPTHWISE_CONV2D_NATIVE_BACKPROP_INPUT, (sizes, f, dy), attrs), like)


def _backprop_filter(x, sizes, dy, attrs, like):
    return _pin_shape(
        execute(_DEPTHWISE_CONV2D_NATIVE_BACKPROP_FILTER, (x, sizes, dy), attrs), like
    )


# -- Public functions (tf.nn) ---------------------------------------------------


def _padding_arg(padding):
    """TF's ``convert_padding``: a padding string, or 4 ``[before, after]`` pairs, as
    ``(padding, explicit_paddings)``."""
    if isinstance(padding, str):
        if padding == "EXPLICIT":
            raise ValueError(
                "'EXPLICIT' is not a valid value for `padding`. To use explicit "
                "padding, `padding` must be a list."
            )
        return padding, []
    flat = []
    for i, pair in enumerate(padding):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(
                f"When `padding` is a list, each element of `padding` must be a "
                f"list/tuple of size 2. Received: padding={padding} with element "
                f"at index {i}: {pair!r}"
            )
        flat.extend(int(p) for p in pair)
    if len(flat) != 8:
        raise ValueError(
            f"When padding is a list, it must be of size 4. Received: "
            f"padding={padding} of size {len(flat) // 2}"
        )
    return "EXPLICIT", flat


def _attrs(strides, padding, data_format, dilations):
    padding, explicit = _padding_arg(padding)
    return {
        "strides": [int(s) for s in strides],
        "padding": padding,
        "explicit_paddings": explicit,
        "data_format": data_format or "NHWC",
        "dilations": [int(d) for d in dilations],
    }


def _native(x, f, attrs) -> Tensor:
    return execute(_DEPTHWISE_CONV2D_NATIVE, (x, f), attrs)


def _rates(dilations) -> tuple:
    if dilations is None:
        return (1, 1)
    rates = tuple(int(d) for d in dilations)
    if len(rates) != 2:
        raise ValueError(
            f"`dilations` must hold 2 values (height, width) for a depthwise "
            f"convolution. Received: dilations={list(dilations)}"
        )
    if min(rates) < 1:
        raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={list(rates)}")
    return rates


def depthwise_conv2d(
    input,
    filter,
    strides,
    padding,
    data_format=None,  # noqa: A002
    dilations=None,
    name=None,
) -> Tensor:
    """Depthwise 2-D convolution (``tf.nn.depthwise_conv2d``).

    Each of the ``in_channels`` input channels is convolved with its own
    ``channel_multiplier`` filters; output channel ``k * channel_multiplier + q`` comes
    from input channel ``k`` and ``filter[:, :, k, q]``.

    Args:
        input: a 4-D tensor, ``[batch, height, width, in_channels]`` (NHWC).
        filter: ``[filter_height, filter_width, in_channels, channel_multiplier]``.
        strides: 4 ints, ``[1, stride, stride, 1]``.
        padding: ``"SAME"``, ``"VALID"`` or 4 ``[before, after]`` pairs (batch and
            channel pairs ``[0, 0]``).
        data_format: ``"NHWC"`` (the default); ``"NCHW"`` is refused, as on TF's CPU build.
        dilations: 2 ints, the dilation rate along height and width. With a rate above 1
            and strides above 1, TF warns and samples its space-to-batch way (reproduced).
        name: unused.

    Returns:
        ``[batch, out_height, out_width, in_channels * channel_multiplier]``.

    Raises:
        InvalidArgumentError: mismatched channels or dtypes, bad strides or paddings.
        UnimplementedError: ``data_format="NCHW"``.
        ValueError: malformed ``padding`` or ``dilations`` arguments.

    >>> import tensorflux as tf
    >>> x = tf.reshape(tf.range(6.0), [1, 3, 2, 1])
    >>> f = tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), [2, 1, 1, 2])
    >>> tf.nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "VALID")[0, :, :, 0].numpy()
    array([[ 6., 10.],
           [14., 18.]], dtype=float32)
    """
    x, f = to_tensor(input), to_tensor(filter)
    rates = _rates(dilations)
    attrs = _attrs(strides, padding, data_format, _NO_DILATIONS)
    if rates == (1, 1):
        return _native(x, f, attrs)
    if any(s != 1 for s in attrs["strides"]):
        warnings.warn(
            f"When dilation rate is greater than 1, then all values of strides must "
            f"be 1. Received: `dilation rate` {list(rates)} and `strides` "
            f"{list(strides)}",
            stacklevel=2,
        )
        if attrs["data_format"] == "NHWC" and attrs["strides"][1] > 1:
            return _space_to_batch_sampled(x, f, attrs, rates)
    nchw = attrs["data_format"] == "NCHW"
    attrs["dilations"] = [1, 1, *rates] if nchw else [1, rates[0], rates[1], 1]
    return _native(x, f, attrs)


def _space_to_batch_sampled(x, f, attrs, rates) -> Tensor:
    """TF's result for dilation rates and strides above 1: it runs the strided convolution
    on each of the ``rate x rate`` interleaved sub-images (space-to-batch) and
    interleaves the results, so output row ``i`` reads the stride-1 dilated
    convolution at ``i % rate + rate * stride * (i // rate)`` of an input padded at the
    end to a multiple of the rate."""
    stride = attrs["strides"][1]
    if attrs["strides"][1] != attrs["strides"][2]:
        return _native(x, f, attrs)  # the op raises TF's error for unequal strides
    # Reading the example sizes makes a trace with unknown sizes specialise to them.
    sizes, ksizes = x._value.shape[1:3], f._value.shape[:2]
    if attrs["padding"] == "EXPLICIT":
        base = [tuple(attrs["explicit_paddings"][2 * a : 2 * a + 2]) for a in (1, 2)]
    elif attrs["padding"] == "SAME":
        base = [((k - 1) * r // 2, (k - 1) * r - (k - 1) * r // 2) for k, r in zip(ksizes, rates)]
    else:
        base = [(0, 0), (0, 0)]
    pads, picks = [], []
    for n, k, r, (before, after) in zip(sizes, ksizes, rates, base):
        extra = -(n + before + after) % r
        sub = window_dims(
            [(n + before + after + extra) // r], [k], [stride], [1], "VALID", op_name=_FWD
        )[0].out
        picks.append(
            np.array(
                [i % r + r * stride * (i // r) for i in range(sub * r - extra)], dtype=np.int32
            )
        )
        pads.extend([before, after + extra])
    dense = dict(
        attrs,
        strides=[1, 1, 1, 1],
        padding="EXPLICIT",
        explicit_paddings=[0, 0, *pads, 0, 0],
        dilations=[1, *rates, 1],
    )
    full = _native(x, f, dense)
    return gather(gather(full, picks[0], axis=1), picks[1], axis=2)


def depthwise_conv2d_backprop_input(
    input_sizes,
    filter,
    out_backprop,
    strides,  # noqa: A002
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its input
    (``tf.nn.depthwise_conv2d_backprop_input``).

    Args:
        input_sizes: the input's shape, 4 ints or an int32 tensor.
        filter: ``[filter_height, filter_width, in_channels, channel_multiplier]``.
        out_backprop: the gradient of the convolution's output.
        strides, padding, data_format: as for ``depthwise_conv2d`` (``padding`` may be a
            list of 4 pairs).
        dilations: 4 ints (batch and channel entries 1).

    Returns:
        A tensor of shape ``input_sizes``, of ``filter``'s dtype.

    Raises:
        InvalidArgumentError: sizes that do not fit the filter and ``out_backprop``.

    >>> import tensorflux as tf
    >>> dx = tf.nn.depthwise_conv2d_backprop_input(
    ...     [1, 3, 3, 1], tf.ones([2, 2, 1, 1]), tf.ones([1, 2, 2, 1]), [1, 1, 1, 1], "VALID")
    >>> dx[0, :, :, 0].numpy()
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]], dtype=float32)
    """
    sizes = to_tensor(input_sizes, dtypes.int32)
    return execute(
        _DEPTHWISE_CONV2D_NATIVE_BACKPROP_INPUT,
        (sizes, to_tensor(filter), to_tensor(out_backprop)),
        _attrs(strides, padding, data_format, dilations),
    )


def depthwise_conv2d_backprop_filter(
    input,
    filter_sizes,
    out_backprop,
    strides,  # noqa: A002
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its filter
    (``tf.nn.depthwise_conv2d_backprop_filter``).

    Args:
        input: the convolution's input, ``[batch, height, width, in_channels]``.
        filter_sizes: the filter's shape, 4 ints or an int32 tensor.
        out_backprop: the gradient of the convolution's output.
        strides, padding, data_format, dilations: as for
            ``depthwise_conv2d_backprop_input``.

    Returns:
        A tensor of shape ``filter_sizes``, of ``input``'s dtype.

    Raises:
        InvalidArgumentError: sizes that do not fit the input and ``out_backprop``.

    >>> import tensorflux as tf
    >>> df = tf.nn.depthwise_conv2d_backprop_filter(
    ...     tf.ones([1, 3, 3, 1]), [2, 2, 1, 1], tf.ones([1, 2, 2, 1]), [1, 1, 1, 1], "VALID")
    >>> df[:, :, 0, 0].numpy()
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    sizes = to_tensor(filter_sizes, dtypes.int32)
    return execute(
        _DEPTHWISE_CONV2D_NATIVE_BACKPROP_FILTER,
        (to_tensor(input), sizes, to_tensor(out_backprop)),
        _attrs(strides, padding, data_format, dilations),
    )


def _pointwise(y: Tensor, pointwise: Tensor) -> Tensor:
    """The 1x1 convolution of ``separable_conv2d``: a product over the channel axis."""
    pdims = static_dims(pointwise)
    if len(pdims) != 4:
        raise ValueError(f"Shape {tuple(pdims)} must have rank 4")
    for d in pdims[:2]:
        if d not in (None, 1):
            raise ValueError(f"Dimensions {d} and 1 are not compatible")
    if pointwise.dtype != y.dtype:
        raise _dtype_mismatch("Conv2D", 1, y.dtype, pointwise.dtype)
    depth, pdepth = static_dims(y)[3], pdims[2]
    if None not in (depth, pdepth) and depth != pdepth:
        if depth % pdepth:
            raise _error(
                "Conv2D",
                f"input depth must be evenly divisible by filter depth: {depth} vs {pdepth}",
            )
        raise _error(
            "Conv2D",
            f"separable_conv2d: the pointwise filter's depth {pdepth} must "
            f"equal in_channels * channel_multiplier = {depth} (grouped "
            f"pointwise convolutions are not supported)",
        )
    from tensorflux.ops.linalg_ops import tensordot

    kernel = reshape(pointwise, [-1 if pdepth is None else pdepth, -1])
    return tensordot(y, kernel, [[3], [0]])


def separable_conv2d(
    input,
    depthwise_filter,
    pointwise_filter,
    strides,
    padding,  # noqa: A002
    data_format=None,
    dilations=None,
    name=None,
) -> Tensor:
    """A depthwise convolution followed by a 1x1 convolution that mixes the channels
    (``tf.nn.separable_conv2d``).

    Args:
        input: ``[batch, height, width, in_channels]`` (NHWC).
        depthwise_filter: ``[filter_height, filter_width, in_channels, channel_multiplier]``.
        pointwise_filter: ``[1, 1, in_channels * channel_multiplier, out_channels]``.
        strides, padding, data_format, dilations: of the depthwise step, as for
            ``depthwise_conv2d``; the pointwise step has strides 1.
        name: unused.

    Returns:
        ``[batch, out_height, out_width, out_channels]``.

    Raises:
        ValueError: a pointwise filter that is not ``[1, 1, ., .]``.
        InvalidArgumentError: channels or dtypes that do not match.

    >>> import tensorflux as tf
    >>> y = tf.nn.separable_conv2d(tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 2, 1]),
    ...                            tf.ones([1, 1, 2, 5]), [1, 1, 1, 1], "VALID")
    >>> y.shape
    TensorShape([1, 2, 2, 5])
    """
    x, dw, pw = to_tensor(input), to_tensor(depthwise_filter), to_tensor(pointwise_filter)
    if len(static_dims(pw)) != 4:
        raise ValueError(f"Shape {tuple(static_dims(pw))} must have rank 4")
    y = depthwise_conv2d(x, dw, strides, padding, data_format, dilations)
    return _pointwise(y, pw)
