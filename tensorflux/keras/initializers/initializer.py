"""``keras.initializers.Initializer`` and the helpers its subclasses share."""

from __future__ import annotations

import random

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.utils import random_seed
from tensorflux.ops import stateless_random_ops

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
            f"dtype=None, **kwargs)`."
        )

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
        raise ValueError(
            f"Expected floating point type, got {dtype!r}. The {initializer} "
            f"initializer makes floats only; pass dtype=tf.float32 or another "
            f"float dtype."
        )
    return dtype


def stateless_seed(initializer) -> int:
    """The seed an initializer's draws use, as tf_keras picks it on the first call: its
    own ``seed``, else the next number of the generator ``set_random_seed`` seeded, else
    of Python's global ``random`` (so ``tf.random.set_seed`` alone does not fix it, as
    in tf_keras)."""
    seed = getattr(initializer, "_stateless_seed", None)
    if seed is None:
        seed = initializer.seed
        if seed is None:
            gen = random_seed.seed_generator() or random
            seed = gen.randint(1, int(1e9))
        initializer._stateless_seed = seed
    return seed


def draw(initializer, kind: str, shape: tuple, dtype, a, b):
    """tf_keras' stateless draw: ``"normal"``/``"truncated_normal"`` with mean ``a`` and
    standard deviation ``b``, or ``"uniform"`` on ``[a, b)``; seed ``[seed, 0]``.

    Every call of one initializer returns the same values, as in tf_keras.
    """
    seed = [stateless_seed(initializer), 0]
    if kind == "uniform":
        return stateless_random_ops.stateless_uniform(shape, seed, a, b, dtype=dtype)
    if kind == "normal":
        return stateless_random_ops.stateless_normal(shape, seed, a, b, dtype=dtype)
    return stateless_random_ops.stateless_truncated_normal(shape, seed, a, b, dtype=dtype)
