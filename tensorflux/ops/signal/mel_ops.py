"""Mel-scale filterbanks and cepstral coefficients: ``linear_to_mel_weight_matrix`` and
``mfccs_from_log_mel_spectrograms``.

The mel scale is the HTK one TF uses, ``mel(f) = 1127 ln(1 + f / 700)``. The matrix is a
constant computed with NumPy in the requested dtype, step by step as TF computes it, so
that the triangle edges round alike.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import execute
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.math_ops import _MUL, _const
from tensorflux.ops.signal.dct_ops import dct
from tensorflux.ops.signal.window_ops import static_int

__all__ = ["linear_to_mel_weight_matrix", "mfccs_from_log_mel_spectrograms"]

_MEL_BREAK_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz: np.ndarray) -> np.ndarray:
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_HERTZ)


def _scalar(value) -> float:
    return float(np.asarray(value._value if isinstance(value, Tensor) else value))


def linear_to_mel_weight_matrix(
    num_mel_bins=20,
    num_spectrogram_bins=129,
    sample_rate=8000,
    lower_edge_hertz=125.0,
    upper_edge_hertz=3800.0,
    dtype=dtypes.float32,
    name=None,
) -> Tensor:
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix of triangular mel filters
    (``tf.signal.linear_to_mel_weight_matrix``): multiply a linear-frequency magnitude
    spectrogram by it to get a mel spectrogram.

    The spectrogram bins are ``num_spectrogram_bins`` frequencies spaced evenly from 0 to
    ``sample_rate / 2``; the ``num_mel_bins`` triangles have corners evenly spaced in mel
    between ``lower_edge_hertz`` and ``upper_edge_hertz``. The DC bin's row is zero.

    Raises:
        ValueError: non-positive num_mel_bins or sample_rate, a negative or inverted edge,
            an upper edge above the Nyquist frequency, or a non-floating dtype.

    >>> import tensorflux as tf
    >>> tf.signal.linear_to_mel_weight_matrix(2, 5, 8000, 0.0, 4000.0).shape
    TensorShape([5, 2])
    """
    dtype = dtypes.as_dtype(dtype)
    num_mel_bins = static_int(num_mel_bins, "num_mel_bins")
    num_spectrogram_bins = static_int(num_spectrogram_bins, "num_spectrogram_bins")
    sample_rate = _scalar(sample_rate)
    lower, upper = _scalar(lower_edge_hertz), _scalar(upper_edge_hertz)
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower}")
    if lower >= upper:
        raise ValueError(f"lower_edge_hertz {lower:.1f} >= upper_edge_hertz {upper:.1f}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if upper > sample_rate / 2:
        raise ValueError(
            f"upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / "
            f"2). Got {upper} for sample_rate: {sample_rate}"
        )
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")
    t = np.dtype(dtype._np).type
    nyquist = t(sample_rate) / t(2.0)
    # Bin 0 (DC) gets no weight: its row is padded back in as zeros.
    hertz = np.linspace(t(0.0), nyquist, num_spectrogram_bins, dtype=t)[1:]
    bins_mel = _hertz_to_mel(hertz).astype(t)[:, None]
    edges = np.linspace(
        _hertz_to_mel(t(lower)), _hertz_to_mel(t(upper)), num_mel_bins + 2, dtype=t
    ).astype(t)
    low, center, high = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    rising = (bins_mel - low) / (center - low)
    falling = (high - bins_mel) / (high - center)
    weights = np.maximum(t(0.0), np.minimum(rising, falling)).astype(t)
    matrix = np.concatenate([np.zeros((1, num_mel_bins), t), weights], axis=0)
    return Tensor(matrix[:num_spectrogram_bins], dtype)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None) -> Tensor:
    """Mel-frequency cepstral coefficients: the orthonormal-scaled type-II DCT of log-mel
    spectrograms over their last axis, ``dct(x) / sqrt(2 * num_mel_bins)``
    (``tf.signal.mfccs_from_log_mel_spectrograms``).

    Raises:
        ValueError: an empty mel axis.

    >>> import tensorflux as tf
    >>> tf.signal.mfccs_from_log_mel_spectrograms([[1.0, 1.0]]).numpy().round(4)
    array([[2., 0.]], dtype=float32)
    """
    x = to_tensor(log_mel_spectrograms)
    bins = x.shape.as_list()[-1] if x.shape.rank else None
    if bins == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {x!r}")
    coefficients = dct(x, type=2)
    return execute(_MUL, (coefficients, _const(1.0 / np.sqrt(2.0 * bins), coefficients)))
