"""``keras.regularizers``: weight penalties added to a layer's ``losses``.

Penalties are stored rounded to float32, as Keras 2 does (``L2(0.01).l2`` is
``0.009999999776482582``).
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.framework.tensor import constant, convert_to_tensor
from tensorflux.keras.utils.serialization import (
    get_keras_object,
    resolve_keras_object,
    serialize_keras_object,
)
from tensorflux.ops import creation_ops, math_ops, nn_ops, reduction_ops, shape_ops

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]


def _penalty(value) -> float:
    """Validates a penalty and rounds it to float32.

    Raises:
        ValueError: not an int or float, or infinite or NaN.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise ValueError(
            f"Value {value} is not a valid regularization penalty number, "
            f"expected an int or float value."
        )
    if not math.isfinite(value):
        raise ValueError(
            f"Value {value} is not a valid regularization penalty number, an "
            f"infinite number or NaN are not valid values."
        )
    return float(np.float32(value))


def _only(kwargs: dict, cls: str):
    if kwargs:
        raise TypeError(f"Argument(s) not recognized by {cls}: {kwargs}")


class Regularizer:
    """Base of regularizers: ``regularizer(weights)`` returns a scalar penalty.

    >>> import tensorflux as tf
    >>> class Sum(tf.keras.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return tf.reduce_sum(x)
    >>> float(Sum()(tf.ones([3])))
    3.0
    """

    def __call__(self, x):
        return constant(0.0)

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Regularizer {type(self).__name__} does not implement get_config()."
        )

    @classmethod
    def from_config(cls, config: dict):
        """Instantiates the regularizer from ``get_config``'s output."""
        return cls(**config)


class L1(Regularizer):
    """``l1 * reduce_sum(abs(x))`` (``"l1"``).

    Args:
        l1: the penalty factor (``l`` is accepted too; ``None`` means 0.01).

    >>> import tensorflux as tf
    >>> float(tf.keras.regularizers.L1(0.5)(tf.constant([1.0, -2.0])))
    1.5
    """

    def __init__(self, l1=0.01, **kwargs):
        l1 = kwargs.pop("l", l1)
        _only(kwargs, "L1")
        self.l1 = _penalty(0.01 if l1 is None else l1)

    def __call__(self, x):
        return self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * reduce_sum(square(x))`` (``"l2"``).

    Args:
        l2: the penalty factor (``l`` is accepted too; ``None`` means 0.01).

    >>> import tensorflux as tf
    >>> float(tf.keras.regularizers.L2(0.5)(tf.constant([1.0, -2.0])))
    2.5
    """

    def __init__(self, l2=0.01, **kwargs):
        l2 = kwargs.pop("l", l2)
        _only(kwargs, "L2")
        self.l2 = _penalty(0.01 if l2 is None else l2)

    def __call__(self, x):
        return self.l2 * reduction_ops.reduce_sum(math_ops.square(x))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """``l1 * reduce_sum(abs(x)) + l2 * reduce_sum(square(x))``; both default to 0
    (the ``"l1_l2"`` name and ``l1_l2()`` default both to 0.01).

    Args:
        l1: the L1 factor.
        l2: the L2 factor.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _penalty(0.0 if l1 is None else l1)
        self.l2 = _penalty(0.0 if l2 is None else l2)

    def __call__(self, x):
        x = convert_to_tensor(x)
        penalty = constant(0.0, dtype=x.dtype)
        if self.l1:
            penalty = penalty + self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * reduction_ops.reduce_sum(math_ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a rank-2 weight towards being orthogonal.

    The penalty is ``factor / 2`` times the mean absolute cosine similarity over the
    distinct pairs of rows (``mode="rows"``) or columns (``mode="columns"``).

    >>> import tensorflux as tf
    >>> reg = tf.keras.regularizers.OrthogonalRegularizer(factor=0.1)
    >>> round(float(reg(tf.constant([[1.0, 0.0], [1.0, 1.0]]))), 6)
    0.070711

    Args:
        factor: the penalty factor (stored rounded to float32).
        mode: ``"rows"`` or ``"columns"``.

    Raises:
        ValueError: an invalid ``factor`` or ``mode``; a weight that is not rank 2.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _penalty(factor)
        if mode not in {"rows", "columns"}:
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode}"
            )
        self.mode = mode

    def __call__(self, x):
        x = convert_to_tensor(x)
        if x.shape.rank != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape == {x.shape}"
            )
        if self.mode == "rows":
            x = nn_ops.l2_normalize(x, axis=1)
            product = math_ops.matmul(x, shape_ops.transpose(x))
            n = x.shape[0]
        else:
            x = nn_ops.l2_normalize(x, axis=0)
            product = math_ops.matmul(shape_ops.transpose(x), x)
            n = x.shape[1]
        off_diagonal = product * (1.0 - creation_ops.eye(n, dtype=x.dtype))
        pairs = n * (n - 1.0) / 2.0
        return self.factor * 0.5 * reduction_ops.reduce_sum(math_ops.abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


# Keras 2 exposes the classes under lower-case names too.
l1 = L1
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer


def l1_l2(l1=0.01, l2=0.01):
    """An ``L1L2`` regularizer with both factors defaulting to 0.01."""
    return L1L2(l1=l1, l2=l2)


_BY_NAME = {
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "l1": L1,
    "l2": L2,
    "l1_l2": l1_l2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def serialize(regularizer):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if regularizer is None:
        return None
    return serialize_keras_object(regularizer, "keras.regularizers")


def deserialize(config, custom_objects=None):
    """Rebuilds a regularizer from ``serialize``'s output.

    Raises:
        ValueError: an unknown class name.
    """
    if config is None:
        return None
    factory = resolve_keras_object(
        config["class_name"],
        _BY_NAME,
        custom_objects,
        "regularizer",
        "Use one of 'l1', 'l2', 'l1_l2' or a keras.regularizers.Regularizer instance.",
    )
    config = config.get("config", {})
    if isinstance(factory, type):
        return factory.from_config(config)
    return factory(**config)


def get(identifier):
    """Resolves ``identifier`` to a regularizer.

    Args:
        identifier: ``None`` (returned), a regularizer or any callable (returned as
            is), ``"l1"``, ``"l2"``, ``"l1_l2"`` (factors 0.01) or a config dict.

    Raises:
        ValueError: an unknown name or an identifier of another kind.

    >>> import tensorflux as tf
    >>> tf.keras.regularizers.get("l2").get_config()
    {'l2': 0.009999999776482582}
    """
    return get_keras_object(identifier, deserialize, "regularizer")


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.regularizers", __name__, name)
