"""Building complex tensors and reading their angle: ``tf.complex``, ``tf.math.angle``.

``Conj``, ``Real`` and ``Imag`` live in unary_math_ops and ``Abs`` (with complex
inputs) in math_ops. Gradients follow TF's convention for complex values: the
gradient of a real loss ``L`` with respect to ``z`` is ``dL/dRe(z) + i dL/dIm(z)``.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import COMPLEX, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import elementwise_binary_infer, to_tensor, unbroadcast
from tensorflux.ops.math_ops import _REALDIV, _const, cast, negative
from tensorflux.ops.unary_math_ops import imag, real

__all__ = ["complex"]

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _complex_kernel(x, y, Tout):
    out = np.empty(np.broadcast_shapes(x.shape, y.shape), dtype=Tout._np)
    out.real = x
    out.imag = y
    return out


def _complex_infer(x: Spec, y: Spec, Tout) -> Spec:
    return Spec(Tout, elementwise_binary_infer(x, y).shape)


def _complex_grad(call, dz):
    """d complex(x, y) = (real(dz), imag(dz)), each summed over its broadcast axes."""
    x, y = call.inputs
    return unbroadcast(real(dz), x, y), unbroadcast(imag(dz), y, x)


_COMPLEX = register(
    "Complex", kernel=_complex_kernel, grad=_complex_grad, infer=_complex_infer, same_dtype=True
)


def complex(real, imag, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """``real + 1j * imag`` elementwise, with broadcasting (``tf.complex``).

    float32 parts give complex64, float64 parts complex128.

    Args:
        real: float32 or float64 tensor.
        imag: tensor of the same dtype.

    Returns:
        A complex tensor of the broadcast shape.

    Raises:
        TypeError: parts of other or differing dtypes.

    >>> import tensorflux as tf
    >>> tf.complex([1.0, 2.0], [0.5, -1.0]).numpy()
    array([1.+0.5j, 2.-1.j ], dtype=complex64)
    """
    x, y = to_tensor(real), to_tensor(imag)
    tout = _COMPLEX_OF.get(x._dtype) if x._dtype is y._dtype else None
    if tout is None:
        raise TypeError(
            f"The `real` and `imag` components have incorrect types: {x._dtype.name} "
            f"{y._dtype.name}. Both must be float32 (for complex64) or both float64 "
            f"(for complex128): cast them with tf.cast first."
        )
    return execute(_COMPLEX, (x, y), {"Tout": tout})


def _angle_kernel(x, Tout):
    return np.angle(x).astype(Tout._np)


def _angle_infer(x: Spec, Tout) -> Spec:
    return Spec(Tout, x.shape)


def _angle_grad(call, dy):
    """d angle(z) = dy * (-Im(z) + i Re(z)) / |z|^2 = -dy / (Im(z) + i Re(z))."""
    (z,) = call.inputs
    swapped = complex(imag(z), real(z))
    return (negative(execute(_REALDIV, (cast(dy, z._dtype), swapped))),)


_ANGLE = register(
    "Angle", kernel=_angle_kernel, grad=_angle_grad, infer=_angle_infer, allowed=COMPLEX
)


def angle(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The argument of each element, in (-pi, pi] (``tf.math.angle``).

    Real inputs give pi where negative and 0 elsewhere, as in TF.

    Raises:
        TypeError: an integer, bool or string input.

    >>> import tensorflux as tf
    >>> tf.math.angle(tf.constant([1j, -1.0 + 0j])).numpy()
    array([1.57079633, 3.14159265])
    """
    x = to_tensor(input)
    if x._dtype.is_complex:
        return execute(_ANGLE, (x,), {"Tout": x._dtype.real_dtype})
    if not x._dtype.is_floating:
        raise TypeError(
            f"tf.math.angle expects a floating or complex tensor, got {x._dtype.name}: "
            "cast it with tf.cast first."
        )
    from tensorflux.ops.creation_ops import ones_like, zeros_like
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import less

    zeros = zeros_like(x)
    return where(less(x, zeros), ones_like(x) * _const(math.pi, x), zeros)
