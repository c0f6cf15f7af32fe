"""``keras.initializers.Initializer`` and the helpers its subclasses share."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import constant
from tensorflux.ops import random_ops

__all__ = ["Initializer"]


class Initializer:
    """Base of weight initializers: ``initializer(shape, dtype=None)`` returns a tensor.

    Subclasses implement ``__call__`` and, when they take arguments, ``get_config``.

    >>> import tensorflux as tf
    >>> class Twos(tf.keras.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None, **kwargs):
    ...         return tf.fill(shape, tf.constant(2.0, dtype or tf.float32))
    >>> Twos()((2,)).numpy()
    array([2., 2.], dtype=float32)
    """

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError(
            f"Initializer '{type(self).__name__}' must implement `__call__(self, shape, "
            f"dtype=None, **kwargs)`.")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        """Instantiates the initializer from ``get_config``'s output."""
        config = dict(config)
        config.pop("dtype", None)  # written by Keras 1 era configs
        return cls(**config)


def shape_tuple(shape) -> tuple:
    """A fully known shape as a tuple of ints (accepts lists, tuples, TensorShapes)."""
    return tuple(TensorShape(shape).as_list())


def float_dtype(dtype, initializer: str):
    """The float dtype to produce (float32 when ``dtype`` is None).

    Raises:
        ValueError: a non-floating dtype, as Keras for random initializers.
    """
    dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype!r}. The {initializer} "
                         f"initializer makes floats only; pass dtype=tf.float32 or another "
                         f"float dtype.")
    return dtype


def draw(kind: str, shape: tuple, dtype, seed, scale=1.0, shift=0.0):
    """``shift + scale * x`` with ``x`` standard normal (``"normal"``), normal within two
    standard deviations (``"truncated_normal"``) or uniform on [-1, 1) (``"uniform"``).

    Unseeded draws go through ``tf.random``, so ``tf.random.set_seed`` makes them
    reproducible and every call draws new values. A seeded initializer returns the
    same values on every call (Keras 2's stateless seeding): they come from a fresh
    generator keyed by the seed.
    """
    if seed is None:
        if kind == "normal":
            x = random_ops.normal(shape, dtype=dtype)
        elif kind == "truncated_normal":
            x = random_ops.truncated_normal(shape, dtype=dtype)
        else:
            x = random_ops.uniform(shape, -1.0, 1.0, dtype=dtype)
    else:
        gen = np.random.Generator(np.random.Philox(np.random.SeedSequence(int(seed))))
        if kind == "uniform":
            values = gen.uniform(-1.0, 1.0, shape)
        else:
            values = gen.standard_normal(shape)
            if kind == "truncated_normal":
                bad = np.abs(values) > 2
                while bad.any():
                    values[bad] = gen.standard_normal(int(bad.sum()))
                    bad = np.abs(values) > 2
        x = constant(np.asarray(values, dtype.as_numpy_dtype), dtype)
    if scale != 1.0:
        x = x * scale
    if shift != 0.0:
        x = x + shift
    return x
