"""Discrete cosine transforms of types I-IV: ``tf.signal.dct`` and ``tf.signal.idct``.

Each transform is a product with a constant cosine matrix over the last axis: exact in
the input's dtype, differentiable through MatMul (to any order), and, for the lengths
signals use (MFCC bins, MDCT halves), as fast as the FFT route TF takes.
Definitions are TF's (scipy's): type II is ``2 sum x_n cos(pi k (2n + 1) / 2N)``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.joining_ops import pad
from tensorflux.ops.math_ops import matmul
from tensorflux.ops.shape_ops import reshape

__all__ = ["dct", "idct"]


def _basis(kind: int, n: int, ortho: bool) -> np.ndarray:
    """The ``[n, n]`` matrix ``C`` with ``dct(x) = x @ C`` (rows: input samples)."""
    i = np.arange(n, dtype=np.float64)[:, None]  # input index
    k = np.arange(n, dtype=np.float64)[None, :]  # output index
    if kind == 1:
        c = 2.0 * np.cos(np.pi * i * k / (n - 1))
        c[0, :] = 1.0
        c[-1, :] = np.cos(np.pi * k[0])
        return c
    if kind == 2:
        c = 2.0 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
        if ortho:
            c[:, 0] *= np.sqrt(1.0 / (4 * n))
            c[:, 1:] *= np.sqrt(1.0 / (2 * n))
        return c
    if kind == 3:
        c = 2.0 * np.cos(np.pi * i * (2 * k + 1) / (2 * n))
        c[0, :] = 1.0
        if ortho:
            c[0, :] /= np.sqrt(n)
            c[1:, :] *= np.sqrt(0.5 / n)
        return c
    c = 2.0 * np.cos(np.pi * (2 * i + 1) * (2 * k + 1) / (4 * n))
    return c * np.sqrt(0.5 / n) if ortho else c


def _validate(x: Tensor, kind, n, axis, norm) -> None:
    if not x.dtype.is_floating:
        raise TypeError(
            f"tf.signal.dct expects a floating input, got {x.dtype.name}: cast it first, "
            f"e.g. tf.cast(x, tf.float32)."
        )
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if kind not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if kind == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        last = x.shape.as_list()[-1] if x.shape.rank else None
        if last is not None and last < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _transform(x: Tensor, kind: int, n, norm) -> Tensor:
    length = x.shape.as_list()[-1]
    if length is None:
        raise ValueError(
            f"tf.signal.dct needs the size of the last axis when the function is traced; "
            f"got shape {x.shape}."
        )
    if n is not None and n != length:
        if n < length:
            x = x[..., :n]
        else:
            paddings = [[0, 0] for _ in range(x.shape.rank - 1)] + [[0, n - length]]
            x = pad(x, paddings)
        length = n
    basis = Tensor(_basis(kind, length, norm == "ortho").astype(x._value.dtype), x._dtype)
    if x.shape.rank == 1:
        return reshape(matmul(reshape(x, [1, length]), basis), [length])
    return matmul(x, basis)


def dct(input, type=2, n=None, axis=-1, norm=None, name=None) -> Tensor:  # noqa: A002
    """The discrete cosine transform of type ``type`` over the last axis (``tf.signal.dct``).

    Args:
        input: a float32/float64 tensor ``[..., samples]``.
        type: 1, 2, 3 or 4.
        n: the length to crop or zero-pad the last axis to first.
        axis: must be -1, as in TF.
        norm: None or "ortho" (orthonormal; not for type 1).

    Returns:
        A tensor of the (cropped or padded) input's shape and dtype.

    Raises:
        TypeError: a non-floating input.
        ValueError: an unsupported type, norm or n; type 1 on fewer than 2 samples.
        NotImplementedError: an axis other than -1.

    >>> import tensorflux as tf
    >>> tf.signal.dct([1.0, 1.0, 1.0, 1.0]).numpy().round(4)
    array([8., 0., 0., 0.], dtype=float32)
    """
    x = to_tensor(input)
    _validate(x, type, n, axis, norm)
    return _transform(x, type, n, norm)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None) -> Tensor:  # noqa: A002
    """The inverse DCT (``tf.signal.idct``): the DCT of type 3 for type 2 (and back),
    types 1 and 4 for themselves. Unnormalised, ``idct(dct(x)) = 2N x`` (type 1:
    ``2(N - 1) x``); with ``norm="ortho"`` it is the exact inverse.

    Raises:
        ValueError: an unsupported type, norm or n.
        NotImplementedError: an axis other than -1.

    >>> import tensorflux as tf
    >>> x = tf.constant([1.0, 2.0, 3.0])
    >>> tf.signal.idct(tf.signal.dct(x, norm="ortho"), norm="ortho").numpy().round(4)
    array([1., 2., 3.], dtype=float32)
    """
    x = to_tensor(input)
    _validate(x, type, n, axis, norm)
    return _transform(x, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, norm)
