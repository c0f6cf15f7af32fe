"""Pieces every op family shares: inference rules and undoing broadcasting.

Inference rules here work on partial shapes (``None`` dimensions, unknown rank)
because graphs and Keras symbolic tensors are inferred before any value exists.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.partial_shapes import cannot_grow
from tensorflux.engine.registry import Spec, execute
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor

__all__ = [
    "Spec",
    "conjugated_grad",
    "broadcast_shape",
    "same_as_input",
    "elementwise_binary_infer",
    "comparison_infer",
    "reduced_shape",
    "unbroadcast",
    "broadcast_to_shape",
    "fit_like",
    "static_dims",
    "dim_list",
    "known_shape",
    "runtime_shape",
    "shape_hint",
    "to_tensor",
    "to_matching_tensors",
    "value_dims",
    "merge_dims",
    "normalize_axis",
]


def value_dims(spec: Spec, rank: int) -> list:
    """The dimensions a shape-valued input (``input_sizes``, ``orig_input_shape``) holds as
    far as inference knows them (``Spec.value``): ``rank`` entries, None where unknown."""
    value = spec.value
    if isinstance(value, list) and len(value) == rank:
        return [None if d is None or d < 0 else int(d) for d in value]
    return [None] * rank


def merge_dims(a: list, b: list) -> list:
    """Dimension by dimension, the known one of two compatible partial shapes."""
    return [x if x is not None else y for x, y in zip(a, b)]


def to_tensor(x, dtype=None) -> Tensor:
    """Converts ``x`` for an op, densifying IndexedSlices and reading variables."""
    return convert_to_tensor(x, dtype=dtype)


def to_matching_tensors(values) -> list:
    """Converts the inputs of an op that takes several of one dtype (ConcatV2, Pack,
    SelectV2) as TF's eager ops do: the first tensor among them sets the dtype (else the
    first value, converted on its own), and every other value is converted to it, so a
    Python value that cannot hold it is a ``TypeError`` ("Cannot convert [2.0] to
    EagerTensor of dtype int32") rather than a dtype mismatch between tensors."""
    dtype = next((v._dtype for v in values if isinstance(v, Tensor)), None)
    out = []
    for v in values:
        t = v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype)
        dtype = dtype or t._dtype
        out.append(t)
    return out


def broadcast_shape(a: TensorShape, b: TensorShape, op_name: str = "op") -> TensorShape:
    """NumPy/TF broadcasting of two partial shapes.

    Raises:
        InvalidArgumentError: known dimensions that cannot broadcast.
    """
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise InvalidArgumentError(
                None,
                op_name,
                f"{op_name}: incompatible shapes {tuple(a.as_list())} and "
                f"{tuple(b.as_list())}: dimension {x} cannot broadcast with {y}.",
            )
    return TensorShape(out)


def same_as_input(x: Spec, **attrs) -> Spec:
    """Inference for ops whose output is shaped and typed like input 0."""
    return Spec(x.dtype, x.shape)


def elementwise_binary_infer(x: Spec, y: Spec, **attrs) -> Spec:
    """Inference for broadcasting binary ops whose output has the inputs' dtype."""
    return Spec(x.dtype, broadcast_shape(x.shape, y.shape))


def comparison_infer(x: Spec, y: Spec, **attrs) -> Spec:
    """Inference for broadcasting comparisons: bool output."""
    return Spec(dtypes.bool, broadcast_shape(x.shape, y.shape))


def normalize_axis(axis, rank: int, op_name: str) -> tuple:
    """A reduction's axis argument (None, int, list, tensor) -> sorted tuple of axes in [0, rank).

    Checked as TF's reductions check it, so the composite ops that reduce (moments,
    l2_normalize, clip_by_norm) fail like the reduction they run.

    Raises:
        InvalidArgumentError: an axis outside ``[-rank, rank)`` (any axis of a scalar) or an
            axis named twice (``[1, -1]`` on a matrix).
    """
    if axis is None:
        return tuple(range(rank))
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (int, np.integer)):
        axis = [axis]
    out = []
    for a in axis:
        a = int(a)
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Invalid reduction dimension ({a} for input with {rank} dimension(s) "
                f"[Op:{op_name}]. Use an axis in [{-rank}, {rank}).",
            )
        if a % rank in out:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank} "
                f"[Op:{op_name}]. Name each axis once.",
            )
        out.append(a % rank)
    return tuple(sorted(out))


def reduced_shape(shape: TensorShape, axis, keepdims: bool) -> TensorShape:
    """The partial shape left after reducing ``axis`` (a tuple, or None for all)."""
    if shape.rank is None:
        return TensorShape(None)
    dims = shape.as_list()
    axes = range(len(dims)) if axis is None else [a % max(len(dims), 1) for a in axis]
    if keepdims:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def known_shape(x: Tensor) -> tuple | None:
    """``x``'s shape as a tuple of ints when it holds on every call, else None (a traced
    tensor whose shape is partly unknown; see ``engine.partial_shapes``)."""
    if type(x) is SymbolicTensor and (x._shape is not None or x._dynamic_shape):
        return None
    return x._value.shape


def runtime_shape(x: Tensor):
    """``x``'s shape for an op that needs it: a tuple of ints when known at trace time,
    else an int32 ``tf.shape(x)`` tensor that the graph computes on every call."""
    shape = known_shape(x)
    if shape is not None:
        return shape
    return execute(registry.get("Shape"), (x,), {"out_type": dtypes.int32})


# Tensors are immutable, so the int32 vectors of the shapes programs use are made once.
_SHAPE_TENSORS: dict[tuple, Tensor] = {}


def shape_tensor(dims) -> Tensor:
    """Ints (a shape, multiples) as the int32 vector an op takes them in (int64 when a
    size does not fit int32, as TF accepts; the kernel then reports what cannot be had)."""
    key = tuple(dims)
    t = _SHAPE_TENSORS.get(key)
    if t is None:
        wide = any(abs(d) > 2**31 - 1 for d in key)
        t = Tensor(
            np.array(key, dtype=np.int64 if wide else np.int32),
            dtypes.int64 if wide else dtypes.int32,
        )
        if len(_SHAPE_TENSORS) < 4096:
            _SHAPE_TENSORS[key] = t
    return t


def shape_hint(shape) -> tuple:
    """What is known at trace time of a shape argument (ints, tensors, a shape tensor):
    a tuple of ints with None for the entries only the running graph knows."""
    if type(shape) is SymbolicTensor:
        if shape._value.ndim != 1:
            return ()
        hint = shape._graph.shape_values.get(shape._slot)
        return tuple(hint) if hint is not None else (None,) * len(shape._value)
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    if isinstance(shape, (list, tuple)):
        return tuple(_scalar_hint(d) if isinstance(d, SymbolicTensor) else int(d) for d in shape)
    return tuple(int(d) for d in np.asarray(shape).reshape(-1))


def _scalar_hint(d: SymbolicTensor):
    """A traced scalar's value when tracing knows it (``tf.shape(x)[1]`` of a known
    size), else None."""
    hint = d._graph.shape_values.get(d._slot)
    return hint if isinstance(hint, int) else None


def broadcast_to_shape(x: Tensor, shape) -> Tensor:
    """``x`` broadcast to ``shape``: a tuple of ints, or a shape tensor (what tracing
    knows of its values gives the static shape, see ``Spec.value``)."""
    if isinstance(shape, tuple):
        if np.shape(x._value) == shape and known_shape(x) is not None:
            return x
        shape = shape_tensor(shape)
    return execute(registry.get("BroadcastTo"), (x, shape))


def _fit_like_kernel(t, like):
    target = like.shape
    if t.shape == target:
        return t
    lead = t.ndim - len(target)
    if lead > 0:
        t = np.add.reduce(t, axis=tuple(range(lead)), dtype=t.dtype)
    elif lead < 0:
        t = t.reshape((1,) * -lead + t.shape)
    axes = tuple(i for i, (d, n) in enumerate(zip(t.shape, target)) if n == 1 and d != 1)
    if axes:
        t = np.add.reduce(t, axis=axes, keepdims=True, dtype=t.dtype)
    return np.broadcast_to(t, target)


def _fit_like_infer(t: Spec, like: Spec) -> Spec:
    return Spec(t.dtype, like.shape)


def _fit_like_grad(call, dy):
    """Fitting is its own adjoint: the gradient is fitted back to input 0's shape."""
    return fit_like(dy, call.inputs[0]), None


# Input 0 fitted to the shape input 1 has when the graph runs: summed over its extra
# leading axes and over the axes where input 1 has size 1, broadcast over the others.
# Gradients use it to give a result the shape of an input traced with unknown sizes: as
# the op takes that input itself, not tf.shape of it, the output gets the input's static
# shape (None dims kept) even when input 0's shape is fully known.
_FIT_LIKE = registry.register(
    "FitLike", kernel=_fit_like_kernel, grad=_fit_like_grad, infer=_fit_like_infer
)


def fit_like(t: Tensor, like: Tensor) -> Tensor:
    """``t`` summed or broadcast to the shape ``like`` has when the graph runs (FitLike)."""
    return execute(_FIT_LIKE, (t, like))


def dim_list(x: Tensor, ones=()) -> list:
    """``x``'s dimensions for building a shape argument, with 1 at the axes in ``ones``:
    ints where known on every call, else int32 scalars of ``tf.shape(x)`` computed when
    the graph runs."""
    shape = known_shape(x)
    if shape is not None:
        return [1 if i in ones else d for i, d in enumerate(shape)]
    dims = [1 if i in ones else d for i, d in enumerate(x.shape.as_list())]
    if None in dims:
        shape_t = runtime_shape(x)
        dims = [shape_t[i] if d is None else d for i, d in enumerate(dims)]
    return dims


def static_dims(x: Tensor) -> tuple:
    """``x``'s dimensions as a tuple: ints, and None for those known only when a traced
    graph runs."""
    shape = known_shape(x)
    return shape if shape is not None else tuple(x.shape.as_list())


def unbroadcast(grad: Tensor, like, other: Tensor | None = None) -> Tensor:
    """Sums ``grad`` over the axes along which ``like`` (an op input, or its concrete
    shape) was broadcast, giving it ``like``'s shape. ``other``: the elementwise op's other
    operand, whose static shape may prove that ``like`` was not broadcast at all."""
    if isinstance(like, Tensor):
        shape = known_shape(like)
        if shape is None:
            if other is not None and cannot_grow(static_dims(like), static_dims(other)):
                return grad
            return fit_like(grad, like)
    else:
        shape = like
    gdims = grad.shape.as_list()
    if gdims == list(shape):
        return grad
    lead = len(gdims) - len(shape)
    # An unknown gradient dimension may be 1 on some call: summing over it is harmless.
    axes = tuple(range(lead)) + tuple(
        i + lead for i, d in enumerate(shape) if d == 1 and gdims[i + lead] != 1
    )
    if axes:
        grad = execute(registry.get("Sum"), (grad,), {"axis": axes, "keepdims": False})
    if grad.shape.as_list() != list(shape):
        grad = execute(registry.get("Reshape"), (grad, shape_tensor(shape)))
    return grad


def conjugated_grad(grad):
    """Wraps the gradient ``grad`` of a holomorphic op, written as ``dy * f'(x)``, so that
    complex inputs get TF's convention ``dy * conj(f'(x))``: ``grad`` runs on ``conj(dy)``
    and its results are conjugated. Real inputs use ``grad`` unchanged."""

    def wrapped(call, dy):
        if not call.inputs[0].dtype.is_complex:
            return grad(call, dy)
        conj = registry.get("Conj")
        grads = grad(call, execute(conj, (dy,)))
        return type(grads)(None if g is None else execute(conj, (g,)) for g in grads)

    wrapped.__name__ = grad.__name__
    wrapped.__doc__ = f"{grad.__doc__} For complex inputs, conj(f'(x)) as in TF."
    return wrapped
