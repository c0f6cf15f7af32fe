"""Window geometry shared by convolution and pooling: output sizes and paddings.

TensorFlow's rules (``tensorflow/core/framework/kernel_shape_util.cc``), per spatial
dimension, with the effective window ``(k - 1) * dilation + 1``:

- ``VALID``: ``out = ceil((in - eff + 1) / stride)``, no padding;
- ``SAME``: ``out = ceil(in / stride)``, padding ``max((out - 1) * stride + eff - in, 0)``
  split with the smaller half before (the extra row goes after);
- ``EXPLICIT``: the given ``(before, after)`` pads, then as ``VALID``.

Sizes may be ``None`` (unknown inside a trace or a Keras symbolic shape); the output
size is then ``None`` too.
"""

from __future__ import annotations

from typing import NamedTuple

from tensorflux.framework.errors import InvalidArgumentError

__all__ = ["WindowDim", "window_dim", "window_dims", "explicit_pairs"]


class WindowDim(NamedTuple):
    """One spatial dimension of a windowed op: output size and the pads around the input."""

    out: int | None
    pad_before: int
    pad_after: int


def window_dim(
    size,
    k: int,
    stride: int,
    dilation: int,
    padding: str,
    explicit: tuple[int, int] = (0, 0),
    op_name: str = "Conv2D",
) -> WindowDim:
    """Output size and paddings of one spatial dimension, as TF computes them.

    Args:
        size: the input size (``None`` when unknown).
        k: the window (kernel) size (``None`` when unknown: only inference asks).
        stride, dilation: positive integers.
        padding: ``"VALID"``, ``"SAME"`` or ``"EXPLICIT"``.
        explicit: ``(before, after)`` for ``"EXPLICIT"``.
        op_name: named in errors.

    Raises:
        InvalidArgumentError: an output size that would be negative (a window larger
            than a VALID input), with TF's wording.
    """
    if k is None:
        # An unknown window (a filter of partly known shape, in inference): SAME's output
        # size still follows from the input's.
        known = padding == "SAME" and size is not None
        return WindowDim(-(-size // stride) if known else None, 0, 0)
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        if size is None:
            return WindowDim(None, 0, 0)
        out = -(-size // stride)
        total = max((out - 1) * stride + eff - size, 0)
        return WindowDim(out, total // 2, total - total // 2)
    before, after = explicit if padding == "EXPLICIT" else (0, 0)
    if size is None:
        return WindowDim(None, before, after)
    span = size + before + after - eff + stride
    out = span // stride if span >= 0 else -(-span // stride)  # C's truncation, as TF
    if out < 0:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Computed output size would be negative: {out} [input_size: {size}, "
            f"effective_filter_size: {eff}, stride: {stride}] [Op:{op_name}]. The window is "
            f"larger than the input: use padding='SAME', a smaller kernel or a larger input.",
        )
    return WindowDim(out, before, after)


def window_dims(
    sizes, ksizes, strides, dilations, padding: str, explicit=None, op_name: str = "Conv2D"
) -> list[WindowDim]:
    """``window_dim`` for each spatial dimension; ``explicit`` is one pair per dimension."""
    explicit = explicit or [(0, 0)] * len(sizes)
    return [
        window_dim(n, k, s, d, padding, e, op_name)
        for n, k, s, d, e in zip(sizes, ksizes, strides, dilations, explicit)
    ]


def explicit_pairs(explicit_paddings, spatial_axes, op_name: str = "Conv2D"):
    """The ``(before, after)`` pairs of the spatial axes from TF's flat
    ``explicit_paddings`` attr (two numbers per input dimension, batch and channels 0).

    Raises:
        InvalidArgumentError: a list of the wrong length, negative pads, or pads on the
            batch or channel dimension (TF refuses them).
    """
    flat = [int(p) for p in explicit_paddings]
    rank = len(flat) // 2
    if len(flat) % 2 or rank <= max(spatial_axes):
        raise InvalidArgumentError(
            None,
            op_name,
            f"explicit_paddings attribute must contain {2 * (max(spatial_axes) + 2)} values, "
            f"but got: {len(flat)} [Op:{op_name}]",
        )
    pairs = [(flat[2 * i], flat[2 * i + 1]) for i in range(rank)]
    if any(p < 0 for pair in pairs for p in pair):
        raise InvalidArgumentError(
            None,
            op_name,
            f"All elements of explicit_paddings must be nonnegative, got {flat} [Op:{op_name}]",
        )
    if any(pairs[i] != (0, 0) for i in range(rank) if i not in spatial_axes):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Nonzero explicit padding in the batch or depth dimensions is not "
            f"supported, got {flat} [Op:{op_name}]",
        )
    return [pairs[i] for i in spatial_axes]
