"""IteratorGetNext: ``next(iterator)`` on a ``tf.data`` iterator inside a traced graph.

The op pulls the next element each time the graph runs (it is stateful), as TF's
does, rather than once while tracing. Its ``iterator`` attr is any object with
``_next_flat()`` and ``_peek_flat()`` methods returning the next element's flat NumPy
values, taken or left in place (``StopIteration`` at the end): the iterator itself
when a function captures it, or the argument slot a ``tf.function`` fills with the
iterator of each call.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape

_NAME = "IteratorGetNext"


def _get_next_kernel(*, iterator, output_types, output_shapes):
    if context.state.graph is not None:
        return _example(iterator, output_types, output_shapes)
    try:
        flat = iterator._next_flat()
    except StopIteration:
        raise OutOfRangeError(None, _NAME, "End of sequence") from None
    out = []
    for value, dtype, shape in zip(flat, output_types, output_shapes, strict=True):
        array = np.asarray(value, object if dtype is dtypes.string else dtype.as_numpy_dtype)
        if not shape.is_compatible_with(array.shape):
            raise InvalidArgumentError(
                None,
                _NAME,
                f"The iterator produced an element of shape {list(array.shape)}, but the "
                f"traced graph expects {shape}. [Op:{_NAME}]",
            )
        out.append(array)
    return tuple(out)


def _example(iterator, output_types, output_shapes) -> tuple:
    """While tracing: the element the first run will pull, left in the iterator (or
    zeros of the element's shapes when it is exhausted), so tracing consumes nothing."""
    try:
        return tuple(np.asarray(v) for v in iterator._peek_flat())
    except StopIteration:
        out = []
        for dtype, shape in zip(output_types, output_shapes, strict=True):
            dims = [1 if d is None else d for d in shape.as_list()]
            if dtype is dtypes.string:
                out.append(np.full(dims, b"", object))
            else:
                out.append(np.zeros(dims, dtype.as_numpy_dtype))
        return tuple(out)


def _get_next_infer(*, iterator, output_types, output_shapes):
    return tuple(Spec(t, s) for t, s in zip(output_types, output_shapes, strict=True))


_GET_NEXT = register(
    _NAME,
    kernel=_get_next_kernel,
    grad=None,
    infer=_get_next_infer,
    num_outputs=-1,
    stateful=True,
    dynamic_shape=True,
)


def iterator_get_next(iterator, output_types, output_shapes) -> tuple:
    """The next element's flat tensors, pulled from ``iterator`` each time they are
    computed (see the module docstring for what ``iterator`` is)."""
    return execute(
        _GET_NEXT,
        (),
        {
            "iterator": iterator,
            "output_types": list(output_types),
            "output_shapes": [TensorShape(s) for s in output_shapes],
        },
    )
