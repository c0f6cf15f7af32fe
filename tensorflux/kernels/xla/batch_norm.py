"""XLA kernels of the fused batch norms (``FusedBatchNormV3`` and its gradient, with the
older versions), which Keras' BatchNormalization runs on 4-D and 5-D inputs.

The arithmetic is the NumPy kernels' (``tensorflux.ops.fused_batch_norm_ops``): float32
math on float16, bfloat16 or float32 inputs, the batch moments and the unbiased variance
in training, the running averages with ``exponential_avg_factor``. Inputs those kernels
refuse (wrong ranks, sizes or per-channel types) are left to them: the function runs on
the executor, which raises TF's error.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tensorflux.kernels.xla import xla_kernel

_F32 = np.float32
_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")


def _channel_axis(x, data_format: str, vectors) -> int:
    """The channel axis, after the checks whose failures the executor reports."""
    if x.ndim not in (4, 5) or data_format not in _FORMATS:
        raise ValueError("a rank or data format the executor refuses with TF's error")
    axis = 1 if data_format.startswith("NC") else x.ndim - 1
    for v in vectors:
        if v.ndim != 1 or v.shape[0] != x.shape[axis] or v.dtype != _F32:
            raise ValueError("per-channel inputs the executor refuses with TF's error")
    return axis


def _per_channel(v, axis: int, rank: int):
    shape = [1] * rank
    shape[axis] = -1
    return jnp.reshape(v, shape)


@xla_kernel("FusedBatchNormV2", "FusedBatchNorm")
def _forward(
    x,
    scale,
    offset,
    mean,
    variance,
    epsilon=1e-4,
    exponential_avg_factor=1.0,
    data_format="NHWC",
    is_training=True,
):
    running = is_training and exponential_avg_factor != 1  # averages of mean and variance
    checked = (scale, offset) + ((mean, variance) if running or not is_training else ())
    axis = _channel_axis(x, data_format, checked)
    rank, channels = x.ndim, x.shape[axis]
    reduce = tuple(i for i in range(rank) if i != axis)
    xf = x.astype(_F32)
    eps = _F32(epsilon)
    if is_training:
        if x.size:
            batch_mean = jnp.mean(xf, axis=reduce, dtype=_F32)
            centered = xf - _per_channel(batch_mean, axis, rank)
            batch_var = jnp.mean(jnp.square(centered), axis=reduce, dtype=_F32)
        else:
            # An empty batch has no moments: NaN, as TF's kernel gives.
            batch_mean = batch_var = jnp.full(channels, np.nan, _F32)
            centered = xf
        multiplier = scale / jnp.sqrt(batch_var + eps)
        y = centered * _per_channel(multiplier, axis, rank) + _per_channel(offset, axis, rank)
        n = x.size // max(channels, 1)
        unbiased = batch_var * _F32(n / max(n - 1, 1))
        out_mean, out_var = batch_mean, unbiased
        if running:
            f = _F32(exponential_avg_factor)
            out_mean = (_F32(1) - f) * mean + f * batch_mean
            out_var = (_F32(1) - f) * variance + f * unbiased
        saved = batch_mean, batch_var
    else:
        multiplier = scale / jnp.sqrt(variance + eps)
        shift = offset - mean * multiplier
        y = xf * _per_channel(multiplier, axis, rank) + _per_channel(shift, axis, rank)
        out_mean, out_var = mean, variance
        saved = mean, variance
    return (y.astype(x.dtype), out_mean.astype(_F32), out_var.astype(_F32)) + saved


@xla_kernel("FusedBatchNormV3")
def _forward_v3(*inputs, **attrs):
    """FusedBatchNormV2's outputs, then reserve_space_3: a float32 zero scalar."""
    return _forward(*inputs, **attrs) + (jnp.zeros((), _F32),)


@xla_kernel("FusedBatchNormGradV3", "FusedBatchNormGradV2", "FusedBatchNormGrad")
def _backward(
    dy, x, scale, saved_mean, saved_var, *reserve, epsilon=1e-4, data_format="NHWC",
    is_training=True,
):  # fmt: skip
    axis = _channel_axis(x, data_format, (scale, saved_mean, saved_var))
    rank = x.ndim
    if dy.shape != x.shape or (not is_training and axis != rank - 1):
        raise ValueError("inputs the executor refuses with TF's error")
    reduce = tuple(i for i in range(rank) if i != axis)
    dyf = dy.astype(_F32)
    inv = _F32(1) / jnp.sqrt(saved_var + _F32(epsilon))
    centered = x.astype(_F32) - _per_channel(saved_mean, axis, rank)
    doffset = jnp.sum(dyf, axis=reduce, dtype=_F32)
    dot = jnp.sum(dyf * centered, axis=reduce, dtype=_F32)
    dscale = dot * inv
    if is_training:
        n = max(x.size // max(x.shape[axis], 1), 1)
        # dx = scale * inv * (dy - mean(dy) - centered * inv^2 * mean(dy * centered))
        inner = centered * _per_channel(-(dot / n) * inv * inv, axis, rank) + dyf
        inner = inner - _per_channel(doffset / n, axis, rank)
        dx = inner * _per_channel(scale * inv, axis, rank)
    else:
        dx = dyf * _per_channel(scale * inv, axis, rank)
    empty = jnp.zeros(0, _F32)
    return dx.astype(x.dtype), dscale.astype(_F32), doffset, empty, empty
