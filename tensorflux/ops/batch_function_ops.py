"""``tf.nondifferentiable_batch_function``: a function run on batches of at most
``max_batch_size`` rows (padded up to an allowed size), its outputs cut back to the
caller's rows, as TF's BatchFunction op runs it.

TF also merges concurrent calls from several threads into one batch to raise serving
throughput; here each call forms its own batches, so a function that treats its rows
independently returns exactly TF's values.
"""

from __future__ import annotations

import functools

from tensorflux.framework import nest
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops.array_ops import stop_gradient
from tensorflux.ops.joining_ops import concat

__all__ = ["nondifferentiable_batch_function"]

_OP = "BatchFunction"


def _error(message: str, tensors) -> InvalidArgumentError:
    shapes = "".join(
        f" - in__tensors_{i} has shape {t.shape.as_list()}\n" for i, t in enumerate(tensors)
    )
    return InvalidArgumentError(
        None, _OP, f"{message}\nBelow are the input tensors: \n{shapes} [Op:{_OP}]"
    )


def _padded(rows, allowed):
    """The batch size ``rows`` is padded to: the smallest allowed size that holds it."""
    for size in allowed or ():
        if size >= rows:
            return size
    return rows


def nondifferentiable_batch_function(
    num_batch_threads,
    max_batch_size,
    batch_timeout_micros,
    allowed_batch_sizes=None,
    max_enqueued_batches=10,
    autograph=True,
    enable_large_batch_splitting=True,
):
    """A decorator running the function on batches of its inputs' rows.

    Args:
        num_batch_threads: threads TF batches on (accepted; each call batches itself).
        max_batch_size: the most rows one run of the function gets; longer inputs are
            split into several runs.
        batch_timeout_micros: how long TF waits to fill a batch (accepted).
        allowed_batch_sizes: increasing batch sizes a batch is padded up to (by
            repeating its first row); the function's outputs are cut back.
        max_enqueued_batches, autograph, enable_large_batch_splitting: accepted for TF
            compatibility.

    Returns:
        A decorator. The decorated function takes tensors of rank >= 1 with equal first
        dimensions, and its outputs carry no gradient.

    >>> import tensorflux as tf
    >>> @tf.nondifferentiable_batch_function(1, 2, 100000)
    ... def double(x):
    ...     return x * 2
    >>> double(tf.constant([1.0, 2.0, 3.0])).numpy()
    array([2., 4., 6.], dtype=float32)
    """
    allowed = list(allowed_batch_sizes) if allowed_batch_sizes is not None else None

    def decorator(fn):
        @functools.wraps(fn)
        def batched(*args):
            tensors = [convert_to_tensor(a) for a in args]
            if allowed is not None and any(b <= a for a, b in zip(allowed, allowed[1:])):
                raise InvalidArgumentError(
                    None,
                    _OP,
                    f"allowed_batch_sizes entries must be monotonically increasing [Op:{_OP}]",
                )
            if any(t.shape.rank == 0 for t in tensors):
                raise _error("Batching input tensors must have at least one dimension.", tensors)
            rows = {int(t.shape[0]) for t in tensors}
            if len(rows) > 1:
                raise _error("Batching input tensors must have equal 0th-dimension size.", tensors)
            total = rows.pop() if rows else 0
            pieces = []
            for start in range(0, max(total, 1), max_batch_size):
                count = min(max_batch_size, total - start)
                chunk = [t[start : start + count] for t in tensors]
                size = _padded(count, allowed)
                if size > count:
                    chunk = [concat([c] + [c[:1]] * (size - count), axis=0) for c in chunk]
                outputs = fn(*chunk)
                pieces.append(nest.map_structure(lambda o, n=count: o[:n], outputs))
            if len(pieces) == 1:
                result = pieces[0]
            else:
                result = nest.map_structure(lambda *parts: concat(list(parts), axis=0), *pieces)
            return nest.map_structure(stop_gradient, result)

        return batched

    return decorator
