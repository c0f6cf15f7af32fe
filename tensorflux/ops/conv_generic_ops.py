"""``tf.conv`` (TF's generic Conv op: 2 or 3 spatial dimensions, any number of batch
dimensions) and ``tf.conv2d_backprop_input_v2`` / ``tf.conv2d_backprop_filter_v2``.

TF 2.21's CPU build runs Conv for channels-last input and one group only, and has no
kernel at all for the two V2 backprop ops: tensorflux raises TF's errors there.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["conv", "conv2d_backprop_input_v2", "conv2d_backprop_filter_v2"]

_NAME = "Conv"


def _fail(message: str, cls=InvalidArgumentError):
    return cls(None, _NAME, f"{message} [Op:{_NAME}]")


def _spatial(filter_rank: int) -> int:
    r = filter_rank - 2
    if r not in (2, 3):
        raise _fail(f"The input must have 2 or 3 spatial dimensions but got {r}")
    return r


def _layout(x_shape, f_shape, batch_dims: int):
    """The spatial rank and the input's batch dims, folded into one for Conv2D/3D."""
    r = _spatial(len(f_shape))
    if len(x_shape) != batch_dims + r + 1:
        raise _fail(
            f"input must be {batch_dims + r + 1}-dimensional (batch_dims={batch_dims}, "
            f"{r} spatial dims, channels), got shape {list(x_shape)}"
        )
    return r, list(x_shape[:batch_dims])


def _attrs(r: int, strides, padding, explicit_paddings, dilations) -> dict:
    return dict(
        strides=list(strides),
        padding=padding,
        explicit_paddings=list(explicit_paddings) if r == 2 else [],
        data_format="NHWC" if r == 2 else "NDHWC",
        dilations=list(dilations) if len(dilations) else [1] * (r + 2),
    )


def _conv_kernel(
    input,  # noqa: A002 - TF's input names
    filter,  # noqa: A002
    strides,
    padding,
    explicit_paddings,
    data_format,
    dilations,
    batch_dims,
    groups,
):
    from tensorflux.ops.conv_ops import _conv_nd

    r, lead = _layout(input.shape, filter.shape, batch_dims)
    if groups != 1:
        raise _fail("Grouped/Depthwise Convolutions are not supported yet.", UnimplementedError)
    if data_format == "CHANNELS_FIRST":
        if input.shape[batch_dims] != filter.shape[-2]:
            raise _fail(
                f"Input depth must be equal to filter depth: {input.shape[batch_dims]} vs "
                f"{filter.shape[-2]}"
            )
        raise _fail(
            f"The Conv{r}D op currently only supports the NHWC tensor format on the CPU. The "
            f"op was given the format: {'NCHW' if r == 2 else 'NCDHW'}",
            UnimplementedError,
        )
    if input.shape[-1] != filter.shape[-2]:
        raise _fail(
            f"Input depth must be equal to filter depth: {input.shape[-1]} vs {filter.shape[-2]}"
        )
    x = input.reshape((int(np.prod(lead)),) + input.shape[batch_dims:])
    attrs = _attrs(r, strides, padding, explicit_paddings, dilations)
    out = _conv_nd(_NAME, r, x, filter, **attrs)
    return out.reshape(tuple(lead) + out.shape[1:])


def _conv_infer(input: Spec, filter: Spec, **attrs) -> Spec:  # noqa: A002
    from tensorflux.ops.conv_ops import conv_geometry

    if input.shape.rank is None or filter.shape.rank is None:
        return Spec(input.dtype, TensorShape(None))
    b = attrs["batch_dims"]
    dims = input.shape.as_list()
    r, lead = _layout(dims, filter.shape.as_list(), b)
    if attrs["data_format"] == "CHANNELS_FIRST":
        return Spec(input.dtype, TensorShape(lead + [None] * (r + 1)))
    geometry = _attrs(r, *(attrs[k] for k in ("strides", "padding", "explicit_paddings")),
                      attrs["dilations"])  # fmt: skip
    out = conv_geometry(_NAME, r, [None] + dims[b:], filter.shape.as_list(), **geometry)[3]
    return Spec(input.dtype, TensorShape(lead + list(out[1:])))


# TF registers no gradient for Conv (tf.nn.convolution differentiates through Conv2D/3D).
_CONV = register(
    "Conv",
    kernel=_conv_kernel,
    grad=None,
    infer=_conv_infer,
    same_dtype=True,
    allowed=FLOATING | {dtypes.int32},
)


def conv(
    input,  # noqa: A002
    filter,  # noqa: A002
    strides,
    padding,
    explicit_paddings=(),
    data_format="CHANNELS_LAST",
    dilations=(),
    batch_dims=1,
    groups=1,
    name=None,
) -> Tensor:
    """TF's generic convolution op: ``filter`` ``[*spatial, in, out]`` (2 or 3 spatial
    dims) slid over ``input`` ``[*batch, *spatial, in]`` (``batch_dims`` leading dims).

    Args:
        strides, dilations: one entry per dimension of a single-batch input (batch,
            spatial, channels); ``dilations`` empty means ones.
        padding: "SAME", "VALID" or "EXPLICIT" (with ``explicit_paddings``, 2-D only).
        data_format: "CHANNELS_LAST" (TF's CPU kernel supports no other).
        groups: 1 (grouped convolutions are not supported by TF's CPU kernel).

    Returns:
        ``[*batch, *out_spatial, out]``, of ``input``'s dtype.

    Raises:
        InvalidArgumentError: mismatched depths, wrong ranks or attrs.
        UnimplementedError: "CHANNELS_FIRST" or ``groups != 1``, as TF on CPU.

    >>> import tensorflux as tf
    >>> tf.conv(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "VALID").shape
    TensorShape([1, 2, 2, 1])
    """
    x, w = to_tensor(input), to_tensor(filter)
    attrs = dict(
        strides=[int(s) for s in strides],
        padding=padding.decode() if isinstance(padding, bytes) else str(padding),
        explicit_paddings=[int(p) for p in explicit_paddings],
        data_format=data_format,
        dilations=[int(d) for d in dilations],
        batch_dims=int(batch_dims),
        groups=int(groups),
    )
    return execute(_CONV, (x, w), attrs)


def _no_kernel(op: str, attrs: dict) -> Exception:
    """TF 2.21 registers no CPU kernel for ``op``: its error, eager or in a graph."""
    shown = ", ".join(f"{k}={v}" for k, v in attrs.items())
    if context.state.graph is not None:
        error = InvalidArgumentError(
            None,
            op,
            f"No OpKernel was registered to support Op '{op}' used by {{{{node {op}}}}} with "
            f"these attrs: [{shown}]\nRegistered devices: [CPU] [Op:{op}]. Use "
            f"tf.nn.conv2d_backprop_{'input' if 'Input' in op else 'filter'} instead.",
        )
        error._depends_on_values = True
        return error
    return NotFoundError(
        None,
        op,
        f"Could not find device for node: {{{{node {op}}}}} = {op}[{shown}]\nAll kernels "
        f"registered for op {op}:\n  <no registered kernels>\n [Op:{op}]",
    )


def _v2_attrs(x: Tensor, strides, padding, use_cudnn_on_gpu, explicit_paddings, data_format,
              dilations) -> dict:  # fmt: skip
    names = {"float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF"}
    return {
        "T": names.get(x.dtype.name, "DT_" + x.dtype.name.upper()),
        "data_format": f'"{data_format}"',
        "dilations": list(dilations),
        "explicit_paddings": list(explicit_paddings),
        "padding": f'"{padding}"',
        "strides": list(strides),
        "use_cudnn_on_gpu": str(bool(use_cudnn_on_gpu)).lower(),
    }


def conv2d_backprop_input_v2(
    input,  # noqa: A002
    filter,  # noqa: A002
    out_backprop,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """TF's Conv2DBackpropInputV2 (the input gradient of Conv2D, given the input itself
    rather than its shape). TF 2.21 has no kernel for it on any device of a CPU build,
    so, as TF, this raises; ``tf.nn.conv2d_backprop_input`` computes the same value.

    Raises:
        NotFoundError: always, as TF (InvalidArgumentError inside ``tf.function``).
    """
    x = to_tensor(input)
    raise _no_kernel(
        "Conv2DBackpropInputV2",
        _v2_attrs(
            x, strides, padding, use_cudnn_on_gpu, explicit_paddings, data_format, dilations
        ),  # fmt: skip
    )


def conv2d_backprop_filter_v2(
    input,  # noqa: A002
    filter,  # noqa: A002
    out_backprop,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """TF's Conv2DBackpropFilterV2 (the filter gradient of Conv2D, given the filter
    itself rather than its shape). TF 2.21 has no kernel for it on any device of a CPU
    build, so, as TF, this raises; ``tf.nn.conv2d_backprop_filter`` computes the value.

    Raises:
        NotFoundError: always, as TF (InvalidArgumentError inside ``tf.function``).
    """
    x = to_tensor(input)
    raise _no_kernel(
        "Conv2DBackpropFilterV2",
        _v2_attrs(
            x, strides, padding, use_cudnn_on_gpu, explicit_paddings, data_format, dilations
        ),  # fmt: skip
    )
