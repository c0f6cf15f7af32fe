"""``to_categorical`` and ``normalize``: NumPy helpers for preparing data."""

import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Converts integer class labels to one-hot rows.

    A trailing dimension of size 1 is dropped first, so labels shaped ``(n, 1)``
    give ``(n, num_classes)`` as labels shaped ``(n,)`` do.

    Args:
        y: integer labels (array-like or tensor), from 0 to ``num_classes - 1``.
        num_classes: number of classes; defaults to ``max(y) + 1``.
        dtype: dtype of the result.

    Returns:
        A NumPy array of shape ``y.shape + (num_classes,)``.

    Raises:
        IndexError: if a label is ``>= num_classes``.

    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    y = np.array(y, dtype="int64")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    if num_classes < 0:
        raise ValueError(
            f"to_categorical: num_classes must be a positive integer, got {num_classes}."
        )
    if y.size and y.max() >= num_classes:
        raise IndexError(
            f"to_categorical: label {int(y.max())} is out of range for "
            f"num_classes={num_classes}; labels must be in [0, {num_classes - 1}]. "
            "Pass a larger num_classes or check the labels."
        )
    categorical = np.zeros((y.shape[0], num_classes), dtype=dtype)
    categorical[np.arange(y.shape[0]), y] = 1
    return categorical.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Divides ``x`` by its ``order``-norm along ``axis`` (all-zero slices stay zero).

    Args:
        x: a NumPy array (or array-like).
        axis: the axis along which to normalize.
        order: the norm's order (2 for L2).

    Returns:
        A normalized copy of ``x`` as a NumPy array.

    >>> normalize([[3.0, 4.0]])
    array([[0.6, 0.8]])
    """
    x = np.asarray(x)
    if not -max(x.ndim, 1) <= axis < max(x.ndim, 1):
        raise ValueError(
            f"normalize: axis {axis} is out of bounds for an array of shape "
            f"{x.shape}. Use an axis in [{-x.ndim}, {x.ndim})."
        )
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def to_ordinal(y, num_classes=None, dtype="float32"):
    """Converts integer labels to ordinal rows: label ``k`` has ones in its first
    ``k`` of ``num_classes - 1`` columns (for ordinal regression).

    A trailing dimension of size 1 is dropped first, as ``to_categorical`` does.

    Args:
        y: integer labels (array-like or tensor), from 0 to ``num_classes - 1``.
        num_classes: number of classes; defaults to ``max(y) + 1``.
        dtype: dtype of the result.

    Returns:
        A NumPy array of shape ``y.shape + (num_classes - 1,)``.

    >>> to_ordinal([0, 2, 1], num_classes=3)
    array([[0., 0.],
           [1., 1.],
           [1., 0.]], dtype=float32)
    """
    y = np.array(y, dtype="int64")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    ordinal = (np.arange(num_classes - 1)[None, :] < y[:, None]).astype(dtype)
    return ordinal.reshape(tuple(shape) + (num_classes - 1,))
