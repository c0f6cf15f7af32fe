"""Argument normalisation and output lengths for Keras' convolution and pooling layers.

The checks and messages are Keras 2's, so a user's search for an error finds the
same words; the lengths follow TF's window rules (see ``ops/window_ops_utils.py``).
"""

from __future__ import annotations

import numbers

__all__ = [
    "normalize_tuple",
    "normalize_padding",
    "normalize_data_format",
    "conv_output_length",
    "deconv_output_length",
]


def normalize_tuple(value, n: int, name: str, allow_zero: bool = False) -> tuple:
    """``value`` as a tuple of ``n`` integers (an int is repeated ``n`` times).

    >>> normalize_tuple(3, 2, "strides")
    (3, 3)

    Raises:
        ValueError: not an int nor ``n`` ints, or a value below 1 (below 0 with
            ``allow_zero``), in Keras' wording.
    """
    expected = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, numbers.Integral):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(expected) from None
        if len(values) != n or not all(isinstance(v, numbers.Integral) for v in values):
            raise ValueError(expected)
        values = tuple(int(v) for v in values)
    bad = {v for v in values if v < 0 or (v == 0 and not allow_zero)}
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"{expected} including {bad} that does not satisfy the requirement `{requirement}`."
        )
    return values


def normalize_padding(value) -> str:
    """``"valid"``, ``"same"`` or ``"causal"``, from any capitalisation.

    Raises:
        ValueError: any other value, in Keras' wording.
    """
    padding = value.lower() if isinstance(value, str) else value
    if padding not in ("valid", "same", "causal"):
        raise ValueError(
            'The `padding` argument must be a list/tuple or one of "valid", '
            f'"same" (or "causal", only for `Conv1D). Received: {value}'
        )
    return padding


def normalize_data_format(value) -> str:
    """``"channels_last"`` (the default for None) or ``"channels_first"``.

    Raises:
        ValueError: any other value, in Keras' wording.
    """
    data_format = (
        "channels_last" if value is None else (value.lower() if isinstance(value, str) else value)
    )
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            'The `data_format` argument must be one of "channels_first", '
            f'"channels_last". Received: {value}'
        )
    return data_format


def conv_output_length(length, kernel_size: int, padding: str, stride: int, dilation: int = 1):
    """The output length of a convolution or pooling window along one axis.

    ``padding`` is one of ``"valid"``, ``"same"``, ``"causal"`` or ``"full"``; a
    ``None`` length (unknown) stays ``None``. A window larger than a valid input
    gives a length of 0 or less, which callers report.
    """
    if length is None:
        return None
    span = (kernel_size - 1) * dilation + 1
    covered = {
        "same": length,
        "causal": length,
        "valid": length - span + 1,
        "full": length + span - 1,
    }[padding]
    return -(-covered // stride)


def deconv_output_length(
    length, kernel_size: int, padding: str, output_padding=None, stride: int = 1, dilation: int = 1
):
    """The output length of a transposed convolution along one axis.

    Without ``output_padding`` the smallest length whose convolution gives ``length``
    (as Keras infers it); with it, the exact ``(length - 1) * stride + span - 2 * pad
    + output_padding``. A ``None`` length stays ``None``.
    """
    if length is None:
        return None
    span = (kernel_size - 1) * dilation + 1
    if output_padding is None:
        return {
            "valid": length * stride + max(span - stride, 0),
            "same": length * stride,
            "full": length * stride - (stride + span - 2),
        }[padding]
    pad = {"same": span // 2, "valid": 0, "full": span - 1}[padding]
    return (length - 1) * stride + span - 2 * pad + output_padding
