"""Framing a signal, adding frames back together, and centring spectra:
``frame``, ``overlap_and_add``, ``fftshift``, ``ifftshift``.

``frame`` is a gather with a ``[frames, frame_length]`` index matrix and
``overlap_and_add`` a segment sum over the output positions, so both are
differentiable (their gradients are each other's transpose).
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import pad
from tensorflux.ops.segment_ops import unsorted_segment_sum
from tensorflux.ops.shape_ops import reshape, transpose
from tensorflux.ops.signal.window_ops import static_int

__all__ = ["frame", "overlap_and_add", "fftshift", "ifftshift"]


def _at_least(x: Tensor, rank: int) -> None:
    if x.shape.rank is not None and x.shape.rank < rank:
        raise ValueError(f"Shape {x.shape} must have rank at least {rank}")


def _known_dim(x: Tensor, axis: int, fn: str) -> int:
    n = x.shape.as_list()[axis]
    if n is None:
        raise ValueError(
            f"{fn} needs the size of axis {axis} when the function is traced; got shape "
            f"{x.shape}. Give the tf.function an input_signature with that size."
        )
    return n


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Slides a window of ``frame_length`` samples, ``frame_step`` apart, along ``axis``
    (``tf.signal.frame``).

    The axis of ``N`` samples becomes ``[frames, frame_length]``: ``1 + (N - frame_length)
    // frame_step`` frames, or ``ceil(N / frame_step)`` with ``pad_end`` (the last
    frames filled with ``pad_value``).

    Args:
        signal: a tensor of rank >= 1.
        frame_length: samples per frame (an int or scalar tensor).
        frame_step: samples between frame starts.
        pad_end: whether to pad the end so that every sample starts a frame's step.
        pad_value: the value padded in.
        axis: the axis to frame.

    Returns:
        A tensor of shape ``[..., frames, frame_length, ...]``.

    Raises:
        ValueError: a scalar signal or non-scalar arguments.
        InvalidArgumentError: a negative frame_length or a non-positive frame_step.

    >>> import tensorflux as tf
    >>> tf.signal.frame([1, 2, 3, 4, 5], 3, 2).numpy()
    array([[1, 2, 3],
           [3, 4, 5]], dtype=int32)
    """
    x = to_tensor(signal)
    _at_least(x, 1)
    length = static_int(frame_length, "frame_length")
    step = static_int(frame_step, "frame_step")
    rank = x.shape.rank
    if not -rank <= int(axis) < rank:
        raise ValueError(f"axis {axis} is out of range for a signal of rank {rank}.")
    axis = int(axis) % rank
    if length < 0:
        raise InvalidArgumentError(
            None,
            "Range",
            f"Requires start <= limit when delta > 0: 0/{length} [Op:Range]: tf.signal.frame "
            f"needs a non-negative frame_length, got {length}.",
        )
    if step <= 0:
        raise InvalidArgumentError(
            None,
            "FloorDiv",
            f"Integer division by zero [Op:FloorDiv]: tf.signal.frame needs a positive "
            f"frame_step, got {step}.",
        )
    n = _known_dim(x, axis, "tf.signal.frame")
    if pad_end:
        frames = -(-n // step)
        extra = max(0, (frames - 1) * step + length - n)
        if extra:
            paddings = [[0, 0] for _ in range(rank)]
            paddings[axis][1] = extra
            x = pad(x, paddings, constant_values=pad_value)
    else:
        frames = max(0, 1 + (n - length) // step)
    starts = step * np.arange(frames, dtype=np.int32)[:, None]
    index = starts + np.arange(length, dtype=np.int32)[None, :]
    return gather(x, Tensor(index.astype(np.int32), dtypes.int32), axis=axis)


def overlap_and_add(signal, frame_step, name=None) -> Tensor:
    """Adds ``[..., frames, frame_length]`` frames back into ``[..., samples]``, frame ``f``
    starting at sample ``f * frame_step`` (``tf.signal.overlap_and_add``).

    ``samples = frame_length + frame_step * (frames - 1)``.

    Raises:
        ValueError: a signal of rank below 2, or a non-integer frame_step.

    >>> import tensorflux as tf
    >>> tf.signal.overlap_and_add([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], 2).numpy()
    array([1., 1., 2., 1., 1.], dtype=float32)
    """
    x = to_tensor(signal)
    _at_least(x, 2)
    if isinstance(frame_step, Tensor) and not frame_step.dtype.is_integer:
        raise ValueError(f"frame_step must be an integer. Got {frame_step.dtype}")
    if isinstance(frame_step, float):
        raise ValueError("frame_step must be an integer. Got <dtype: 'float32'>")
    step = static_int(frame_step, "frame_step")
    rank = x.shape.rank
    frames = _known_dim(x, rank - 2, "tf.signal.overlap_and_add")
    length = _known_dim(x, rank - 1, "tf.signal.overlap_and_add")
    samples = length + step * (frames - 1) if frames else max(0, length - step)
    outer = x.shape.as_list()[:-2]
    # Frames first, so that one segment sum over the flattened frame samples adds them.
    moved = transpose(x, [rank - 2, rank - 1, *range(rank - 2)])
    flat = reshape(moved, [frames * length, *[-1 if d is None else d for d in outer]])
    positions = step * np.arange(frames)[:, None] + np.arange(length)[None, :]
    ids = Tensor(positions.reshape(-1).astype(np.int32), dtypes.int32)
    summed = unsorted_segment_sum(flat, ids, samples)
    return transpose(summed, [*range(1, rank - 1), 0])


def _roll(x: Tensor, axes, sign: int) -> Tensor:
    rank = x.shape.rank
    if axes is None:
        axes = list(range(rank))
    elif np.ndim(axes) == 0:
        axes = [int(axes)]
    for axis in [int(a) % rank for a in axes]:
        n = _known_dim(x, axis, "tf.signal.fftshift")
        shift = sign * (n // 2)
        index = (np.arange(n) - shift) % max(n, 1)
        x = gather(x, Tensor(index.astype(np.int32), dtypes.int32), axis=axis)
    return x


def fftshift(x, axes=None, name=None) -> Tensor:
    """Moves the zero frequency to the centre: rolls each of ``axes`` (default: all) by
    ``n // 2`` (``tf.signal.fftshift``).

    >>> import tensorflux as tf
    >>> tf.signal.fftshift([0, 1, 2, -2, -1]).numpy()
    array([-2, -1,  0,  1,  2], dtype=int32)
    """
    return _roll(to_tensor(x), axes, 1)


def ifftshift(x, axes=None, name=None) -> Tensor:
    """The inverse of ``fftshift``: rolls each of ``axes`` by ``-(n // 2)``
    (``tf.signal.ifftshift``).

    >>> import tensorflux as tf
    >>> tf.signal.ifftshift([-2, -1, 0, 1, 2]).numpy()
    array([ 0,  1,  2, -2, -1], dtype=int32)
    """
    return _roll(to_tensor(x), axes, -1)
