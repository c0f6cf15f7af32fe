"""``tf.type_spec_from_value``: the ``tf.TypeSpec`` describing a value."""

from __future__ import annotations

from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor, op_hooks
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.type_spec import (
    IndexedSlicesSpec,
    NoneTensorSpec,
    TensorArraySpec,
    VariableSpec,
)
from tensorflux.framework.variables import Variable

__all__ = ["type_spec_from_value"]


def _indexed_slices_spec(value: IndexedSlices) -> IndexedSlicesSpec:
    values, indices, dense = value.values, value.indices, value.dense_shape
    indices_shape = indices.shape.merge_with(values.shape[:1])
    shape = TensorShape([None]).concatenate(values.shape[1:])
    dense_dtype = None
    if dense is not None:
        dense_dtype = dense.dtype
        if type(dense) is Tensor:
            shape = shape.merge_with(TensorShape([int(d) for d in dense.numpy()]))
    return IndexedSlicesSpec(shape, values.dtype, indices.dtype, dense_dtype, indices_shape)


def type_spec_from_value(value):
    """The spec that describes ``value``: a ``TensorSpec`` for a tensor or anything
    convertible to one, the value's own spec for a composite value (SparseTensor,
    RaggedTensor, IndexedSlices, TensorArray), ``NoneTensorSpec`` for None.

    Raises:
        TypeError: a value no spec describes (a dict, an arbitrary object).

    >>> import tensorflux as tf
    >>> tf.type_spec_from_value(tf.constant([1.0, 2.0]))
    TensorSpec(shape=(2,), dtype=tf.float32, name=None)
    >>> tf.type_spec_from_value([1, 2])
    TensorSpec(shape=(2,), dtype=tf.int32, name=None)
    """
    if value is None:
        return NoneTensorSpec()
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    if isinstance(value, IndexedSlices):
        return _indexed_slices_spec(value)
    if type(value).__name__ == "TensorArray" and isinstance(value, op_hooks["TensorArray"]):
        return TensorArraySpec(
            value.element_shape, value.dtype, value._dynamic_size, value._infer_shape
        )
    if isinstance(value, Variable):
        return VariableSpec(value.shape, value.dtype, value.trainable)
    spec = getattr(value, "_type_spec", None)
    if spec is not None:
        return spec
    try:
        t = convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}."
        ) from None
    return TensorSpec(t.shape, t.dtype)


op_hooks["type_spec_from_value"] = type_spec_from_value
