"""Window functions: Hann, Hamming, Kaiser, Kaiser-Bessel-derived and Vorbis windows.

A window depends only on its length and dtype: it is computed with NumPy in float64
and returned as a constant of the requested floating dtype.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import SymbolicTensor, Tensor

__all__ = [
    "hann_window",
    "hamming_window",
    "kaiser_window",
    "kaiser_bessel_derived_window",
    "vorbis_window",
]


def _dtype(dtype) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype!r}")
    return dtype


def static_int(value, what: str) -> int:
    """A scalar integer argument (a Python int or a concrete scalar tensor) as an int."""
    if type(value) is SymbolicTensor:
        raise ValueError(
            f"{what} must be known when the function is traced (a Python int or a "
            f"constant), got the traced tensor {value!r}."
        )
    arr = np.asarray(value._value if isinstance(value, Tensor) else value)
    if arr.ndim != 0:
        raise ValueError(f"Shape {tuple(arr.shape)} must have rank 0 ({what} must be a scalar).")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and float(arr) == int(arr):
            return int(arr)
        raise ValueError(f"{what} must be an integer. Got {value!r}.")
    return int(arr)


def _constant(values: np.ndarray, dtype: dtypes.DType) -> Tensor:
    return Tensor(np.asarray(values, dtype=dtype._np), dtype)


def _raised_cosine(window_length, periodic, dtype, a: float, b: float) -> Tensor:
    dtype = _dtype(dtype)
    n = static_int(window_length, "window_length")
    if n == 1:
        return _constant(np.ones(1), dtype)
    periodic = bool(np.asarray(periodic._value if isinstance(periodic, Tensor) else periodic))
    # As in TF, ``periodic`` lengthens the period only for even lengths: an odd-length
    # window is symmetric either way.
    denominator = n if periodic and n % 2 == 0 else n - 1
    k = np.arange(n, dtype=np.float64)
    return _constant(a - b * np.cos(2.0 * np.pi * k / max(denominator, 1)), dtype)


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None) -> Tensor:
    """The Hann window ``0.5 - 0.5 cos(2 pi n / N)`` (``tf.signal.hann_window``).

    Args:
        window_length: the number of samples.
        periodic: True for spectral analysis (``N = window_length`` for an even length),
            False for the symmetric window (``N = window_length - 1``, as for odd lengths
            in TF either way).
        dtype: a floating dtype.

    Returns:
        A ``[window_length]`` tensor.

    Raises:
        ValueError: a non-floating dtype or a non-scalar length.

    >>> import tensorflux as tf
    >>> tf.signal.hann_window(4).numpy()
    array([0. , 0.5, 1. , 0.5], dtype=float32)
    """
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None) -> Tensor:
    """The Hamming window ``0.54 - 0.46 cos(2 pi n / N)`` (``tf.signal.hamming_window``).

    Arguments as ``hann_window``.

    Raises:
        ValueError: a non-floating dtype or a non-scalar length.

    >>> import tensorflux as tf
    >>> tf.signal.hamming_window(3, periodic=False).numpy()
    array([0.08, 1.  , 0.08], dtype=float32)
    """
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46)


def _kaiser(n: int, beta: float) -> np.ndarray:
    if n == 1:
        return np.ones(1)
    half = (n - 1) / 2.0
    ratio = (np.arange(n, dtype=np.float64) - half) / half
    return np.i0(beta * np.sqrt(np.maximum(0.0, 1.0 - ratio**2))) / np.i0(beta)


def kaiser_window(window_length, beta=12.0, dtype=dtypes.float32, name=None) -> Tensor:
    """The Kaiser window ``I0(beta sqrt(1 - (2n/(N-1) - 1)^2)) / I0(beta)``
    (``tf.signal.kaiser_window``).

    Raises:
        ValueError: a non-floating dtype or a non-scalar length.

    >>> import tensorflux as tf
    >>> tf.signal.kaiser_window(3, beta=0.0).numpy()
    array([1., 1., 1.], dtype=float32)
    """
    dtype = _dtype(dtype)
    n = static_int(window_length, "window_length")
    return _constant(_kaiser(n, float(beta)), dtype)


def kaiser_bessel_derived_window(
    window_length, beta=12.0, dtype=dtypes.float32, name=None
) -> Tensor:
    """The Kaiser-Bessel-derived window, for MDCTs (``tf.signal.kaiser_bessel_derived_window``).

    Its first half is the square root of the normalised running sum of a Kaiser window of
    ``window_length // 2 + 1`` points, its second half the mirror image; as in TF an odd
    ``window_length`` gives ``window_length - 1`` points.

    Raises:
        ValueError: a non-floating dtype or a non-scalar length.

    >>> import tensorflux as tf
    >>> tf.signal.kaiser_bessel_derived_window(4, beta=0.0).numpy()
    array([0.57735026, 0.8164966 , 0.8164966 , 0.57735026], dtype=float32)
    """
    dtype = _dtype(dtype)
    half = static_int(window_length, "window_length") // 2
    running = np.cumsum(_kaiser(half + 1, float(beta)))
    rising = np.sqrt(running[:-1] / running[-1])
    return _constant(np.concatenate([rising, rising[::-1]]), dtype)


def vorbis_window(window_length, dtype=dtypes.float32, name=None) -> Tensor:
    """The Vorbis power-complementary window ``sin(pi/2 sin^2(pi (n + 1/2) / N))``
    (``tf.signal.vorbis_window``).

    Raises:
        ValueError: a non-floating dtype or a non-scalar length.

    >>> import tensorflux as tf
    >>> tf.signal.vorbis_window(2).numpy()
    array([0.70710677, 0.70710677], dtype=float32)
    """
    dtype = _dtype(dtype)
    n = static_int(window_length, "window_length")
    k = np.arange(n, dtype=np.float64)
    return _constant(np.sin(np.pi / 2.0 * np.sin(np.pi / max(n, 1) * (k + 0.5)) ** 2), dtype)
