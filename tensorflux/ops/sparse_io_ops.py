"""SparseTensors as strings: SerializeSparse, SerializeManySparse and
DeserializeManySparse (``tf.io.serialize_sparse``, ``serialize_many_sparse``,
``deserialize_many_sparse``).

A serialized SparseTensor is three TensorProto strings (indices, values, dense shape)
written as TF's ``AsProtoTensorContent`` does (string values too go in
``tensor_content``), so the bytes are TF's. tensorflux has no ``tf.variant`` dtype:
``out_type`` is ``tf.string``. None of these ops is differentiable (as in TF).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.proto_wire import Message, ProtoDecodeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_proto import decode_tensor, dtype_from_enum, encode_tensor
from tensorflux.ops.io_decode_ops import string_input
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, as_sparse

__all__ = ["serialize_sparse", "serialize_many_sparse", "deserialize_many_sparse"]

_TF_NAMES = {dtypes.float16: "half", dtypes.float32: "float", dtypes.float64: "double"}


def _tf_name(dtype: dtypes.DType) -> str:
    return _TF_NAMES.get(dtype, dtype.name)


def _triple(indices, values, shape, dtype: dtypes.DType) -> list:
    return [
        encode_tensor(indices, dtypes.int64).bytes(),
        encode_tensor(values, dtype, string_content=True).bytes(),
        encode_tensor(shape, dtypes.int64).bytes(),
    ]


def _strings(items: list, shape) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def _serialize_sparse_kernel(sparse_indices, sparse_values, sparse_shape, T, out_type):
    return _strings(_triple(sparse_indices, sparse_values, sparse_shape, T), (3,))


def _serialize_sparse_infer(indices: Spec, values: Spec, shape: Spec, T, out_type) -> Spec:
    return Spec(dtypes.string, TensorShape([3]))


_SERIALIZE_SPARSE = register(
    "SerializeSparse",
    kernel=_serialize_sparse_kernel,
    grad=None,
    infer=_serialize_sparse_infer,
)


def _serialize_many_sparse_kernel(sparse_indices, sparse_values, sparse_shape, T, out_type):
    indices = np.asarray(sparse_indices, np.int64)
    shape = np.asarray(sparse_shape, np.int64)
    if shape.size < 2:
        raise InvalidArgumentError(
            None,
            "SerializeManySparse",
            f"Rank of input SparseTensor should be > 1, but saw rank: {shape.size}",
        )
    values = np.asarray(sparse_values)
    rows = []
    for b in range(int(shape[0])):
        mine = indices[:, 0] == b
        rows.extend(_triple(indices[mine, 1:], values[mine], shape[1:], T))
    return _strings(rows, (int(shape[0]), 3))


def _serialize_many_sparse_infer(indices: Spec, values: Spec, shape: Spec, T, out_type):
    rows = shape.value[0] if isinstance(shape.value, list) and shape.value else None
    return Spec(dtypes.string, TensorShape([rows, 3]))


_SERIALIZE_MANY_SPARSE = register(
    "SerializeManySparse",
    kernel=_serialize_many_sparse_kernel,
    grad=None,
    infer=_serialize_many_sparse_infer,
    dynamic_shape=True,
)


def _parse_proto(op: str, data) -> tuple:
    try:
        m = Message(bytes(data))
        return dtype_from_enum(m.varint(1)), decode_tensor(m)
    except (ProtoDecodeError, ValueError):
        raise InvalidArgumentError(
            None, op, "Could not parse serialized proto for SparseTensor"
        ) from None


def _deserialize_many_sparse_kernel(serialized_sparse, dtype):
    op = "DeserializeManySparse"
    data = np.asarray(serialized_sparse, dtype=object)
    if data.ndim != 2 or data.shape[1] != 3:
        raise InvalidArgumentError(
            None,
            op,
            f"Serialized sparse should have 3 as the last dimension "
            f"[{','.join(str(d) for d in data.shape)}]",
        )
    if context.state.graph is not None and data.size and not any(data.reshape(-1)):
        # Tracing on example strings: an empty SparseTensor of one dimension.
        shape = np.asarray([data.shape[0], 0], np.int64)
        return np.zeros((0, 2), np.int64), np.zeros(0, dtype.as_numpy_dtype), shape
    parts, rank = [], None
    for i, (idx_raw, val_raw, shape_raw) in enumerate(data):
        _, indices = _parse_proto(op, idx_raw)
        value_type, values = _parse_proto(op, val_raw)
        _, shape = _parse_proto(op, shape_raw)
        if value_type is not dtype:
            raise InvalidArgumentError(
                None,
                op,
                f"Requested SparseTensor of type {_tf_name(dtype)} but SparseTensor[{i}]"
                f".values.dtype() == {_tf_name(value_type)}",
            )
        if rank is not None and shape.size != rank:
            raise InvalidArgumentError(
                None,
                op,
                f"Inconsistent shape across SparseTensors: rank prior to SparseTensor[{i}] "
                f"was: {rank} but rank of SparseTensor[{i}] is: {shape.size}",
            )
        rank = shape.size
        indices = np.asarray(indices, np.int64).reshape(-1, rank)
        batch = np.full((len(indices), 1), i, np.int64)
        parts.append((np.concatenate([batch, indices], 1), values.reshape(-1), shape))
    if not parts:
        return np.zeros((0, 1), np.int64), np.zeros(0, dtype.as_numpy_dtype), np.zeros(1, np.int64)
    shape = np.max(np.stack([p[2] for p in parts]), axis=0)
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]).astype(dtype.as_numpy_dtype),
        np.concatenate([[len(parts)], shape]).astype(np.int64),
    )


def _deserialize_many_sparse_infer(serialized_sparse: Spec, dtype) -> tuple:
    return (
        Spec(dtypes.int64, TensorShape([None, None])),
        Spec(dtype, TensorShape([None])),
        Spec(dtypes.int64, TensorShape([None])),
    )


_DESERIALIZE_MANY_SPARSE = register(
    "DeserializeManySparse",
    kernel=_deserialize_many_sparse_kernel,
    grad=None,
    infer=_deserialize_many_sparse_infer,
    num_outputs=3,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _out_type(op: str, out_type) -> dtypes.DType:
    dtype = dtypes.as_dtype(out_type)
    if dtype is not dtypes.string:
        raise InvalidArgumentError(
            None,
            op,
            f"Value for attr 'out_type' of {_tf_name(dtype)} is not in the list of allowed "
            f"values: string, variant (tensorflux has no variant dtype)",
        )
    return dtype


def _serialize(op, name: str, sp_input, out_type) -> Tensor:
    sp = as_sparse(sp_input, name)
    attrs = {"T": sp.values.dtype, "out_type": _out_type(name, out_type)}
    return execute(op, (sp.indices, sp.values, sp.dense_shape), attrs)


def serialize_sparse(sp_input, out_type=dtypes.string, name=None) -> Tensor:
    """A SparseTensor as 3 strings: its indices, values and dense shape as TensorProtos.

    >>> from tensorflux.ops.sparse.sparse_tensor import SparseTensor
    >>> serialize_sparse(SparseTensor([[1]], [7], [3])).shape
    TensorShape([3])
    """
    return _serialize(_SERIALIZE_SPARSE, "SerializeSparse", sp_input, out_type)


def serialize_many_sparse(sp_input, out_type=dtypes.string, name=None) -> Tensor:
    """Each row (first dimension) of a SparseTensor of rank >= 2 serialized as by
    :func:`serialize_sparse`: a ``[rows, 3]`` string tensor.

    >>> from tensorflux.ops.sparse.sparse_tensor import SparseTensor
    >>> serialize_many_sparse(SparseTensor([[0, 1], [2, 0]], [1, 2], [3, 4])).shape
    TensorShape([3, 3])

    Raises:
        InvalidArgumentError: a SparseTensor of rank 1.
    """
    return _serialize(_SERIALIZE_MANY_SPARSE, "SerializeManySparse", sp_input, out_type)


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None) -> SparseTensor:
    """The SparseTensor of ``[N, 3]`` serialized SparseTensors stacked along a new first
    dimension; its dense shape is the largest of theirs in each dimension.

    >>> from tensorflux.ops.sparse.sparse_tensor import SparseTensor
    >>> from tensorflux.framework import dtypes
    >>> st = SparseTensor([[0, 1], [2, 0]], [1, 2], [3, 4])
    >>> back = deserialize_many_sparse(serialize_many_sparse(st), dtypes.int32)
    >>> back.indices.numpy().tolist(), back.dense_shape.numpy().tolist()
    ([[0, 1], [2, 0]], [3, 4])

    Raises:
        InvalidArgumentError: a last dimension other than 3, values of another dtype, or
            SparseTensors of different ranks.
    """
    data = string_input(serialized_sparse, "DeserializeManySparse")
    indices, values, shape = execute(
        _DESERIALIZE_MANY_SPARSE, (data,), {"dtype": dtypes.as_dtype(dtype)}
    )
    return SparseTensor(indices, values, shape)
