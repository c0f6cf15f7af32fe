"""``keras.constraints``: projections applied to a weight after each optimizer update.

Norms are taken along ``axis`` (0: each column of a Dense kernel ``(in, out)``, i.e.
each unit's incoming weights) and divided with ``1e-7`` added, as Keras does.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.utils.serialization import (
    deserialize_keras_object,
    get_keras_object,
    serialize_keras_object,
)
from tensorflux.ops import (
    clip_ops,
    gather_ops,
    logic_ops,
    math_ops,
    reduction_ops,
    shape_ops,
    unary_math_ops,
)

__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "RadialConstraint",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "radial_constraint",
    "serialize",
    "unit_norm",
]

_EPSILON = 1e-7


def _norms(w, axis):
    return unary_math_ops.sqrt(
        reduction_ops.reduce_sum(math_ops.square(w), axis=axis, keepdims=True)
    )


class Constraint:
    """Base of weight constraints: ``constraint(w)`` returns the projected weight.

    >>> import tensorflux as tf
    >>> class Clip(tf.keras.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return tf.clip_by_value(w, -1.0, 1.0)
    >>> Clip()(tf.constant([2.0])).numpy()
    array([1.], dtype=float32)
    """

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        """Instantiates the constraint from ``get_config``'s output."""
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales slices whose L2 norm along ``axis`` exceeds ``max_value`` down to it.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or axes) the norm is taken along.

    >>> import tensorflux as tf
    >>> w = tf.keras.constraints.MaxNorm(1.0)(tf.constant([[3.0], [4.0]]))
    >>> round(float(tf.norm(w)), 5)
    1.0
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = clip_ops.clip_by_value(norms, 0.0, self.max_value)
        return w * (desired / (_EPSILON + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero.

    >>> import tensorflux as tf
    >>> tf.keras.constraints.NonNeg()(tf.constant([-1.0, 2.0])).numpy() == [0.0, 2.0]
    array([ True,  True])
    """

    def __call__(self, w):
        w = convert_to_tensor(w)
        return w * math_ops.cast(logic_ops.greater_equal(w, 0.0), w.dtype)


class UnitNorm(Constraint):
    """Rescales slices along ``axis`` to unit L2 norm.

    Args:
        axis: the axis (or axes) the norm is taken along.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (_EPSILON + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the L2 norm of slices along ``axis`` into ``[min_value, max_value]``.

    The new norm is ``rate * clip(norm, min_value, max_value) + (1 - rate) * norm``:
    ``rate=1`` enforces the bounds, smaller rates move toward them gradually.

    Args:
        min_value: the smallest norm.
        max_value: the largest norm.
        rate: how far to move toward the bounds per application.
        axis: the axis (or axes) the norm is taken along.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = (
            self.rate * clip_ops.clip_by_value(norms, self.min_value, self.max_value)
            + (1 - self.rate) * norms
        )
        return w * (desired / (_EPSILON + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


def _radial_sources(n: int) -> np.ndarray:
    """For each position of an ``n x n`` kernel, the flat index of the diagonal entry
    whose value Keras 2's ``RadialConstraint`` writes there.

    Keras grows the kernel ring by ring from its centre (one entry for odd ``n``, a
    2 x 2 block for even ``n``): the centre takes ``kernel[s - 1, s - 1]`` (``s = n // 2``)
    and ring ``r`` takes ``kernel[s + r - 1, s + r - 1]`` (odd ``n``) or
    ``kernel[s + r, s + r]`` (even ``n``).
    """
    s = n // 2
    idx = np.arange(n)
    if n % 2:
        dist = np.abs(idx - s)
    else:
        dist = np.where(idx < s - 1, s - 1 - idx, np.where(idx > s, idx - s, 0))
    ring = np.maximum(dist[:, None], dist[None, :])
    diag = np.where(ring == 0, s - 1, s + ring - (1 if n % 2 else 0))
    return (diag * n + diag).astype(np.int64)


class RadialConstraint(Constraint):
    """Makes each 2D slice of a ``(height, width, channels, kernels)`` conv kernel
    radially symmetric: every ring around the centre holds one value, taken from the
    kernel's diagonal as Keras 2 does (see :func:`_radial_sources`).

    >>> import tensorflux as tf
    >>> w = tf.reshape(tf.range(9.0), (3, 3, 1, 1))
    >>> tf.keras.constraints.RadialConstraint()(w)[:, :, 0, 0].numpy()
    array([[4., 4., 4.],
           [4., 0., 4.],
           [4., 4., 4.]], dtype=float32)

    Raises:
        ValueError: a weight that is not rank 4.
        InvalidArgumentError: a kernel that is not square, or 1 x 1.
    """

    def __call__(self, w):
        w = convert_to_tensor(w)
        if w.shape.rank != 4:
            raise ValueError(
                f"The weight tensor must have rank 4. Received weight tensor with shape: {w.shape}"
            )
        height, width, channels, kernels = w.shape.as_list()
        if height != width or height < 2:
            have = height * height * channels * kernels if height >= 2 else 0
            raise InvalidArgumentError(
                None,
                "Reshape",
                f"Input to reshape is a tensor with {have} values, but the requested "
                f"shape has {height * width * channels * kernels}. RadialConstraint "
                f"needs square kernels of at least 2 x 2, received shape {w.shape}.",
            )
        flat = shape_ops.reshape(w, [height * width, channels, kernels])
        sources = _radial_sources(height).reshape(-1)
        return shape_ops.reshape(
            gather_ops.gather(flat, sources), [height, width, channels, kernels]
        )


# Keras 2's lower-case aliases (the last three are its legacy spellings).
max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm
radial_constraint = RadialConstraint

_BY_NAME = {
    "MaxNorm": MaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm,
    "RadialConstraint": RadialConstraint,
    "max_norm": MaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
    "min_max_norm": MinMaxNorm,
    "radial_constraint": RadialConstraint,
    "maxnorm": MaxNorm,
    "nonneg": NonNeg,
    "unitnorm": UnitNorm,
}


def serialize(constraint):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if constraint is None:
        return None
    return serialize_keras_object(constraint, "keras.constraints")


def deserialize(config, custom_objects=None):
    """Rebuilds a constraint from ``serialize``'s output.

    Raises:
        ValueError: an unknown class name.
    """
    return deserialize_keras_object(
        config,
        _BY_NAME,
        custom_objects,
        "constraint",
        "Use one of 'max_norm', 'non_neg', 'unit_norm', 'min_max_norm' or a "
        "keras.constraints.Constraint instance.",
    )


def get(identifier):
    """Resolves ``identifier`` to a constraint.

    Args:
        identifier: ``None`` (returned), a constraint or any callable (returned as is),
            a name (``"max_norm"``, ``"NonNeg"``, ...) or a config dict.

    Raises:
        ValueError: an unknown name or an identifier of another kind.
    """
    return get_keras_object(identifier, deserialize, "constraint")


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.constraints", __name__, name)
