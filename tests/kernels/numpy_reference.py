"""Small, obviously correct NumPy convolutions and pooling (float64) for checking the
fast kernels: a loop over filter taps and windows, TF's padding rules."""

import numpy as np

from tensorflux.ops.window_ops_utils import explicit_pairs, window_dims


def geometry(x_shape, k_spatial, strides, padding, explicit_paddings=(), dilations=None):
    """Per spatial dim ``WindowDim(out, pad_before, pad_after)``, TF's rules."""
    rank = len(x_shape)
    dilations = dilations or [1] * rank
    spatial = list(range(1, rank - 1))
    pairs = explicit_pairs(explicit_paddings, spatial) if padding == "EXPLICIT" else None
    return window_dims(x_shape[1:-1], k_spatial, strides[1:-1], dilations[1:-1], padding,
                       pairs)


def _taps(x_padded, k_spatial, strides, dilations, out):
    """Yields ``(tap index, strided view of x_padded for that tap)``."""
    for tap in np.ndindex(*k_spatial):
        index = [slice(None)]
        for t, s, d, o in zip(tap, strides, dilations, out):
            index.append(slice(t * d, t * d + (o - 1) * s + 1, s))
        index.append(slice(None))
        yield tap, x_padded[tuple(index)]


def conv(x, w, strides, padding, explicit_paddings=(), dilations=None):
    rank = x.ndim
    dilations = dilations or [1] * rank
    geo = geometry(x.shape, w.shape[:-2], strides, padding, explicit_paddings, dilations)
    xp = np.pad(x.astype(np.float64), [(0, 0)] + [(g.pad_before, g.pad_after) for g in geo]
                + [(0, 0)])
    out = [g.out for g in geo]
    y = np.zeros((x.shape[0], *out, w.shape[-1]))
    for tap, view in _taps(xp, w.shape[:-2], strides[1:-1], dilations[1:-1], out):
        y += view @ w[tap].astype(np.float64)
    return y


def conv_backprop_input(x_shape, w, dy, strides, padding, explicit_paddings=(),
                        dilations=None):
    rank = len(x_shape)
    dilations = dilations or [1] * rank
    geo = geometry(x_shape, w.shape[:-2], strides, padding, explicit_paddings, dilations)
    padded = [x_shape[0]] + [n + g.pad_before + g.pad_after
                             for n, g in zip(x_shape[1:-1], geo)] + [x_shape[-1]]
    dxp = np.zeros(padded)
    out = [g.out for g in geo]
    for tap, view in _taps(dxp, w.shape[:-2], strides[1:-1], dilations[1:-1], out):
        view += dy.astype(np.float64) @ w[tap].astype(np.float64).T
    index = (slice(None),) + tuple(slice(g.pad_before, g.pad_before + n)
                                   for n, g in zip(x_shape[1:-1], geo)) + (slice(None),)
    return dxp[index]


def conv_backprop_filter(x, w_shape, dy, strides, padding, explicit_paddings=(),
                         dilations=None):
    rank = x.ndim
    dilations = dilations or [1] * rank
    geo = geometry(x.shape, w_shape[:-2], strides, padding, explicit_paddings, dilations)
    xp = np.pad(x.astype(np.float64), [(0, 0)] + [(g.pad_before, g.pad_after) for g in geo]
                + [(0, 0)])
    out = [g.out for g in geo]
    dw = np.zeros(w_shape)
    d = dy.astype(np.float64).reshape(-1, dy.shape[-1])
    for tap, view in _taps(xp, w_shape[:-2], strides[1:-1], dilations[1:-1], out):
        dw[tap] = view.reshape(-1, view.shape[-1]).T @ d
    return dw
