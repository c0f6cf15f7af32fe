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
from tensorflux.framework.errors import InvalidArgumentError
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
    """What ``iter(dataset)`` returns: yields elements as structures of ``tf.Tensor``."""

    def __init__(self, dataset):
        self._spec = dataset.element_spec
        self._leaf_specs = structure.flatten(self._spec)
        self._pull = dataset._pull()

    @property
    def element_spec(self):
        return self._spec

    def __iter__(self):
        return self

    def __next__(self):
        flat = self._pull.next()
        leaves = [structure.leaf_tensor(v, s) for v, s in zip(flat, self._leaf_specs)]
        return structure.pack(self._spec, leaves)

    def get_next_as_optional(self):
        """The next element as a ``tf.experimental.Optional``, empty at the end."""
        from tensorflux.ops.optional_ops import Optional

        try:
            return Optional.from_value(self.__next__())
        except StopIteration:
            return Optional.empty(self._spec)

    def get_next(self):
        """The next element; raises ``tf.errors.OutOfRangeError`` at the end."""
        try:
            return self.__next__()
        except StopIteration:
            from tensorflux.framework.errors import OutOfRangeError

            raise OutOfRangeError(None, "IteratorGetNext", "End of sequence") from None

    def __del__(self):
        pull = getattr(self, "_pull", None)
        if pull is not None:
            pull.close()

    def __repr__(self):
        return f"<tensorflux.data.OwnedIterator object at {id(self):#x}>"


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
