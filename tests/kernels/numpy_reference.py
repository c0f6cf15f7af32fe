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
    return window_dims(x_shape[1:-1], k_spatial, strides[1:-1], dilations[1:-1], padding, pairs)


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
    xp = np.pad(
        x.astype(np.float64), [(0, 0)] + [(g.pad_before, g.pad_after) for g in geo] + [(0, 0)]
    )
    out = [g.out for g in geo]
    y = np.zeros((x.shape[0], *out, w.shape[-1]))
    for tap, view in _taps(xp, w.shape[:-2], strides[1:-1], dilations[1:-1], out):
        y += view @ w[tap].astype(np.float64)
    return y


def conv_backprop_input(x_shape, w, dy, strides, padding, explicit_paddings=(), dilations=None):
    rank = len(x_shape)
    dilations = dilations or [1] * rank
    geo = geometry(x_shape, w.shape[:-2], strides, padding, explicit_paddings, dilations)
    padded = (
        [x_shape[0]]
        + [n + g.pad_before + g.pad_after for n, g in zip(x_shape[1:-1], geo)]
        + [x_shape[-1]]
    )
    dxp = np.zeros(padded)
    out = [g.out for g in geo]
    for tap, view in _taps(dxp, w.shape[:-2], strides[1:-1], dilations[1:-1], out):
        view += dy.astype(np.float64) @ w[tap].astype(np.float64).T
    index = (
        (slice(None),)
        + tuple(slice(g.pad_before, g.pad_before + n) for n, g in zip(x_shape[1:-1], geo))
        + (slice(None),)
    )
    return dxp[index]


def conv_backprop_filter(x, w_shape, dy, strides, padding, explicit_paddings=(), dilations=None):
    rank = x.ndim
    dilations = dilations or [1] * rank
    geo = geometry(x.shape, w_shape[:-2], strides, padding, explicit_paddings, dilations)
    xp = np.pad(
        x.astype(np.float64), [(0, 0)] + [(g.pad_before, g.pad_after) for g in geo] + [(0, 0)]
    )
    out = [g.out for g in geo]
    dw = np.zeros(w_shape)
    d = dy.astype(np.float64).reshape(-1, dy.shape[-1])
    for tap, view in _taps(xp, w_shape[:-2], strides[1:-1], dilations[1:-1], out):
        dw[tap] = view.reshape(-1, view.shape[-1]).T @ d
    return dw


def _windows(x_shape, ksize, strides, padding, explicit_paddings=()):
    """Yields ``(output index, input slices)`` per output position, clipped to the input."""
    k = ksize[1:-1]
    geo = geometry(x_shape, k, strides, padding, explicit_paddings)
    for out_index in np.ndindex(*[g.out for g in geo]):
        slices = []
        for o, g, kk, s, n in zip(out_index, geo, k, strides[1:-1], x_shape[1:-1]):
            start = o * s - g.pad_before
            slices.append(slice(max(start, 0), min(start + kk, n)))
        yield out_index, tuple(slices), [g.out for g in geo]


def max_pool(x, ksize, strides, padding, explicit_paddings=()):
    out = None
    for index, slices, sizes in _windows(x.shape, ksize, strides, padding, explicit_paddings):
        if out is None:
            out = np.empty((x.shape[0], *sizes, x.shape[-1]), x.dtype)
        window = x[(slice(None), *slices)]
        out[(slice(None), *index)] = window.reshape(x.shape[0], -1, x.shape[-1]).max(axis=1)
    return out


def max_pool_grad(x, grad, ksize, strides, padding, explicit_paddings=()):
    """Each window's gradient goes to its first maximum in row-major window order."""
    dx = np.zeros(x.shape, np.float64)
    n, c = x.shape[0], x.shape[-1]
    for index, slices, _ in _windows(x.shape, ksize, strides, padding, explicit_paddings):
        window = x[(slice(None), *slices)]
        flat = window.reshape(n, -1, c)
        first = flat.argmax(axis=1)  # argmax returns the first maximum
        positions = np.unravel_index(first, window.shape[1:-1])
        for b in range(n):
            for ch in range(c):
                at = tuple(s.start + p[b, ch] for s, p in zip(slices, positions))
                dx[(b, *at, ch)] += grad[(b, *index, ch)]
    return dx


def avg_pool(x, ksize, strides, padding):
    out = None
    for index, slices, sizes in _windows(x.shape, ksize, strides, padding):
        if out is None:
            out = np.empty((x.shape[0], *sizes, x.shape[-1]))
        window = x[(slice(None), *slices)].astype(np.float64)
        out[(slice(None), *index)] = window.reshape(x.shape[0], -1, x.shape[-1]).mean(axis=1)
    return out


def avg_pool_grad(x_shape, grad, ksize, strides, padding):
    dx = np.zeros(x_shape)
    for index, slices, _ in _windows(x_shape, ksize, strides, padding):
        count = np.prod([s.stop - s.start for s in slices])
        dx[(slice(None), *slices, slice(None))] += (
            grad[(slice(None), *index)][(slice(None),) + (None,) * len(slices)] / count
        )
    return dx
