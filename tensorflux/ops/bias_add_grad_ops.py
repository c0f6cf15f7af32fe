"""``BiasAddGrad``: the bias gradient of BiasAdd, dy summed over every axis but the
channel axis (TF's op, which BiasAdd's gradient runs).

Summing a (rows, channels) view over its rows is a matrix-vector product with a vector
of ones, which one BLAS thread does at memory speed, about five times faster here than
NumPy's column sums (a (43264, 32) float32 gradient: 0.19 against 0.93 ms). More BLAS
threads gain nothing on it and lose badly on a busy machine (7.8 ms on two).
Half-precision gradients are summed in float32, as TF's kernel accumulates them.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import NUMERIC, Spec, execute, register
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.kernels.threads import small_blas
from tensorflux.ops.common import to_tensor
from tensorflux.ops.shape_ops import broadcast_to, reshape, shape

__all__ = ["bias_add_grad"]

_BLAS_TYPES = (np.dtype(np.float32), np.dtype(np.float64))
_HALF_TYPES = ("float16", "bfloat16")


def _channel_axis(ndim: int, data_format: str) -> int:
    return 1 if data_format == "NCHW" else ndim - 1


def _bias_add_grad_kernel(out_backprop, data_format="NHWC"):
    dy = out_backprop
    if dy.ndim < 2:
        raise InvalidArgumentError(
            None,
            "BiasAddGrad",
            f"Input tensor must be at least 2D: {list(dy.shape)} [Op:BiasAddGrad]",
        )
    channel = _channel_axis(dy.ndim, data_format)
    if channel == dy.ndim - 1 and dy.dtype in _BLAS_TYPES and dy.size:
        rows = dy.reshape(-1, dy.shape[-1])
        with small_blas(rows.size):
            return np.ones(rows.shape[0], dy.dtype) @ rows
    axes = tuple(i for i in range(dy.ndim) if i != channel)
    if dy.dtype.name in _HALF_TYPES:
        return np.add.reduce(dy, axis=axes, dtype=np.float32).astype(dy.dtype)
    return np.add.reduce(dy, axis=axes, dtype=dy.dtype)


def _bias_add_grad_infer(out_backprop: Spec, data_format="NHWC") -> Spec:
    rank = out_backprop.shape.rank
    if rank is None:
        return Spec(out_backprop.dtype, TensorShape([None]))
    dims = out_backprop.shape.as_list()
    return Spec(out_backprop.dtype, TensorShape([dims[_channel_axis(rank, data_format)]]))


def _bias_add_grad_grad(call, grad):
    """d BiasAddGrad(dy) = the incoming bias gradient broadcast back over dy's shape."""
    (dy,) = call.inputs
    rank = dy.shape.rank
    channel = _channel_axis(rank, call.attrs["data_format"])
    expanded = [1] * rank
    expanded[channel] = -1
    return (broadcast_to(reshape(grad, expanded), shape(dy)),)


_BIAS_ADD_GRAD = register(
    "BiasAddGrad",
    kernel=_bias_add_grad_kernel,
    grad=_bias_add_grad_grad,
    infer=_bias_add_grad_infer,
    allowed=NUMERIC,
)


def bias_add_grad(out_backprop, data_format="NHWC") -> Tensor:
    """The gradient of ``tf.nn.bias_add`` with respect to its bias: ``out_backprop``
    summed over every axis but the channel axis (TF's ``BiasAddGrad`` op).

    Args:
        out_backprop: the gradient of BiasAdd's output, rank >= 2.
        data_format: "NHWC" (channels last) or "NCHW" (channels at axis 1).

    Returns:
        A 1-D tensor of ``out_backprop``'s dtype, one value per channel.

    Raises:
        InvalidArgumentError: ``out_backprop`` of rank < 2.

    >>> import tensorflux as tf
    >>> bias_add_grad(tf.ones([2, 3, 4])).numpy()
    array([6., 6., 6., 6.], dtype=float32)
    """
    return execute(_BIAS_ADD_GRAD, (to_tensor(out_backprop),), {"data_format": data_format})
