"""Variables that a mixed-precision layer reads in its compute dtype.

A layer whose policy stores float32 variables but computes in float16 (or bfloat16)
creates its floating weights as ``AutoCastVariable``: while the layer's ``call`` runs,
every read of such a variable is cast to the compute dtype, and outside it the
variable reads as what it is. The cast is an ordinary op after the variable read, so
tapes see the read and the gradient reaching the variable is float32.
"""

from __future__ import annotations

import contextlib
import threading

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor, _numpy_text
from tensorflux.framework.variables import Variable
from tensorflux.ops.math_ops import cast

__all__ = ["AutoCastVariable", "enable_auto_cast_variables"]


class _CastTarget(threading.local):
    """The dtype variables are read in on this thread (None: their own); per thread as
    a tf.data map function may call a layer while the main thread trains."""

    dtype = None


cast_target = _CastTarget()


@contextlib.contextmanager
def enable_auto_cast_variables(dtype):
    """Within the block, ``AutoCastVariable`` reads return ``dtype`` (None: no cast).

    Non-floating dtypes turn the casting off, as floating variables are the only ones
    cast.
    """
    dtype = dtypes.as_dtype(dtype) if dtype is not None else None
    if dtype is not None and not dtype.is_floating:
        dtype = None
    previous = cast_target.dtype
    cast_target.dtype = dtype
    try:
        yield
    finally:
        cast_target.dtype = previous


class AutoCastVariable(Variable):
    """A floating variable read in the enclosing layer's compute dtype.

    ``dtype`` stays the stored dtype (float32), as in Keras: optimizers keep their
    slots and updates in it.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.Dense(2, dtype="mixed_float16")
    >>> layer(tf.ones((1, 3))).dtype, layer.kernel.dtype
    (tf.float16, tf.float32)
    """

    def value(self) -> Tensor:
        t = super().value()
        target = cast_target.dtype
        if target is not None and target is not self._dtype:
            return cast(t, target)
        return t

    read_value = value
    _as_tensor = value

    @property
    def true_dtype(self) -> dtypes.DType:
        """The stored dtype (an alias of ``dtype`` kept by Keras)."""
        return self._dtype

    def __repr__(self):
        cast_to = (cast_target.dtype or self._dtype).name
        t = Tensor(self._value, self._dtype)
        return (
            f"<AutoCastVariable '{self._name}' shape={t.shape} dtype={self._dtype.name} "
            f"dtype_to_cast_to={cast_to}, numpy={_numpy_text(t, is_repr=True)}>"
        )

    def __deepcopy__(self, memo):
        v = AutoCastVariable(
            self._value.copy(),
            trainable=self._trainable,
            name=self._name.split(":")[0],
            dtype=self._dtype,
            constraint=self._constraint,
        )
        memo[id(self)] = v
        return v
