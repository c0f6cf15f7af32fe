"""The op behind Keras' lookup and text preprocessing layers: NumPy code with a static
output shape.

The vocabulary layers (StringLookup, IntegerLookup, TextVectorization) map strings and
integers through Python dictionaries. ``tf.numpy_function`` would run that code, but
leaves its output shape unknown; the layers know their output's static shape from their
configuration (a sequence length, a vocabulary size), and a functional model needs it
while it is built. This op carries that shape as an attribute, so tracing and abstract
evaluation see it.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor

__all__ = ["preprocessing_func"]


def _preprocessing_func_kernel(x, func, Tout, shape):  # noqa: N803 - TF's attribute name
    """Calls ``func`` on the input's NumPy value; the result has dtype ``Tout``."""
    out = func(x)
    if Tout is dtypes.string:
        return np.asarray(out, dtype=object)
    return np.asarray(out, dtype=Tout.as_numpy_dtype)


def _preprocessing_func_infer(x: Spec, func, Tout, shape) -> Spec:  # noqa: N803
    return Spec(Tout, TensorShape(shape))


_PREPROCESSING_FUNC = register(
    "PreprocessingFunc",
    kernel=_preprocessing_func_kernel,
    grad=None,
    infer=_preprocessing_func_infer,
    stateful=True,
    dynamic_shape=True,
)


def preprocessing_func(func, x: Tensor, dtype, shape) -> Tensor:
    """``func(x)`` on NumPy values as one op whose output has ``dtype`` and static ``shape``.

    Args:
        func: NumPy function of the input's value; its result must have ``shape``
            (``None`` entries: any size) and be convertible to ``dtype``.
        x: the input tensor.
        dtype: the output's dtype.
        shape: the output's static shape, a tuple with ``None`` for sizes known only
            when the op runs.

    Returns:
        A Tensor.

    >>> from tensorflux.framework.tensor import convert_to_tensor
    >>> x = convert_to_tensor([1, 2])
    >>> preprocessing_func(lambda v: v * 2, x, dtypes.int64, (2,)).numpy()
    array([2, 4])
    """
    shape = None if shape is None else tuple(shape)
    return execute(
        _PREPROCESSING_FUNC, [x], {"func": func, "Tout": dtypes.as_dtype(dtype), "shape": shape}
    )
