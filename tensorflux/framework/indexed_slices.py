"""``tf.IndexedSlices``: a sparse set of rows, the gradient of a gather.

Optimizers can apply it row by row; anything else densifies it first.
"""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import op_hooks

__all__ = ["IndexedSlices"]


class IndexedSlices:
    """Rows ``values`` at positions ``indices`` of a tensor of shape ``dense_shape``.

    Adding it to a tensor or converting it with ``tf.convert_to_tensor`` densifies it
    (rows at repeated indices are summed).
    """

    __array_priority__ = 100

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape([int(d) for d in self._dense_shape.numpy()])

    def _as_tensor(self):
        # Densifying needs an op, which the op library installs (framework sits below it).
        return op_hooks["unsorted_segment_sum"](self._values, self._indices, self._dense_shape[0])

    def numpy(self):
        return self._as_tensor().numpy()

    def __array__(self, dtype=None, copy=None):
        return self._as_tensor().__array__(dtype, copy)

    def __add__(self, other):
        return self._as_tensor() + other

    __radd__ = __add__

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __mul__(self, scalar):
        return IndexedSlices(self._values * scalar, self._indices, self._dense_shape)

    __rmul__ = __mul__

    def __repr__(self):
        return (
            f"IndexedSlices(indices={self._indices!r}, values={self._values!r}, "
            f"dense_shape={self._dense_shape!r})"
        )
