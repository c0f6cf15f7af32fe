"""Circulant linear operators, given by their spectrum: ``A = DFT^-1 diag(spectrum) DFT``
in one, two or three dimensions (``tf.linalg.LinearOperatorCirculant``, ``...2D``,
``...3D``).

The (block-)DFT matrix is a NumPy constant, so every method is a matrix product of
tensorflux ops and gradients reach the spectrum.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.linalg.linear_operator import LinearOperator
from tensorflux.ops.common import to_tensor
from tensorflux.ops.math_ops import abs as _abs
from tensorflux.ops.math_ops import cast, matmul, multiply
from tensorflux.ops.reduction_ops import reduce_prod, reduce_sum
from tensorflux.ops.shape_ops import expand_dims, reshape
from tensorflux.ops.unary_math_ops import log, real

__all__ = [
    "LinearOperatorCirculant",
    "LinearOperatorCirculant2D",
    "LinearOperatorCirculant3D",
]


def _dft(shape) -> np.ndarray:
    """The DFT matrix of row-major flattened arrays of ``shape`` (Kronecker product of the
    one-dimensional DFT matrices)."""
    out = np.ones((1, 1), dtype=np.complex128)
    for n in shape:
        k = np.arange(n)
        out = np.kron(out, np.exp(-2j * np.pi * np.outer(k, k) / n))
    return out


class _BaseCirculant(LinearOperator):
    """Shared by the 1-D, 2-D and 3-D circulant operators: ``block_depth`` trailing axes of
    ``spectrum`` are the block shape, the rest is the batch."""

    _depth = 1

    def __init__(
        self,
        spectrum,
        input_output_dtype=dtypes.complex64,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name=None,
    ):
        s = to_tensor(spectrum)
        if s.dtype.is_integer:
            s = cast(s, dtypes.float32)
        if not (s.dtype.is_floating or s.dtype.is_complex):
            raise TypeError(
                f"Argument `spectrum` must have dtype in [tf.float16, tf.float32, tf.float64, "
                f"tf.complex64, tf.complex128]. Received: <dtype: '{s.dtype.name}'>"
            )
        if s._value.ndim < self._depth:
            raise ValueError(
                f"Argument `spectrum` must have at least {self._depth} dimensions. Received: {s}."
            )
        if is_square is False:
            raise ValueError("A circulant operator is always square.")
        if not s.dtype.is_complex and is_self_adjoint is None:
            # A real spectrum gives a Hermitian operator.
            is_self_adjoint = True
        self._spectrum = s
        self._complex_dtype = (
            dtypes.complex128
            if s.dtype in (dtypes.float64, dtypes.complex128)
            else dtypes.complex64
        )
        super().__init__(
            input_output_dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            True,
            name or type(self).__name__,
            {"spectrum": s, "input_output_dtype": input_output_dtype},
        )

    @property
    def spectrum(self) -> Tensor:
        return self._spectrum

    @property
    def block_depth(self) -> int:
        return self._depth

    @property
    def block_shape(self) -> TensorShape:
        return TensorShape(list(self._spectrum._value.shape[-self._depth :]))

    def block_shape_tensor(self) -> Tensor:
        return to_tensor(np.asarray(self._spectrum._value.shape[-self._depth :], np.int32))

    def _batch(self) -> list:
        return list(self._spectrum._value.shape[: -self._depth])

    def _shape(self):
        size = int(np.prod(self._spectrum._value.shape[-self._depth :]))
        return self._batch() + [size, size]

    def _flat_spectrum(self) -> Tensor:
        s = self._spectrum
        if not s.dtype.is_complex:
            s = cast(s, self._complex_dtype)
        return reshape(s, self._batch() + [self._shape()[-1]])

    def _to_output(self, x: Tensor) -> Tensor:
        if self.dtype.is_complex:
            return x if x.dtype == self.dtype else cast(x, self.dtype)
        return cast(real(x), self.dtype)

    def _to_dense(self):
        f = _dft(self._spectrum._value.shape[-self._depth :])
        n = f.shape[0]
        f_inv = to_tensor((np.conj(f) / n).astype(self._complex_dtype._np))
        dense = matmul(
            multiply(f_inv, expand_dims(self._flat_spectrum(), -2)),
            to_tensor(f.astype(self._complex_dtype._np)),
        )
        return self._to_output(dense)

    def convolution_kernel(self, name="convolution_kernel") -> Tensor:
        """The inverse DFT of the spectrum (complex), of the spectrum's shape."""
        f = _dft(self._spectrum._value.shape[-self._depth :])
        f_inv = to_tensor((np.conj(f) / f.shape[0]).astype(self._complex_dtype._np))
        flat = expand_dims(self._flat_spectrum(), -1)
        kernel = matmul(f_inv, flat)
        return reshape(kernel, list(self._spectrum._value.shape))

    def _determinant(self):
        return self._to_output(reduce_prod(self._flat_spectrum(), axis=-1))

    def _log_abs_determinant(self):
        logs = reduce_sum(log(_abs(self._flat_spectrum())), axis=-1)
        return self._to_output(logs)

    def _trace(self):
        return self._to_output(reduce_sum(self._flat_spectrum(), axis=-1))


class LinearOperatorCirculant(_BaseCirculant):
    """A circulant matrix ``A[i, j] = h[(i - j) mod N]`` for ``h = ifft(spectrum)``
    (``tf.linalg.LinearOperatorCirculant``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorCirculant([6.0, -1.5, -1.5], input_output_dtype=tf.float32)
    >>> op.to_dense().numpy().round(4)
    array([[1. , 2.5, 2.5],
           [2.5, 1. , 2.5],
           [2.5, 2.5, 1. ]], dtype=float32)

    Raises:
        ValueError: a scalar spectrum, or ``is_square=False``.
    """

    _depth = 1


class LinearOperatorCirculant2D(_BaseCirculant):
    """A block-circulant matrix with circulant blocks, from a ``[..., N0, N1]`` spectrum
    (``tf.linalg.LinearOperatorCirculant2D``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorCirculant2D([[1.0, 1.0], [1.0, 1.0]])
    >>> op.shape
    TensorShape([4, 4])
    """

    _depth = 2


class LinearOperatorCirculant3D(_BaseCirculant):
    """A doubly block-circulant matrix from a ``[..., N0, N1, N2]`` spectrum
    (``tf.linalg.LinearOperatorCirculant3D``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorCirculant3D(tf.ones((1, 2, 2))).shape
    TensorShape([4, 4])
    """

    _depth = 3
