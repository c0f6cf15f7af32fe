"""``tf.quantization.quantize_and_dequantize_v2`` (QuantizeAndDequantizeV4) and the
deprecated ``quantize_and_dequantize`` (QuantizeAndDequantizeV2): values rounded to a
``num_bits`` integer grid and scaled back, over the whole tensor or per channel.

The grid's scale is the larger that keeps both ends of ``[min, max]`` representable;
the end that then lies inside the integer range is widened to it, as TF's kernel does.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import convert_to_tensor

__all__ = []

_ROUND = {
    "HALF_TO_EVEN": np.rint,
    "HALF_UP": lambda v: np.floor(v + v.dtype.type(0.5)),
}
_FLOATS = frozenset({dtypes.float16, dtypes.float32, dtypes.float64})


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _grid(min_range, max_range, signed_input: bool, num_bits: int, narrow_range: bool):
    """``(min_range, max_range, scale, inverse_scale)`` after TF's range adjustment."""
    kind = min_range.dtype.type
    if signed_input:
        low = -(1 << (num_bits - 1)) + (1 if narrow_range else 0)
        high = (1 << (num_bits - 1)) - 1
    else:
        low, high = 0, (1 << num_bits) - 1
    big = np.finfo(min_range.dtype).max
    with np.errstate(divide="ignore", invalid="ignore"):
        from_min = np.where(low * min_range > 0, kind(low) / min_range, big).astype(kind)
        from_max = np.where(high * max_range > 0, kind(high) / max_range, big).astype(kind)
        use_min = from_min < from_max
        scale = np.where(use_min, from_min, from_max).astype(kind)
        inverse = np.where(use_min, min_range / kind(low), max_range / kind(high)).astype(kind)
    max_range = np.where(use_min, kind(high) * inverse, max_range).astype(kind)
    min_range = np.where(use_min, min_range, kind(low) * inverse).astype(kind)
    return min_range, max_range, scale, inverse


def _per_channel(x, axis: int):
    """``x`` as ``[outer, depth, inner]`` for a channel axis (depth 1 when axis is -1)."""
    if axis == -1:
        return x.reshape(1, 1, -1)
    outer = int(np.prod(x.shape[:axis]))
    return x.reshape(outer, x.shape[axis], -1)


def _quantize_dequantize(
    op_name,
    x,
    input_min,
    input_max,
    signed_input,
    num_bits,
    range_given,
    round_mode,
    narrow_range,
    axis,
):
    if round_mode not in _ROUND:
        raise _error(op_name, f"Invalid round_mode: {round_mode!r}; use HALF_TO_EVEN or HALF_UP")
    if not 0 < num_bits < (62 if signed_input else 63):
        raise _error(
            op_name,
            f"num_bits is out of range: {num_bits} with signed_input_ {str(signed_input).lower()}",
        )
    if axis != -1 and not -1 <= axis < x.ndim:
        raise _error(
            op_name,
            f"Axis requested is larger than input dimensions. Axis: {axis} Input "
            f"Dimensions: {x.ndim}",
        )
    blocks = _per_channel(x, axis)
    depth = blocks.shape[1]
    if range_given:
        # TF 2.21's kernel wants a scalar range here, and a rank-1 one per channel, so a
        # given per-channel range is refused either way.
        if axis != -1 and input_min.ndim != 1:
            raise _error(
                op_name, "Shape must be rank 1 for input_min_tensor when the axis is specified"
            )
        if input_min.ndim != 0 or axis != -1:
            raise _error(op_name, "input_min must be a scalar.")
        if input_max.ndim != 0:
            raise _error(op_name, "input_max must be a scalar.")
    kind = x.dtype.type
    if range_given:
        low = np.asarray(input_min, x.dtype).reshape(-1)
        high = np.asarray(input_max, x.dtype).reshape(-1)
        bad = np.flatnonzero(low > high)
        if bad.size:
            i = bad[0]
            raise _error(op_name, f"Invalid range: input_min {low[i]:g} > input_max {high[i]:g}")
    elif blocks.size:
        low, high = blocks.min(axis=(0, 2)), blocks.max(axis=(0, 2))
    else:
        low = high = np.zeros(depth, x.dtype)
    low, high, scale, inverse = _grid(low, high, signed_input, num_bits, narrow_range)
    shape = (1, depth, 1)
    values = blocks
    if range_given:
        values = np.maximum(np.minimum(blocks, high.reshape(shape)), low.reshape(shape))
    rounded = _ROUND[round_mode]((values * scale.reshape(shape)).astype(kind))
    return (rounded * inverse.reshape(shape)).astype(kind).reshape(x.shape)


def _kernel_for(op_name: str):
    def kernel(x, input_min, input_max, **attrs):
        return _quantize_dequantize(op_name, x, input_min, input_max, **attrs)

    return kernel


def _v4_grad_kernel(gradients, x, input_min, input_max, axis):
    blocks = _per_channel(x, axis)
    shape = (1, blocks.shape[1], 1)
    inside = (blocks >= np.reshape(input_min, shape)) & (blocks <= np.reshape(input_max, shape))
    input_backprop = (gradients.reshape(blocks.shape) * inside).astype(x.dtype).reshape(x.shape)
    return input_backprop, np.zeros_like(input_min), np.zeros_like(input_max)


def _same_infer(x: Spec, *rest: Spec, **attrs) -> Spec:
    return Spec(x.dtype, x.shape)


def _v4_grad_infer(gradients: Spec, x: Spec, input_min: Spec, input_max: Spec, **attrs):
    return Spec(x.dtype, x.shape), Spec(x.dtype, input_min.shape), Spec(x.dtype, input_max.shape)


def _v4_grad(op, grad):
    """d input = grad where ``input_min <= input <= input_max``; zeros for the range."""
    x, input_min, input_max = op.inputs
    return list(execute(_V4_GRAD, (grad, x, input_min, input_max), {"axis": op.attrs["axis"]}))


def _v2_grad(op, grad):
    """d input = grad (straight through); none for the range."""
    return [grad, None, None]


_V4_GRAD = register(
    "QuantizeAndDequantizeV4Grad",
    kernel=_v4_grad_kernel,
    grad=None,
    infer=_v4_grad_infer,
    num_outputs=3,
    allowed=_FLOATS,
)
_V4 = register(
    "QuantizeAndDequantizeV4",
    kernel=_kernel_for("QuantizeAndDequantizeV4"),
    grad=_v4_grad,
    infer=_same_infer,
    allowed=_FLOATS,
)
_V2 = register(
    "QuantizeAndDequantizeV2",
    kernel=_kernel_for("QuantizeAndDequantizeV2"),
    grad=_v2_grad,
    infer=_same_infer,
    allowed=_FLOATS,
)


def _call(
    op,
    input,
    input_min,
    input_max,
    signed_input,
    num_bits,
    range_given,
    round_mode,
    narrow_range,
    axis,
):
    x = convert_to_tensor(input)
    if axis is None:
        axis = -1
    elif axis < 0:
        if x.shape.rank is None:
            raise ValueError("input should have known rank to use negative axis.")
        axis %= x.shape.rank
    inputs = (x, convert_to_tensor(input_min, x.dtype), convert_to_tensor(input_max, x.dtype))
    attrs = {
        "signed_input": bool(signed_input),
        "num_bits": int(num_bits),
        "range_given": bool(range_given),
        "round_mode": round_mode,
        "narrow_range": bool(narrow_range),
        "axis": int(axis),
    }
    return execute(op, inputs, attrs)


def quantize_and_dequantize_v2(
    input,
    input_min,
    input_max,
    signed_input=True,
    num_bits=8,
    range_given=False,
    round_mode="HALF_TO_EVEN",
    name=None,
    narrow_range=False,
    axis=None,
):
    """Rounds ``input`` to a ``num_bits`` integer grid and scales it back.

    Args:
        input: float Tensor.
        input_min, input_max: the range (scalars, or ``[depth]`` with ``axis``); used only
            when ``range_given``, else the data's own minimum and maximum are.
        signed_input: a signed grid (``[-2**(b-1), 2**(b-1) - 1]``) or an unsigned one.
        num_bits: bits of the grid.
        range_given: clamp to ``[input_min, input_max]`` (after TF's adjustment).
        round_mode: "HALF_TO_EVEN" or "HALF_UP".
        name: ignored; for TF compatibility.
        narrow_range: drop the most negative signed level.
        axis: the channel axis for per-channel ranges, or None.

    Returns:
        A Tensor like ``input``. Its gradient passes where ``input`` lies in
        ``[input_min, input_max]``.

    Raises:
        InvalidArgumentError: a bad ``round_mode``, ``num_bits`` or range.

    >>> import tensorflux as tf
    >>> tf.quantization.quantize_and_dequantize_v2(
    ...     [0.3, 5.0], -1.0, 1.0, range_given=True).numpy()
    array([0.2992126, 1.       ], dtype=float32)
    """
    return _call(
        _V4,
        input,
        input_min,
        input_max,
        signed_input,
        num_bits,
        range_given,
        round_mode,
        narrow_range,
        axis,
    )


def quantize_and_dequantize(
    input,
    input_min,
    input_max,
    signed_input=True,
    num_bits=8,
    range_given=False,
    round_mode="HALF_TO_EVEN",
    name=None,
    narrow_range=False,
    axis=None,
):
    """The deprecated form of ``quantize_and_dequantize_v2``: the same values, and a
    gradient that passes straight through everywhere."""
    return _call(
        _V2,
        input,
        input_min,
        input_max,
        signed_input,
        num_bits,
        range_given,
        round_mode,
        narrow_range,
        axis,
    )
