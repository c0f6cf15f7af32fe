"""Higher-order functions over the first dimension: ``tf.map_fn``, ``tf.scan``,
``tf.foldl``, ``tf.foldr`` and ``tf.vectorized_map``.

Eagerly they run ``fn`` in a Python loop (so tapes see every step); inside
``tf.function`` they trace ``fn`` once into a ``tf.while_loop`` whose results are
collected in TensorArrays, as TF does, so a graph holds one loop whatever the number
of elements, and gradients flow through the loop. Ragged results (a
``tf.RaggedTensorSpec`` in ``fn_output_signature``) and ragged elements are collected
row by row, which inside ``tf.function`` needs a first dimension known when tracing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tensorflux.framework import context, dtypes, nest
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["map_fn", "scan", "foldl", "foldr", "vectorized_map"]


class _Leaf(NamedTuple):
    """What one flat result of ``fn`` must be: its dtype, static shape (or None) and
    whether results are collected into a RaggedTensor."""

    dtype: dtypes.DType
    shape: TensorShape | None
    ragged: bool
    ragged_rank: int = 0


def _is_ragged(x) -> bool:
    from tensorflux.ragged.ragged_tensor import RaggedTensor

    return isinstance(x, RaggedTensor)


def _as_value(x):
    if _is_ragged(x):
        return x
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def _leaf_of(spec) -> _Leaf:
    from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

    if isinstance(spec, RaggedTensorSpec):
        return _Leaf(spec.dtype, None, True, spec.ragged_rank)
    if isinstance(spec, TensorSpec):
        return _Leaf(spec.dtype, TensorShape(spec.shape), False)
    return _Leaf(dtypes.as_dtype(spec), None, False)


def _is_spec_leaf(x) -> bool:
    from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

    return isinstance(x, (TensorSpec, RaggedTensorSpec, dtypes.DType, str, type))


def _signature(fn_output_signature, elems_flat, elems):
    """The structure and flat ``_Leaf`` s of ``fn``'s results."""
    if fn_output_signature is None:
        leaves = [_Leaf(e.dtype, None, _is_ragged(e)) for e in elems_flat]
        return elems, leaves
    flat = nest.flatten(fn_output_signature)
    bad = [s for s in flat if not _is_spec_leaf(s)]
    if bad:
        raise TypeError(
            f"fn_output_signature must contain objects of type TensorSpec, "
            f"RaggedTensorSpec or DType. Got {bad[0]!r}."
        )
    return fn_output_signature, [_leaf_of(s) for s in flat]


def _elements(elems):
    """The flat elements (tensors or RaggedTensors) and their common first dimension:
    ``(flat, n_static, n)`` where ``n`` is an int or a scalar tensor."""
    from tensorflux.ops.shape_ops import shape

    flat = [_as_value(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError(
            f"elems must be a Tensor or (possibly nested) sequence of Tensors. Got {elems}, "
            f"which does not contain any Tensors."
        )
    n_static = None
    for e in flat:
        if e.shape.rank == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        d = e.shape[0] if e.shape.rank is not None else None
        if d is not None and n_static is not None and d != n_static:
            raise ValueError(f"Dimensions {n_static} and {d} are not compatible")
        n_static = d if d is not None else n_static
    n = n_static
    if n is None:
        first = next(e for e in flat if not _is_ragged(e))
        n = shape(first)[0]
    return flat, n_static, n


def _row(e, i):
    from tensorflux.ops.gather_ops import gather

    if _is_ragged(e):
        return e[i]
    return gather(e, i)


def _pad_for_tracing(flat: list, n_static) -> None:
    """Appends a row of zeros to each element tensor whose first dimension may be 0:
    tracing runs the loop body once on example values, and an empty example has no row
    to read (the running loop never reads the extra row)."""
    if n_static:
        return
    from tensorflux.ops.creation_ops import zeros
    from tensorflux.ops.joining_ops import concat
    from tensorflux.ops.shape_ops import shape

    for k, e in enumerate(flat):
        extra = zeros(concat([[1], shape(e)[1:]], 0), e.dtype)
        flat[k] = concat([e, extra], 0)


def _check_result(value, leaf: _Leaf, i_shape=None):
    """``fn``'s result for one leaf as a tensor (or RaggedTensor) of the leaf's dtype."""
    if leaf.ragged and _is_ragged(value):
        v = value
    else:
        v = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype_hint=leaf.dtype)
    if v.dtype is not leaf.dtype:
        raise InvalidArgumentError(
            None,
            "TensorArrayWriteV3",
            f"TensorArray dtype is {leaf.dtype.name} but Op is trying to write dtype "
            f"{v.dtype.name} [Op:TensorArrayWriteV3]. Return values of the dtype of "
            f"fn_output_signature (or of elems when it is not given), or pass "
            f"fn_output_signature.",
        )
    if leaf.shape is not None and not leaf.ragged and not v.shape.is_compatible_with(leaf.shape):
        raise ValueError(
            f"Incompatible shape for value ({_dims(v.shape)}), expected ({_dims(leaf.shape)})"
        )
    return v


def _dims(shape: TensorShape) -> str:
    return "<unknown>" if shape.rank is None else str(tuple(shape.as_list()))


def _flat_results(result, structure, leaves, what: str) -> list:
    try:
        nest.assert_same_structure(structure, result, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{what}: fn returned a structure that does not match fn_output_signature (or "
            f"elems when it is not given): {e}"
        ) from None
    flat = nest.flatten(result)
    return [_check_result(v, leaf) for v, leaf in zip(flat, leaves)]


def _stack_rows(rows: list, leaf: _Leaf):
    """The results of every iteration, in order, stacked along a new first axis."""
    from tensorflux.ops.joining_ops import stack

    if not rows:
        known = leaf.shape is not None and leaf.shape.is_fully_defined()
        dims = (0,) + (tuple(leaf.shape.as_list()) if known else ())
        return Tensor(np.zeros(dims, leaf.dtype.as_numpy_dtype), leaf.dtype)
    if leaf.ragged:
        return _ragged_stack(rows, leaf)
    first = rows[0].shape
    for r in rows[1:]:
        if not r.shape.is_compatible_with(first):
            raise ValueError(
                f"Incompatible shape for value ({_dims(r.shape)}), expected ({_dims(first)})"
            )
    return stack(rows)


def _ragged_stack(rows: list, leaf: _Leaf):
    from tensorflux.ops.joining_ops import concat
    from tensorflux.ragged import stack as ragged_stack
    from tensorflux.ragged.ragged_tensor import RaggedTensor

    if all(not _is_ragged(r) and r.shape.rank == 1 for r in rows):
        from tensorflux.ops.joining_ops import stack
        from tensorflux.ops.shape_ops import shape

        lengths = stack([shape(r, out_type=dtypes.int64)[0] for r in rows])
        return RaggedTensor.from_row_lengths(concat(rows, 0), lengths)
    parts = [
        r if _is_ragged(r) else RaggedTensor.from_tensor(r, ragged_rank=max(leaf.ragged_rank, 1))
        for r in rows
    ]
    return ragged_stack(parts)


def _traced_loop(n, n_static, start, reverse, step, state: list, leaves: list, first=None):
    """Runs ``step(i, state) -> (state, outputs)`` for each index inside a trace: one
    ``tf.while_loop`` carrying the state and a TensorArray per output. ``first``: values
    written before the loop at the first index (the last, in reverse), which the loop
    then skips.

    Tracing runs the body once on example values, where a batch of unknown size may be
    empty: the arrays then keep one slot, indices are clipped into range (a no-op for
    every index the running loop visits) and the stacked results cut back to ``n`` rows.
    """
    from tensorflux.engine.control_flow import while_loop
    from tensorflux.ops.clip_ops import clip_by_value
    from tensorflux.ops.logic_ops import greater_equal, less
    from tensorflux.ops.math_ops import add, maximum, subtract
    from tensorflux.ops.tensor_array import TensorArray

    k = len(state)
    size = n if n_static else maximum(n, 1)

    def slot(i):
        return i if n_static else clip_by_value(i, 0, subtract(size, 1))

    arrays = [
        TensorArray(leaf.dtype, size=size, element_shape=leaf.shape, infer_shape=True)
        for leaf in leaves
    ]
    if first is not None:
        at = slot(subtract(n, 1)) if reverse else 0
        arrays = [ta.write(at, v) for ta, v in zip(arrays, first)]
    i0 = subtract(n, 1 + start) if reverse else convert_to_tensor(start)

    def cond(i, *_):
        return greater_equal(i, 0) if reverse else less(i, n)

    def body(i, *carried):
        at = slot(i)
        new_state, outs = step(at, list(carried[:k]))
        written = [ta.write(at, o) for ta, o in zip(carried[k:], outs)]
        return [subtract(i, 1) if reverse else add(i, 1)] + list(new_state) + written

    out = while_loop(cond, body, [convert_to_tensor(i0)] + list(state) + arrays)
    stacked = [ta.stack() for ta in out[1 + k :]]
    if not n_static:
        stacked = [t[:n] for t in stacked]
    return out[1 : 1 + k], stacked


def _empty_like_rows(t: Tensor) -> Tensor:
    """No rows of ``t``'s shape: ``[0, *t.shape]``."""
    from tensorflux.ops.creation_ops import zeros
    from tensorflux.ops.joining_ops import concat
    from tensorflux.ops.shape_ops import shape

    return zeros(concat([[0], shape(t)], 0), t.dtype)


def _with_static_rows(t: Tensor, n_static) -> Tensor:
    from tensorflux.ops.array_ops_extra import ensure_shape

    if n_static is None or t.shape.rank is None:
        return t
    return ensure_shape(t, [n_static] + [None] * (t.shape.rank - 1))


def _stop(structure, back_prop: bool):
    if back_prop:
        return structure
    from tensorflux.ops.shape_ops import stop_gradient

    return nest.map_structure(lambda t: t if _is_ragged(t) else stop_gradient(t), structure)


def _use_graph_loop(flat, leaves, n_static) -> bool:
    """Whether to trace one while loop: inside ``tf.function``, for dense values."""
    if context.state.graph is None:
        return False
    if any(_is_ragged(e) for e in flat) or any(leaf.ragged for leaf in leaves):
        if n_static is None:
            raise ValueError(
                "tf.map_fn: ragged elements or results inside tf.function need a first "
                "dimension known when tracing; give the input a static batch size (e.g. in "
                "input_signature) or use dense tensors."
            )
        return False
    return True


def map_fn(
    fn,
    elems,
    dtype=None,
    parallel_iterations=None,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    name=None,
    fn_output_signature=None,
):
    """Applies ``fn`` to each element of ``elems`` (unstacked along the first axis) and
    stacks the results.

    Args:
        fn: callable taking one element (in the structure of ``elems``).
        elems: a tensor, RaggedTensor, or (nested) structure of them, all with the same
            first dimension.
        dtype: deprecated spelling of ``fn_output_signature``.
        parallel_iterations, swap_memory, infer_shape: accepted; iterations run in order.
        back_prop: False stops gradients through the results.
        fn_output_signature: the structure of ``fn``'s result: DTypes, ``tf.TensorSpec``
            s or ``tf.RaggedTensorSpec`` s; by default that of ``elems``.

    Returns:
        ``fn``'s results stacked along a new first axis, in the structure of the
        signature.

    Raises:
        ValueError: scalar or mismatched elements, results of another structure or of
            varying shapes.
        InvalidArgumentError: results of another dtype than the signature's.

    >>> import tensorflux as tf
    >>> tf.map_fn(lambda x: x * x, tf.constant([1, 2, 3])).numpy()
    array([1, 4, 9], dtype=int32)
    """
    if fn_output_signature is None:
        fn_output_signature = dtype
    if not callable(fn):
        raise TypeError(f"fn must be callable. Got {fn!r}")
    flat, n_static, n = _elements(elems)
    structure, leaves = _signature(fn_output_signature, flat, elems)

    def call(i):
        elem = nest.pack_sequence_as(elems, [_row(e, i) for e in flat])
        return _flat_results(fn(elem), structure, leaves, "tf.map_fn")

    if _use_graph_loop(flat, leaves, n_static):
        _pad_for_tracing(flat, n_static)
        if n_static == 0:
            # No iteration runs: fn on the row of zeros gives the results' element shapes.
            outs = [_empty_like_rows(o) for o in call(0)]
        else:
            _, outs = _traced_loop(n, n_static, 0, False, lambda i, s: ([], call(i)), [], leaves)
            outs = [_with_static_rows(o, n_static) for o in outs]
    else:
        results = [call(i) for i in range(int(n))]
        outs = [_stack_rows([r[j] for r in results], leaf) for j, leaf in enumerate(leaves)]
    return _stop(nest.pack_sequence_as(structure, outs), back_prop)


def _scan_like(fn, elems, initializer, reverse: bool, what: str, collect: bool):
    """The loop of ``scan`` (``collect``: every accumulator) and of the folds (the last)."""
    flat, n_static, n = _elements(elems)
    if context.state.graph is not None:
        _pad_for_tracing(flat, n_static)
    if initializer is None:
        if n_static == 0:
            read = (
                "Reading from negative indices (index -1) is not allowed."
                if reverse
                else "Tried to read from index 0 but array size is: 0"
            )
            raise OutOfRangeError(
                None,
                "TensorArrayReadV3",
                f"{read} [Op:TensorArrayReadV3]. {what} without an initializer needs at "
                f"least one element.",
            )
        if reverse:
            first = n_static - 1 if n_static is not None else _minus_one(n)
        else:
            first = 0
        init = nest.pack_sequence_as(elems, [_row(e, first) for e in flat])
        start = 1
    else:
        init = nest.map_structure(_as_value, initializer)
        start = 0
    acc_structure = init
    init_flat = nest.flatten(init)
    leaves = [_Leaf(a.dtype, a.shape, _is_ragged(a)) for a in init_flat]

    def step(i, acc_flat):
        acc = nest.pack_sequence_as(acc_structure, acc_flat)
        elem = nest.pack_sequence_as(elems, [_row(e, i) for e in flat])
        new = fn(acc, elem)
        new_flat = _flat_results(new, acc_structure, leaves, what)
        return new_flat, new_flat

    if _use_graph_loop(flat, leaves, n_static) and n_static == 0:
        state, outs = init_flat, [_empty_like_rows(a) for a in init_flat]
    elif _use_graph_loop(flat, leaves, n_static):
        state, outs = _traced_loop(
            n,
            n_static,
            start,
            reverse,
            step,
            init_flat,
            leaves if collect else [],
            first=init_flat if collect and start else None,
        )
        outs = [_with_static_rows(o, n_static) for o in outs]
    else:
        state, rows = list(init_flat), []
        order = range(int(n) - 1 - start, -1, -1) if reverse else range(start, int(n))
        for i in order:
            state, _ = step(i, state)
            rows.append(state)
        if start:
            rows.insert(0, list(init_flat))
        if reverse:
            rows.reverse()
        outs = [_stack_rows([r[j] for r in rows], leaf) for j, leaf in enumerate(leaves)]
    return (outs if collect else state), acc_structure


def _minus_one(n):
    # Never below 0: tracing may read the last row of an empty example batch.
    from tensorflux.ops.math_ops import maximum, subtract

    return maximum(subtract(n, 1), 0)


def scan(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    reverse=False,
    name=None,
):
    """Every accumulator of ``acc = fn(acc, element)`` over the elements of ``elems``
    (first axis), stacked.

    Args:
        fn: callable ``(accumulator, element) -> accumulator``, in the structure of
            ``initializer`` (of ``elems`` without one).
        elems: a tensor or (nested) structure of tensors with one first dimension.
        initializer: the first accumulator; without it, the first element is the first
            accumulator and the first row of the result.
        reverse: scan from the last element to the first (results keep their positions).
        parallel_iterations, swap_memory, infer_shape: accepted; steps run in order.
        back_prop: False stops gradients through the results.

    Returns:
        The accumulators stacked along a new first axis.

    Raises:
        OutOfRangeError: no elements and no initializer.

    >>> import tensorflux as tf
    >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4])).numpy()
    array([ 1,  3,  6, 10], dtype=int32)
    """
    outs, structure = _scan_like(fn, elems, initializer, bool(reverse), "tf.scan", True)
    return _stop(nest.pack_sequence_as(structure, outs), back_prop)


def foldl(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
):
    """The last accumulator of ``acc = fn(acc, element)`` over ``elems`` from first to
    last (``tf.scan``'s last row).

    Raises:
        OutOfRangeError: no elements and no initializer.

    >>> import tensorflux as tf
    >>> tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])).numpy()
    np.int32(123)
    """
    state, structure = _scan_like(fn, elems, initializer, False, "tf.foldl", False)
    return _stop(nest.pack_sequence_as(structure, list(state)), back_prop)


def foldr(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
):
    """The last accumulator of ``acc = fn(acc, element)`` over ``elems`` from last to
    first.

    Raises:
        OutOfRangeError: no elements and no initializer.

    >>> import tensorflux as tf
    >>> tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])).numpy()
    np.int32(321)
    """
    state, structure = _scan_like(fn, elems, initializer, True, "tf.foldr", False)
    return _stop(nest.pack_sequence_as(structure, list(state)), back_prop)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """``fn`` applied to each element of ``elems`` (first axis), results stacked, as
    ``tf.map_fn`` without a signature: the result's structure is whatever ``fn``
    returns. TF vectorizes ``fn`` across the batch; tensorflux runs the same loop as
    ``tf.map_fn``, which gives the same values.

    Returns:
        ``fn``'s results stacked along a new first axis.

    >>> import tensorflux as tf
    >>> tf.vectorized_map(lambda x: tf.reduce_sum(x), tf.ones([3, 2])).numpy()
    array([2., 2., 2.], dtype=float32)
    """
    from tensorflux.ops.creation_ops import zeros
    from tensorflux.ops.joining_ops import concat

    flat, n_static, n = _elements(elems)
    if any(_is_ragged(e) for e in flat):
        raise ValueError("tf.vectorized_map: ragged elems are not supported; use tf.map_fn.")
    if context.state.graph is None and n_static:
        results = [
            nest.map_structure(
                _as_value, fn(nest.pack_sequence_as(elems, [_row(e, i) for e in flat]))
            )
            for i in range(n_static)
        ]
        structure = results[0]
        leaves = [_Leaf(v.dtype, None, False) for v in nest.flatten(structure)]
        flat_rows = [_flat_results(r, structure, leaves, "tf.vectorized_map") for r in results]
        outs = [_stack_rows([r[j] for r in flat_rows], leaf) for j, leaf in enumerate(leaves)]
        return nest.pack_sequence_as(structure, outs)
    # Inside a trace (or for an empty batch), fn on the first element (a row of zeros
    # when there may be none) gives the results' structure, dtypes and shapes; inside a
    # trace that call is the loop's first iteration, so fn runs once per element.
    if context.state.graph is not None:
        _pad_for_tracing(flat, n_static)
    else:
        flat = [
            concat([e, zeros([1] + e.shape.as_list()[1:], e.dtype)], 0) if not n_static else e
            for e in flat
        ]
    first = nest.map_structure(
        _as_value, fn(nest.pack_sequence_as(elems, [_row(e, 0) for e in flat]))
    )
    structure = first
    first_flat = nest.flatten(first)
    leaves = [_Leaf(v.dtype, v.shape, False) for v in first_flat]
    if n_static == 0 or context.state.graph is None:
        outs = [_empty_like_rows(v) for v in first_flat]
        return nest.pack_sequence_as(structure, outs)

    def call(i):
        elem = nest.pack_sequence_as(elems, [_row(e, i) for e in flat])
        return _flat_results(fn(elem), structure, leaves, "tf.vectorized_map")

    _, outs = _traced_loop(
        n, n_static, 1, False, lambda i, s: ([], call(i)), [], leaves, first=first_flat
    )
    outs = [_with_static_rows(o, n_static) for o in outs]
    return nest.pack_sequence_as(structure, outs)
