"""``Zeros``, ``Ones``, ``Constant`` and ``Identity`` initializers."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import constant
from tensorflux.keras.initializers.initializer import Initializer, float_dtype, shape_tuple
from tensorflux.ops import creation_ops, math_ops

__all__ = ["Constant", "Identity", "Ones", "Zeros"]


class Zeros(Initializer):
    """All zeros (``"zeros"``), in any numeric dtype (float32 by default).

    >>> import tensorflux as tf
    >>> tf.keras.initializers.Zeros()((2,)).numpy()
    array([0., 0.], dtype=float32)
    """

    def __call__(self, shape, dtype=None, **kwargs):
        return creation_ops.zeros(shape_tuple(shape), dtype=dtype or dtypes.float32)


class Ones(Initializer):
    """All ones (``"ones"``), in any numeric dtype (float32 by default).

    >>> import tensorflux as tf
    >>> tf.keras.initializers.Ones()((2,)).numpy()
    array([1., 1.], dtype=float32)
    """

    def __call__(self, shape, dtype=None, **kwargs):
        return creation_ops.ones(shape_tuple(shape), dtype=dtype or dtypes.float32)


class Constant(Initializer):
    """Every element ``value`` (``"constant"``); an array ``value`` must match the shape.

    Args:
        value: a Python scalar, or a list/array with as many elements as the shape.

    >>> import tensorflux as tf
    >>> tf.keras.initializers.Constant(3.0)((2,)).numpy()
    array([3., 3.], dtype=float32)
    """

    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        return constant(self.value, dtype=dtype or dtypes.float32, shape=shape_tuple(shape))

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """``gain`` times the identity matrix, for 2-D shapes (``"identity"``).

    Args:
        gain: the diagonal value.

    Raises:
        ValueError: a shape that is not 2-D.

    >>> import tensorflux as tf
    >>> tf.keras.initializers.Identity(2.0)((2, 2)).numpy()
    array([[2., 0.],
           [0., 2.]], dtype=float32)
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None, **kwargs):
        shape = shape_tuple(shape)
        if len(shape) != 2:
            raise ValueError(
                f"Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        dtype = float_dtype(dtype, "Identity")
        return creation_ops.eye(shape[0], shape[1], dtype=dtype) * math_ops.cast(self.gain, dtype)

    def get_config(self):
        return {"gain": self.gain}
