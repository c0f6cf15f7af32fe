"""``tf.debugging.assert_proper_iterable`` and ``assert_same_float_dtype``: checks on
Python arguments, made before any op runs."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.composite_tensor import CompositeTensor
from tensorflux.framework.tensor import Tensor

__all__ = ["assert_proper_iterable", "assert_same_float_dtype"]


def assert_proper_iterable(values) -> None:
    """Checks that ``values`` is an iterable of items (a list, tuple, generator...), not
    a tensor, array or string, which iterate too but were meant as one value.

    Raises:
        TypeError: ``values`` is not iterable, or is a tensor, sparse tensor, NumPy
            array, ``str`` or ``bytes``.

    >>> import tensorflux as tf
    >>> tf.debugging.assert_proper_iterable([1, 2])
    """
    # Of the composite values, TF refuses only SparseTensors (the one with a dense_shape).
    sparse = isinstance(values, CompositeTensor) and hasattr(values, "dense_shape")
    if sparse or isinstance(values, (Tensor, np.ndarray, str, bytes)):
        raise TypeError(
            f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}'
        )
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def _describe(item) -> str:
    # Graph tensors are named; eager tensors have no name and show their value.
    return item.name if hasattr(item, "name") else str(item)


def assert_same_float_dtype(tensors=None, dtype=None):
    """The one floating dtype shared by ``tensors`` (and ``dtype`` when given).

    Args:
        tensors: tensors, variables or sparse tensors (None entries are skipped).
        dtype: the dtype they must have.

    Returns:
        That dtype; ``tf.float32`` when neither ``tensors`` nor ``dtype`` names one.

    Raises:
        ValueError: two dtypes differ, or the common dtype is not floating.

    >>> import tensorflux as tf
    >>> tf.debugging.assert_same_float_dtype([tf.constant(1.0), tf.constant(2.0)])
    tf.float32
    """
    if tensors:
        expected, first = dtype, None
        for item in tensors:
            if item is None:
                continue
            item_dtype = item.dtype.base_dtype
            if not expected:
                expected, first = item_dtype, _describe(item)
            elif expected != item_dtype:
                as_first = f" as {first}" if first is not None else ""
                raise ValueError(
                    f"{_describe(item)}, type={item_dtype}, must be of the same type "
                    f"({expected}){as_first}."
                )
        dtype = expected
    if not dtype:
        return dtypes.float32
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype
