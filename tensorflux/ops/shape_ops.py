"""Shape and layout ops: reshape, expand_dims, squeeze, transpose, broadcast_to,
shape, size, rank, identity, stop_gradient (``tf.*``; ``array_ops`` re-exports them).

Inside a ``tf.function`` traced with partly known shapes, attributes and checks use
static shapes (``None`` for a dimension known only when the graph runs) and sizes the
graph needs come from ``tf.shape`` at run time, so that one graph serves every size.
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops import creation_ops
from tensorflux.ops.common import (
    known_shape,
    runtime_shape,
    same_as_input,
    shape_tensor,
    static_dims,
    to_tensor,
    unbroadcast,
)
from tensorflux.ops.creation_ops import int_list_arg, int_values, shape_arg

__all__ = [
    "reshape",
    "expand_dims",
    "squeeze",
    "transpose",
    "broadcast_to",
    "shape",
    "size",
    "rank",
    "identity",
    "stop_gradient",
]

_INDEX_DTYPES = frozenset({dtypes.int16, dtypes.int32, dtypes.int64})


def _dims_agree(a: tuple, b: tuple) -> bool:
    """Whether two dimension tuples may be equal (None matches any size)."""
    return a == b or (
        len(a) == len(b) and all(d is None or e is None or d == e for d, e in zip(a, b))
    )


# -- Reshape (and expand_dims, squeeze) -------------------------------------


def _reshape_kernel(x, shape):
    try:
        return np.reshape(x, shape.tolist())
    except ValueError:
        # A shape a traced graph computed (eager shapes were checked already).
        raise InvalidArgumentError(
            None,
            "Reshape",
            f"Input to reshape is a tensor with {np.size(x)} values, but the "
            f"requested shape {shape.tolist()} does not fit them [Op:Reshape].",
        ) from None


def _reshape_infer(x: Spec, shape: Spec) -> Spec:
    target = shape.value
    if target is None:
        n = shape.shape.num_elements()
        return Spec(x.dtype, TensorShape(None if n is None else [None] * n))
    dims = [None if d == -1 else d for d in target]
    if -1 in target and None not in target and x.shape.is_fully_defined():
        known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
        dims[target.index(-1)] = x.shape.num_elements() // known if known else 0
    return Spec(x.dtype, TensorShape(dims))


def _reshape_grad(call, dy):
    """Reshape the gradient back to the input's shape; the shape gets none."""
    return _reshape_like(dy, call.inputs[0]), None


def _reshape_like(dy, x):
    shape = known_shape(x)
    return execute(_RESHAPE, (dy, shape_tensor(shape) if shape is not None else runtime_shape(x)))


# TF's inputs: the tensor and the new shape (an int32 vector, so that a shape computed
# when a traced graph runs, ``[tf.shape(x)[0], -1]``, works too).
_RESHAPE = register(
    "Reshape", kernel=_reshape_kernel, grad=_reshape_grad, infer=_reshape_infer, shape_inputs=(1,)
)


def reshape(tensor, shape, name=None) -> Tensor:
    """Gives ``tensor`` a new shape with the same number of elements; one dim may be -1.

    >>> import tensorflux as tf
    >>> tf.reshape(tf.range(6), [2, -1]).shape
    TensorShape([2, 3])

    Raises:
        InvalidArgumentError: a shape whose size differs from the input's.
    """
    x = to_tensor(tensor)
    if creation_ops.is_traced_shape(shape):
        return execute(_RESHAPE, (x, creation_ops.traced_shape_arg(shape)[0]))
    shape = shape_arg(
        shape,
        "Reshape",
        "shape",
        attr="Tshape",
        floats=InvalidArgumentError,
        strings=InvalidArgumentError,
    )
    if shape.count(-1) > 1:
        raise InvalidArgumentError(
            None, "Reshape", f"Reshape: only one input size may be -1, not both {shape}."
        )
    if known_shape(x) is None:
        # The size is known only when the graph runs; the kernel checks it then.
        return execute(_RESHAPE, (x, shape_tensor(shape)))
    size = x._value.size
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if (-1 in shape and (known == 0 or size % known)) or (-1 not in shape and known != size):
        raise InvalidArgumentError(
            None,
            "Reshape",
            f"Input to reshape is a tensor with {size} values, but the requested shape "
            f"{list(shape)} has {known} [Op:Reshape]. The number of elements must match.",
        )
    return execute(_RESHAPE, (x, shape_tensor(shape)))


def _expand_dims_kernel(x, axis):
    # A reshape (a view), cheaper than np.expand_dims's axis normalisation.
    shape = np.shape(x)
    return np.reshape(x, shape[:axis] + (1,) + shape[axis:])


def _expand_dims_infer(x: Spec, axis) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    dims = x.shape.as_list()
    dims.insert(axis, 1)
    return Spec(x.dtype, TensorShape(dims))


def _expand_dims_grad(call, dy):
    """Drop the inserted axis from the gradient."""
    return (execute(_SQUEEZE, (dy,), {"axis": (call.attrs["axis"],)}),)


# ``axis``: where the new dimension goes, in [0, rank].
_EXPAND_DIMS = register(
    "ExpandDims", kernel=_expand_dims_kernel, grad=_expand_dims_grad, infer=_expand_dims_infer
)


def _squeeze_kernel(x, axis):
    for a in axis:
        if x.shape[a] != 1:
            raise _not_squeezable(a, x.shape[a], x.shape)
    return np.squeeze(x, axis)


def _not_squeezable(axis: int, size: int, shape: tuple) -> InvalidArgumentError:
    return InvalidArgumentError(
        None,
        "Squeeze",
        f"Can not squeeze dim[{axis}], expected a dimension of 1, got {size} "
        f"[Op:Squeeze] (input shape {tuple(shape)}).",
    )


def _squeeze_infer(x: Spec, axis) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    return Spec(x.dtype, TensorShape([d for i, d in enumerate(x.shape.as_list()) if i not in axis]))


def _squeeze_grad(call, dy):
    """Reshape the gradient back to the input's shape."""
    return (_reshape_like(dy, call.inputs[0]),)


# ``axis``: the dimensions to drop (in [0, rank)); the kernel checks that they are 1.
_SQUEEZE = register("Squeeze", kernel=_squeeze_kernel, grad=_squeeze_grad, infer=_squeeze_infer)


def expand_dims(input, axis, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Inserts a dimension of size 1 at ``axis`` (negative counts from the end).

    >>> import tensorflux as tf
    >>> tf.expand_dims(tf.zeros([2, 3]), -1).shape
    TensorShape([2, 3, 1])

    Raises:
        InvalidArgumentError: an axis outside ``[-rank - 1, rank]``.
    """
    x = to_tensor(input)
    # As TF: 0.5 fails converting to int32 (TypeError); 0.0 becomes a float tensor,
    # which the op's Tdim attr refuses.
    fraction = isinstance(axis, float) and not axis.is_integer()
    floats = TypeError if fraction else InvalidArgumentError
    dim = int_values(
        axis, "ExpandDims", "axis", attr="Tdim", floats=floats, strings=InvalidArgumentError
    )
    if dim.size != 1:
        # TF takes any single-valued tensor: 0, [0] or [[0]].
        raise InvalidArgumentError(
            None, "ExpandDims", "'dim' must be a tensor with a single value [Op:ExpandDims]"
        )
    axis = int(dim.reshape(-1)[0])
    rank = x._value.ndim
    if not -rank - 1 <= axis <= rank:
        raise InvalidArgumentError(
            None,
            "ExpandDims",
            f"Tried to expand dim index {axis} for tensor with {rank} "
            f"dimensions. [Op:ExpandDims] Use an axis in [{-rank - 1}, {rank}].",
        )
    return execute(_EXPAND_DIMS, (x,), {"axis": axis % (rank + 1)})


def squeeze(input, axis=None, name=None) -> Tensor:  # noqa: A002
    """Removes dimensions of size 1: all of them, or those listed in ``axis``.

    Raises:
        InvalidArgumentError: an axis out of range or whose size is not 1.
    """
    x = to_tensor(input)
    dims = static_dims(x)
    rank = len(dims)
    if isinstance(axis, (list, tuple)) and not axis:
        axis = None  # as TF: an empty list squeezes every size-1 dimension
    if axis is None:
        if None in dims:
            # Which dimensions are 1 (so even the result's rank) depends on the sizes of
            # each call: only a graph specialised to the example's shape can know.
            dims = x._value.shape
        drop = tuple(i for i, d in enumerate(dims) if d == 1)
    else:
        drop = set()
        for a in int_list_arg(axis):
            if not -rank <= a < rank:
                raise InvalidArgumentError(
                    None,
                    "Squeeze",
                    f"Tried to squeeze dim index {a} for tensor with {rank} "
                    f"dimensions. [Op:Squeeze]",
                )
            if dims[a] is not None and dims[a] != 1:
                raise _not_squeezable(a % rank, dims[a], dims)
            drop.add(a % rank)
        drop = tuple(sorted(drop))
    return execute(_SQUEEZE, (x,), {"axis": drop})


# -- Transpose --------------------------------------------------------------


def _transpose_infer(x: Spec, perm) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape([None] * len(perm)))
    dims = x.shape.as_list()
    return Spec(x.dtype, TensorShape([dims[p] for p in perm]))


def _transpose_grad(call, dy):
    """Transpose the gradient by the inverse permutation."""
    return (transpose(dy, np.argsort(call.attrs["perm"]).tolist()),)


_TRANSPOSE = register(
    "Transpose",
    kernel=lambda x, perm: np.transpose(x, perm),
    grad=_transpose_grad,
    infer=_transpose_infer,
)


def transpose(a, perm=None, conjugate=False, name="transpose") -> Tensor:
    """Permutes the dimensions of ``a`` by ``perm`` (default: reversed).

    >>> import tensorflux as tf
    >>> tf.transpose(tf.zeros([2, 3, 4])).shape
    TensorShape([4, 3, 2])

    Args:
        conjugate: also conjugate complex values (``tf.linalg.adjoint`` for matrices).

    Raises:
        InvalidArgumentError: ``perm`` that is not a permutation of ``range(rank)``.
    """
    x = to_tensor(a)
    rank = x._value.ndim
    perm = (
        list(builtins.range(rank))[::-1]
        if perm is None
        else int_list_arg(perm, "Transpose", "perm", attr="Tperm")
    )
    if len(perm) != rank:
        raise InvalidArgumentError(
            None,
            "Transpose",
            f"transpose expects a vector of size {rank}. But input(1) is a "
            f"vector of size {len(perm)} [Op:Transpose] (input shape {x.shape}, perm {perm}). "
            f"Give one entry per dimension.",
        )
    for p in perm:
        if not -rank <= p < rank:
            raise InvalidArgumentError(
                None,
                "Transpose",
                f"{p} is out of range [0 .. {rank}) [Op:Transpose] (perm {perm}).",
            )
    # As TF: a negative entry counts from the end.
    perm = [p % rank for p in perm]
    for i in builtins.range(rank):
        if i not in perm:
            raise InvalidArgumentError(
                None,
                "Transpose",
                f"{i} is missing from {{{','.join(map(str, perm))}}}. [Op:Transpose]",
            )
    out = execute(_TRANSPOSE, (x,), {"perm": tuple(perm)})
    if conjugate and x._dtype.is_complex:
        from tensorflux.ops.unary_math_ops import conj

        out = conj(out)
    return out


# -- BroadcastTo ------------------------------------------------------------


def _broadcast_to_kernel(x, shape):
    try:
        return np.broadcast_to(x, shape.tolist())
    except ValueError:
        # A shape a traced graph computed (eager shapes were checked already).
        raise InvalidArgumentError(
            None,
            "BroadcastTo",
            f"Unable to broadcast tensor of shape {np.shape(x)} to shape "
            f"{tuple(shape.tolist())} [Op:BroadcastTo].",
        ) from None


def _broadcast_to_infer(x: Spec, shape: Spec) -> Spec:
    if shape.value is None:
        n = shape.shape.num_elements()
        return Spec(x.dtype, TensorShape(None if n is None else [None] * n))
    return Spec(x.dtype, TensorShape(list(shape.value)))


def _broadcast_to_grad(call, dy):
    """Sum the gradient over the broadcast axes; the shape gets none."""
    return unbroadcast(dy, call.inputs[0]), None


# TF's inputs: the tensor and the target shape (an int32 vector, so that a shape
# computed when a traced graph runs works too).
_BROADCAST_TO = register(
    "BroadcastTo",
    kernel=_broadcast_to_kernel,
    grad=_broadcast_to_grad,
    infer=_broadcast_to_infer,
    shape_inputs=(1,),
)


def broadcast_to(input, shape, name=None) -> Tensor:  # noqa: A002
    """Broadcasts ``input`` to ``shape`` by NumPy/TF broadcasting rules.

    Raises:
        InvalidArgumentError: shapes that do not broadcast.
    """
    x = to_tensor(input)
    if creation_ops.is_traced_shape(shape):
        return execute(_BROADCAST_TO, (x, creation_ops.traced_shape_arg(shape)[0]))
    shape = shape_arg(
        shape,
        "BroadcastTo",
        "shape",
        attr="Tidx",
        floats=InvalidArgumentError,
        strings=InvalidArgumentError,
    )
    if known_shape(x) is None:
        # Whether it broadcasts is known only when the graph runs; the kernel checks it then.
        return execute(_BROADCAST_TO, (x, shape_tensor(shape)))
    if x._value.shape == shape:
        return x
    try:
        np.broadcast_shapes(x._value.shape, shape)
    except ValueError:
        raise InvalidArgumentError(
            None,
            "BroadcastTo",
            f"Unable to broadcast tensor of shape {x.shape} to shape {shape} [Op:BroadcastTo].",
        ) from None
    return execute(_BROADCAST_TO, (x, shape_tensor(shape)))


# -- Shape, Size, Rank ------------------------------------------------------

_SHAPE = register(
    "Shape",
    kernel=lambda x, out_type: np.array(x.shape, dtype=out_type.as_numpy_dtype),
    grad=None,
    infer=lambda x, out_type: Spec(out_type, TensorShape([x.shape.rank])),
    shape_only=True,
)
_SIZE = register(
    "Size",
    kernel=lambda x, out_type: np.array(x.size, dtype=out_type.as_numpy_dtype),
    grad=None,
    infer=lambda x, out_type: Spec(out_type, TensorShape([])),
    shape_only=True,
)
_RANK = register(
    "Rank",
    kernel=lambda x: np.array(x.ndim, dtype=np.int32),
    grad=None,
    infer=lambda x: Spec(dtypes.int32, TensorShape([])),
    shape_only=True,
)


def _index_type(out_type, op_name: str) -> dtypes.DType:
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.int32, dtypes.int64) and not (
        op_name == "Size" and out_type.is_floating
    ):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'out_type' of "
            f"{out_type.name} is not in the list of allowed values: "
            f"int32, int64 [Op:{op_name}]. Use tf.int32 or tf.int64.",
        )
    return out_type


def shape(input, out_type=dtypes.int32, name=None) -> Tensor:  # noqa: A002
    """The shape of ``input`` as a 1-D int32 (or ``out_type``) tensor (``tf.shape``)."""
    x = to_tensor(input)
    out = execute(_SHAPE, (x,), {"out_type": _index_type(out_type, "Shape")})
    if type(out) is SymbolicTensor:
        # Lets ops that take it as a shape know its static part, as TF's shape inference does.
        out._graph.shape_values[out._slot] = x.shape.as_list()
    return out


def size(input, out_type=dtypes.int32, name=None) -> Tensor:  # noqa: A002
    """The number of elements of ``input`` as a scalar tensor (``tf.size``)."""
    return execute(_SIZE, (to_tensor(input),), {"out_type": _index_type(out_type, "Size")})


def rank(input, name=None) -> Tensor:  # noqa: A002
    """The number of dimensions of ``input`` as a scalar int32 tensor (``tf.rank``)."""
    return execute(_RANK, (to_tensor(input),))


# -- Identity, StopGradient -------------------------------------------------


def _identity_grad(call, dy):
    """Identity passes the gradient through."""
    return (dy,)


_IDENTITY = register("Identity", kernel=lambda x: x, grad=_identity_grad, infer=same_as_input)
_STOP_GRADIENT = register("StopGradient", kernel=lambda x: x, grad=None, infer=same_as_input)


def identity(input, name=None) -> Tensor:  # noqa: A002
    """Returns a tensor with the same value (``tf.identity``)."""
    return execute(_IDENTITY, (to_tensor(input),))


def stop_gradient(input, name=None) -> Tensor:  # noqa: A002
    """The same value, but tapes see no dependence on ``input`` (``tf.stop_gradient``)."""
    return execute(_STOP_GRADIENT, (to_tensor(input),))
