"""Argument forms shared by the image-shaped reshaping layers (ZeroPadding2D/3D,
Cropping2D/3D): an int, one int per spatial axis, or a ``(before, after)`` pair per
spatial axis; and the ``data_format`` default from ``keras.backend``. Checks and
messages are Keras 2's."""

from __future__ import annotations

from tensorflux.keras import backend
from tensorflux.keras.utils import conv_utils

__all__ = ["data_format_arg", "spatial_pairs", "spatial_axes"]

_ORDINALS = ("1st", "2nd", "3rd")
_FORMS = {
    ("padding", 2): "(symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples of "
    "2 ints ((top_pad, bottom_pad), (left_pad, right_pad))",
    ("padding", 3): "(symmetric_dim1_pad, symmetric_dim2_pad, symmetric_dim3_pad), or a "
    "tuple of 3 tuples of 2 ints ((left_dim1_pad, right_dim1_pad), "
    "(left_dim2_pad, right_dim2_pad), (left_dim3_pad, right_dim2_pad))",
    ("cropping", 2): "(symmetric_height_crop, symmetric_width_crop), or a tuple of 2 tuples "
    "of 2 ints ((top_crop, bottom_crop), (left_crop, right_crop))",
    ("cropping", 3): "(symmetric_dim1_crop, symmetric_dim2_crop, symmetric_dim3_crop), or a "
    "tuple of 3 tuples of 2 ints ((left_dim1_crop, right_dim1_crop), "
    "(left_dim2_crop, right_dim2_crop), (left_dim3_crop, right_dim2_crop))",
}


def data_format_arg(data_format) -> str:
    """``data_format``, defaulting to ``keras.backend.image_data_format()`` as Keras does.

    Raises:
        ValueError: a value other than "channels_first" / "channels_last".
    """
    if data_format is None:
        data_format = backend.image_data_format()
    return conv_utils.normalize_data_format(data_format)


def spatial_pairs(value, n: int, name: str) -> tuple:
    """``value`` as ``n`` ``(before, after)`` pairs of non-negative ints.

    >>> spatial_pairs(1, 2, "padding")
    ((1, 1), (1, 1))
    >>> spatial_pairs((1, (2, 3)), 2, "cropping")
    ((1, 1), (2, 3))

    Raises:
        ValueError: another form, or negative entries, in Keras' wording.
    """
    if isinstance(value, int):
        return ((value, value),) * n
    if hasattr(value, "__len__"):
        if len(value) != n:
            count = "two" if n == 2 else str(n)
            raise ValueError(f"`{name}` should have {count} elements. Received: {value}.")
        return tuple(
            conv_utils.normalize_tuple(v, 2, f"{_ORDINALS[i]} entry of {name}", allow_zero=True)
            for i, v in enumerate(value)
        )
    raise ValueError(
        f"`{name}` should be either an int, a tuple of {n} ints "
        f"{_FORMS[name, n]}. Received: {value}."
    )


def spatial_axes(data_format: str, n: int) -> tuple:
    """The axes of the ``n`` spatial dimensions of a batch in ``data_format``."""
    first = 2 if data_format == "channels_first" else 1
    return tuple(range(first, first + n))
