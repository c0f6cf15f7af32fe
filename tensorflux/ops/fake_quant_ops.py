"""Simulated quantisation for quantisation-aware training: ``tf.quantization``'s
``fake_quant_*`` (FakeQuantWithMinMaxArgs/Vars/VarsPerChannel and their gradient ops)
and ``quantize_and_dequantize(_v2)`` (QuantizeAndDequantizeV2/V4).

The fake-quant ops first nudge ``[min, max]`` so that zero is exactly representable,
then snap each value to the nearest of the ``2**num_bits`` levels, in float32 as TF's
kernels compute it. Their gradient passes through inside the nudged range.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import convert_to_tensor

__all__ = []

_F32 = np.float32


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _check_bits(op_name: str, num_bits: int) -> None:
    if not 2 <= num_bits <= 16:
        raise _error(op_name, "num_bits must be between 2 and 16, inclusive")


def _nudged(minimum, maximum, num_bits: int, narrow_range: bool):
    """TF's nudging: ``(nudged_min, nudged_max, scale, first_level)`` (arrays broadcast
    together), where ``first_level`` is the level, counted from zero, of ``nudged_min``."""
    quant_min = _F32(1 if narrow_range else 0)
    quant_max = _F32((1 << num_bits) - 1)
    minimum, maximum = np.asarray(minimum, _F32), np.asarray(maximum, _F32)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = ((maximum - minimum) / (quant_max - quant_min)).astype(_F32)
        zero_from_min = (quant_min - minimum / scale).astype(_F32)
    # std::round: halves away from zero.
    rounded = np.sign(zero_from_min) * np.floor(np.abs(zero_from_min) + _F32(0.5))
    zero_point = np.where(
        zero_from_min < quant_min,
        quant_min,
        np.where(zero_from_min > quant_max, quant_max, rounded),
    ).astype(_F32)
    first_level = quant_min - zero_point
    return first_level * scale, (quant_max - zero_point) * scale, scale, first_level


def _fake_quant(x, nudged_min, nudged_max, scale, first_level):
    clamped = np.maximum(np.minimum(x, nudged_max), nudged_min)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inverse = (_F32(1) / scale).astype(_F32)
        levels = np.floor((clamped - nudged_min) * inverse + _F32(0.5))
        # Counting levels from zero (not adding nudged_min last) keeps 0 exact.
        return ((levels + first_level) * scale).astype(_F32)


def _args_attrs_check(op_name: str, min, max, num_bits):
    if not min < max:
        raise _error(op_name, f"min has to be smaller than max, was: {min:g} >= {max:g}")
    _check_bits(op_name, num_bits)


def _args_kernel(inputs, min, max, num_bits, narrow_range):
    _args_attrs_check("FakeQuantWithMinMaxArgs", min, max, num_bits)
    return _fake_quant(inputs, *_nudged(min, max, num_bits, narrow_range))


def _args_gradient_kernel(gradients, inputs, min, max, num_bits, narrow_range):
    _args_attrs_check("FakeQuantWithMinMaxArgsGradient", min, max, num_bits)
    low, high, *_ = _nudged(min, max, num_bits, narrow_range)
    return (gradients * ((inputs >= low) & (inputs <= high))).astype(_F32)


def _check_channels(op_name: str, inputs, minimum, maximum, per_channel: bool):
    if per_channel:
        depth = inputs.shape[-1] if inputs.ndim else None
        for name, value in (("min", minimum), ("max", maximum)):
            if value.ndim != 1 or value.shape[0] != depth:
                raise _error(
                    op_name,
                    f"{name} has shape {list(value.shape)}; it must be 1-D of the inputs' last "
                    f"dimension {depth}",
                )
    else:
        for name, value in (("min", minimum), ("max", maximum)):
            if value.ndim != 0:
                raise _error(op_name, f"{name} must be a scalar, got shape {list(value.shape)}")


def _vars_kernel_for(op_name: str, per_channel: bool):
    def kernel(inputs, min, max, num_bits, narrow_range):
        _check_bits(op_name, num_bits)
        _check_channels(op_name, inputs, min, max, per_channel)
        return _fake_quant(inputs, *_nudged(min, max, num_bits, narrow_range))

    return kernel


def _vars_gradient_kernel_for(op_name: str, per_channel: bool):
    def kernel(gradients, inputs, min, max, num_bits, narrow_range):
        _check_bits(op_name, num_bits)
        _check_channels(op_name, inputs, min, max, per_channel)
        low, high, *_ = _nudged(min, max, num_bits, narrow_range)
        axes = tuple(range(inputs.ndim - 1)) if per_channel else None
        inside = (inputs >= low) & (inputs <= high)
        below = np.sum(gradients * (inputs < low), axis=axes, dtype=_F32)
        above = np.sum(gradients * (inputs > high), axis=axes, dtype=_F32)
        return (gradients * inside).astype(_F32), np.asarray(below), np.asarray(above)

    return kernel


def _same_infer(x: Spec, *rest: Spec, **attrs) -> Spec:
    return Spec(dtypes.float32, x.shape)


def _vars_gradient_infer(gradients: Spec, inputs: Spec, min: Spec, max: Spec, **attrs):
    return (
        Spec(dtypes.float32, inputs.shape),
        Spec(dtypes.float32, min.shape),
        Spec(dtypes.float32, max.shape),
    )


def _args_grad(op, grad):
    """d inputs = grad inside the nudged [min, max], 0 outside."""
    return [execute(_ARGS_GRADIENT, (grad, op.inputs[0]), op.attrs)]


def _vars_grad_for(gradient_op_name: str):
    def grad(op, g):
        """d inputs = g inside the nudged range; d min, d max = sums of g below / above it."""
        return list(execute(_REGISTERED[gradient_op_name], (g, *op.inputs), op.attrs))

    return grad


_FLOAT32 = frozenset({dtypes.float32})
_ARGS_GRADIENT = register(
    "FakeQuantWithMinMaxArgsGradient",
    kernel=_args_gradient_kernel,
    grad=None,
    infer=_same_infer,
    allowed=_FLOAT32,
)
_ARGS = register(
    "FakeQuantWithMinMaxArgs",
    kernel=_args_kernel,
    grad=_args_grad,
    infer=_same_infer,
    allowed=_FLOAT32,
)
_REGISTERED = {}
for _name, _per_channel in (
    ("FakeQuantWithMinMaxVars", False),
    ("FakeQuantWithMinMaxVarsPerChannel", True),
):
    _REGISTERED[f"{_name}Gradient"] = register(
        f"{_name}Gradient",
        kernel=_vars_gradient_kernel_for(f"{_name}Gradient", _per_channel),
        grad=None,
        infer=_vars_gradient_infer,
        num_outputs=3,
        allowed=_FLOAT32,
    )
    _REGISTERED[_name] = register(
        _name,
        kernel=_vars_kernel_for(_name, _per_channel),
        grad=_vars_grad_for(f"{_name}Gradient"),
        infer=_same_infer,
        allowed=_FLOAT32,
    )


def _float32(x):
    return convert_to_tensor(x, dtype=dtypes.float32)


def _attrs(num_bits, narrow_range, **extra) -> dict:
    return {"num_bits": int(num_bits), "narrow_range": bool(narrow_range), **extra}


def fake_quant_with_min_max_args(inputs, min=-6, max=6, num_bits=8, narrow_range=False, name=None):
    """Quantises float32 ``inputs`` to ``2**num_bits`` levels over ``[min, max]`` (nudged
    so that 0 is a level) and back to float32.

    Args:
        inputs: float32 Tensor.
        min, max: the float range (``min < max``).
        num_bits: bits of the simulated integers, 2 to 16.
        narrow_range: use levels ``[1, 2**num_bits - 1]`` instead of ``[0, ...]``.
        name: ignored; for TF compatibility.

    Returns:
        A float32 Tensor shaped like ``inputs``.

    Raises:
        InvalidArgumentError: ``min >= max`` or ``num_bits`` out of range.

    >>> import tensorflux as tf
    >>> tf.quantization.fake_quant_with_min_max_args([0.1, 5.9, 7.0]).numpy()
    array([0.09411765, 5.882353  , 5.9764705 ], dtype=float32)
    """
    attrs = _attrs(num_bits, narrow_range, min=float(min), max=float(max))
    return execute(_ARGS, (_float32(inputs),), attrs)


def fake_quant_with_min_max_args_gradient(
    gradients, inputs, min=-6, max=6, num_bits=8, narrow_range=False, name=None
):
    """The gradient of ``fake_quant_with_min_max_args``: ``gradients`` where ``inputs``
    lies in the nudged range, 0 elsewhere."""
    attrs = _attrs(num_bits, narrow_range, min=float(min), max=float(max))
    return execute(_ARGS_GRADIENT, (_float32(gradients), _float32(inputs)), attrs)


def fake_quant_with_min_max_vars(inputs, min, max, num_bits=8, narrow_range=False, name=None):
    """``fake_quant_with_min_max_args`` with ``min`` and ``max`` given as scalar tensors
    (typically trained variables), which receive gradients too.

    >>> import tensorflux as tf
    >>> tf.quantization.fake_quant_with_min_max_vars([0.5, 2.0], -1.0, 1.0).numpy()
    array([0.5019608, 1.0039216], dtype=float32)
    """
    inputs = (_float32(inputs), _float32(min), _float32(max))
    return execute(_REGISTERED["FakeQuantWithMinMaxVars"], inputs, _attrs(num_bits, narrow_range))


def fake_quant_with_min_max_vars_gradient(
    gradients, inputs, min, max, num_bits=8, narrow_range=False, name=None
):
    """The gradients of ``fake_quant_with_min_max_vars``: with respect to the inputs
    (pass-through in range), to ``min`` (sum below it) and to ``max`` (sum above it)."""
    args = (_float32(gradients), _float32(inputs), _float32(min), _float32(max))
    op = _REGISTERED["FakeQuantWithMinMaxVarsGradient"]
    return execute(op, args, _attrs(num_bits, narrow_range))


def fake_quant_with_min_max_vars_per_channel(
    inputs, min, max, num_bits=8, narrow_range=False, name=None
):
    """``fake_quant_with_min_max_vars`` with one ``[min, max]`` per channel of the last
    dimension (``min`` and ``max`` of shape ``[d]``)."""
    inputs = (_float32(inputs), _float32(min), _float32(max))
    op = _REGISTERED["FakeQuantWithMinMaxVarsPerChannel"]
    return execute(op, inputs, _attrs(num_bits, narrow_range))


def fake_quant_with_min_max_vars_per_channel_gradient(
    gradients, inputs, min, max, num_bits=8, narrow_range=False, name=None
):
    """The gradients of ``fake_quant_with_min_max_vars_per_channel`` (per-channel sums
    for ``min`` and ``max``)."""
    args = (_float32(gradients), _float32(inputs), _float32(min), _float32(max))
    op = _REGISTERED["FakeQuantWithMinMaxVarsPerChannelGradient"]
    return execute(op, args, _attrs(num_bits, narrow_range))
