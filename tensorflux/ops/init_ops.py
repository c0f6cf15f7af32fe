"""TF 2's core initializers (``tf.zeros_initializer``, ``tf.ones_initializer``,
``tf.constant_initializer``, ``tf.random_uniform_initializer``,
``tf.random_normal_initializer``): callables ``init(shape, dtype)`` returning a tensor,
float32 by default (Keras' initializers, in ``tf.keras.initializers``, are their own
classes with Keras' defaults).

A seeded random initializer draws the stateless ops with the seed ``[seed, 0]`` (the
same values on every call, as TF); an unseeded one draws the stateful ops under the
global seed.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor

__all__ = [
    "zeros_initializer",
    "ones_initializer",
    "constant_initializer",
    "random_uniform_initializer",
    "random_normal_initializer",
]

_PARTITION_SHAPE = "partition_shape"
_PARTITION_OFFSET = "partition_offset"


class Initializer:
    """Base of the initializers: ``__call__(shape, dtype=None, **kwargs)``, and a config
    that rebuilds them."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError("Initializer subclasses implement __call__.")

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-able dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict):
        """An initializer made from ``get_config()``'s dict."""
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)

    def _validate_kwargs(self, kwargs: dict, support_partition: bool = True) -> None:
        for kwarg in kwargs:
            if kwarg not in (_PARTITION_SHAPE, _PARTITION_OFFSET):
                raise TypeError(
                    f"Keyword argument should be one of {[_PARTITION_SHAPE, _PARTITION_OFFSET]}"
                    f". Received: {kwarg}"
                )
            if not support_partition:
                raise ValueError(
                    f"{type(self).__name__} initializer doesn't support partition-related arguments"
                )


def _numeric_or_bool(dtype) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string:
        raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {dtype}.")
    return dtype


class Zeros(Initializer):
    """Tensors of zeros.

    >>> import tensorflux as tf
    >>> tf.zeros_initializer()([2], tf.int32).numpy()
    array([0, 0], dtype=int32)
    """

    def __call__(self, shape, dtype=dtypes.float32, **kwargs) -> Tensor:
        """Zeros of ``shape`` (``partition_shape`` when given) and ``dtype``.

        Raises:
            ValueError: a string dtype.
        """
        from tensorflux.ops.creation_ops import zeros

        self._validate_kwargs(kwargs)
        dtype = _numeric_or_bool(dtype)
        return zeros(kwargs.get(_PARTITION_SHAPE, shape), dtype)


class Ones(Initializer):
    """Tensors of ones.

    >>> import tensorflux as tf
    >>> tf.ones_initializer()([2]).numpy()
    array([1., 1.], dtype=float32)
    """

    def __call__(self, shape, dtype=dtypes.float32, **kwargs) -> Tensor:
        """Ones of ``shape`` (``partition_shape`` when given) and ``dtype``.

        Raises:
            ValueError: a string dtype.
        """
        from tensorflux.ops.creation_ops import ones

        self._validate_kwargs(kwargs)
        dtype = _numeric_or_bool(dtype)
        return ones(kwargs.get(_PARTITION_SHAPE, shape), dtype)


class Constant(Initializer):
    """Tensors filled with ``value`` (a scalar), or holding ``value``'s elements
    reshaped (a list or array with as many elements as the shape).

    Raises:
        TypeError: a value that is not a scalar, list, tuple or NumPy array.

    >>> import tensorflux as tf
    >>> tf.constant_initializer([1, 2, 3, 4])([2, 2]).numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """

    def __init__(self, value=0, support_partition=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(
                f"Invalid type for initial value: {type(value).__name__}. Expected Python "
                f"scalar, list or tuple of values, or numpy.ndarray."
            )
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs) -> Tensor:
        """``value`` as a tensor of ``shape`` (and ``dtype``, else the value's own).

        Raises:
            TypeError: a value whose size does not fit ``shape``.
        """
        from tensorflux.framework.tensor import constant

        self._validate_kwargs(kwargs, support_partition=self.support_partition)
        return constant(self.value, dtype=None if dtype is None else dtypes.as_dtype(dtype),
                        shape=shape)  # fmt: skip

    def get_config(self) -> dict:
        return {"value": self.value}


class RandomUniform(Initializer):
    """Values drawn uniformly from ``[minval, maxval)``.

    >>> import tensorflux as tf
    >>> tf.random_uniform_initializer(0.0, 1.0, seed=1)([3]).shape
    TensorShape([3])
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs) -> Tensor:
        """A draw of ``shape`` and ``dtype`` (floating or integer).

        Raises:
            ValueError: another dtype.
        """
        from tensorflux.ops.random_ops import uniform
        from tensorflux.ops.stateless_random_ops import stateless_uniform

        self._validate_kwargs(kwargs)
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating and not dtype.is_integer:
            raise ValueError(
                f"Argument `dtype` expected to be numeric or boolean. Received {dtype}."
            )
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        if self.seed is None:
            return uniform(shape, self.minval, self.maxval, dtype)
        return stateless_uniform(shape, [self.seed, 0], self.minval, self.maxval, dtype)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class RandomNormal(Initializer):
    """Values drawn from a normal distribution of ``mean`` and ``stddev``.

    >>> import tensorflux as tf
    >>> tf.random_normal_initializer(seed=3)([2, 2]).shape
    TensorShape([2, 2])
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs) -> Tensor:
        """A draw of ``shape`` and floating ``dtype``.

        Raises:
            ValueError: a dtype that is not floating.
        """
        from tensorflux.ops.random_ops import normal
        from tensorflux.ops.stateless_random_ops import stateless_normal

        self._validate_kwargs(kwargs)
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise ValueError(
                f"Argument `dtype` is expected to be floating point. Received: {dtype}."
            )
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        if self.seed is None:
            return normal(shape, self.mean, self.stddev, dtype)
        return stateless_normal(shape, [self.seed, 0], self.mean, self.stddev, dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


# TF's public names for the classes.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
