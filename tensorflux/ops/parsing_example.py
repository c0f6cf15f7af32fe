"""``tf.io.parse_example``, ``parse_single_example``, ``parse_sequence_example`` and
``parse_single_sequence_example``: feature specs sorted into the inputs and attrs of
ParseExampleV2 / ParseSequenceExampleV2, and the ops' outputs assembled into dense
tensors, ``tf.SparseTensor`` s (VarLenFeature, SparseFeature) and ``tf.RaggedTensor`` s
(RaggedFeature, its partitions composed with ragged factory ops, so the assembly also
runs inside ``tf.function`` and ``Dataset.map``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import execute
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.io_decode_ops import string_input
from tensorflux.ops.joining_ops import concat, stack
from tensorflux.ops.parsing_config import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    SparseFeature,
    VarLenFeature,
)
from tensorflux.ops.parsing_ops import PARSE_EXAMPLE, PARSE_SEQUENCE_EXAMPLE
from tensorflux.ops.shape_ops import reshape
from tensorflux.ops.sparse.conversion_ops import reorder
from tensorflux.ops.sparse.sparse_tensor import SparseTensor
from tensorflux.ragged.ragged_parsing import assemble_ragged

__all__ = [
    "parse_example",
    "parse_single_example",
    "parse_sequence_example",
    "parse_single_sequence_example",
]

_PARSE_TYPES = (dtypes.float32, dtypes.int64, dtypes.string)
_TF_NAMES = {dtypes.float32: "float"}


def _check_type(attr: str, dtype, op_name: str = "ParseExampleV2") -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _PARSE_TYPES:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr '{attr}' of {_TF_NAMES.get(dtype, dtype.name)} is not in the "
            f"list of allowed values: float, int64, string",
        )
    return dtype


def _default(value, dtype: dtypes.DType, shape) -> np.ndarray:
    """A dense default reshaped to ``shape`` (as TF's Reshape, with its error)."""
    if value is None:
        return np.zeros((0,), dtype.as_numpy_dtype)
    array = to_tensor(value, dtype).numpy()
    array = np.asarray(array, dtype=object if dtype is dtypes.string else None)
    size = int(np.prod(shape))
    if array.size != size:
        raise InvalidArgumentError(
            None,
            "Reshape",
            f"Input to reshape is a tensor with {array.size} values, but the requested shape "
            f"has {size}",
        )
    return array.reshape(shape)


class _Params:
    """The features of one Features map, sorted into the op's sparse, dense and ragged
    keys (TF's order: SparseFeature keys, then VarLenFeature keys, dense and ragged keys
    in the order given)."""

    def __init__(self, features: dict, in_sequence: bool = False):
        self.features = features
        self.sparse: dict = {}
        self.dense: list = []
        self.ragged: dict = {}
        for f in features.values():
            if isinstance(f, SparseFeature):
                index_keys = [f.index_key] if isinstance(f.index_key, str) else f.index_key
                for k in index_keys:
                    self.sparse.setdefault(k, _check_type("sparse_types", dtypes.int64))
                self.sparse.setdefault(f.value_key, _check_type("sparse_types", f.dtype))
        for key, f in features.items():
            if isinstance(f, VarLenFeature):
                self.sparse.setdefault(key, _check_type("sparse_types", f.dtype))
            elif isinstance(f, FixedLenFeature):
                if in_sequence:
                    raise ValueError(f"Unsupported FixedLenFeature {f} for key '{key}'")
                if f.shape is None:
                    raise ValueError(f"Missing shape for feature {key}. Received feature={f}.")
                dtype = _check_type("Tdense", f.dtype)
                shape = list(f.shape)
                self.dense.append((key, dtype, shape, _default(f.default_value, dtype, shape)))
            elif isinstance(f, FixedLenSequenceFeature):
                if f.shape is None:
                    raise ValueError(f"Missing shape for feature {key}. Received feature={f}.")
                dtype = _check_type("Tdense", f.dtype)
                if not in_sequence and not f.allow_missing:
                    raise ValueError(
                        "Unsupported: FixedLenSequenceFeature requires allow_missing to be True."
                    )
                default = np.zeros((0,), dtype.as_numpy_dtype)
                if f.default_value is not None:
                    default = _default(f.default_value, dtype, [])
                self.dense.append((key, dtype, [None, *f.shape], default))
            elif isinstance(f, RaggedFeature):
                self._add_ragged(f.value_key or key, f.dtype, f.row_splits_dtype)
                for p in f.partitions:
                    if not isinstance(p, RaggedFeature.UniformRowLength):
                        self._add_ragged(p.key, dtypes.int64, f.row_splits_dtype)
            elif not isinstance(f, SparseFeature):
                raise ValueError(f"Unsupported {type(f).__name__} {f} for key '{key}'")
        common = set(self.ragged) & set(self.sparse)
        if common:
            raise ValueError(
                f"Ragged and sparse keys must not intersect; ragged_keys: {list(self.ragged)}, "
                f"sparse_keys: {list(self.sparse)}, intersection: {common}"
            )

    def _add_ragged(self, key: str, dtype, splits_dtype) -> None:
        known = self.ragged.setdefault(key, (dtype, splits_dtype))
        if known[1] is not splits_dtype:
            raise ValueError(
                f"Conflicting partition type {known[1]} vs {splits_dtype} for feature {key}."
            )
        if known[0] is not dtype:
            raise ValueError(f"Conflicting type {known[0]} vs {dtype} for feature {key}.")

    def num_outputs(self) -> int:
        return 3 * len(self.sparse) + len(self.dense) + 2 * len(self.ragged)

    def assemble(self, outputs: list, single: bool, outer_splits=None, sequence=False) -> dict:
        """The result dict from the op's outputs for this map."""
        n = len(self.sparse)
        sparse = {
            key: SparseTensor(outputs[i], outputs[n + i], outputs[2 * n + i])
            for i, key in enumerate(self.sparse)
        }
        pos = 3 * n
        dense = {}
        for key, _, shape, _ in self.dense:
            dense[key] = _with_static_shape(outputs[pos], shape, single, sequence)
            pos += 1
        m = len(self.ragged)
        ragged = {
            key: (outputs[pos + i], outputs[pos + m + i], None if outer_splits is None else
                  outer_splits[i])
            for i, key in enumerate(self.ragged)
        }  # fmt: skip
        result = {}
        for key, f in self.features.items():
            if isinstance(f, VarLenFeature):
                result[key] = sparse[key]
            elif isinstance(f, SparseFeature):
                result[key] = _sparse_feature(f, sparse, single)
            elif isinstance(f, (FixedLenFeature, FixedLenSequenceFeature)):
                result[key] = dense[key]
            else:
                result[key] = assemble_ragged(f, key, ragged, single and not sequence)
        return result


def _with_static_shape(t: Tensor, shape: list, single: bool, sequence: bool) -> Tensor:
    """Inside a trace, a dense feature's output given the static shape its spec fixes:
    the parsing op's outputs all count as data-dependent, but a FixedLenFeature's size
    is known (a Reshape to it carries that to ``Dataset.map``'s element_spec)."""
    if context.state.graph is None:
        return t
    dims = ([] if single else [None]) + ([None] if sequence else []) + list(shape)
    if dims.count(None) > 1:
        return t
    return reshape(t, [-1 if d is None else d for d in dims])


def _sparse_feature(f: SparseFeature, sparse: dict, single: bool) -> SparseTensor:
    """The SparseTensor of a SparseFeature: each value at the position its index
    feature(s) give, behind the example's batch position."""
    index_keys = [f.index_key] if isinstance(f.index_key, str) else list(f.index_key)
    sizes = [f.size] if isinstance(f.size, int) else list(f.size)
    values = sparse[f.value_key]
    columns = []
    for k in index_keys:
        n_index, n_values = sparse[k].values.shape[0], values.values.shape[0]
        if n_index is not None and n_values is not None and n_index != n_values:
            raise ValueError(f"Dimensions {n_index} and {n_values} are not compatible")
        columns.append(sparse[k].values)
    if not single:
        columns.insert(0, values.indices[:, 0])
    indices = stack(columns, axis=1)
    size = to_tensor(np.asarray(sizes, np.int64))
    shape = size if single else concat([values.dense_shape[:1], size], 0)
    result = SparseTensor(indices, values.values, shape)
    return result if f.already_sorted else reorder(result)


def _names(names) -> Tensor:
    if names is None:
        return to_tensor(np.zeros((0,), dtype=object), dtypes.string)
    return to_tensor(names, dtypes.string)


def _string_vector(keys) -> Tensor:
    out = np.empty(len(keys), dtype=object)
    out[:] = [k.encode() for k in keys]
    return to_tensor(out, dtypes.string)


def parse_example(serialized, features, example_names=None, name=None) -> dict:
    """Parses serialized ``tf.train.Example`` records into a dict of tensors.

    Args:
        serialized: a string scalar or vector of serialized Examples.
        features: ``{key: FixedLenFeature | FixedLenSequenceFeature | VarLenFeature |
            SparseFeature | RaggedFeature}``.
        example_names: names of the records, used in error messages.

    Returns:
        ``{key: Tensor | SparseTensor | RaggedTensor}``, each with a leading batch
        dimension when ``serialized`` is a vector.

    >>> from tensorflux.framework.example_wire import encode_example_json
    >>> from tensorflux.ops.parsing_config import FixedLenFeature
    >>> from tensorflux.framework import context, dtypes
    >>> record = encode_example_json(
    ...     {"features": {"feature": {"a": {"int64List": {"value": [5, 6]}}}}})
    >>> parse_example([record], {"a": FixedLenFeature([2], dtypes.int64)})["a"].numpy()
    array([[5, 6]])

    Raises:
        ValueError: no features, or a spec TF refuses (no shape, an unsupported type).
        InvalidArgumentError: records that are no Examples, a missing required
            feature, a feature of another type or size than its spec.
    """
    if not features:
        raise ValueError(f"Argument `features` cannot be None or falsy. Got {features}")
    params = _Params(dict(features))
    data = string_input(serialized, "ParseExampleV2")
    single = data.shape.rank == 0
    inputs = [
        data,
        _names(example_names),
        _string_vector(list(params.sparse)),
        _string_vector([d[0] for d in params.dense]),
        _string_vector(list(params.ragged)),
    ] + [to_tensor(d[3], d[1]) for d in params.dense]
    attrs = {
        "Tdense": [d[1] for d in params.dense],
        "num_sparse": len(params.sparse),
        "sparse_types": list(params.sparse.values()),
        "ragged_value_types": [r[0] for r in params.ragged.values()],
        "ragged_split_types": [r[1] for r in params.ragged.values()],
        "dense_shapes": [tuple(d[2]) for d in params.dense],
    }
    outputs = execute(PARSE_EXAMPLE, inputs, attrs)
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs or ())
    return params.assemble(outputs, single)


def parse_single_example(serialized, features, example_names=None, name=None) -> dict:
    """Parses one serialized ``tf.train.Example`` (a string scalar); see
    :func:`parse_example`.

    >>> from tensorflux.framework.example_wire import encode_example_json
    >>> from tensorflux.ops.parsing_config import VarLenFeature
    >>> from tensorflux.framework import context, dtypes
    >>> record = encode_example_json(
    ...     {"features": {"feature": {"s": {"bytesList": {"value": ["eHk="]}}}}})
    >>> parse_single_example(record, {"s": VarLenFeature(dtypes.string)})["s"].values.numpy()
    array([b'xy'], dtype=object)

    Raises:
        ValueError: a ``serialized`` that is not a scalar.
    """
    if features is None:
        raise ValueError("Invalid argument: features cannot be None.")
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    data = string_input(serialized, "ParseExampleV2")
    if data.shape.rank is not None and data.shape.rank != 0:
        raise ValueError("Input serialized must be a scalar")
    return parse_example(data, features, example_names, name)


def _sequence(serialized, context_features, sequence_features, example_names, single: bool):
    if not context_features and not sequence_features:
        raise ValueError(
            "Both context_features and sequence_features are None, but at least one "
            "should have values."
        )
    op = "ParseSequenceExampleV2"
    ctx = _Params(dict(context_features or {}))
    seq = _Params(dict(sequence_features or {}), in_sequence=True)
    data = string_input(serialized, op)
    missing_ok = [
        k
        for k, f in (sequence_features or {}).items()
        if isinstance(f, FixedLenSequenceFeature) and f.allow_missing
    ]
    inputs = [
        data,
        _names(example_names),
        _string_vector(list(ctx.sparse)),
        _string_vector([d[0] for d in ctx.dense]),
        _string_vector(list(ctx.ragged)),
        _string_vector(list(seq.sparse)),
        _string_vector([d[0] for d in seq.dense]),
        _string_vector(list(seq.ragged)),
        _string_vector(missing_ok),
    ] + [to_tensor(d[3], d[1]) for d in ctx.dense]
    attrs = {
        "Ncontext_sparse": len(ctx.sparse),
        "Tcontext_dense": [d[1] for d in ctx.dense],
        "context_sparse_types": list(ctx.sparse.values()),
        "context_ragged_value_types": [r[0] for r in ctx.ragged.values()],
        "context_ragged_split_types": [r[1] for r in ctx.ragged.values()],
        "context_dense_shapes": [tuple(d[2]) for d in ctx.dense],
        "Nfeature_list_sparse": len(seq.sparse),
        "Nfeature_list_dense": len(seq.dense),
        "feature_list_dense_types": [d[1] for d in seq.dense],
        "feature_list_sparse_types": list(seq.sparse.values()),
        "feature_list_ragged_value_types": [r[0] for r in seq.ragged.values()],
        "feature_list_ragged_split_types": [r[1] for r in seq.ragged.values()],
        "feature_list_dense_shapes": [tuple(d[2][1:]) for d in seq.dense],
    }
    outputs = execute(PARSE_SEQUENCE_EXAMPLE, inputs, attrs)
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs or ())
    n_ctx = ctx.num_outputs()
    context = ctx.assemble(outputs[:n_ctx], single)
    rest = outputs[n_ctx:]
    n_sparse, n_dense, n_ragged = len(seq.sparse), len(seq.dense), len(seq.ragged)
    dense_end = 3 * n_sparse + n_dense
    lengths = rest[dense_end : dense_end + n_dense]
    ragged = rest[dense_end + n_dense :]
    seq_outputs = rest[:dense_end] + ragged[:n_ragged] + ragged[2 * n_ragged :]
    outer = None if single else ragged[n_ragged : 2 * n_ragged]
    feature_lists = seq.assemble(seq_outputs, single, outer_splits=outer, sequence=True)
    length_dict = {d[0]: t for d, t in zip(seq.dense, lengths)}
    return context, feature_lists, length_dict


def parse_sequence_example(
    serialized, context_features=None, sequence_features=None, example_names=None, name=None
) -> tuple:
    """Parses a vector of serialized ``tf.train.SequenceExample`` records.

    Args:
        serialized: a string vector.
        context_features: specs of the context features (not FixedLenSequenceFeature).
        sequence_features: specs of the feature lists (FixedLenSequenceFeature,
            VarLenFeature or RaggedFeature).

    Returns:
        ``(context, feature_lists, lengths)``: dicts of tensors; ``lengths`` holds each
        FixedLenSequenceFeature's number of steps per record.

    >>> from tensorflux.ops.parsing_config import FixedLenSequenceFeature
    >>> from tensorflux.framework import context, dtypes
    >>> record = bytes.fromhex("12150a130a0161120e0a051a030a01010a051a030a0102")  # steps [1], [2]
    >>> _, lists, lengths = parse_sequence_example(
    ...     [record], sequence_features={"a": FixedLenSequenceFeature([], dtypes.int64)})
    >>> lists["a"].numpy(), lengths["a"].numpy()
    (array([[1, 2]]), array([2]))

    Raises:
        ValueError: no features at all, or a FixedLenFeature among the sequence features.
        InvalidArgumentError: a missing feature list or a step of the wrong size or type.
    """
    return _sequence(serialized, context_features, sequence_features, example_names, False)


def parse_single_sequence_example(
    serialized, context_features=None, sequence_features=None, example_name=None, name=None
) -> tuple:
    """Parses one serialized ``tf.train.SequenceExample`` (a string scalar); returns
    ``(context, feature_lists)``. See :func:`parse_sequence_example`.

    >>> from tensorflux.ops.parsing_config import FixedLenFeature
    >>> from tensorflux.framework import context, dtypes
    >>> record = bytes.fromhex("0a0c0a0a0a016312051a030a0105")
    >>> context, _ = parse_single_sequence_example(
    ...     record, context_features={"c": FixedLenFeature([], dtypes.int64)})
    >>> int(context["c"])
    5
    """
    data = string_input(serialized, "ParseSequenceExampleV2")
    if data.shape.rank is not None and data.shape.rank != 0:
        raise ValueError("Input serialized must be a scalar")
    context, lists, _ = _sequence(data, context_features, sequence_features, example_name, True)
    return context, lists
