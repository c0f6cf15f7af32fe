"""``tf.compat``: text/bytes conversion, shape-dimension helpers and the forward
compatibility window, as in TF 2.21.

``tf.compat.v2`` is tensorflux itself; the TF 1 API (``tf.compat.v1``) is not provided.
"""

from __future__ import annotations

import contextlib
import datetime
import numbers
import os

import numpy as np

from tensorflux.framework.shape import Dimension, TensorShape, dimension_value  # noqa: F401

# TF 2.21's compatibility horizon: ops newer than this date may not be read by older
# TensorFlow builds. TF_FORWARD_COMPATIBILITY_DELTA_DAYS moves it, as in TF.
_HORIZON = datetime.date(2026, 1, 16)
_horizon_override: list = []

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)


def as_bytes(bytes_or_text, encoding="utf-8") -> bytes:
    """``bytes_or_text`` as bytes: str is encoded with ``encoding``; bytes and bytearray
    are returned as bytes.

    Raises:
        TypeError: any other type.

    >>> import tensorflux as tf
    >>> tf.compat.as_bytes("é")
    b'\\xc3\\xa9'
    """
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8") -> str:
    """``bytes_or_text`` as str: bytes are decoded with ``encoding``.

    Raises:
        TypeError: neither str nor bytes.

    >>> import tensorflux as tf
    >>> tf.compat.as_text(b"abc")
    'abc'
    """
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_str(bytes_or_text, encoding="utf-8") -> str:
    """The same as ``as_text``."""
    return as_text(bytes_or_text, encoding)


def as_str_any(value, encoding="utf-8") -> str:
    """``str(value)``, except that bytes are decoded and path-like objects give their path.

    >>> import tensorflux as tf
    >>> tf.compat.as_str_any(12)
    '12'
    """
    if isinstance(value, bytes):
        return as_text(value, encoding)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def path_to_str(path):
    """The path of a path-like object (``os.fspath``); anything else is returned as is.

    >>> import pathlib, tensorflux as tf
    >>> tf.compat.path_to_str(pathlib.PurePosixPath("/tmp/x"))
    '/tmp/x'
    """
    return os.fspath(path) if isinstance(path, os.PathLike) else path


def dimension_at_index(shape, index) -> Dimension:
    """Dimension ``index`` of ``shape`` as a ``Dimension`` (of None when the rank is
    unknown).

    Raises:
        IndexError: ``index`` is outside a known rank.

    >>> import tensorflux as tf
    >>> tf.compat.dimension_at_index(tf.TensorShape([3, None]), 0)
    Dimension(3)
    """
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if shape.rank is None:
        return Dimension(None)
    return Dimension(shape.dims[index])


def _horizon() -> datetime.date:
    if _horizon_override:
        return _horizon_override[-1]
    delta = os.environ.get("TF_FORWARD_COMPATIBILITY_DELTA_DAYS")
    return _HORIZON + datetime.timedelta(days=int(delta)) if delta else _HORIZON


def forward_compatible(year, month, day) -> bool:
    """Whether the compatibility horizon is past the given date, so that graphs may use
    behaviour introduced then.

    >>> import tensorflux as tf
    >>> tf.compat.forward_compatible(2020, 1, 1)
    True
    """
    return _horizon() > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year, month, day):
    """A context in which the compatibility horizon is the given date (for tests).

    >>> import tensorflux as tf
    >>> with tf.compat.forward_compatibility_horizon(2100, 1, 1):
    ...     tf.compat.forward_compatible(2099, 1, 1)
    True
    """
    _horizon_override.append(datetime.date(year, month, day))
    try:
        yield
    finally:
        _horizon_override.pop()


def __getattr__(name):
    if name == "v2":
        import tensorflux

        return tensorflux
    if name == "v1":
        raise AttributeError(
            "tf.compat.v1 (the TensorFlow 1 API: sessions, placeholders, tf.layers) is not "
            "provided by tensorflux; write the program with the TF 2 API."
        )
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.compat", __name__, name)
