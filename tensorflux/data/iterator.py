"""Iterators: the internal pull protocol of a pipeline, and the ones users hold.

Every dataset makes a ``Pull`` iterator with two ways to ask for data:

* ``next()``: one element, as a flat tuple of NumPy values;
* ``next_block(n)``: between 1 and ``n`` consecutive elements at once, as a flat tuple
  of arrays with a leading dimension (one row per element).

Sources and transformations that can work on many elements at once implement
``_produce(n)`` (a ``BlockPull``), the others ``next()`` (an ``ElementPull``); each
kind derives the other method, so any stage can feed any stage. Blocks are only
asked of datasets whose elements all have one fully known shape. Both methods
raise ``StopIteration`` at the end, and keep raising it.
"""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.framework import context
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.type_spec import TypeSpec
from tensorflux.ops.sparse.sparse_rows import SparseRows

__all__: list = []

# Rows a block-producing stage computes ahead when it is read element by element.
ROWS_AHEAD = 256


class Pull:
    """Base of the internal iterators."""

    def next(self) -> tuple:
        raise NotImplementedError

    def next_block(self, n: int) -> tuple:
        raise NotImplementedError

    def close(self) -> None:
        """Releases resources (threads, files); iterators that hold none do nothing."""


def stack_rows(rows: list) -> tuple:
    """Stacks flat elements into one block; shapes must agree per component."""
    first = rows[0]
    out = []
    for c in range(len(first)):
        if isinstance(first[c], SparseRows):
            out.append(SparseRows.stack([row[c] for row in rows]))
            continue
        shape = np.shape(first[c])
        for i, row in enumerate(rows):
            if np.shape(row[c]) != shape:
                raise InvalidArgumentError(
                    None,
                    "BatchDatasetV2",
                    f"Cannot batch tensors with different shapes in component {c}. First "
                    f"element had shape {list(shape)} and element {i} had shape "
                    f"{list(np.shape(row[c]))}. Use padded_batch to pad them to one shape, "
                    f"or map them to one shape first.",
                )
        out.append(np.stack([row[c] for row in rows]))
    return tuple(out)


class ElementPull(Pull):
    """An iterator that produces one element at a time; blocks are stacked from them."""

    def next_block(self, n: int) -> tuple:
        rows = [self.next()]
        try:
            while len(rows) < n:
                rows.append(self.next())
        except StopIteration:
            pass
        return stack_rows(rows)


class BlockPull(Pull):
    """An iterator that computes blocks (``_produce``); elements are rows of them."""

    _block = None
    _pos = 0
    _len = 0

    def _produce(self, n: int) -> tuple:
        raise NotImplementedError

    def next_block(self, n: int) -> tuple:
        block = self._block
        if block is None:
            return self._produce(n)
        start, stop = self._pos, min(self._pos + n, self._len)
        self._pos = stop
        if stop == self._len:
            self._block = None
        if start == 0 and stop == self._len:
            return block
        return tuple(a[start:stop] for a in block)

    def next(self) -> tuple:
        if self._block is None:
            block = self._produce(ROWS_AHEAD)
            self._block, self._pos, self._len = block, 0, len(block[0])
        i = self._pos
        self._pos = i + 1
        block = self._block
        if self._pos == self._len:
            self._block = None
        return tuple(
            structure.string_row(a, i) if isinstance(a, np.ndarray) and a.dtype == object else a[i]
            for a in block
        )


class OwnedIterator:
    """What ``iter(dataset)`` returns: yields elements as structures of ``tf.Tensor``.

    Inside a ``tf.function``, ``next(iterator)`` and ``get_next()`` become graph nodes
    that pull an element each time the graph runs (as in TF), for an iterator passed
    as an argument or captured; a Python ``for`` loop over it runs while tracing.
    """

    def __init__(self, dataset):
        self._spec = dataset.element_spec
        self._leaf_specs = structure.flatten(self._spec)
        self._pull = dataset._pull()
        # An element a trace looked at (its example): the next pull returns it.
        self._peeked = None
        # Made while tracing (``iter(ds)`` inside a tf.function): TF makes a new iterator
        # on every call, whose elements are then the same each call; here they are read
        # while tracing.
        self._made_in_trace = context.state.graph is not None

    @property
    def element_spec(self):
        return self._spec

    def __iter__(self):
        if context.state.graph is not None:
            return self._eager_elements()
        return self

    def _eager_elements(self):
        while True:
            try:
                yield self._eager_next()
            except StopIteration:
                return

    def __next__(self):
        if context.state.graph is not None and self._traceable():
            return traced_next(self, self._spec)
        return self._eager_next()

    def _pull_next(self) -> tuple:
        if self._peeked is not None:
            flat, self._peeked = self._peeked, None
            return flat
        return self._pull.next()

    def _peek_flat(self) -> list:
        """The next element's flat NumPy values, left to be pulled."""
        if self._peeked is None:
            self._peeked = self._pull.next()
        return [structure.leaf_tensor(v, s)._value for v, s in zip(self._peeked, self._leaf_specs)]

    def _eager_next(self):
        flat = self._pull_next()
        leaves = [structure.leaf_tensor(v, s) for v, s in zip(flat, self._leaf_specs)]
        return structure.pack(self._spec, leaves)

    def _next_flat(self) -> list:
        """The next element's flat NumPy values (the graph op's pull)."""
        return [
            structure.leaf_tensor(v, s)._value for v, s in zip(self._pull_next(), self._leaf_specs)
        ]

    def _traceable(self) -> bool:
        return not self._made_in_trace and all(isinstance(s, TensorSpec) for s in self._leaf_specs)

    @property
    def _type_spec(self):
        return IteratorSpec(self._spec)

    def _trace_key(self):
        """A ``tf.function`` keys an iterator argument by its spec (a new iterator of
        the same structure reuses the trace, as in TF)."""
        if not self._traceable():
            return ("iterator", id(self))
        return ("iterator", self._type_spec)

    def _as_traced_argument(self):
        """The stand-in a ``tf.function`` traces with, and the slot each call fills
        with that call's iterator; None where elements hold sparse or ragged values
        (then the iterator itself is traced, and read while tracing)."""
        if not self._traceable():
            return None
        slot = IteratorSlot(self)
        return _IteratorArgument(slot, self._spec), slot

    def get_next_as_optional(self):
        """The next element as a ``tf.experimental.Optional``, empty at the end."""
        from tensorflux.ops.optional_ops import Optional

        try:
            return Optional.from_value(self._eager_next())
        except StopIteration:
            return Optional.empty(self._spec)

    def get_next(self):
        """The next element; raises ``tf.errors.OutOfRangeError`` at the end."""
        if context.state.graph is not None and self._traceable():
            return traced_next(self, self._spec)
        try:
            return self._eager_next()
        except StopIteration:
            from tensorflux.framework.errors import OutOfRangeError

            raise OutOfRangeError(None, "IteratorGetNext", "End of sequence") from None

    def __del__(self):
        pull = getattr(self, "_pull", None)
        if pull is not None:
            pull.close()

    def __repr__(self):
        return f"<tensorflux.data.OwnedIterator object at {id(self):#x}>"


class IteratorSpec(TypeSpec):
    """The spec of a ``tf.data`` iterator (``tf.data.IteratorSpec``): its elements'
    spec. A ``tf.function`` traces once for the iterators of one spec.

    >>> import tensorflux as tf
    >>> tf.data.IteratorSpec(tf.TensorSpec([2], tf.float32))
    IteratorSpec(TensorSpec(shape=(2,), dtype=tf.float32, name=None),)
    """

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @property
    def value_type(self):
        return OwnedIterator

    def _fields(self) -> tuple:
        return (self._element_spec,)

    def __hash__(self):
        # Element specs may hold dicts: hash their printed form.
        return hash(("IteratorSpec", repr(self._element_spec)))


class IteratorSlot:
    """The iterator a traced graph pulls from: the one passed to the current call."""

    def __init__(self, iterator: OwnedIterator):
        self.current = iterator
        # Set when the traced body ran a Python for loop over the iterator.
        self.unrolled = False

    def _next_flat(self) -> list:
        return self.current._next_flat()

    def _peek_flat(self) -> list:
        return self.current._peek_flat()


class _IteratorArgument:
    """What a ``tf.function`` body sees for an iterator argument while it is traced."""

    def __init__(self, slot: IteratorSlot, spec):
        self._slot = slot
        self._spec = spec

    @property
    def element_spec(self):
        return self._spec

    def __iter__(self):
        self._slot.unrolled = True
        return self._slot.current._eager_elements()

    def __next__(self):
        return traced_next(self._slot, self._spec)

    def get_next(self):
        return traced_next(self._slot, self._spec)

    def get_next_as_optional(self):
        return self._slot.current.get_next_as_optional()


def traced_next(source, spec):
    """The graph node pulling ``source``'s next element, packed as ``spec``."""
    from tensorflux.ops.iterator_ops import iterator_get_next

    leaf_specs = structure.flatten(spec)
    outputs = iterator_get_next(
        source, [s.dtype for s in leaf_specs], [s.shape for s in leaf_specs]
    )
    return structure.pack(spec, list(outputs))


class NumpyIterator:
    """What ``as_numpy_iterator()`` returns: elements as NumPy values (bytes for strings)."""

    def __init__(self, dataset):
        self._iterator = OwnedIterator(dataset)
        self._spec = self._iterator._spec

    def __iter__(self):
        return self

    def __next__(self):
        flat = self._iterator._pull.next()
        leaves = [structure.leaf_numpy(v) for v in flat]
        return structure.pack(self._spec, leaves)

    next = __next__

    def __repr__(self):
        return f"NumpyIterator(iterator={self._iterator!r})"
