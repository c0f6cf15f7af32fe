"""The pooling ops under TF's names: MaxPool, AvgPool, their 3-D and argmax forms, and
the gradient ops that make each differentiable to any order.

Pooling is a primitive: a window reduction done offset by offset on strided views
(``pooling_kernels``) is far cheaper than gathering windows with generic ops, and the
gradient ops are themselves ops with gradients (MaxPoolGrad <-> MaxPoolGradGrad,
AvgPoolGrad -> AvgPool), as in TF. Every op keeps TF's contract: TF's inputs (a shape
passed as a tensor is an input, as ``orig_input_shape`` of AvgPoolGrad) and TF's attrs
(full-rank ``ksize`` and ``strides``, ``padding``, ``data_format``), so faster kernels
can be registered under the same names.

The public ``tf.nn`` functions that run these ops live in ``nn_pooling``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import pooling_kernels as pk
from tensorflux.ops.common import fit_like, known_shape, merge_dims, runtime_shape, value_dims
from tensorflux.ops.creation_ops import zeros_like

__all__ = ["max_pool_op", "avg_pool_op", "max_pool_with_argmax_op"]

# Pooling in TF accepts every real type for max and floating types for average.
_MAX_TYPES = REAL
_AVG_TYPES = FLOATING
_CHANNELS_LAST = {4: "NHWC", 5: "NDHWC"}
_CPU_OP_NAMES = {
    "MaxPool": "MaxPoolingOp",
    "AvgPool": "AvgPoolingOp",
    "MaxPoolGrad": "MaxPoolingGradOp",
    "MaxPoolGradGrad": "MaxPoolingGradGradOp",
    "AvgPoolGrad": "AvgPoolingGradOp",
}
_EXPLICIT_OPS = frozenset({"MaxPool", "MaxPoolGrad"})


def _allowed(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _check_attrs(padding: str, data_format: str, rank: int, op_name: str) -> None:
    """TF's attr checks: padding and data_format among the op's allowed values."""
    paddings = ("SAME", "VALID", "EXPLICIT") if op_name in _EXPLICIT_OPS else ("SAME", "VALID")
    if padding not in paddings:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'padding' of \"{padding}\" is not in the list of "
            f"allowed values: {_allowed(paddings)} [Op:{op_name}]. Padding is upper case.",
        )
    formats = ("NHWC", "NCHW") if rank == 4 else ("NDHWC", "NCDHW")
    if data_format not in formats:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'data_format' of \"{data_format}\" is not in the "
            f"list of allowed values: {_allowed(formats)} [Op:{op_name}]",
        )


def _geometry(shape, attrs: dict, op_name: str, avg: bool = False) -> pk.Geometry:
    """The windows of a kernel call; TF's CPU kernels run channels-last data only."""
    rank = _rank(op_name)
    data_format = attrs.get("data_format") or _CHANNELS_LAST[rank]
    _check_attrs(attrs["padding"], data_format, rank, op_name)
    if data_format != _CHANNELS_LAST.get(rank):
        kernel = _CPU_OP_NAMES.get(op_name, "Pooling3DOp")
        raise InvalidArgumentError(
            None,
            op_name,
            f"Default {kernel} only supports {_CHANNELS_LAST[rank]} on device type CPU "
            f"[Op:{op_name}]. Transpose the input to channels-last (tf.transpose) or use "
            f"data_format='{_CHANNELS_LAST[rank]}'.",
        )
    return pk.geometry(
        shape,
        attrs["ksize"],
        attrs["strides"],
        attrs["padding"],
        op_name,
        attrs.get("explicit_paddings", ()),
        avg,
        rank,
    )


def _rank(op_name: str) -> int:
    return 5 if "3D" in op_name else 4


def _to_channels_last(dims: list, data_format: str) -> list:
    return [dims[0]] + dims[2:] + [dims[1]] if data_format.startswith("NC") else dims


def _from_channels_last(dims: list, data_format: str) -> list:
    return [dims[0], dims[-1]] + dims[1:-1] if data_format.startswith("NC") else dims


def _pooled_shape(
    shape: TensorShape,
    ksize,
    strides,
    padding,
    data_format,
    op_name,
    explicit_paddings=(),
    avg=False,
) -> TensorShape:
    """The output shape of pooling an input of partial ``shape``, in ``data_format``."""
    rank = _rank(op_name)
    _check_attrs(padding, data_format, rank, op_name)
    if len(ksize) != rank or len(strides) != rank:
        pk.geometry((None,) * rank, ksize, strides, padding, op_name, rank=rank)
    if shape.rank is None:
        return TensorShape([None] * rank)
    last = _to_channels_last(shape.as_list(), data_format)
    # ksize/strides are given in the data's layout; the windows are checked channels-last.
    k = _to_channels_last(list(ksize), data_format)
    s = _to_channels_last(list(strides), data_format)
    explicit = explicit_paddings
    if padding == "EXPLICIT" and data_format.startswith("NC"):
        pairs = _to_channels_last(
            [explicit_paddings[i : i + 2] for i in range(0, len(explicit_paddings), 2)], data_format
        )
        explicit = [p for pair in pairs for p in pair]
    g = pk.geometry(last, k, s, padding, op_name, explicit, avg, rank)
    return TensorShape(_from_channels_last(list(g.out_shape), data_format))


# -- MaxPool, MaxPool3D -------------------------------------------------------------


def _max_pool_kernel(x, ksize, strides, padding, explicit_paddings=(), data_format="NHWC"):
    g = _geometry(
        x.shape,
        {
            "ksize": ksize,
            "strides": strides,
            "padding": padding,
            "explicit_paddings": explicit_paddings,
            "data_format": data_format,
        },
        "MaxPool",
    )
    return pk.max_pool(x, g)


def _max_pool_3d_kernel(x, ksize, strides, padding, data_format="NDHWC"):
    g = _geometry(
        x.shape,
        {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format},
        "MaxPool3D",
    )
    return pk.max_pool(x, g)


def _max_pool_infer(
    x: Spec, ksize, strides, padding, explicit_paddings=(), data_format="NHWC"
) -> Spec:
    return Spec(
        x.dtype,
        _pooled_shape(x.shape, ksize, strides, padding, data_format, "MaxPool", explicit_paddings),
    )


def _max_pool_3d_infer(x: Spec, ksize, strides, padding, data_format="NDHWC") -> Spec:
    return Spec(x.dtype, _pooled_shape(x.shape, ksize, strides, padding, data_format, "MaxPool3D"))


def _max_pool_grad(call, dy):
    """d x = MaxPoolGrad(x, y, dy): each output's gradient to its window's argmax."""
    (x,), (y,) = call.inputs, call.outputs
    return (execute(_MAX_POOL_GRAD, (x, y, dy), call.attrs),)


def _max_pool_3d_grad(call, dy):
    """d x = MaxPool3DGrad(x, y, dy): each output's gradient to the cells equal to it."""
    (x,), (y,) = call.inputs, call.outputs
    return (execute(_MAX_POOL_3D_GRAD, (x, y, dy), call.attrs),)


_MAX_POOL = register(
    "MaxPool",
    kernel=_max_pool_kernel,
    grad=_max_pool_grad,
    infer=_max_pool_infer,
    allowed=_MAX_TYPES,
)
_MAX_POOL_3D = register(
    "MaxPool3D",
    kernel=_max_pool_3d_kernel,
    grad=_max_pool_3d_grad,
    infer=_max_pool_3d_infer,
    allowed=FLOATING,
)


# -- MaxPoolGrad, MaxPoolGradGrad ----------------------------------------------------


def _max_pool_grad_kernel(
    x, y, dy, ksize, strides, padding, explicit_paddings=(), data_format="NHWC"
):
    g = _geometry(
        x.shape,
        {
            "ksize": ksize,
            "strides": strides,
            "padding": padding,
            "explicit_paddings": explicit_paddings,
            "data_format": data_format,
        },
        "MaxPoolGrad",
    )
    _check_output_shape(dy.shape, g, "MaxPoolGrad")
    return pk.max_pool_grad(x, dy, g)


def _max_pool_grad_grad_kernel(x, y, ddx, ksize, strides, padding, data_format="NHWC"):
    g = _geometry(
        x.shape,
        {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format},
        "MaxPoolGradGrad",
    )
    _check_input_shape(ddx.shape, x.shape, "MaxPoolGradGrad")
    return pk.max_pool_grad_grad(x, ddx, g)


def _check_output_shape(shape, g: pk.Geometry, op_name: str) -> None:
    if tuple(shape) != g.out_shape:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Expected grad shape to be {list(g.out_shape)}, but got "
            f"{list(shape)} [Op:{op_name}]. Pass the gradient of the pooling's output.",
        )


def _check_input_shape(shape, expected, op_name: str) -> None:
    if tuple(shape) != tuple(expected):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Expected grad shape to be {list(expected)}, but got "
            f"{list(shape)} [Op:{op_name}]. Pass a gradient shaped like orig_input.",
        )


def _like_input_infer(x: Spec, y: Spec, dy: Spec, **attrs) -> Spec:
    return Spec(dy.dtype, x.shape)


def _like_output_infer(x: Spec, y: Spec, ddx: Spec, **attrs) -> Spec:
    return Spec(ddx.dtype, y.shape)


def _max_pool_grad_grad(call, dz):
    """(0, 0, MaxPoolGradGrad(x, y, dz)): the routing is piecewise constant in x and y."""
    x, y, _ = call.inputs
    return (
        zeros_like(x),
        zeros_like(y),
        execute(_MAX_POOL_GRAD_GRAD, (x, y, dz), _without_explicit(call.attrs)),
    )


def _max_pool_grad_grad_grad(call, dz):
    """(0, 0, MaxPoolGrad(x, y, dz)): MaxPoolGradGrad is linear in its last input."""
    x, y, _ = call.inputs
    return zeros_like(x), zeros_like(y), execute(_MAX_POOL_GRAD, (x, y, dz), call.attrs)


def _without_explicit(attrs: dict) -> dict:
    """MaxPoolGradGrad has no EXPLICIT padding in TF: explicit pads are refused there."""
    if attrs.get("padding") == "EXPLICIT":
        raise InvalidArgumentError(
            None,
            "MaxPoolGradGrad",
            "MaxPoolGradGrad does not support EXPLICIT padding "
            "[Op:MaxPoolGradGrad]: second derivatives of max_pool need padding 'SAME' or "
            "'VALID'.",
        )
    return {k: v for k, v in attrs.items() if k != "explicit_paddings"}


_MAX_POOL_GRAD = register(
    "MaxPoolGrad",
    kernel=_max_pool_grad_kernel,
    grad=_max_pool_grad_grad,
    infer=_like_input_infer,
    same_dtype=True,
    allowed=_MAX_TYPES,
)
_MAX_POOL_GRAD_GRAD = register(
    "MaxPoolGradGrad",
    kernel=_max_pool_grad_grad_kernel,
    grad=_max_pool_grad_grad_grad,
    infer=_like_output_infer,
    same_dtype=True,
    allowed=_MAX_TYPES,
)


# -- MaxPool3DGrad, MaxPool3DGradGrad --------------------------------------------------


def _max_pool_3d_grad_kernel(x, y, dy, ksize, strides, padding, data_format="NDHWC"):
    g = _geometry(
        x.shape,
        {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format},
        "MaxPool3DGrad",
    )
    _check_output_shape(dy.shape, g, "MaxPool3DGrad")
    _check_output_shape(y.shape, g, "MaxPool3DGrad")
    return pk.max_pool_3d_grad(x, y, dy, g)


def _max_pool_3d_grad_grad_kernel(x, y, ddx, ksize, strides, padding, data_format="NDHWC"):
    g = _geometry(
        x.shape,
        {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format},
        "MaxPool3DGradGrad",
    )
    _check_input_shape(ddx.shape, x.shape, "MaxPool3DGradGrad")
    _check_output_shape(y.shape, g, "MaxPool3DGradGrad")
    return pk.max_pool_3d_grad_grad(x, y, ddx, g)


def _max_pool_3d_grad_grad(call, dz):
    """(0, 0, MaxPool3DGradGrad(x, y, dz)): the routing is piecewise constant in x, y."""
    x, y, _ = call.inputs
    return zeros_like(x), zeros_like(y), execute(_MAX_POOL_3D_GRAD_GRAD, (x, y, dz), call.attrs)


def _max_pool_3d_grad_grad_grad(call, dz):
    """(0, 0, MaxPool3DGrad(x, y, dz)): MaxPool3DGradGrad is linear in its last input."""
    x, y, _ = call.inputs
    return zeros_like(x), zeros_like(y), execute(_MAX_POOL_3D_GRAD, (x, y, dz), call.attrs)


_MAX_POOL_3D_GRAD = register(
    "MaxPool3DGrad",
    kernel=_max_pool_3d_grad_kernel,
    grad=_max_pool_3d_grad_grad,
    infer=_like_input_infer,
    same_dtype=True,
    allowed=FLOATING,
)
_MAX_POOL_3D_GRAD_GRAD = register(
    "MaxPool3DGradGrad",
    kernel=_max_pool_3d_grad_grad_kernel,
    grad=_max_pool_3d_grad_grad_grad,
    infer=_like_output_infer,
    same_dtype=True,
    allowed=FLOATING,
)


# -- AvgPool, AvgPool3D and their gradients ------------------------------------------


def _avg_pool_kernel_for(op_name: str):
    def kernel(x, ksize, strides, padding, data_format=None):
        g = _geometry(
            x.shape,
            {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format},
            op_name,
            avg=True,
        )
        return pk.avg_pool(x, g)

    kernel.__name__ = f"_{op_name.lower()}_kernel"
    return kernel


def _avg_pool_infer(x: Spec, ksize, strides, padding, data_format="NHWC") -> Spec:
    return Spec(
        x.dtype, _pooled_shape(x.shape, ksize, strides, padding, data_format, "AvgPool", avg=True)
    )


def _avg_pool_3d_infer(x: Spec, ksize, strides, padding, data_format="NDHWC") -> Spec:
    return Spec(
        x.dtype, _pooled_shape(x.shape, ksize, strides, padding, data_format, "AvgPool3D", avg=True)
    )


def _avg_pool_grad_for(grad_op_name: str):
    def grad(call, dy):
        """d x = AvgPoolGrad(shape(x), dy): each output's gradient shared by its cells."""
        (x,) = call.inputs
        shape = runtime_shape(x)
        if isinstance(shape, tuple):
            shape = Tensor(np.asarray(shape, dtype=np.int32), dtypes.int32)
        dx = execute(_REGISTERED[grad_op_name], (shape, dy), call.attrs)
        # The grad op's inference knows only batch and channels of a traced input's
        # shape; fitting to x restores every size x's static shape knows.
        return (dx if known_shape(x) is not None else fit_like(dx, x),)

    return grad


def _avg_pool_grad_kernel_for(op_name: str):
    def kernel(orig_input_shape, dy, ksize, strides, padding, data_format=None):
        shape = tuple(int(d) for d in np.asarray(orig_input_shape).reshape(-1))
        if len(shape) != _rank(op_name):
            raise InvalidArgumentError(
                None,
                op_name,
                f"orig_input_shape must have {_rank(op_name)} elements, got "
                f"{list(shape)} [Op:{op_name}]",
            )
        g = _geometry(
            shape,
            {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format},
            op_name,
            avg=True,
        )
        _check_output_shape(dy.shape, g, op_name)
        return pk.avg_pool_grad(shape, dy, g)

    kernel.__name__ = f"_{op_name.lower()}_kernel"
    return kernel


def _avg_pool_grad_infer(
    orig_input_shape: Spec, dy: Spec, ksize, strides, padding, data_format="NHWC"
) -> Spec:
    # Batch and channels follow from dy; the spatial sizes are values of input 0, known
    # where tracing knows them.
    rank = len(ksize)
    dims = dy.shape.as_list() if dy.shape.rank == rank else [None] * rank
    channels = 1 if data_format.startswith("NC") else rank - 1
    from_dy = [d if i in (0, channels) else None for i, d in enumerate(dims)]
    return Spec(dy.dtype, TensorShape(merge_dims(value_dims(orig_input_shape, rank), from_dy)))


def _avg_pool_grad_grad_for(forward_name: str):
    def grad(call, dz):
        """(None, AvgPool(dz)): AvgPoolGrad is linear in dy, its adjoint is the pooling."""
        return None, execute(_REGISTERED[forward_name], (dz,), call.attrs)

    return grad


_REGISTERED = {}
for _fwd, _bwd, _fwd_infer in (
    ("AvgPool", "AvgPoolGrad", _avg_pool_infer),
    ("AvgPool3D", "AvgPool3DGrad", _avg_pool_3d_infer),
):
    _REGISTERED[_fwd] = register(
        _fwd,
        kernel=_avg_pool_kernel_for(_fwd),
        grad=_avg_pool_grad_for(_bwd),
        infer=_fwd_infer,
        allowed=_AVG_TYPES,
    )
    _REGISTERED[_bwd] = register(
        _bwd,
        kernel=_avg_pool_grad_kernel_for(_bwd),
        grad=_avg_pool_grad_grad_for(_fwd),
        infer=_avg_pool_grad_infer,
        shape_inputs=(0,),
    )


# -- MaxPoolWithArgmax and its gradients -----------------------------------------------


def _argmax_geometry(shape, ksize, strides, padding, op_name) -> pk.Geometry:
    _check_attrs(padding, "NHWC", 4, op_name)
    return pk.geometry(shape, ksize, strides, padding, op_name)


def _max_pool_with_argmax_kernel(
    x,
    ksize,
    strides,
    padding,
    Targmax=dtypes.int64,  # noqa: N803
    include_batch_in_index=False,
):
    g = _argmax_geometry(x.shape, ksize, strides, padding, "MaxPoolWithArgmax")
    best, arg = pk.first_max(x, g)
    flat = pk.flat_argmax(arg, x.shape, g, include_batch_in_index)
    return best, flat.astype(dtypes.as_dtype(Targmax)._np, copy=False)


def _max_pool_with_argmax_infer(
    x: Spec,
    ksize,
    strides,
    padding,
    Targmax=dtypes.int64,  # noqa: N803 - TF's attr name
    include_batch_in_index=False,
):
    shape = _pooled_shape(x.shape, ksize, strides, padding, "NHWC", "MaxPoolWithArgmax")
    return Spec(x.dtype, shape), Spec(dtypes.as_dtype(Targmax), shape)


def _argmax_attrs(attrs: dict) -> dict:
    # include_batch_in_index has a default: a raw call may leave it out.
    picked = {k: attrs[k] for k in ("ksize", "strides", "padding")}
    picked["include_batch_in_index"] = attrs.get("include_batch_in_index", False)
    return picked


def _max_pool_with_argmax_grad(call, dy, dargmax):
    """d x = MaxPoolGradWithArgmax(x, dy, argmax): dy added at the argmax cells."""
    x = call.inputs[0]
    argmax = call.outputs[1]
    if dy is None:
        return (None,)
    return (execute(_MAX_POOL_GRAD_WITH_ARGMAX, (x, dy, argmax), _argmax_attrs(call.attrs)),)


def _check_argmax_shapes(x, dy, argmax, ksize, strides, padding, op_name, like_output):
    g = _argmax_geometry(x.shape, ksize, strides, padding, op_name)
    if argmax.shape != g.out_shape:
        _check_output_shape(argmax.shape, g, op_name)
    if like_output:
        _check_output_shape(dy.shape, g, op_name)
    else:
        _check_input_shape(dy.shape, x.shape, op_name)


def _max_pool_grad_with_argmax_kernel(
    x, dy, argmax, ksize, strides, padding, include_batch_in_index=False
):
    _check_argmax_shapes(
        x, dy, argmax, ksize, strides, padding, "MaxPoolGradWithArgmax", like_output=True
    )
    return pk.scatter_argmax(x.shape, dy, argmax, include_batch_in_index)


def _max_pool_grad_grad_with_argmax_kernel(
    x, ddx, argmax, ksize, strides, padding, include_batch_in_index=False
):
    _check_argmax_shapes(
        x, ddx, argmax, ksize, strides, padding, "MaxPoolGradGradWithArgmax", like_output=False
    )
    return pk.gather_argmax(ddx, argmax, include_batch_in_index)


def _argmax_like_input_infer(x: Spec, dy: Spec, argmax: Spec, **attrs) -> Spec:
    return Spec(dy.dtype, x.shape)


def _argmax_like_output_infer(x: Spec, ddx: Spec, argmax: Spec, **attrs) -> Spec:
    return Spec(ddx.dtype, argmax.shape)


def _max_pool_grad_with_argmax_grad(call, dz):
    """(0, MaxPoolGradGradWithArgmax(x, dz, argmax), None): dz read at the argmax cells."""
    x, _, argmax = call.inputs
    return (
        zeros_like(x),
        execute(_MAX_POOL_GRAD_GRAD_WITH_ARGMAX, (x, dz, argmax), call.attrs),
        None,
    )


def _max_pool_grad_grad_with_argmax_grad(call, dz):
    """(0, MaxPoolGradWithArgmax(x, dz, argmax), None): the adjoint of reading at argmax."""
    x, _, argmax = call.inputs
    return zeros_like(x), execute(_MAX_POOL_GRAD_WITH_ARGMAX, (x, dz, argmax), call.attrs), None


_MAX_POOL_WITH_ARGMAX = register(
    "MaxPoolWithArgmax",
    kernel=_max_pool_with_argmax_kernel,
    grad=_max_pool_with_argmax_grad,
    infer=_max_pool_with_argmax_infer,
    num_outputs=2,
    allowed=_MAX_TYPES,
)
_MAX_POOL_GRAD_WITH_ARGMAX = register(
    "MaxPoolGradWithArgmax",
    kernel=_max_pool_grad_with_argmax_kernel,
    grad=_max_pool_grad_with_argmax_grad,
    infer=_argmax_like_input_infer,
    allowed=_MAX_TYPES,
)
_MAX_POOL_GRAD_GRAD_WITH_ARGMAX = register(
    "MaxPoolGradGradWithArgmax",
    kernel=_max_pool_grad_grad_with_argmax_kernel,
    grad=_max_pool_grad_grad_with_argmax_grad,
    infer=_argmax_like_output_infer,
    allowed=_MAX_TYPES,
)


# -- entry points for nn_pooling --------------------------------------------------------


def max_pool_op(x: Tensor, ksize, strides, padding, data_format, explicit_paddings=()):
    """Runs MaxPool (rank 4) or MaxPool3D (rank 5) with full-rank attrs."""
    attrs = {
        "ksize": list(ksize),
        "strides": list(strides),
        "padding": padding,
        "data_format": data_format,
    }
    if len(ksize) == 5:
        return execute(_MAX_POOL_3D, (x,), attrs)
    attrs["explicit_paddings"] = list(explicit_paddings)
    return execute(_MAX_POOL, (x,), attrs)


def avg_pool_op(x: Tensor, ksize, strides, padding, data_format):
    """Runs AvgPool (rank 4) or AvgPool3D (rank 5) with full-rank attrs."""
    name = "AvgPool3D" if len(ksize) == 5 else "AvgPool"
    return execute(
        _REGISTERED[name],
        (x,),
        {
            "ksize": list(ksize),
            "strides": list(strides),
            "padding": padding,
            "data_format": data_format,
        },
    )


def max_pool_with_argmax_op(
    x: Tensor, ksize, strides, padding, output_dtype, include_batch_in_index
):
    """Runs MaxPoolWithArgmax; returns ``(output, argmax)``."""
    return execute(
        _MAX_POOL_WITH_ARGMAX,
        (x,),
        {
            "ksize": list(ksize),
            "strides": list(strides),
            "padding": padding,
            "Targmax": dtypes.as_dtype(output_dtype),
            "include_batch_in_index": bool(include_batch_in_index),
        },
    )
