"""Fused batch normalization: ``FusedBatchNormV3`` and its gradient ``FusedBatchNormGradV3``
(with the older ``FusedBatchNorm``/``V2`` and ``FusedBatchNormGrad``/``V2`` on the same
kernels), TF's one-op batch norm over 4-D and 5-D inputs.

A primitive because Keras runs every 4-D/5-D ``BatchNormalization`` through it: one kernel
takes the moments, normalizes and (backward) reduces the two parameter gradients in a few
passes over the batch, where the composed form runs a dozen elementwise ops each way.

Semantics (TF's CPU kernel): ``x`` is float16, bfloat16 or float32 (``T``), the
per-channel ``scale``, ``offset``, ``mean``, ``variance`` float32 (``U``); the math is
float32. Training normalizes with the batch moments and returns as ``batch_variance`` the
unbiased (``n / (n - 1)``) variance, or with ``exponential_avg_factor`` f != 1 the running
averages ``(1 - f) * old + f * batch``; ``reserve_space_1/2`` hold the batch mean and the
biased variance that the gradient reads. Inference normalizes with ``mean``/``variance``
and returns them; TF's CPU kernel leaves the reserve spaces unwritten there, here they
hold ``mean`` and ``variance``. ``reserve_space_3`` is a float32 zero scalar.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.engine.tape import GradientTape
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import array_ops, math_ops
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.unary_math_ops import rsqrt

__all__ = ["fused_batch_norm_v3"]

_T = frozenset({dtypes.float16, dtypes.bfloat16, dtypes.float32})
_T_V1 = frozenset({dtypes.float32})
_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")
_CHANNELS_LAST = {4: [0, 2, 3, 1], 5: [0, 2, 3, 4, 1]}
_CHANNELS_FIRST = {4: [0, 3, 1, 2], 5: [0, 4, 1, 2, 3]}


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _fail(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{message} [Op:{op}]")


def _channel_axis(data_format: str, rank: int, op: str) -> int:
    if data_format not in _FORMATS:
        raise _fail(
            op,
            f"Value for attr 'data_format' of \"{data_format}\" is not in the list of allowed "
            f'values: "NHWC", "NCHW", "NDHWC", "NCDHW"',
        )
    return 1 if data_format.startswith("NC") else rank - 1


def _check_vector(v, label: str, channels: int, op: str, prefix: str = "") -> None:
    if v.size != channels:
        raise _fail(
            op,
            f"{prefix}{label} must have the same number of elements as the channels of x, "
            f"got {v.size} and {channels}",
        )


def _check_ranks(op: str, x, named: list) -> None:
    if x.ndim not in (4, 5):
        raise _fail(op, f"input must be 4 or 5-dimensional{_dims(x.shape)}")
    for label, v in named:
        if v.ndim != 1:
            raise _fail(op, f"{label} must be 1-dimensional{_dims(v.shape)}")


def _check_u(op: str, vectors) -> None:
    """TF's ``U`` attr: the per-channel inputs are float32 on CPU."""
    allowed = "float" if op in ("FusedBatchNorm", "FusedBatchNormGrad") else "bfloat16, float"
    for v in vectors:
        if v.dtype != np.float32:
            name = dtypes.from_numpy(v.dtype).name
            name = {"float16": "half", "float64": "double"}.get(name, name)
            attr = "T" if allowed == "float" else "U"
            raise _fail(
                op,
                f"Value for attr '{attr}' of {name} is not in the list of allowed values: "
                f"{allowed}. Pass the per-channel inputs as float32.",
            )


def _per_channel(v, axis: int, rank: int):
    """A channel vector shaped to broadcast against x."""
    shape = [1] * rank
    shape[axis] = -1
    return v.reshape(shape)


# -- FusedBatchNormV3 (and V1, V2) --------------------------------------------------------


def _forward(op, x, scale, offset, mean, variance, epsilon, factor, data_format, is_training):
    """y, batch_mean, batch_variance, saved mean, saved (biased) variance."""
    _check_ranks(
        op,
        x,
        [
            ("scale", scale),
            ("offset", offset),
            ("estimated_mean", mean),
            ("estimated_variance", variance),
        ],
    )
    _check_u(op, (scale, offset, mean, variance))
    axis = _channel_axis(data_format, x.ndim, op)
    channels = x.shape[axis]
    _check_vector(scale, "scale", channels, op)
    _check_vector(offset, "offset", channels, op)
    if not is_training or factor != 1:
        prefix = "When exponential_avg_factor != 1, " if is_training else "When is_training=false, "
        _check_vector(mean, "mean", channels, op, prefix)
        _check_vector(variance, "variance", channels, op, prefix)
    xf = x.astype(np.float32, copy=False)
    reduce = tuple(i for i in range(x.ndim) if i != axis)
    eps = np.float32(epsilon)
    if is_training:
        if x.size:
            batch_mean = xf.mean(axis=reduce, dtype=np.float32)
            centered = xf - _per_channel(batch_mean, axis, x.ndim)
            batch_var = np.square(centered).mean(axis=reduce, dtype=np.float32)
        else:
            # An empty batch has no moments: NaN, as TF's kernel gives.
            batch_mean = batch_var = np.full(channels, np.nan, np.float32)
            centered = xf.copy()
        multiplier = scale / np.sqrt(batch_var + eps)
        centered *= _per_channel(multiplier, axis, x.ndim)
        centered += _per_channel(offset, axis, x.ndim)
        y = centered
        n = x.size // max(channels, 1)
        unbiased = batch_var * np.float32(n / max(n - 1, 1))
        out_mean, out_var = batch_mean, unbiased
        if factor != 1:
            f = np.float32(factor)
            out_mean = (np.float32(1) - f) * mean + f * batch_mean
            out_var = (np.float32(1) - f) * variance + f * unbiased
        saved = batch_mean, batch_var
    else:
        multiplier = scale / np.sqrt(variance + eps)
        shift = offset - mean * multiplier
        y = xf * _per_channel(multiplier, axis, x.ndim)
        y += _per_channel(shift, axis, x.ndim)
        out_mean, out_var = mean.copy(), variance.copy()
        saved = mean.copy(), variance.copy()
    f32 = np.float32
    return (y.astype(x.dtype, copy=False), out_mean.astype(f32), out_var.astype(f32)) + saved


def _make_forward(op: str, reserve_3: bool):
    def kernel(
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
        outs = _forward(
            op,
            x,
            scale,
            offset,
            mean,
            variance,
            epsilon,
            exponential_avg_factor,
            data_format,
            is_training,
        )
        return outs + (np.zeros((), np.float32),) if reserve_3 else outs

    return kernel


def _fused_batch_norm_v3_infer(
    x: Spec,
    scale: Spec,
    offset: Spec,
    mean: Spec,
    variance: Spec,
    epsilon=1e-4,
    exponential_avg_factor=1.0,
    data_format="NHWC",
    is_training=True,
    reserve_3=True,
):
    channels = None
    if x.shape.rank is not None and x.shape.rank in (4, 5) and data_format in _FORMATS:
        channels = x.shape[1 if data_format.startswith("NC") else x.shape.rank - 1]
    if channels is None and scale.shape.rank == 1:
        channels = scale.shape[0]
    vector = Spec(scale.dtype, TensorShape([channels]), None)
    outs = (Spec(x.dtype, x.shape, None),) + (vector,) * 4
    return outs + (Spec(scale.dtype, TensorShape([]), None),) if reserve_3 else outs


def _fused_batch_norm_v2_infer(*specs, **attrs):
    return _fused_batch_norm_v3_infer(*specs, **attrs, reserve_3=False)


def _forward_grad(version: int):
    def grad(call, dy, *_unused):
        """Training: dx = scale * rsqrt(var + eps) * (dy - mean(dy) - (x - mu) *
        mean(dy * (x - mu)) / (var + eps)), dscale = sum(dy * (x - mu) * rsqrt(var + eps)),
        doffset = sum(dy) (batch moments); inference: dx = dy * scale * rsqrt(var + eps)
        with the given mean and variance. No gradient for mean/variance, as in TF."""
        x, scale = call.inputs[0], call.inputs[1]
        attrs = call.attrs
        if dy is None:
            dy = array_ops.zeros_like(call.outputs[0])
        data_format = attrs.get("data_format", "NHWC")
        eps = attrs.get("epsilon", 1e-4)
        if attrs.get("is_training", True):
            saved = [call.outputs[3], call.outputs[4]]
            if version == 3:
                saved.append(call.outputs[5])
            dx, dscale, doffset = _run_grad(version, dy, x, scale, saved, eps, data_format, True)
            return dx, dscale, doffset, None, None
        # TF's CPU gradient kernel takes channels-last only without training.
        rank = x.shape.rank
        first = data_format.startswith("NC")
        if first:
            x = array_ops.transpose(x, _CHANNELS_LAST[rank])
            dy = array_ops.transpose(dy, _CHANNELS_LAST[rank])
        saved = [call.inputs[3], call.inputs[4]]
        if version == 3:
            saved.append(call.outputs[5])
        last = "NHWC" if data_format in ("NHWC", "NCHW") else "NDHWC"
        dx, dscale, doffset = _run_grad(version, dy, x, scale, saved, eps, last, False)
        if first:
            dx = array_ops.transpose(dx, _CHANNELS_FIRST[rank])
        return dx, dscale, doffset, None, None

    return grad


def _run_grad(version, dy, x, scale, saved, epsilon, data_format, is_training):
    op = {1: _GRAD_V1, 2: _GRAD_V2, 3: _GRAD_V3}[version]
    attrs = {"epsilon": epsilon, "data_format": data_format, "is_training": is_training}
    return execute(op, [dy, x, scale, *saved], attrs)[:3]


_FORWARD_V3 = register(
    "FusedBatchNormV3",
    kernel=_make_forward("FusedBatchNormV3", True),
    grad=_forward_grad(3),
    infer=_fused_batch_norm_v3_infer,
    num_outputs=6,
    allowed=_T,
)
register(
    "FusedBatchNormV2",
    kernel=_make_forward("FusedBatchNormV2", False),
    grad=_forward_grad(2),
    infer=_fused_batch_norm_v2_infer,
    num_outputs=5,
    allowed=_T,
)
register(
    "FusedBatchNorm",
    kernel=_make_forward("FusedBatchNorm", False),
    grad=_forward_grad(1),
    infer=_fused_batch_norm_v2_infer,
    num_outputs=5,
    allowed=_T_V1,
)


# -- FusedBatchNormGradV3 (and V1, V2) ----------------------------------------------------


def _backward(op, dy, x, scale, saved_mean, saved_var, epsilon, data_format, is_training):
    _check_ranks(op, dy, [])
    _check_ranks(
        op,
        x,
        [("scale", scale), ("saved mean", saved_mean), ("saved variance", saved_var)],
    )
    if x.shape != dy.shape:
        raise _fail(
            op,
            f"x and y_backprop must have same shape, but x has shape {_dims(x.shape)} and "
            f"y_backprop has shape {_dims(dy.shape)}",
        )
    _check_u(op, (scale, saved_mean, saved_var))
    axis = _channel_axis(data_format, x.ndim, op)
    channels = x.shape[axis]
    _check_vector(scale, "scale", channels, op)
    _check_vector(saved_mean, "reserve_space_1", channels, op)
    _check_vector(saved_var, "reserve_space_2", channels, op)
    if not is_training and axis != x.ndim - 1:
        raise _fail(
            op,
            "The implementation of FusedBatchNormGrad with is_training=False only support "
            "NHWC tensor format for now.",
        )
    rank = x.ndim
    reduce = tuple(i for i in range(rank) if i != axis)
    dyf = dy.astype(np.float32, copy=False)
    inv = np.float32(1) / np.sqrt(saved_var + np.float32(epsilon))
    centered = x.astype(np.float32, copy=False) - _per_channel(saved_mean, axis, rank)
    doffset = dyf.sum(axis=reduce, dtype=np.float32)
    if axis == rank - 1:
        # One fused multiply-reduce over the rows of the channels-last layout.
        dot = np.einsum("nc,nc->c", dyf.reshape(-1, channels), centered.reshape(-1, channels))
    else:
        dot = (dyf * centered).sum(axis=reduce, dtype=np.float32)
    dscale = dot * inv
    if is_training:
        n = max(x.size // max(channels, 1), 1)
        # dx = scale * inv * (dy - mean(dy) - centered * inv^2 * mean(dy * centered))
        centered *= _per_channel(-(dot / n) * inv * inv, axis, rank)
        centered += dyf
        centered -= _per_channel(doffset / n, axis, rank)
        centered *= _per_channel(scale * inv, axis, rank)
        dx = centered
    else:
        dx = dyf * _per_channel(scale * inv, axis, rank)
    empty = np.zeros(0, np.float32)
    return dx.astype(x.dtype, copy=False), dscale.astype(np.float32), doffset, empty, empty


def _make_backward(op: str):
    def kernel(dy, x, scale, mean, var, *reserve, epsilon=1e-4, data_format="NHWC",
               is_training=True):  # fmt: skip
        # reserve_space_3 (V3) carries nothing on CPU.
        return _backward(op, dy, x, scale, mean, var, epsilon, data_format, is_training)

    return kernel


def _fused_batch_norm_grad_infer(
    dy: Spec, x: Spec, scale: Spec, *saved, epsilon=1e-4, data_format="NHWC", is_training=True
):
    channels = None
    if x.shape.rank in (4, 5) and data_format in _FORMATS:
        channels = x.shape[1 if data_format.startswith("NC") else x.shape.rank - 1]
    if channels is None and scale.shape.rank == 1:
        channels = scale.shape[0]
    vector = Spec(scale.dtype, TensorShape([channels]), None)
    empty = Spec(scale.dtype, TensorShape([0]), None)
    return Spec(x.dtype, x.shape, None), vector, vector, empty, empty


def _composite_grads(dy, x, scale, mean, variance, epsilon, data_format, is_training):
    """The first-order formulas as ops; in training the moments come from x, so the
    composite is differentiable in x as the fused gradient is."""
    rank = x.shape.rank
    if data_format.startswith("NC"):
        x = array_ops.transpose(x, _CHANNELS_LAST[rank])
        dy = array_ops.transpose(dy, _CHANNELS_LAST[rank])
    x = math_ops.cast(x, dtypes.float32)
    dy = math_ops.cast(dy, dtypes.float32)
    axes = list(range(rank - 1))
    if is_training:
        mean = reduce_mean(x, axes)
        variance = reduce_mean(math_ops.square(x - mean), axes)
    inv = rsqrt(variance + epsilon)
    centered = x - mean
    doffset = reduce_sum(dy, axes)
    dscale = reduce_sum(dy * centered, axes) * inv
    if is_training:
        inner = (
            dy - reduce_mean(dy, axes) - centered * (reduce_mean(dy * centered, axes) * inv * inv)
        )
        dx = scale * inv * inner
    else:
        dx = dy * (scale * inv)
    if data_format.startswith("NC"):
        dx = array_ops.transpose(dx, _CHANNELS_FIRST[rank])
    return dx, dscale, doffset


def _make_backward_grad(num_reserved: int):
    def grad(call, ddx, ddscale, ddoffset, *_unused):
        """Second order, as TF: the first-order formulas rebuilt from ops (training: the
        batch moments recomputed from x) and differentiated with respect to dy, x and
        scale; the saved moments get none."""
        dy, x, scale, mean, variance = call.inputs[:5]
        attrs = call.attrs
        with GradientTape() as tape:
            tape.watch([dy, x, scale])
            outs = _composite_grads(
                dy,
                x,
                scale,
                mean,
                variance,
                attrs.get("epsilon", 1e-4),
                attrs.get("data_format", "NHWC"),
                attrs.get("is_training", True),
            )
        wanted = [(o, g) for o, g in zip(outs, (ddx, ddscale, ddoffset)) if g is not None]
        if not wanted:
            return (None,) * (3 + num_reserved)
        grads = tape.gradient(
            [o for o, _ in wanted],
            [dy, x, scale],
            output_gradients=[math_ops.cast(g, o.dtype) for o, g in wanted],
        )
        grads = [
            g if g is None else math_ops.cast(g, t.dtype) for g, t in zip(grads, [dy, x, scale])
        ]
        return tuple(grads) + (None,) * num_reserved

    return grad


_GRAD_V3 = register(
    "FusedBatchNormGradV3",
    kernel=_make_backward("FusedBatchNormGradV3"),
    grad=_make_backward_grad(3),
    infer=_fused_batch_norm_grad_infer,
    num_outputs=5,
    allowed=_T,
)
_GRAD_V2 = register(
    "FusedBatchNormGradV2",
    kernel=_make_backward("FusedBatchNormGradV2"),
    grad=_make_backward_grad(2),
    infer=_fused_batch_norm_grad_infer,
    num_outputs=5,
    allowed=_T,
)
_GRAD_V1 = register(
    "FusedBatchNormGrad",
    kernel=_make_backward("FusedBatchNormGrad"),
    grad=_make_backward_grad(2),
    infer=_fused_batch_norm_grad_infer,
    num_outputs=5,
    allowed=_T_V1,
)


def fused_batch_norm_v3(
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
    """Batch normalization of a 4-D or 5-D ``x`` in one op (TF's ``FusedBatchNormV3``, what
    Keras' ``BatchNormalization`` runs on such inputs).

    Args:
        x: float16, bfloat16 or float32 input.
        scale, offset, mean, variance: float32 vectors, one value per channel (``mean`` and
            ``variance`` may be empty when training with ``exponential_avg_factor`` 1).
        epsilon: added to the variance before its square root.
        exponential_avg_factor: with training, the weight of the batch moments in the
            returned running averages (1: return the batch moments).
        data_format: "NHWC"/"NDHWC" (channels last) or "NCHW"/"NCDHW".
        is_training: normalize with the batch moments (True) or ``mean``/``variance``.

    Returns:
        (y, batch_mean, batch_variance, reserve_space_1, reserve_space_2, reserve_space_3).

    Raises:
        InvalidArgumentError: a rank other than 4 or 5, vectors of the wrong length or
            rank, or non-float32 vectors.

    >>> import numpy as np
    >>> from tensorflux.ops import fused_batch_norm_ops
    >>> x = np.arange(8, dtype=np.float32).reshape(2, 2, 2, 1)
    >>> one = np.ones(1, np.float32)
    >>> y, m, v, *_ = fused_batch_norm_ops.fused_batch_norm_v3(x, one, 0 * one, one, one)
    >>> float(m[0]), round(float(v[0]), 4)
    (3.5, 6.0)
    """
    attrs = {
        "epsilon": float(epsilon),
        "exponential_avg_factor": float(exponential_avg_factor),
        "data_format": data_format,
        "is_training": bool(is_training),
    }
    return execute(_FORWARD_V3, [x, scale, offset, mean, variance], attrs)
