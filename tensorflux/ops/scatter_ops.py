"""Indexed reads and writes: ``tf.gather_nd``, ``tf.scatter_nd``,
``tf.tensor_scatter_nd_update/add/sub`` (``slicing_ops`` re-exports them).
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.engine.registry import get as get_op
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops import array_ops
from tensorflux.ops.common import (
    dim_list,
    runtime_shape,
    shape_tensor,
    static_dims,
    to_tensor,
)
from tensorflux.ops.creation_ops import (
    int_list_arg,
    int_scalar_arg,
    is_traced_shape,
    traced_shape_arg,
    zeros_like,
)
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.shape_ops import _INDEX_DTYPES, _dims_agree, reshape

__all__ = [
    "gather_nd",
    "scatter_nd",
    "tensor_scatter_nd_update",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_sub",
]

# -- GatherNd, ScatterNd, TensorScatter* ------------------------------------


def _nd_key(indices: np.ndarray, shape: tuple, op_name: str, what: str) -> tuple:
    """The NumPy index tuple for ``indices[..., k]`` into ``shape``, checked for range."""
    k = indices.shape[-1]
    bounds = np.asarray(shape[:k], dtype=np.int64)
    bad = ((indices < 0) | (indices >= bounds)).any(axis=-1)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        # TF's words: "indices = [5, 0]" for a single index, and GatherNd names its node.
        where = f"[{','.join(map(str, pos))}]" if pos else ""
        node = f", node name: {op_name}" if op_name == "GatherNd" else ""
        raise InvalidArgumentError(
            None,
            op_name,
            f"indices{where} = [{', '.join(map(str, indices[pos]))}] does not index into "
            f"{what}shape [{','.join(map(str, shape))}]{node}",
        )
    return tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_kernel(params, indices):
    if indices.shape[-1] == 0:
        return np.broadcast_to(params, indices.shape[:-1] + params.shape).copy()
    return params[_nd_key(indices, params.shape, "GatherNd", "param ")]


def _gather_nd_infer(params: Spec, indices: Spec) -> Spec:
    if params.shape.rank is None or indices.shape.rank is None or indices.shape[-1] is None:
        return Spec(params.dtype, TensorShape(None))
    i = indices.shape.as_list()
    return Spec(params.dtype, TensorShape(i[:-1] + params.shape.as_list()[i[-1] :]))


def _gather_nd_grad(call, dy):
    """Scatter dy back to the gathered positions (repeats add up); for a ``[n, 1]`` index
    matrix (whole rows), TF's IndexedSlices of those rows instead."""
    params, indices = call.inputs
    i_dims = static_dims(indices)
    if len(i_dims) == 2 and i_dims[-1] == 1:
        dense_shape = execute(get_op("Shape"), (params,), {"out_type": indices._dtype})
        return IndexedSlices(dy, reshape(indices, [-1]), dense_shape), None
    return scatter_nd(indices, dy, runtime_shape(params)), None


_GATHER_ND = register(
    "GatherNd", kernel=_gather_nd_kernel, grad=_gather_nd_grad, infer=_gather_nd_infer
)


def _indices_arg(indices, op_name: str, rank: int) -> Tensor:
    i = to_tensor(indices)
    if i._dtype not in _INDEX_DTYPES:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'Tindices' of {i._dtype.name} is not in the list of "
            f"allowed values: int16, int32, int64 [Op:{op_name}]. Cast the indices to int32.",
        )
    if i._value.ndim == 0 or (i.shape[-1] or 0) > rank:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: indices must have rank >= 1 and an innermost dimension "
            f"<= the rank {rank} of the indexed tensor, got indices of shape {i.shape} "
            f"[Op:{op_name}].",
        )
    return i


def gather_nd(params, indices, batch_dims=0, name=None) -> Tensor:
    """Gathers slices ``params[tuple(indices[..., :])]``: the last dim of ``indices`` holds
    coordinates into the leading dims of ``params`` (``tf.gather_nd``).

    >>> import tensorflux as tf
    >>> tf.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numpy()
    array([2, 3], dtype=int32)

    Raises:
        InvalidArgumentError: non-integer or out-of-range indices.
    """
    p = to_tensor(params)
    b = int_scalar_arg(batch_dims, "GatherNd", "batch_dims")
    i = _indices_arg(indices, "GatherNd", p._value.ndim - b)
    if b and b >= i._value.ndim:
        raise ValueError(
            f"Argument `batch_dims` = {b} must be less than rank(`indices`) = {i._value.ndim}"
        )
    if b:
        # Prepend each element's batch coordinates, turning it into a batch_dims=0 gather.
        batch = static_dims(p)[:b]
        if not _dims_agree(static_dims(i)[:b], batch):
            raise InvalidArgumentError(
                None,
                "GatherNd",
                f"GatherNd: params {p.shape} and indices {i.shape} differ in their {b} batch dims.",
            )
        if type(i) is SymbolicTensor:
            # Traced indices differ from call to call (and so may their shape).
            return execute(_GATHER_ND, (p, _with_batch_coords(i, b)))
        batch = i._value.shape[:b]
        coords = np.moveaxis(np.indices(batch, dtype=i._value.dtype), 0, -1)
        coords = coords.reshape(batch + (1,) * (i._value.ndim - b - 1) + (b,))
        coords = np.broadcast_to(coords, i._value.shape[:-1] + (b,))
        i = Tensor(np.concatenate([coords, i._value], axis=-1), i._dtype)
    return execute(_GATHER_ND, (p, i))


def _with_batch_coords(indices: Tensor, b: int) -> Tensor:
    """``indices`` with the coordinates of its ``b`` leading (batch) dimensions prepended
    to each index, computed by the graph."""
    from tensorflux.ops.creation_ops import range as range_op

    rank = indices._value.ndim
    dims = dim_list(indices)
    coords = []
    for j in builtins.range(b):
        steps = reshape(
            range_op(dims[j], dtype=indices._dtype), [1] * j + [-1] + [1] * (rank - 1 - j)
        )
        coords.append(array_ops.broadcast_to(steps, dims[:-1] + [1]))
    return concat(coords + [indices], -1)


def _check_updates(op_name: str, indices: Tensor, updates: Tensor, shape: tuple) -> None:
    """Raises TF's error for updates not shaped ``indices.shape[:-1] + shape[k:]`` (dims
    known only when a traced graph runs, None in ``shape``, are checked by the kernel)."""
    idims = static_dims(indices)
    if idims[-1] is None:
        return
    expected = idims[:-1] + tuple(shape[idims[-1] :])
    if not _dims_agree(static_dims(updates), expected):
        raise _updates_error(op_name, idims, static_dims(updates), tuple(shape))


def _updates_error(op_name: str, idims, udims, shape) -> InvalidArgumentError:
    """TF's words for updates of the wrong shape: the outer (per-index) dimensions are
    checked against the indices first, then the inner ones against the output."""

    def text(dims):
        return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"

    batch, k = len(idims) - 1, idims[-1]
    outer_ok = len(udims) >= batch and _dims_agree(udims[:batch], idims[:batch])
    if op_name == "ScatterNd":
        message = (
            f"Dimensions [{k},{len(shape)}) of input[shape={text(shape)}] must match "
            f"dimensions [{batch},{len(udims)}) of updates[shape={text(udims)}]"
            if outer_ok
            else f"Dimensions [0,{batch}) of indices[shape={text(idims)}] must match "
            f"dimensions [0,{batch}) of updates[shape={text(udims)}]"
        )
    else:
        message = (
            f"Inner dimensions of output shape must match inner dimensions of updates "
            f"shape. Output: {text(shape)} updates: {text(udims)}"
            if outer_ok
            else f"Outer dimensions of indices and update must match. Indices shape: "
            f"{text(idims)}, updates shape:{text(udims)}"
        )
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _scatter_nd_kernel(indices, updates, shape):
    shape = tuple(shape.tolist())
    # A shape a traced graph computed is checked against the updates now.
    _check_updates_now("ScatterNd", indices, updates, shape)
    out = np.zeros(shape, dtype=updates.dtype)
    np.add.at(out, _nd_key(indices, shape, "ScatterNd", ""), updates)
    return out


def _check_updates_now(op_name: str, indices, updates, shape: tuple) -> None:
    """``_check_updates`` on values, for checks a trace had to leave to the kernel."""
    k = indices.shape[-1]
    if updates.shape != indices.shape[:-1] + shape[k:]:
        raise _updates_error(op_name, indices.shape, updates.shape, tuple(shape))


def _scatter_nd_infer(indices: Spec, updates: Spec, shape: Spec) -> Spec:
    if shape.value is not None:
        return Spec(updates.dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(updates.dtype, TensorShape(None if n is None else [None] * n))


def _scatter_nd_grad(call, dy):
    """Each update receives dy at its position: gather_nd(dy, indices); the shape gets
    none."""
    indices = call.inputs[0]
    return None, gather_nd(dy, indices), None


# TF's inputs: indices, updates and the output's shape (an int32 vector, so that a shape
# computed when a traced graph runs works too).
_SCATTER_ND = register(
    "ScatterNd",
    kernel=_scatter_nd_kernel,
    grad=_scatter_nd_grad,
    infer=_scatter_nd_infer,
    shape_inputs=(2,),
)


def scatter_nd(indices, updates, shape, name=None) -> Tensor:
    """Zeros of ``shape`` with ``updates`` added at ``indices`` (repeats add up).

    >>> import tensorflux as tf
    >>> tf.scatter_nd([[1], [3]], [9.0, 10.0], [5]).numpy()
    array([ 0.,  9.,  0., 10.,  0.], dtype=float32)

    Raises:
        InvalidArgumentError: out-of-range indices or updates of the wrong shape.
    """
    if is_traced_shape(shape):
        # A shape known only when the graph runs (checked by the kernel then).
        shape_t, static = traced_shape_arg(shape)
    else:
        static = tuple(int_list_arg(shape))
        shape_t = shape_tensor(static)
    i, u = _indices_arg(indices, "ScatterNd", len(static)), to_tensor(updates)
    _check_updates("ScatterNd", i, u, static)
    return execute(_SCATTER_ND, (i, u, shape_t))


def _tensor_scatter_update_kernel(tensor, indices, updates):
    _check_updates_now("TensorScatterUpdate", indices, updates, tensor.shape)
    out = tensor.copy()
    out[_nd_key(indices, tensor.shape, "TensorScatterUpdate", "")] = updates
    return out


def _tensor_scatter_update_grad(call, dy):
    """Overwritten positions pass no gradient to the tensor; updates get gather_nd(dy)."""
    _, indices, updates = call.inputs
    return (
        tensor_scatter_nd_update(dy, indices, zeros_like(updates)),
        None,
        gather_nd(dy, indices),
    )


def _tensor_scatter_add_kernel(tensor, indices, updates):
    _check_updates_now("TensorScatterAdd", indices, updates, tensor.shape)
    out = tensor.copy()
    np.add.at(out, _nd_key(indices, tensor.shape, "TensorScatterAdd", ""), updates)
    return out


def _tensor_scatter_add_grad(call, dy):
    """d tensor = dy; d updates = gather_nd(dy, indices)."""
    _, indices, _ = call.inputs
    return dy, None, gather_nd(dy, indices)


def _tensor_scatter_sub_kernel(tensor, indices, updates):
    _check_updates_now("TensorScatterSub", indices, updates, tensor.shape)
    out = tensor.copy()
    np.subtract.at(out, _nd_key(indices, tensor.shape, "TensorScatterSub", ""), updates)
    return out


def _tensor_scatter_sub_grad(call, dy):
    """d tensor = dy; d updates = -gather_nd(dy, indices)."""
    from tensorflux.ops.math_ops import negative

    _, indices, _ = call.inputs
    return dy, None, negative(gather_nd(dy, indices))


def _tensor_scatter_infer(tensor: Spec, indices: Spec, updates: Spec) -> Spec:
    return Spec(tensor.dtype, tensor.shape)


_TENSOR_SCATTER_UPDATE = register(
    "TensorScatterUpdate",
    kernel=_tensor_scatter_update_kernel,
    grad=_tensor_scatter_update_grad,
    infer=_tensor_scatter_infer,
)
_TENSOR_SCATTER_ADD = register(
    "TensorScatterAdd",
    kernel=_tensor_scatter_add_kernel,
    grad=_tensor_scatter_add_grad,
    infer=_tensor_scatter_infer,
)


_TENSOR_SCATTER_SUB = register(
    "TensorScatterSub",
    kernel=_tensor_scatter_sub_kernel,
    grad=_tensor_scatter_sub_grad,
    infer=_tensor_scatter_infer,
)

# The dtypes TF has no kernel of these ops for (TensorScatterUpdate takes every dtype).
_NO_KERNEL = {
    "TensorScatterAdd": (dtypes.bool, dtypes.string),
    "TensorScatterSub": (dtypes.bool, dtypes.string),
    "TensorScatterMax": (dtypes.bool, dtypes.string, dtypes.complex64, dtypes.complex128),
    "TensorScatterMin": (dtypes.bool, dtypes.string, dtypes.complex64, dtypes.complex128),
}


def _tensor_scatter(op, tensor, indices, updates) -> Tensor:
    t = to_tensor(tensor)
    i = _indices_arg(indices, op.name, t._value.ndim)
    if t._dtype in _NO_KERNEL.get(op.name, ()):
        raise NotFoundError(
            None,
            op.name,
            f"Could not find device for node: {{{{node {op.name}}}}} = {op.name}["
            f"T=DT_{t._dtype.name.upper()}, Tindices=DT_{i._dtype.name.upper()}, "
            f'bad_indices_policy=""]\n'
            f"{op.name} has no kernel for {t._dtype.name} tensors [Op:{op.name}]",
        )
    u = updates if isinstance(updates, Tensor) else convert_to_tensor(updates, dtype_hint=t._dtype)
    u = to_tensor(u)
    if u._dtype is not t._dtype:
        raise InvalidArgumentError(
            None,
            op.name,
            f"{op.name}: updates of dtype {u._dtype.name} do not match the "
            f"tensor's dtype {t._dtype.name} [Op:{op.name}]. Cast them with tf.cast.",
        )
    _check_updates(op.name, i, u, static_dims(t))
    return execute(op, (t, i, u))


def tensor_scatter_nd_update(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with the entries at ``indices`` replaced by ``updates``.

    >>> import tensorflux as tf
    >>> tf.tensor_scatter_nd_update([1, 2, 3, 4], [[1], [3]], [9, 10]).numpy()
    array([ 1,  9,  3, 10], dtype=int32)

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.
    """
    return _tensor_scatter(_TENSOR_SCATTER_UPDATE, tensor, indices, updates)


def tensor_scatter_nd_add(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (repeats add up).

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.
    """
    return _tensor_scatter(_TENSOR_SCATTER_ADD, tensor, indices, updates)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices`` (repeats add up).

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.
        NotFoundError: a bool or string tensor (TF has no kernel for them).
    """
    return _tensor_scatter(_TENSOR_SCATTER_SUB, tensor, indices, updates)
