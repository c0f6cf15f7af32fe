"""Spectrograms and their inverses: ``stft``, ``inverse_stft``, ``inverse_stft_window_fn``,
``mdct`` and ``inverse_mdct``, composed of framing, windows, the FFT ops and DCT-IV.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.fft_ops import irfft, rfft
from tensorflux.ops.joining_ops import concat, pad, reverse, tile
from tensorflux.ops.math_ops import divide_no_nan, negative, square
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import reshape
from tensorflux.ops.signal.dct_ops import dct
from tensorflux.ops.signal.shape_ops import _at_least, frame, overlap_and_add
from tensorflux.ops.signal.window_ops import hann_window, static_int, vorbis_window

__all__ = ["stft", "inverse_stft", "inverse_stft_window_fn", "mdct", "inverse_mdct"]


def _enclosing_power_of_two(n: int) -> int:
    """The smallest power of two >= n (0 for 0), TF's default fft_length."""
    return 0 if n <= 0 else 1 << (n - 1).bit_length()


def _fit_last(x: Tensor, length: int) -> Tensor:
    """``x`` cropped or zero-padded along its last axis to ``length``."""
    n = x.shape.as_list()[-1]
    if n > length:
        return x[..., :length]
    if n < length:
        return pad(x, [[0, 0]] * (x.shape.rank - 1) + [[0, length - n]])
    return x


def stft(
    signals,
    frame_length,
    frame_step,
    fft_length=None,
    window_fn=hann_window,
    pad_end=False,
    name=None,
) -> Tensor:
    """The short-time Fourier transform of real signals (``tf.signal.stft``): frames of
    ``frame_length`` samples every ``frame_step``, each multiplied by ``window_fn``'s
    window and transformed with ``rfft`` of ``fft_length`` points.

    Args:
        signals: a float32/float64 tensor ``[..., samples]``.
        frame_length: samples per frame.
        frame_step: samples between frames.
        fft_length: points per FFT; by default the smallest power of two >= frame_length.
        window_fn: ``fn(frame_length, dtype=...)`` giving the window, or None for none.
        pad_end: whether to zero-pad the end so that the last samples start a frame.

    Returns:
        A complex tensor ``[..., frames, fft_length // 2 + 1]``.

    Raises:
        ValueError: a scalar signal, or a non-floating one (from the window or rfft).
        InvalidArgumentError: a negative frame_length or a non-positive frame_step.

    >>> import tensorflux as tf
    >>> tf.signal.stft(tf.zeros([1000]), frame_length=256, frame_step=128).shape
    TensorShape([6, 129])
    """
    x = to_tensor(signals)
    _at_least(x, 1)
    length = static_int(frame_length, "frame_length")
    n_fft = _enclosing_power_of_two(length) if fft_length is None else fft_length
    n_fft = static_int(n_fft, "fft_length")
    frames = frame(x, length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    return rfft(frames, [n_fft])


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window function for ``inverse_stft`` that undoes ``forward_window_fn``'s window
    with ``frame_step`` overlap (``tf.signal.inverse_stft_window_fn``): the forward window
    divided by the overlapped sum of its squares (0 where that sum is 0).

    Returns:
        A callable ``fn(frame_length, dtype)``.

    >>> import tensorflux as tf
    >>> fn = tf.signal.inverse_stft_window_fn(2)
    >>> fn(4, dtype=tf.float32).numpy()
    array([0., 1., 1., 1.], dtype=float32)
    """

    def window_fn(frame_length, dtype):
        step = static_int(frame_step, "frame_step")
        length = static_int(frame_length, "frame_length")
        forward = forward_window_fn(length, dtype=dtype)
        overlaps = -(-length // step)
        # Sum the squared window over the frames that overlap each sample position.
        energy = pad(square(forward), [[0, overlaps * step - length]])
        energy = reduce_sum(reshape(energy, [overlaps, step]), 0, keepdims=True)
        energy = reshape(tile(energy, [overlaps, 1]), [overlaps * step])[:length]
        return divide_no_nan(forward, energy)

    return window_fn


def inverse_stft(
    stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window, name=None
) -> Tensor:
    """Signals from their STFTs (``tf.signal.inverse_stft``): ``irfft`` of each frame,
    cropped or padded to ``frame_length``, windowed, then overlap-added ``frame_step``
    apart. With ``window_fn=tf.signal.inverse_stft_window_fn(frame_step)`` it inverts
    ``stft`` with the default window.

    Args:
        stfts: a complex tensor ``[..., frames, fft_unique_bins]``.
        frame_length, frame_step, fft_length: as given to ``stft``.
        window_fn: the synthesis window function, or None.

    Returns:
        A real tensor ``[..., samples]``.

    Raises:
        ValueError: an input of rank below 2 or not complex.

    >>> import tensorflux as tf
    >>> x = tf.random.stateless_normal([64], seed=[1, 2])
    >>> y = tf.signal.stft(x, 16, 4)
    >>> back = tf.signal.inverse_stft(
    ...     y, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    >>> bool(tf.reduce_all(tf.abs(back[12:-12] - x[12:52]) < 1e-5))
    True
    """
    y = to_tensor(stfts)
    _at_least(y, 2)
    length = static_int(frame_length, "frame_length")
    n_fft = _enclosing_power_of_two(length) if fft_length is None else fft_length
    frames = _fit_last(irfft(y, [static_int(n_fft, "fft_length")]), length)
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=y.dtype.real_dtype)
    return overlap_and_add(frames, frame_step)


def mdct(
    signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None
) -> Tensor:
    """The modified discrete cosine transform (``tf.signal.mdct``): frames of
    ``frame_length`` samples, half a frame apart, windowed, folded to half length and
    transformed with a DCT-IV.

    Args:
        signals: a float32/float64 tensor ``[..., samples]``.
        frame_length: samples per frame, a multiple of 4.
        window_fn: the window function (the Vorbis window by default); None scales by
            ``1 / sqrt(2)``.
        pad_end: whether to zero-pad the last frame.
        norm: None or "ortho" (the DCT-IV's normalisation).

    Returns:
        A tensor ``[..., frames, frame_length // 2]``.

    Raises:
        ValueError: a frame_length not a multiple of 4, or a scalar signal.

    >>> import tensorflux as tf
    >>> tf.signal.mdct(tf.zeros([16]), 8).shape
    TensorShape([3, 4])
    """
    x = to_tensor(signals)
    _at_least(x, 1)
    length = static_int(frame_length, "frame_length")
    if length % 4 != 0:
        raise ValueError("The frame length must be a multiple of 4.")
    frames = frame(x, length, length // 2, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    else:
        frames = frames * (1.0 / np.sqrt(2.0))
    q = length // 4
    a, b = frames[..., :q], frames[..., q : 2 * q]
    c, d = frames[..., 2 * q : 3 * q], frames[..., 3 * q :]
    folded = concat([negative(reverse(c, [-1])) - d, a - reverse(b, [-1])], axis=-1)
    return dct(folded, type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None) -> Tensor:
    """Signals from their MDCTs (``tf.signal.inverse_mdct``): a DCT-IV of each frame,
    unfolded to full length, windowed and overlap-added half a frame apart. With the
    window used by ``mdct`` (Vorbis, Kaiser-Bessel-derived or None) it reconstructs the
    signal away from its first and last half frame.

    Raises:
        ValueError: an input of rank below 2, or a norm other than None and "ortho".

    >>> import tensorflux as tf
    >>> tf.signal.inverse_mdct(tf.zeros([3, 4])).shape
    TensorShape([16])
    """
    y = to_tensor(mdcts)
    _at_least(y, 2)
    half = y.shape.as_list()[-1]
    if norm is None:
        halves = dct(y, type=4) * (0.5 / half)
    elif norm == "ortho":
        halves = dct(y, type=4, norm="ortho")
    else:
        raise ValueError(f"norm must be None or 'ortho', got: {norm!r}")
    first, second = halves[..., : half // 2], halves[..., half // 2 :]
    frames = concat(
        [second, negative(reverse(second, [-1])), negative(reverse(first, [-1])), -first],
        axis=-1,
    )
    if window_fn is not None:
        frames = frames * window_fn(2 * half, dtype=y.dtype)
    else:
        frames = frames * (1.0 / np.sqrt(2.0))
    return overlap_and_add(frames, half)
