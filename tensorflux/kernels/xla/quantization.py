"""XLA kernels of the simulated-quantisation ops: the fake-quant ops and their gradient
ops, and QuantizeAndDequantizeV2/V4.

Each step is the NumPy kernel's, in the same dtype and order (float32 for fake quant),
so values land on the same levels. Ranges given as attrs are nudged by the NumPy
kernels' own helper while compiling; ranges given as tensors are nudged here. Checks on
attrs and shapes raise as the NumPy kernels do (the function then runs on the
executor); checks on the values of a range cannot raise inside XLA and, as in TF's XLA
kernels, are skipped.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.kernels.xla import xla_kernel
from tensorflux.ops import fake_quant_ops, quantize_dequantize_ops

_F32 = jnp.float32


def _divide(x, y):
    """``x / y`` correctly rounded, as NumPy divides.

    XLA rewrites a division by a constant, by a broadcast scalar or by a quotient into a
    product with a rounded reciprocal, which moves values across level boundaries; a
    divisor of the full shape behind a barrier is none of these."""
    x, y = jnp.asarray(x), jnp.asarray(y, x.dtype)
    shape = jnp.broadcast_shapes(x.shape, y.shape)
    return x / lax.optimization_barrier(jnp.broadcast_to(y, shape))


def _round_half_away(v):
    """std::round: halves away from zero."""
    return jnp.sign(v) * jnp.floor(jnp.abs(v) + _F32(0.5))


def _nudged(minimum, maximum, num_bits: int, narrow_range: bool):
    """``fake_quant_ops._nudged`` on traced ranges: ``(nudged_min, nudged_max, scale,
    first_level)``."""
    quant_min = _F32(1 if narrow_range else 0)
    quant_max = _F32((1 << num_bits) - 1)
    minimum, maximum = minimum.astype(_F32), maximum.astype(_F32)
    scale = _divide(maximum - minimum, quant_max - quant_min)
    zero_from_min = quant_min - _divide(minimum, scale)
    zero_point = jnp.where(
        zero_from_min < quant_min,
        quant_min,
        jnp.where(zero_from_min > quant_max, quant_max, _round_half_away(zero_from_min)),
    )
    first_level = quant_min - zero_point
    return first_level * scale, (quant_max - zero_point) * scale, scale, first_level


def _fake_quant(x, nudged_min, nudged_max, scale, first_level):
    clamped = jnp.maximum(jnp.minimum(x, nudged_max), nudged_min)
    inverse = _divide(jnp.ones((), _F32), scale)
    levels = jnp.floor((clamped - nudged_min) * inverse + _F32(0.5))
    # Counting levels from zero (not adding nudged_min last) keeps 0 exact.
    return (levels + first_level) * scale


def _attr_range(op_name: str, minimum: float, maximum: float, num_bits: int, narrow_range):
    """The nudged range of attrs, computed by the NumPy kernels' helper (which also
    raises for a bad range or bit count)."""
    fake_quant_ops._args_attrs_check(op_name, minimum, maximum, num_bits)
    return tuple(
        np.asarray(v, np.float32)
        for v in fake_quant_ops._nudged(minimum, maximum, num_bits, narrow_range)
    )


@xla_kernel("FakeQuantWithMinMaxArgs")
def _fake_quant_args(inputs, min, max, num_bits, narrow_range):  # noqa: A002 - TF's attrs
    nudged = _attr_range("FakeQuantWithMinMaxArgs", min, max, num_bits, narrow_range)
    return _fake_quant(inputs, *nudged)


@xla_kernel("FakeQuantWithMinMaxArgsGradient")
def _fake_quant_args_gradient(gradients, inputs, min, max, num_bits, narrow_range):  # noqa: A002
    low, high, *_ = _attr_range("FakeQuantWithMinMaxArgsGradient", min, max, num_bits, narrow_range)
    return gradients * ((inputs >= low) & (inputs <= high)).astype(_F32)


def _check_vars(op_name: str, inputs, minimum, maximum, num_bits: int, per_channel: bool):
    fake_quant_ops._check_bits(op_name, num_bits)
    # Only the ranges' shapes are read: zeros of their shapes stand in for them.
    fake_quant_ops._check_channels(
        op_name,
        np.zeros(inputs.shape, np.float32),
        np.zeros(minimum.shape, np.float32),
        np.zeros(maximum.shape, np.float32),
        per_channel,
    )


def _vars_kernel(op_name: str, per_channel: bool):
    def kernel(inputs, min, max, num_bits, narrow_range):  # noqa: A002 - TF's names
        _check_vars(op_name, inputs, min, max, num_bits, per_channel)
        return _fake_quant(inputs, *_nudged(min, max, num_bits, narrow_range))

    return kernel


def _vars_gradient_kernel(op_name: str, per_channel: bool):
    def kernel(gradients, inputs, min, max, num_bits, narrow_range):  # noqa: A002
        _check_vars(op_name, inputs, min, max, num_bits, per_channel)
        low, high, *_ = _nudged(min, max, num_bits, narrow_range)
        axes = tuple(range(inputs.ndim - 1)) if per_channel else None
        inside = (inputs >= low) & (inputs <= high)
        below = jnp.sum(gradients * (inputs < low), axis=axes, dtype=_F32)
        above = jnp.sum(gradients * (inputs > high), axis=axes, dtype=_F32)
        return gradients * inside.astype(_F32), below, above

    return kernel


for _name, _per_channel in (
    ("FakeQuantWithMinMaxVars", False),
    ("FakeQuantWithMinMaxVarsPerChannel", True),
):
    xla_kernel(_name)(_vars_kernel(_name, _per_channel))
    xla_kernel(f"{_name}Gradient")(_vars_gradient_kernel(f"{_name}Gradient", _per_channel))


# -- QuantizeAndDequantizeV2, V4 ---------------------------------------------------


def _grid(min_range, max_range, signed_input: bool, num_bits: int, narrow_range: bool):
    """``quantize_dequantize_ops._grid`` on traced ranges."""
    kind = min_range.dtype.type
    if signed_input:
        low = -(1 << (num_bits - 1)) + (1 if narrow_range else 0)
        high = (1 << (num_bits - 1)) - 1
    else:
        low, high = 0, (1 << num_bits) - 1
    big = kind(np.finfo(min_range.dtype).max)
    low_value, high_value = kind(low), kind(high)
    from_min = jnp.where(low * min_range > 0, _divide(low_value, min_range), big)
    from_max = jnp.where(high * max_range > 0, _divide(high_value, max_range), big)
    use_min = from_min < from_max
    scale = jnp.where(use_min, from_min, from_max)
    inverse = jnp.where(use_min, _divide(min_range, low_value), _divide(max_range, high_value))
    max_range = jnp.where(use_min, high_value * inverse, max_range)
    min_range = jnp.where(use_min, min_range, low_value * inverse)
    return min_range, max_range, scale, inverse


_ROUND = {"HALF_TO_EVEN": jnp.rint, "HALF_UP": lambda v: jnp.floor(v + v.dtype.type(0.5))}


def _quantize_dequantize(op_name, x, input_min, input_max, *, signed_input, num_bits,
                         range_given, round_mode, narrow_range, axis):  # fmt: skip
    # The NumPy kernel on zeros of the same shapes raises for the attrs and shapes it
    # refuses; the value check of a given range is the executor's alone.
    zeros = np.zeros(x.shape, x.dtype)
    quantize_dequantize_ops._quantize_dequantize(
        op_name, zeros, np.zeros(input_min.shape, x.dtype), np.zeros(input_max.shape, x.dtype),
        signed_input, num_bits, range_given, round_mode, narrow_range, axis,
    )  # fmt: skip
    # [outer, depth, inner] blocks, as the NumPy kernel's (depth 1 for one range).
    axis = x.ndim if axis == -1 else axis
    depth = x.shape[axis] if axis < x.ndim else 1
    blocks = x.reshape(int(np.prod(x.shape[:axis])), depth, int(np.prod(x.shape[axis + 1 :])))
    if range_given:
        low, high = input_min.reshape(-1), input_max.reshape(-1)
    elif blocks.size:
        low, high = blocks.min(axis=(0, 2)), blocks.max(axis=(0, 2))
    else:
        low = high = jnp.zeros(depth, x.dtype)
    low, high, scale, inverse = _grid(low, high, signed_input, num_bits, narrow_range)
    shape = (1, depth, 1)
    values = blocks
    if range_given:
        values = jnp.maximum(jnp.minimum(blocks, high.reshape(shape)), low.reshape(shape))
    rounded = _ROUND[round_mode](values * scale.reshape(shape))
    return (rounded * inverse.reshape(shape)).reshape(x.shape)


@xla_kernel("QuantizeAndDequantizeV2")
def _quantize_dequantize_v2(x, input_min, input_max, **attrs):
    return _quantize_dequantize("QuantizeAndDequantizeV2", x, input_min, input_max, **attrs)


@xla_kernel("QuantizeAndDequantizeV4")
def _quantize_dequantize_v4(x, input_min, input_max, **attrs):
    return _quantize_dequantize("QuantizeAndDequantizeV4", x, input_min, input_max, **attrs)
