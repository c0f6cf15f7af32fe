"""``tf.TensorArray``: a list of same-dtype tensors that graph loops can carry.

Two representations:

* *list mode*: a Python list of tensors (``None`` for unwritten slots). Used eagerly
  (where, as in TF, ``write`` updates the array in place and returns it) and inside a
  trace while every index is a Python value.
* *buffer mode*: one stacked tensor of shape ``[size, *element_shape]``. Used inside a
  trace once an index is symbolic, and whenever the array crosses a ``tf.while_loop`` or
  ``tf.cond`` boundary: the loop carries the buffer (``_loop_flatten``) and rebuilds the
  array from it (``_loop_unflatten``). Writes are ``tensor_scatter_nd_update`` and reads
  ``gather``, so gradients flow through ``stack()`` like through any other op. Inside a
  trace every method returns a new TensorArray (functional style, as TF graphs require).

The element shape is shared by all arrays derived from one another (as TF's inferred
shape is): a loop that carries an array whose element shape is not known yet traces its
body once to learn it from the first ``write`` and then traces again (``_loop_needs_retrace``).

Elements whose static shape is only partly known (rows of a batch of unknown size, say)
start as a buffer with no room for them (unknown sizes taken as 0), which the first
write made when the graph runs resizes (``TensorArrayWriteRows``).
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux.engine.loop_carried import LoopCarried
from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops import array_ops, creation_ops, math_ops, reduction_ops, slicing_ops

__all__ = ["TensorArray"]


# -- buffer writes for elements whose sizes are known only when the graph runs ---------


def _write_rows_kernel(buffer, indices, values, grow):
    rows = np.asarray(indices).reshape(-1)
    elem = values.shape[1:]
    n = buffer.shape[0]
    if rows.size and rows.min() < 0:
        raise InvalidArgumentError(
            None, "TensorArrayWrite", f"Tried to write to index {rows.min()}, which is negative."
        )
    top = int(rows.max()) + 1 if rows.size else 0
    size = max(n, top) if grow else n
    if top > size:
        raise OutOfRangeError(
            None,
            "TensorArrayWrite",
            f"Tried to write to index {top - 1} but array is not resizeable and size is: {n}",
        )
    if buffer.shape[1:] != elem:
        if buffer.size:
            raise InvalidArgumentError(
                None,
                "TensorArrayWrite",
                f"Could not write to TensorArray: the elements "
                f"have shape {elem}, but the elements written before have shape "
                f"{buffer.shape[1:]}.",
            )
        # Nothing written yet: the buffer takes the elements' shape.
        out = np.zeros((size,) + elem, values.dtype)
    elif size > n:
        out = np.concatenate([buffer, np.zeros((size - n,) + elem, buffer.dtype)])
    else:
        out = buffer.copy()
    out[rows] = values
    return out


def _write_rows_infer(buffer: Spec, indices: Spec, values: Spec, grow) -> Spec:
    rows = None if grow or buffer.shape.rank is None else buffer.shape[0]
    return Spec(buffer.dtype, TensorShape([rows]).concatenate(values.shape[1:]))


def _write_rows_grad(call, dy):
    """d buffer = dy but the rows written (shaped like the buffer written into; zeros
    where the write resized it), d values = dy[indices]."""
    buffer, indices, _ = call.inputs
    return (execute(_ROWS_LIKE, (dy, buffer, indices)), None, array_ops.gather(dy, indices))


def _rows_like_kernel(x, like, indices):
    out = np.zeros(like.shape, x.dtype)
    if x.shape[1:] == like.shape[1:]:
        k = min(x.shape[0], like.shape[0])
        out[:k] = x[:k]
        rows = np.asarray(indices).reshape(-1)
        out[rows[rows < k]] = 0
    return out


def _rows_like_infer(x: Spec, like: Spec, indices: Spec) -> Spec:
    return Spec(x.dtype, like.shape)


def _rows_like_grad(call, dz):
    """The op is a partial identity between two shapes: its transpose is itself."""
    x, _, indices = call.inputs
    return execute(_ROWS_LIKE, (dz, x, indices)), None, None


# ``buffer`` with rows ``indices`` set to ``values`` (grown to hold them, if ``grow``); a
# buffer made before the elements' sizes were known, holding nothing, takes their shape.
_WRITE_ROWS = register(
    "TensorArrayWriteRows",
    kernel=_write_rows_kernel,
    grad=_write_rows_grad,
    infer=_write_rows_infer,
    dynamic_shape=True,
)
# The rows of ``x`` but rows ``indices``, as a tensor shaped like ``like`` (rows past the
# end of either are dropped or zero; all zeros when the element shapes differ): the
# gradient reaching the buffer a write replaced.
_ROWS_LIKE = register(
    "TensorArrayRowsLike", kernel=_rows_like_kernel, grad=_rows_like_grad, infer=_rows_like_infer
)


class _ShapeBox:
    """The element shape shared by a TensorArray and the arrays derived from it."""

    __slots__ = ("shape",)

    def __init__(self, shape):
        self.shape = shape


def _static_index(index):
    """``index`` as a Python int, or None when it is only known when the graph runs."""
    if isinstance(index, SymbolicTensor):
        return None
    if isinstance(index, Tensor):
        return int(index._value)
    if isinstance(index, (numbers.Integral, np.integer)):
        return int(index)
    raise TypeError(f"TensorArray index must be an integer or an integer tensor, got {index!r}.")


class TensorArray(LoopCarried):
    """A list of tensors of one dtype, usable as a ``tf.while_loop`` variable.

    >>> import tensorflux as tf
    >>> ta = tf.TensorArray(tf.float32, size=2)
    >>> ta = ta.write(0, 1.0).write(1, 2.0)
    >>> ta.stack().numpy()
    array([1., 2.], dtype=float32)

    Args:
        dtype: the dtype of every element.
        size: the number of elements (a Python int or a scalar int32 tensor).
        dynamic_size: let writes past the end grow the array.
        clear_after_read: eagerly, reading an element twice is an error (as in TF).
        element_shape: the shape of every element, if known; otherwise the first write
            fixes it (when ``infer_shape``).
        infer_shape: check that all elements have the same shape.
    """

    def __init__(
        self,
        dtype,
        size=None,
        dynamic_size=None,
        clear_after_read=None,
        tensor_array_name=None,
        handle=None,
        flow=None,
        infer_shape=True,
        element_shape=None,
        colocate_with_first_write_call=True,
        name=None,
    ):
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        shape = None if element_shape is None else TensorShape(element_shape)
        if shape is not None and shape.rank is None:
            shape = None
        self._box = _ShapeBox(shape)
        self._pending = False
        self._flattened_pending = False
        self._read = set()
        if size is None:
            size = 0
        if isinstance(size, Tensor) and type(size) is SymbolicTensor:
            if self._dynamic_size:
                raise ValueError(
                    "tf.TensorArray: a dynamic_size array needs a Python or "
                    "constant initial size inside tf.function."
                )
            self._elems, self._size, self._buffer = None, size, None
        else:
            n = _static_index(size)
            if n < 0:
                raise ValueError(f"tf.TensorArray: size must be >= 0, got {n}.")
            self._elems, self._size, self._buffer = [None] * n, n, None

    # -- properties ---------------------------------------------------------

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        return self._box.shape if self._box.shape is not None else TensorShape(None)

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic_size

    def size(self, name=None) -> Tensor:
        """The number of elements, as a scalar int32 tensor."""
        if self._elems is not None:
            return convert_to_tensor(len(self._elems), dtypes.int32)
        if self._dynamic_size:
            return array_ops.shape(self._buffer)[0]
        return convert_to_tensor(self._size, dtypes.int32)

    def __repr__(self):
        return f"<tf.TensorArray dtype={self._dtype.name} element_shape={self.element_shape}>"

    # -- construction helpers -----------------------------------------------

    def _derive(self, elems=None, buffer=None, size=None) -> TensorArray:
        """A new array sharing this one's settings and element-shape box."""
        ta = object.__new__(TensorArray)
        ta._dtype, ta._dynamic_size = self._dtype, self._dynamic_size
        ta._clear_after_read, ta._infer_shape = self._clear_after_read, self._infer_shape
        ta._box, ta._pending, ta._flattened_pending = self._box, self._pending, False
        ta._read = set()
        ta._elems, ta._buffer = elems, buffer
        ta._size = self._size if size is None else size
        return ta

    def _zeros(self, n) -> Tensor:
        """``[n, *element_shape]`` zeros, unknown element sizes taken as 0 (a buffer
        that the first write resizes); ``n`` may be symbolic."""
        elem = [0 if d is None else int(d) for d in self._box.shape.as_list()]
        np_dtype = self._dtype.as_numpy_dtype
        if not isinstance(n, SymbolicTensor):
            return Tensor(np.zeros([int(n)] + elem, dtype=np_dtype), self._dtype)
        # tf.zeros needs a static shape; gathering one zero row n times does not.
        row = Tensor(np.zeros([1] + elem, dtype=np_dtype), self._dtype)
        return array_ops.gather(row, creation_ops.range(n) * 0)

    def _element_zeros(self) -> Tensor:
        self._require_shape("read an unwritten element of")
        elem = [int(d) for d in self._box.shape.as_list()]
        return Tensor(np.zeros(elem, dtype=self._dtype.as_numpy_dtype), self._dtype)

    def _require_shape(self, what: str, rank_only: bool = False) -> None:
        shape = self._box.shape
        if shape is None or not (rank_only or shape.is_fully_defined()):
            raise ValueError(
                f"Cannot {what} a TensorArray whose element shape is unknown "
                f"({self.element_shape}): write an element first or pass element_shape= "
                f"to tf.TensorArray."
            )

    def _as_buffer(self) -> Tensor:
        """This array as one ``[size, *element_shape]`` tensor."""
        if self._elems is None:
            if self._buffer is None:
                # Not kept: the zeros belong to the graph being traced now, and this array
                # may be used again in another (a loop body traced for a trial).
                self._require_shape("stack", rank_only=True)
                return self._zeros(self._size)
            return self._buffer
        if not self._elems:
            if self._box.shape is None:
                return Tensor(np.zeros([0], dtype=self._dtype.as_numpy_dtype), self._dtype)
            return self._zeros(0)
        if all(e is None for e in self._elems):
            self._require_shape("stack", rank_only=True)
            return self._zeros(len(self._elems))
        if any(e is None for e in self._elems):
            self._require_shape("stack")
        return array_ops.stack([self._element_zeros() if e is None else e for e in self._elems])

    def _check_value(self, value) -> Tensor:
        if isinstance(value, Tensor) and value._dtype is not self._dtype:
            raise InvalidArgumentError(
                None,
                "TensorArrayWrite",
                f"TensorArray dtype is {self._dtype.name} but Op "
                f"is trying to write dtype {value._dtype.name}.",
            )
        value = convert_to_tensor(value, dtype=self._dtype)
        shape = self._box.shape
        if shape is None:
            if self._infer_shape:
                self._box.shape = value.shape
        elif self._infer_shape:
            if not shape.is_compatible_with(value.shape):
                raise ValueError(
                    f"Incompatible shape for value ({value.shape}), expected ({shape})."
                )
            if not shape.is_fully_defined():
                # As in TF, what a write tells of the element shape is kept.
                self._box.shape = shape.merge_with(value.shape)
        return value

    # -- element access -----------------------------------------------------

    def write(self, index, value, name=None) -> TensorArray:
        """Sets element ``index`` to ``value``; returns the updated array.

        Raises:
            OutOfRangeError: ``index`` past the end of an array that is not dynamic_size.
            InvalidArgumentError: a tensor of another dtype.
            ValueError: a value whose shape differs from the other elements'.
        """
        value = self._check_value(value)
        if self._pending:
            return self._derive(buffer=self._buffer)
        i = _static_index(index)
        if i is not None and self._elems is not None:
            self._check_bounds(i, len(self._elems), "write to")
            eager = context.state.graph is None
            elems = self._elems if eager else list(self._elems)
            if i >= len(elems):
                elems.extend([None] * (i + 1 - len(elems)))
            elems[i] = value
            if eager:
                self._read.discard(i)
                return self
            return self._derive(elems=elems)
        if i is not None and not self._dynamic_size and not isinstance(self._size, Tensor):
            self._check_bounds(i, self._size, "write to")
        buffer = self._as_buffer() if self._box.shape is not None else None
        if buffer is None:
            self._require_shape("write to")
        index = convert_to_tensor(index, dtypes.int32)
        if not self._box.shape.is_fully_defined():
            return self._derive(
                buffer=execute(
                    _WRITE_ROWS,
                    (buffer, array_ops.reshape(index, [1]), array_ops.expand_dims(value, 0)),
                    {"grow": self._dynamic_size},
                )
            )
        if self._dynamic_size:
            buffer = self._grow(buffer, index)
        buffer = slicing_ops.tensor_scatter_nd_update(
            buffer, array_ops.reshape(index, [1, 1]), array_ops.expand_dims(value, 0)
        )
        return self._derive(buffer=buffer)

    def _grow(self, buffer: Tensor, index: Tensor) -> Tensor:
        """``buffer`` padded with zero rows so that ``index`` is in range."""
        missing = math_ops.maximum(index + 1 - array_ops.shape(buffer)[0], 0)
        return array_ops.concat([buffer, self._zeros(missing)], 0)

    def _check_bounds(self, i: int, n: int, what: str) -> None:
        if i < 0:
            raise InvalidArgumentError(
                None, "TensorArrayWrite", f"Tried to {what} index {i}, which is negative."
            )
        if i >= n and not self._dynamic_size:
            raise OutOfRangeError(
                None,
                "TensorArrayWrite",
                f"Tried to {what} index {i} but array is not resizeable and size is: {n}",
            )

    def read(self, index, name=None) -> Tensor:
        """Element ``index`` (zeros when it was never written and its shape is known).

        Raises:
            InvalidArgumentError: eagerly, a second read of an element of a
                ``clear_after_read`` array.
        """
        if self._pending:
            return self._element_zeros()
        i = _static_index(index)
        if i is not None and self._elems is not None:
            if not 0 <= i < len(self._elems):
                raise OutOfRangeError(
                    None,
                    "TensorArrayRead",
                    f"Tried to read from index {i} but array size is: {len(self._elems)}",
                )
            if context.state.graph is None and self._clear_after_read:
                if i in self._read:
                    raise InvalidArgumentError(
                        None,
                        "TensorArrayRead",
                        f"Could not read index {i} twice because it "
                        f"was cleared after a previous read (perhaps try setting "
                        f"clear_after_read = false?)",
                    )
                self._read.add(i)
            e = self._elems[i]
            return self._element_zeros() if e is None else e
        return array_ops.gather(self._as_buffer(), convert_to_tensor(index, dtypes.int32))

    def stack(self, name=None) -> Tensor:
        """All elements stacked along a new first axis (unwritten ones as zeros)."""
        if self._pending:
            return self._zeros(self._size if self._elems is None else len(self._elems))
        return self._as_buffer()

    def gather(self, indices, name=None) -> Tensor:
        """The elements at ``indices``, stacked."""
        return array_ops.gather(self.stack(), convert_to_tensor(indices, dtypes.int32))

    def concat(self, name=None) -> Tensor:
        """All elements joined along their first axis (elements may differ in length)."""
        if self._elems is not None and self._elems and not self._pending:
            return array_ops.concat(
                [self._element_zeros() if e is None else e for e in self._elems], 0
            )
        buffer = self.stack()
        dims = buffer.shape.as_list()
        if None in dims[2:]:
            runtime = array_ops.shape(buffer)
            rest = [runtime[k] if d is None else d for k, d in enumerate(dims) if k >= 2]
        else:
            rest = dims[2:]
        return array_ops.reshape(buffer, [-1] + rest)

    def unstack(self, value, name=None) -> TensorArray:
        """The array whose elements are the rows of ``value``."""
        value = convert_to_tensor(value, dtype=self._dtype)
        if value._value.ndim == 0:
            raise ValueError("TensorArray.unstack: value must have rank >= 1.")
        n = value.shape[0]
        if (
            n is not None
            and self._elems is not None
            and not self._dynamic_size
            and n > len(self._elems)
        ):
            raise InvalidArgumentError(
                None,
                "TensorArrayUnpack",
                f"Could not scatter {n} elements into an array of size {len(self._elems)}.",
            )
        if self._infer_shape and self._box.shape is None:
            self._box.shape = value.shape[1:]
        if context.state.graph is None:
            self._elems = list(slicing_ops.unstack(value))
            self._read.clear()
            return self
        if n is None:
            # Only the running graph knows how many rows there are.
            n = array_ops.shape(value)[0]
        return self._derive(buffer=value, size=n if self._elems is not None else None)

    def scatter(self, indices, value, name=None) -> TensorArray:
        """Writes the rows of ``value`` at ``indices``."""
        value = convert_to_tensor(value, dtype=self._dtype)
        idx = convert_to_tensor(indices, dtypes.int32)
        if type(idx) is not SymbolicTensor and self._elems is not None:
            ta = self
            for k, i in enumerate(np.asarray(idx._value).reshape(-1)):
                ta = ta.write(int(i), value[k])
            return ta
        for_shape = value.shape[1:]
        if self._box.shape is None and self._infer_shape:
            self._box.shape = for_shape
        buffer = self._as_buffer()
        if not self._box.shape.is_fully_defined():
            return self._derive(
                buffer=execute(_WRITE_ROWS, (buffer, idx, value), {"grow": self._dynamic_size})
            )
        if self._dynamic_size:
            buffer = self._grow(buffer, reduction_ops.reduce_max(idx))
        buffer = slicing_ops.tensor_scatter_nd_update(buffer, array_ops.expand_dims(idx, -1), value)
        return self._derive(buffer=buffer)

    def identity(self) -> TensorArray:
        return self

    def close(self, name=None):
        """Accepted for compatibility: there is nothing to release."""

    # -- while_loop / cond protocol -----------------------------------------

    def _loop_flatten(self) -> Tensor:
        """The tensor a graph loop or cond carries for this array."""
        self._flattened_pending = False
        if self._box.shape is None or (self._pending and self._buffer is not None):
            # Element shape unknown: carry a placeholder; the loop traces again once a
            # write in the body has fixed the shape.
            self._flattened_pending = self._box.shape is None
            if self._buffer is not None:
                return self._buffer
            n = self._size if self._elems is None else len(self._elems)
            return Tensor(
                np.zeros([0 if isinstance(n, Tensor) else n], dtype=self._dtype.as_numpy_dtype),
                self._dtype,
            )
        return self._as_buffer()

    def _loop_unflatten(self, buffer: Tensor) -> TensorArray:
        ta = self._derive(buffer=buffer)
        ta._pending = self._flattened_pending
        return ta

    def _loop_invariant(self):
        """The buffer's shape invariant: its length may change only if ``dynamic_size``,
        element sizes only where the element shape leaves them unknown (the first write
        resizes the buffer)."""
        shape = self._box.shape
        if shape is None or (shape.is_fully_defined() and not self._dynamic_size):
            return None
        n = self._size if self._elems is None else len(self._elems)
        rows = None if self._dynamic_size or isinstance(n, Tensor) else n
        return TensorShape([rows] + shape.as_list())

    def _loop_needs_retrace(self) -> bool:
        return self._flattened_pending and self._box.shape is not None
