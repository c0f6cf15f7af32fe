"""``tf.register_tensor_conversion_function``: teaching ``convert_to_tensor`` (and so
every op) to accept values of a user's own types."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["register_tensor_conversion_function", "registered", "convert_registered"]

# (priority, order of registration, base types, function), kept sorted.
registered: list = []


def register_tensor_conversion_function(base_type, conversion_func, priority=100) -> None:
    """Registers ``conversion_func`` to turn values of ``base_type`` into tensors.

    Args:
        base_type: a type or a tuple of types; instances of subclasses convert too.
        conversion_func: ``f(value, dtype=None, name=None, as_ref=False)`` returning a
            Tensor of ``dtype`` when one is asked, or ``NotImplemented`` to let the next
            registered function (by ``priority``, lowest first) try.
        priority: order among the functions that accept one value.

    Raises:
        TypeError: ``base_type`` is not a type (or is a Python number or NumPy type,
            whose conversion is fixed), or ``conversion_func`` is not callable.

    >>> import tensorflux as tf
    >>> class Meters:
    ...     def __init__(self, n):
    ...         self.n = n
    >>> tf.register_tensor_conversion_function(
    ...     Meters, lambda v, dtype=None, name=None, as_ref=False: tf.constant(v.n, dtype))
    >>> tf.convert_to_tensor(Meters(3.0))
    <tf.Tensor: shape=(), dtype=float32, numpy=3.0>
    """
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types):
        raise TypeError(
            f"Argument `base_type` must be a type or a tuple of types. Obtained: {base_type}"
        )
    if any(issubclass(t, (numbers.Number, np.ndarray, np.generic)) for t in types):
        raise TypeError(
            "Cannot register conversions for Python numeric types and NumPy scalars and arrays."
        )
    if not callable(conversion_func):
        raise TypeError(f"Argument `conversion_func` must be callable. Received {conversion_func}.")
    registered.append((priority, len(registered), types, conversion_func))
    registered.sort(key=lambda entry: entry[:2])


def convert_registered(value, dtype, name):
    """The tensor the registered functions make of ``value``, or None when none applies.

    Raises:
        RuntimeError: a function returned something other than a tensor, or a tensor of
            another dtype than the one asked for.
    """
    from tensorflux.framework.tensor import Tensor

    for _, _, types, func in registered:
        if not isinstance(value, types):
            continue
        result = func(value, dtype=dtype, name=name, as_ref=False)
        if result is NotImplemented:
            continue
        if not isinstance(result, Tensor):
            raise RuntimeError(
                f"Conversion function {func!r} for type {type(value)} returned non-Tensor: "
                f"{result!r}"
            )
        if dtype is not None and result.dtype != dtype:
            raise RuntimeError(
                f"Conversion function {func!r} for type {type(value)} returned incompatible "
                f"dtype: requested = {dtype.name}, actual = {result.dtype.name}"
            )
        return result
    return None
