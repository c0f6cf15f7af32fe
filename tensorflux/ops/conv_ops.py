"""The convolution ops: Conv2D, Conv3D and their input and filter gradients.

Each op has TF's name, inputs and attrs (``strides``, ``padding``,
``explicit_paddings``, ``data_format``, ``dilations`` as full-rank lists), so a
faster kernel (oneDNN) can register under the same contract. Shapes that TF passes
as tensors are op inputs: ``input_sizes`` of the input gradients, ``filter_sizes`` of
the filter gradients; one op serves static and traced shapes.

They are primitives: im2col + BLAS (``conv_im2col``) is orders of magnitude faster
than any composition of smaller ops. Each gradient is written with these ops, as in
TF, so gradients of gradients work:

- ``Conv2D(x, w)``: ``dx = Conv2DBackpropInput(shape(x), w, dy)``,
  ``dw = Conv2DBackpropFilter(x, shape(w), dy)``;
- ``Conv2DBackpropInput(sizes, w, g)`` is linear in ``w`` and ``g``: ``dw =
  Conv2DBackpropFilter(dy, shape(w), g)``, ``dg = Conv2D(dy, w)``;
- ``Conv2DBackpropFilter(x, sizes, g)``: ``dx = Conv2DBackpropInput(shape(x), dy, g)``,
  ``dg = Conv2D(x, dy)``; and the same for the 3-D ops.

Only channels-last layouts run, as on TF's CPU build; NCHW/NCDHW raise TF's errors.
Unlike TF's CPU kernels, the gradients also support dilations (TF's CPU refuses them).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, _dtype_mismatch, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops import conv_im2col
from tensorflux.ops.common import known_shape, merge_dims, value_dims
from tensorflux.ops.window_ops_utils import explicit_pairs, window_dims

__all__ = [
    "conv_geometry",
    "conv_raw",
    "conv_backprop_input_raw",
    "conv_backprop_filter_raw",
    "shape_tensor",
]

_FORMATS = {2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
_PADDINGS = {2: ("SAME", "VALID", "EXPLICIT"), 3: ("SAME", "VALID")}


def _fail(op: str, message: str, cls=InvalidArgumentError):
    return cls(None, op, f"{message} [Op:{op}]")


def _dims_text(dims) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _check_attrs(op: str, r: int, strides, padding, explicit_paddings, data_format, dilations):
    """TF's attr checks of a convolution op; returns the spatial strides and dilations."""
    if data_format not in _FORMATS[r]:
        allowed = ", ".join(f'"{f}"' for f in _FORMATS[r])
        raise _fail(
            op,
            f"Value for attr 'data_format' of \"{data_format}\" is not in the list "
            f"of allowed values: {allowed}",
        )
    if padding not in _PADDINGS[r]:
        allowed = ", ".join(f'"{p}"' for p in _PADDINGS[r])
        raise _fail(
            op,
            f"Value for attr 'padding' of \"{padding}\" is not in the list of "
            f"allowed values: {allowed}",
        )
    n = r + 2
    if len(strides) != n:
        raise _fail(op, f"Sliding window strides field must specify {n} dimensions")
    if len(dilations) != n:
        raise _fail(op, f"Sliding window dilations field must specify {n} dimensions")
    channel = 1 if data_format.startswith("NC") else n - 1
    spatial = [i for i in range(1, n) if i != channel]
    if strides[0] != 1 or strides[channel] != 1:
        raise _fail(
            op,
            "Current implementation does not yet support strides in the batch "
            "and depth dimensions.",
            UnimplementedError,
        )
    if dilations[0] != 1 or dilations[channel] != 1:
        raise _fail(
            op,
            "Current implementation does not yet support dilations in the batch "
            "and depth dimensions.",
            UnimplementedError,
        )
    s = [int(strides[i]) for i in spatial]
    d = [int(dilations[i]) for i in spatial]
    if min(s) <= 0:
        raise _fail(
            op,
            "Row and column strides should be larger than 0."
            if r == 2
            else "Strides should be larger than 0.",
        )
    if min(d) <= 0:
        raise _fail(op, "Dilated rates should be larger than 0.")
    if padding == "EXPLICIT":
        pads = explicit_pairs(explicit_paddings, spatial, op)
    elif len(explicit_paddings):
        raise _fail(
            op, "explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT"
        )
    else:
        pads = None
    return s, d, spatial, channel, pads


def conv_geometry(
    op: str,
    r: int,
    in_dims,
    f_dims,
    strides,
    padding,
    explicit_paddings=(),
    data_format=None,
    dilations=None,
):
    """Checks a convolution's attrs and shapes as TF does and computes its output.

    Args:
        op: the op name, for errors.
        r: the number of spatial dimensions (2 or 3).
        in_dims, f_dims: the input and filter dimensions (lists; None where unknown).

    Returns:
        ``(strides, dilations, window dims, output dims)``: the spatial strides and
        dilations, a ``WindowDim`` per spatial axis, and the output's dimensions.

    Raises:
        InvalidArgumentError / UnimplementedError: TF's errors for bad attrs or shapes.
    """
    data_format = data_format or _FORMATS[r][0]
    dilations = dilations or (1,) * (r + 2)
    s, d, spatial, channel, pads = _check_attrs(
        op, r, strides, padding, explicit_paddings, data_format, dilations
    )
    word = "Conv3D" if r == 3 else "convolution"
    if len(in_dims) != r + 2:
        raise _fail(op, f"{word} input must be {r + 2}-dimensional: {_dims_text(in_dims)}")
    if len(f_dims) != r + 2:
        raise _fail(op, f"{word} filter must be {r + 2}-dimensional: {_dims_text(f_dims)}")
    depth, f_depth = in_dims[channel], f_dims[r]
    if f_depth is not None and f_depth <= 0:
        raise _fail(op, f"filter depth must be stricly positive, got {f_depth}")
    if depth is not None and f_depth is not None:
        if r == 3 and depth != f_depth:
            raise _fail(
                op,
                f"Input depth must be evenly divisible by filter depth: {depth} vs "
                f"{f_depth}. Input shape {_dims_text(in_dims)}, filter shape "
                f"{_dims_text(f_dims)}: the filter's dimension {r} must equal the "
                f"input's channels",
            )
        if depth % f_depth:
            raise _fail(
                op,
                f"input depth must be evenly divisible by filter depth: {depth} vs "
                f"{f_depth}. Input shape {_dims_text(in_dims)}, filter shape "
                f"{_dims_text(f_dims)}: the filter's dimension {r} must divide the "
                f"input's channels",
            )
        f_out = f_dims[-1]
        if f_out is not None and f_out % (depth // f_depth):
            raise _fail(
                op,
                f"output depth must be evenly divisible by number of groups: "
                f"{f_out} vs {depth // f_depth}. Filter shape {_dims_text(f_dims)}: "
                f"its last dimension must be a multiple of the input's channels "
                f"divided by its dimension {r}",
            )
    dims = window_dims([in_dims[i] for i in spatial], f_dims[:r], s, d, padding, pads, op)
    out = list(in_dims)
    for i, w in zip(spatial, dims):
        out[i] = w.out
    out[channel] = f_dims[-1]
    return s, d, dims, out


def _numpy_dtype_check(op: str, a: np.ndarray, b: np.ndarray, index: int) -> None:
    if a.dtype != b.dtype:
        raise _dtype_mismatch(
            _OPS[op], index, dtypes.from_numpy(a.dtype), dtypes.from_numpy(b.dtype)
        )


def _refuse_channels_first(op: str, data_format: str) -> None:
    if not data_format.startswith("NC"):
        return
    if op == "Conv2D":
        raise _fail(
            op,
            "The Conv2D op currently only supports the NHWC tensor format on the "
            f"CPU. The op was given the format: {data_format}",
            UnimplementedError,
        )
    if op in ("Conv2DBackpropInput", "Conv2DBackpropFilter"):
        raise _fail(op, f"{op.replace('Conv2D', 'Conv2DCustom')}Op only supports NHWC.")
    if op == "Conv3D":
        raise _fail(
            op, "CPU implementation of Conv3D currently only supports the NHWC tensor format."
        )
    raise _fail(op, f"{op.replace('V2', '')}OpV2 only supports NDHWC on the CPU.")


# -- Conv2D and Conv3D ------------------------------------------------------


def _conv_nd(op, r, x, w, strides, padding, explicit_paddings, data_format, dilations):
    s, d, dims, out = conv_geometry(
        op,
        r,
        list(x.shape),
        list(w.shape),
        strides,
        padding,
        explicit_paddings,
        data_format,
        dilations,
    )
    _refuse_channels_first(op, data_format)
    return conv_im2col.conv_forward(
        x, w, s, d, [(p.pad_before, p.pad_after) for p in dims], tuple(out[1:-1])
    )


def _conv2d_kernel(
    input,
    filter,
    strides,
    padding,
    explicit_paddings=(),  # noqa: A002
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
):
    return _conv_nd(
        "Conv2D", 2, input, filter, strides, padding, explicit_paddings, data_format, dilations
    )


def _conv3d_kernel(
    input,
    filter,
    strides,
    padding,
    data_format="NDHWC",  # noqa: A002
    dilations=(1, 1, 1, 1, 1),
):
    return _conv_nd("Conv3D", 3, input, filter, strides, padding, (), data_format, dilations)


def _conv_infer(op, r, x: Spec, w: Spec, attrs) -> Spec:
    if x.shape.rank is None or w.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    out = conv_geometry(op, r, x.shape.as_list(), w.shape.as_list(), **attrs)[3]
    return Spec(x.dtype, TensorShape(out))


def _conv2d_infer(input: Spec, filter: Spec, **attrs) -> Spec:  # noqa: A002
    return _conv_infer("Conv2D", 2, input, filter, attrs)


def _conv3d_infer(input: Spec, filter: Spec, **attrs) -> Spec:  # noqa: A002
    return _conv_infer("Conv3D", 3, input, filter, attrs)


def shape_tensor(x: Tensor) -> Tensor:
    """``x``'s shape as int32: a constant when known on every call, else ``tf.shape(x)``."""
    shape = known_shape(x)
    if shape is not None:
        return Tensor(np.asarray(shape, dtype=np.int32), dtypes.int32)
    from tensorflux.ops.shape_ops import shape as shape_of

    return shape_of(x)


def _conv2d_grad(call, dy):
    """dx = Conv2DBackpropInput(shape(x), w, dy), dw = Conv2DBackpropFilter(x, shape(w), dy)."""
    x, w = call.inputs
    return (
        conv_backprop_input_raw(2, shape_tensor(x), w, dy, call.attrs),
        conv_backprop_filter_raw(2, x, shape_tensor(w), dy, call.attrs),
    )


def _conv3d_grad(call, dy):
    """dx = Conv3DBackpropInputV2(shape(x), w, dy), dw = Conv3DBackpropFilterV2(x, shape(w),
    dy)."""
    x, w = call.inputs
    return (
        conv_backprop_input_raw(3, shape_tensor(x), w, dy, call.attrs),
        conv_backprop_filter_raw(3, x, shape_tensor(w), dy, call.attrs),
    )


_CONV_TYPES = FLOATING | {dtypes.int32}
_CONV2D = register(
    "Conv2D",
    kernel=_conv2d_kernel,
    grad=_conv2d_grad,
    infer=_conv2d_infer,
    same_dtype=True,
    allowed=_CONV_TYPES,
)
_CONV3D = register(
    "Conv3D",
    kernel=_conv3d_kernel,
    grad=_conv3d_grad,
    infer=_conv3d_infer,
    same_dtype=True,
    allowed=FLOATING,
)


def conv_raw(r: int, x: Tensor, w: Tensor, attrs: dict) -> Tensor:
    """Runs Conv2D (``r`` = 2) or Conv3D (3) after checking shapes as the op will, so
    errors come before a trace records anything."""
    op = _CONV2D if r == 2 else _CONV3D
    if x._dtype is w._dtype:
        _conv_infer(op.name, r, Spec(x._dtype, x.shape), Spec(w._dtype, w.shape), attrs)
    return execute(op, (x, w), attrs)


# -- Conv2DBackpropInput and Conv3DBackpropInputV2 --------------------------


def _sizes_list(op: str, r: int, sizes, w_shape, dy_shape, channel: int) -> list:
    """``input_sizes`` as the full input dimensions (TF also takes the spatial ones
    alone for Conv2D); dims may be None in inference."""
    sizes = list(sizes)
    if len(sizes) == r + 2:
        return sizes
    if r == 2 and len(sizes) == r:
        full = [dy_shape[0], *sizes]
        full.insert(channel, w_shape[r])
        return full
    if r == 2:
        raise _fail(
            op,
            f"Conv2DBackpropInput requires input_sizes to contain 4 values or 2 "
            f"values, but got: {len(sizes)}",
        )
    raise _fail(op, f"input_sizes must have {r + 2} values, but got: {len(sizes)}")


def _backprop_checks(op: str, r: int, in_dims, f_dims, dy_dims, attrs):
    """The geometry of a gradient op, checked against ``out_backprop`` as TF checks it."""
    s, d, dims, out = conv_geometry(op, r, in_dims, f_dims, **attrs)
    fmt = attrs.get("data_format") or _FORMATS[r][0]
    channel = 1 if fmt.startswith("NC") else r + 1
    spatial = [i for i in range(1, r + 2) if i != channel]
    label = f"{op.replace('Conv2D', 'Conv2DCustom').replace('V2', '')}"
    if len(dy_dims) != r + 2:
        raise _fail(
            op,
            f"{label}: out_backprop must be {r + 2}-dimensional, got shape {_dims_text(dy_dims)}",
        )
    if None not in (in_dims[0], dy_dims[0]) and in_dims[0] != dy_dims[0]:
        raise _fail(
            op,
            f"{label}: input and out_backprop must have the same batch size. "
            f"Input batch: {in_dims[0]}, outbackprop batch: {dy_dims[0]}, "
            f"batch_dim: 0",
        )
    if None not in (f_dims[-1], dy_dims[channel]) and f_dims[-1] != dy_dims[channel]:
        raise _fail(
            op,
            f"{label}: filter and out_backprop must have the same out_depth. "
            f"Filter shape {_dims_text(f_dims)}, out_backprop shape "
            f"{_dims_text(dy_dims)}",
        )
    for k, (i, w) in enumerate(zip(spatial, dims)):
        if None not in (w.out, dy_dims[i]) and w.out != dy_dims[i]:
            raise _fail(
                op,
                f"{label}: Size of out_backprop doesn't match computed: actual = "
                f"{dy_dims[i]}, computed = {w.out} spatial_dim: {i} input: "
                f"{in_dims[i]} filter: {f_dims[k]} output: {dy_dims[i]} stride: "
                f"{s[k]} dilation: {d[k]}",
            )
    return s, d, dims, out


def _backprop_input(op, r, sizes, w, dy, attrs):
    _numpy_dtype_check(op, w, dy, 2)
    fmt = attrs.get("data_format") or _FORMATS[r][0]
    channel = 1 if fmt.startswith("NC") else r + 1
    in_dims = _sizes_list(
        op, r, [int(v) for v in np.asarray(sizes).reshape(-1)], w.shape, dy.shape, channel
    )
    s, d, dims, _ = _backprop_checks(op, r, in_dims, list(w.shape), list(dy.shape), attrs)
    _refuse_channels_first(op, fmt)
    return conv_im2col.conv_backprop_input(
        tuple(in_dims),
        w,
        dy,
        s,
        d,
        [(p.pad_before, p.pad_after) for p in dims],
        tuple(dy.shape[1:-1]),
    )


def _conv2d_backprop_input_kernel(
    input_sizes,
    filter,
    out_backprop,
    strides,  # noqa: A002
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
):
    return _backprop_input(
        "Conv2DBackpropInput",
        2,
        input_sizes,
        filter,
        out_backprop,
        dict(
            strides=strides,
            padding=padding,
            explicit_paddings=explicit_paddings,
            data_format=data_format,
            dilations=dilations,
        ),
    )


def _conv3d_backprop_input_v2_kernel(
    input_sizes,
    filter,
    out_backprop,
    strides,  # noqa: A002
    padding,
    data_format="NDHWC",
    dilations=(1, 1, 1, 1, 1),
):
    return _backprop_input(
        "Conv3DBackpropInputV2",
        3,
        input_sizes,
        filter,
        out_backprop,
        dict(strides=strides, padding=padding, data_format=data_format, dilations=dilations),
    )


def _backprop_input_infer(r, sizes: Spec, w: Spec, dy: Spec) -> Spec:
    # The sizes are values, unknown here: only the batch is known (out_backprop's).
    # The callers reshape a traced result to the sizes, which carries what is known.
    rank = sizes.shape.as_list()[0] if sizes.shape.rank == 1 else None
    if rank is None or rank == r:
        rank = r + 2
    dims = [None] * rank
    if dy.shape.rank is not None:
        dims[0] = dy.shape.as_list()[0]
    return Spec(w.dtype, TensorShape(merge_dims(value_dims(sizes, rank), dims)))


def _conv2d_backprop_input_infer(
    input_sizes: Spec,
    filter: Spec,  # noqa: A002
    out_backprop: Spec,
    **attrs,
) -> Spec:
    return _backprop_input_infer(2, input_sizes, filter, out_backprop)


def _conv3d_backprop_input_v2_infer(
    input_sizes: Spec,
    filter: Spec,  # noqa: A002
    out_backprop: Spec,
    **attrs,
) -> Spec:
    return _backprop_input_infer(3, input_sizes, filter, out_backprop)


def _backprop_input_grad(r, call, dy):
    sizes, w, g = call.inputs
    return (
        None,
        conv_backprop_filter_raw(r, dy, shape_tensor(w), g, call.attrs),
        conv_raw(r, dy, w, call.attrs),
    )


def _conv2d_backprop_input_grad(call, dy):
    """d filter = Conv2DBackpropFilter(dy, shape(filter), out_backprop),
    d out_backprop = Conv2D(dy, filter); input_sizes gets none."""
    return _backprop_input_grad(2, call, dy)


def _conv3d_backprop_input_v2_grad(call, dy):
    """d filter = Conv3DBackpropFilterV2(dy, shape(filter), out_backprop),
    d out_backprop = Conv3D(dy, filter); input_sizes gets none."""
    return _backprop_input_grad(3, call, dy)


_CONV2D_BACKPROP_INPUT = register(
    "Conv2DBackpropInput",
    kernel=_conv2d_backprop_input_kernel,
    grad=_conv2d_backprop_input_grad,
    infer=_conv2d_backprop_input_infer,
    dynamic_shape=True,
)
_CONV3D_BACKPROP_INPUT = register(
    "Conv3DBackpropInputV2",
    kernel=_conv3d_backprop_input_v2_kernel,
    grad=_conv3d_backprop_input_v2_grad,
    infer=_conv3d_backprop_input_v2_infer,
    dynamic_shape=True,
)


# -- Conv2DBackpropFilter and Conv3DBackpropFilterV2 ------------------------


def _backprop_filter(op, r, x, sizes, dy, attrs):
    _numpy_dtype_check(op, x, dy, 2)
    f_dims = [int(v) for v in np.asarray(sizes).reshape(-1)]
    if len(f_dims) != r + 2:
        raise _fail(op, f"filter_sizes must have {r + 2} values, but got: {len(f_dims)}")
    s, d, dims, _ = _backprop_checks(op, r, list(x.shape), f_dims, list(dy.shape), attrs)
    _refuse_channels_first(op, attrs.get("data_format") or _FORMATS[r][0])
    return conv_im2col.conv_backprop_filter(
        x,
        tuple(f_dims),
        dy,
        s,
        d,
        [(p.pad_before, p.pad_after) for p in dims],
        tuple(dy.shape[1:-1]),
    )


def _conv2d_backprop_filter_kernel(
    input,
    filter_sizes,
    out_backprop,
    strides,  # noqa: A002
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
):
    return _backprop_filter(
        "Conv2DBackpropFilter",
        2,
        input,
        filter_sizes,
        out_backprop,
        dict(
            strides=strides,
            padding=padding,
            explicit_paddings=explicit_paddings,
            data_format=data_format,
            dilations=dilations,
        ),
    )


def _conv3d_backprop_filter_v2_kernel(
    input,
    filter_sizes,
    out_backprop,  # noqa: A002
    strides,
    padding,
    data_format="NDHWC",
    dilations=(1, 1, 1, 1, 1),
):
    return _backprop_filter(
        "Conv3DBackpropFilterV2",
        3,
        input,
        filter_sizes,
        out_backprop,
        dict(strides=strides, padding=padding, data_format=data_format, dilations=dilations),
    )


def _backprop_filter_infer(r, x: Spec, sizes: Spec) -> Spec:
    # filter_sizes are values; a filter has r + 2 dimensions, all known only from them.
    return Spec(x.dtype, TensorShape(value_dims(sizes, r + 2)))


def _conv2d_backprop_filter_infer(
    input: Spec,
    filter_sizes: Spec,  # noqa: A002
    out_backprop: Spec,
    **attrs,
) -> Spec:
    return _backprop_filter_infer(2, input, filter_sizes)


def _conv3d_backprop_filter_v2_infer(
    input: Spec,
    filter_sizes: Spec,  # noqa: A002
    out_backprop: Spec,
    **attrs,
) -> Spec:
    return _backprop_filter_infer(3, input, filter_sizes)


def _backprop_filter_grad(r, call, dy):
    x, sizes, g = call.inputs
    return (
        conv_backprop_input_raw(r, shape_tensor(x), dy, g, call.attrs),
        None,
        conv_raw(r, x, dy, call.attrs),
    )


def _conv2d_backprop_filter_grad(call, dy):
    """d input = Conv2DBackpropInput(shape(input), dy, out_backprop),
    d out_backprop = Conv2D(input, dy); filter_sizes gets none."""
    return _backprop_filter_grad(2, call, dy)


def _conv3d_backprop_filter_v2_grad(call, dy):
    """d input = Conv3DBackpropInputV2(shape(input), dy, out_backprop),
    d out_backprop = Conv3D(input, dy); filter_sizes gets none."""
    return _backprop_filter_grad(3, call, dy)


_CONV2D_BACKPROP_FILTER = register(
    "Conv2DBackpropFilter",
    kernel=_conv2d_backprop_filter_kernel,
    grad=_conv2d_backprop_filter_grad,
    infer=_conv2d_backprop_filter_infer,
    allowed=FLOATING,
    dynamic_shape=True,
)
_CONV3D_BACKPROP_FILTER = register(
    "Conv3DBackpropFilterV2",
    kernel=_conv3d_backprop_filter_v2_kernel,
    grad=_conv3d_backprop_filter_v2_grad,
    infer=_conv3d_backprop_filter_v2_infer,
    allowed=FLOATING,
    dynamic_shape=True,
)

_OPS = {
    op.name: op
    for op in (
        _CONV2D,
        _CONV3D,
        _CONV2D_BACKPROP_INPUT,
        _CONV3D_BACKPROP_INPUT,
        _CONV2D_BACKPROP_FILTER,
        _CONV3D_BACKPROP_FILTER,
    )
}


def _with_static_shape(out: Tensor, sizes, r: int) -> Tensor:
    """``out`` given the static shape that ``sizes`` holds: inference sees only the sizes'
    shape, not their values (TF's shape inference reads them), so a traced result whose
    shape is partly unknown is reshaped to them, which carries what is known of them."""
    if type(out) is not SymbolicTensor or out._shape is None:
        return out
    from tensorflux.ops.shape_ops import reshape

    if type(sizes) is SymbolicTensor:
        return reshape(out, sizes) if sizes.shape.as_list() == [r + 2] else out
    dims = tuple(int(v) for v in np.asarray(sizes).reshape(-1))
    return reshape(out, dims) if len(dims) == r + 2 else out


def conv_backprop_input_raw(r: int, sizes, w: Tensor, dy: Tensor, attrs: dict) -> Tensor:
    """Runs Conv2DBackpropInput (``r`` = 2) or Conv3DBackpropInputV2 (3); ``sizes`` is an
    int32 tensor (or a list)."""
    op = _CONV2D_BACKPROP_INPUT if r == 2 else _CONV3D_BACKPROP_INPUT
    if w._dtype is not dy._dtype:
        raise _dtype_mismatch(op, 2, w._dtype, dy._dtype)
    if w._dtype not in FLOATING:
        raise _fail(
            op.name,
            f"Value for attr 'T' of {w._dtype.name} is not in the list of "
            f"allowed values: half, bfloat16, float, double",
        )
    out = execute(op, (sizes, w, dy), attrs)
    return _with_static_shape(out, sizes, r)


def conv_backprop_filter_raw(r: int, x: Tensor, sizes, dy: Tensor, attrs: dict) -> Tensor:
    """Runs Conv2DBackpropFilter (``r`` = 2) or Conv3DBackpropFilterV2 (3)."""
    op = _CONV2D_BACKPROP_FILTER if r == 2 else _CONV3D_BACKPROP_FILTER
    if x._dtype is not dy._dtype:
        raise _dtype_mismatch(op, 2, x._dtype, dy._dtype)
    out = execute(op, (x, sizes, dy), attrs)
    return _with_static_shape(out, sizes, r)


# Registers _FusedConv2D and the rules that fuse Conv2D -> BiasAdd -> Relu in compiled graphs.
from tensorflux.ops import fused_conv_ops  # noqa: E402, F401
