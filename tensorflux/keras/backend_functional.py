"""``tf.keras.backend.map_fn``, ``foldl`` and ``foldr``: a Python function applied to
the rows (first-axis slices) of a tensor, or of several tensors in a structure.

With a known number of rows the loop runs in Python (unrolled when traced); inside
``tf.function`` with an unknown number it is a ``tf.while_loop`` (results gathered in
a ``TensorArray`` for ``map_fn``).
"""

from tensorflux.engine import control_flow
from tensorflux.framework import dtypes, nest
from tensorflux.framework import tensor as tensor_lib
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops import array_ops, gather_ops, shape_ops
from tensorflux.ops.tensor_array import TensorArray

__all__ = ["foldl", "foldr", "map_fn"]


def _flat_elems(elems):
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    for e in flat:
        if e.shape.rank == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
    return flat


def _row(elems, flat, i):
    return nest.pack_sequence_as(elems, [gather_ops.gather(e, i) for e in flat])


def map_fn(fn, elems, name=None, dtype=None):
    """``fn`` applied to each row of ``elems``, the results stacked (``tf.map_fn``).

    Args:
        fn: called with one row (a structure of rows for nested ``elems``).
        elems: a tensor, or a structure of tensors with the same number of rows.
        dtype: the dtype (structure) of ``fn``'s result when it differs from
            ``elems``'.

    Returns:
        The stacked results, in the structure of ``fn``'s result.

    >>> map_fn(lambda r: r * 2, convert_to_tensor([[1, 2], [3, 4]])).numpy()
    array([[2, 4],
           [6, 8]], dtype=int32)

    Raises:
        ValueError: scalar ``elems``.
        InvalidArgumentError: a result of another dtype than ``dtype`` (or ``elems``').
    """
    flat = _flat_elems(elems)
    expected = nest.flatten(dtype) if dtype is not None else [e.dtype for e in flat]
    expected = [dtypes.as_dtype(d) for d in expected]

    def apply(i):
        out = fn(_row(elems, flat, i))
        flat_out = [convert_to_tensor(o) for o in nest.flatten(out)]
        for o, want in zip(flat_out, expected):
            if o.dtype != want:
                raise InvalidArgumentError(
                    None,
                    "TensorListSetItem",
                    f"TensorArray dtype is {want.name} but Op is trying to write dtype "
                    f"{o.dtype.name}. Pass map_fn's `dtype` as the dtype of fn's result.",
                )
        return out, flat_out

    n = flat[0].shape[0]
    if n is not None:
        results = [apply(i) for i in range(n)]
        if not results:
            return nest.pack_sequence_as(
                dtype if dtype is not None else elems,
                [array_ops.zeros([0], d) for d in expected],
            )
        stacked = [array_ops.stack(column) for column in zip(*(r[1] for r in results))]
        return nest.pack_sequence_as(results[0][0], stacked)
    steps = shape_ops.shape(flat[0])[0]
    structure, first = apply(0)
    arrays = tuple(TensorArray(o.dtype, size=steps, element_shape=o.shape) for o in first)

    # The loop variables stay one flat tuple: (i, result arrays).
    def body(i, *arrays):
        _, out = apply(i)
        return (i + 1,) + tuple(a.write(i, o) for a, o in zip(arrays, out))

    final = control_flow.while_loop(
        lambda i, *_: i < steps, body, (tensor_lib.constant(0),) + arrays
    )
    return nest.pack_sequence_as(structure, [a.stack() for a in final[1:]])


def _fold(fn, elems, initializer, reverse):
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if any(e.shape.rank == 0 for e in flat):
        raise IndexError(
            "tuple index out of range: foldl/foldr need elems of rank 1 or more, not scalars"
        )
    n = flat[0].shape[0]
    if initializer is None:
        if n == 0:
            raise OutOfRangeError(
                None,
                "TensorListGetItem",
                "Tried to read from index 0 but array size is: 0. Pass an `initializer` "
                "to fold an empty sequence.",
            )
        if n is None:
            start = shape_ops.shape(flat[0])[0] - 1 if reverse else 0
        else:
            start = n - 1 if reverse else 0
        acc, skip = _row(elems, flat, start), 1
    else:
        acc, skip = initializer, 0
    if n is not None:
        indices = range(n - 1 - skip, -1, -1) if reverse else range(skip, n)
        for i in indices:
            acc = fn(acc, _row(elems, flat, i))
        return acc
    steps = shape_ops.shape(flat[0])[0]

    # The loop variables stay one flat tuple: (k, accumulator leaves).
    def body(k, *acc_leaves):
        i = steps - 1 - k if reverse else k
        acc = fn(nest.pack_sequence_as(acc_template, list(acc_leaves)), _row(elems, flat, i))
        return (k + 1,) + tuple(nest.flatten(acc))

    acc_template = acc
    final = control_flow.while_loop(
        lambda k, *_: k < steps, body, (tensor_lib.constant(skip),) + tuple(nest.flatten(acc))
    )
    return nest.pack_sequence_as(acc_template, list(final[1:]))


def foldl(fn, elems, initializer=None, name=None):
    """``fn(...fn(fn(initializer, row0), row1)..., rowN)``: the rows of ``elems``
    accumulated from the first (``tf.foldl``); without ``initializer`` the first row
    starts the accumulator.

    >>> foldl(lambda acc, r: acc + r, convert_to_tensor([1, 2, 3])).numpy()
    np.int32(6)

    Raises:
        IndexError: scalar ``elems`` (as TF).
        OutOfRangeError: no rows and no ``initializer``.
    """
    return _fold(fn, elems, initializer, reverse=False)


def foldr(fn, elems, initializer=None, name=None):
    """:func:`foldl` from the last row to the first (``tf.foldr``).

    >>> foldr(lambda acc, r: acc - r, convert_to_tensor([1, 2, 6])).numpy()
    np.int32(3)
    """
    return _fold(fn, elems, initializer, reverse=True)
