"""Element structures of a dataset: nested tuples/dicts of tensors, and their specs.

Inside a pipeline an element travels *flat*: a tuple of NumPy values (arrays, or
NumPy scalars for rank 0; nested datasets for ``window``), one per ``TensorSpec``
leaf of the dataset's ``element_spec``, in ``tf.nest`` order (dict keys sorted).
It is packed back into its structure of ``tf.Tensor`` s only when handed to the
user, so transformations never pay for structure walking.

As in ``tf.data``, tuples, namedtuples and dicts are structures, while Python
lists are values (``[[1, 2], [3, 4]]`` is one tensor); objects with ``__array__``
(pandas DataFrame/Series) are converted through NumPy and keep their dtype.
"""

from __future__ import annotations

import collections.abc

import numpy as np

from tensorflux.framework import nest
from tensorflux.framework.composite_tensor import CompositeTensor
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.sparse.sparse_rows import SparseRows
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, SparseTensorSpec

__all__ = ["DatasetSpec"]


class DatasetSpec:
    """The spec of an element that is itself a dataset (as ``window`` produces)."""

    __slots__ = ("element_spec", "_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self.element_spec = element_spec
        self._shape = TensorShape(dataset_shape)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def __eq__(self, other):
        return (
            isinstance(other, DatasetSpec)
            and other.element_spec == self.element_spec
            and other._shape == self._shape
        )

    def __hash__(self):
        return hash((DatasetSpec, repr(self.element_spec)))

    def __repr__(self):
        return f"DatasetSpec({self.element_spec!r}, {self._shape!r})"


def is_structure(x) -> bool:
    """Tuples, namedtuples and mappings are structures; lists are tensor values."""
    return isinstance(x, (tuple, collections.abc.Mapping))


def to_tensor(value, dtype=None) -> Tensor:
    """Converts one leaf value to a Tensor the way ``tf.data`` does (NumPy keeps dtype)."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        return convert_to_tensor(value, dtype)
    if not isinstance(value, (list, np.ndarray, np.generic)) and hasattr(value, "__array__"):
        value = np.asarray(value)  # pandas: through NumPy, so float64 stays float64
    if isinstance(value, np.ndarray) and value.dtype == object:
        for item in value.reshape(-1):
            if not isinstance(item, (str, bytes)):
                raise ValueError(
                    f"Failed to convert a NumPy array to a Tensor (Unsupported "
                    f"object type {type(item).__name__}): an object array must "
                    f"hold only strings (a pandas DataFrame with mixed column "
                    f"types needs dict(df), one tensor per column)."
                )
    return convert_to_tensor(value, dtype)


def normalize(value):
    """``value`` with every leaf a Tensor (or Dataset) and structures kept."""
    from tensorflux.data.dataset import Dataset

    if isinstance(value, (Dataset, SparseTensor)) or is_composite(value):
        return value
    if isinstance(value, collections.OrderedDict):
        # Kept as TF keeps it: element specs print as OrderedDict([...]).
        return collections.OrderedDict((k, normalize(v)) for k, v in value.items())
    if isinstance(value, collections.abc.Mapping):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, tuple):
        items = [normalize(v) for v in value]
        return type(value)(*items) if hasattr(type(value), "_fields") else tuple(items)
    return to_tensor(value)


def flatten(structure) -> list:
    """The leaves of an element structure (tuples and dicts only; lists are leaves)."""
    if not is_structure(structure):
        return [structure]
    return nest.flatten(structure)


def pack(template, leaves):
    """Builds ``template``'s structure from a flat sequence of leaves."""
    if not is_structure(template):
        return leaves[0]
    return nest.pack_sequence_as(template, leaves)


def spec_of(leaf):
    """The spec of one normalized leaf."""
    from tensorflux.data.dataset import Dataset

    if isinstance(leaf, Dataset):
        return DatasetSpec(leaf.element_spec)
    if isinstance(leaf, SparseTensor):
        return SparseTensorSpec(leaf.shape, leaf.dtype)
    if is_composite(leaf):
        return leaf._type_spec
    return TensorSpec(leaf.shape, leaf.dtype)


def row_spec(leaf):
    """The spec of one row of a normalized leaf (``from_tensor_slices``)."""
    if isinstance(leaf, SparseTensor):
        return SparseTensorSpec(leaf.shape[1:], leaf.dtype)
    return TensorSpec(leaf.shape[1:], leaf.dtype)


def structure_spec(value):
    """The element_spec of a normalized element structure."""
    if not is_structure(value):
        return spec_of(value)
    return nest.map_structure(spec_of, value)


def flat_values(leaves) -> tuple:
    """The flat pipeline values (NumPy values, SparseRows or datasets) of normalized
    leaves."""
    return tuple(
        leaf._value
        if isinstance(leaf, Tensor)
        else SparseRows.from_sparse(leaf)
        if isinstance(leaf, SparseTensor)
        else leaf
        for leaf in leaves
    )


def shape_tuple(spec):
    """``spec``'s shape as a tuple with None for unknown dims (None for unknown rank)."""
    return None if spec.shape.rank is None else tuple(spec.shape.as_list())


def fully_defined(specs) -> bool:
    """Whether every leaf is a tensor with a fully known shape (rows can be stacked)."""
    return all(isinstance(s, TensorSpec) and s.shape.is_fully_defined() for s in specs)


def with_batch_dim(spec, size):
    """``spec`` with a leading batch dimension of ``size`` (None: unknown)."""
    if isinstance(spec, SparseTensorSpec):
        # Batched SparseTensors take the largest size in each dimension: sizes that
        # vary between elements are unknown.
        return SparseTensorSpec([size] + spec.shape.as_list(), spec.dtype)
    if spec.shape.rank is None:
        return TensorSpec(None, spec.dtype)
    return TensorSpec([size] + spec.shape.as_list(), spec.dtype)


def relax(a, b):
    """The most specific spec compatible with both (dims that differ become None)."""
    if a.shape.rank is None or b.shape.rank is None or a.shape.rank != b.shape.rank:
        return TensorSpec(None, a.dtype)
    dims = [x if x == y else None for x, y in zip(a.shape.as_list(), b.shape.as_list())]
    return TensorSpec(dims, a.dtype)


def map_specs(fn, spec):
    """``spec`` with ``fn`` applied to every leaf spec, structure kept."""
    if not is_structure(spec):
        return fn(spec)
    return nest.map_structure(fn, spec)


def function_view(spec):
    """The spec a traced function sees for a leaf: a ``ragged_rank`` 0 RaggedTensorSpec
    (a row of a ragged tensor) holds plain Tensors, so its TensorSpec."""
    if getattr(spec, "ragged_rank", None) == 0:
        return TensorSpec(spec.shape, spec.dtype)
    return spec


def leaf_tensor(value, spec):
    """The user-facing form of one flat pipeline value."""
    if isinstance(value, SparseRows):
        return value.to_sparse()
    if isinstance(spec, TensorSpec) or getattr(spec, "ragged_rank", None) == 0:
        if not isinstance(value, (np.ndarray, np.generic)):
            value = np.asarray(value, dtype=object)  # a bytes row of a string array
        return Tensor(value, spec.dtype)
    return value


def leaf_numpy(value):
    """The ``as_numpy_iterator`` form: NumPy arrays, NumPy scalars, bytes for strings;
    a SparseTensor densified, as TF 2.21 gives it, and a ragged tensor as its
    ``numpy()``."""
    if isinstance(value, SparseRows):
        return value.to_dense_array()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    if is_composite(value):
        return value.numpy()
    return value


def is_composite(x) -> bool:
    """A ragged tensor: a value made of several tensors that travels whole (SparseTensors
    travel as ``SparseRows`` and have paths of their own)."""
    return isinstance(x, CompositeTensor) and not isinstance(x, SparseTensor)


def string_row(arr: np.ndarray, i):
    """Row ``i`` of ``arr``; a 0-d array (never a bare bytes object) for strings."""
    row = arr[i]
    if arr.dtype == object and arr.ndim == 1:
        return np.array(row, dtype=object)
    return row
