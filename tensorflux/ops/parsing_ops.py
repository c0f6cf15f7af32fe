"""The Example parsing ops: ParseExampleV2 and ParseSequenceExampleV2, with TF's inputs
(serialized records, names, the keys of each feature kind, dense defaults), attrs and
outputs (sparse indices/values/shapes, dense values, ragged values and row splits).

The kernels decode each record with ``framework.example_wire`` and check every feature
against its spec with TF's messages: a scalar ``serialized`` takes TF's single-example
wording (``Key: a.  ...``), a vector its batch wording (``Name: n, Key: a, Index: i.
...``). Neither op is differentiable (TF registers no gradient). While a function is
traced the kernels see example records (``b""``); a feature that does not fit its spec
is then left out instead of failing, and the traced graph raises on the real records.
The Python API over these ops is ``parsing_example``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.example_wire import (
    BYTES,
    FLOAT,
    INT64,
    decode_example,
    decode_sequence_example,
)
from tensorflux.framework.proto_wire import ProtoDecodeError
from tensorflux.framework.shape import TensorShape

__all__: list = []

KIND_OF = {dtypes.int64: INT64, dtypes.float32: FLOAT, dtypes.string: BYTES}
_TF_TYPE = {INT64: "int64", FLOAT: "float", BYTES: "string"}
_NP_TYPE = {INT64: np.int64, FLOAT: np.float32, BYTES: object}


def _text(v) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _shape_text(shape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _array(values, kind: str, shape) -> np.ndarray:
    if kind == BYTES:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out.reshape(shape)
    return np.asarray(values, dtype=_NP_TYPE[kind]).reshape(shape)


class _Batch:
    """The decoded records of one call and the wording of its errors."""

    def __init__(self, op_name: str, features: list, names, single: bool):
        self.op_name = op_name
        self.features = features
        self.names = [_text(n) for n in np.asarray(names, dtype=object).reshape(-1)]
        self.single = single
        self.lenient = context.state.graph is not None

    def where(self, key: str, index: int) -> str:
        if self.single:
            return f"Key: {key}."
        return f"Name: {self.name(index)}, Key: {key}, Index: {index}."

    def name(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else "<unknown>"

    def fail(self, message: str) -> None:
        """Raises ``message``, except while tracing (the caller then skips the feature)."""
        if not self.lenient:
            raise InvalidArgumentError(None, self.op_name, message)

    def lookup(self, features: dict, key: str, index: int, kind: str, dense: bool):
        """The values of ``key`` in one record, or None when absent (or, while tracing,
        of another kind)."""
        found = features.get(key)
        if found is None or found[0] is None:
            return None
        if found[0] != kind:
            if dense:
                why = f"Data type: {_TF_TYPE[found[0]]} but expected type: {_TF_TYPE[kind]}"
            else:
                why = f"Expected type: {_TF_TYPE[kind]}, Actual type: {_TF_TYPE[found[0]]}"
            self.fail(f"{self.where(key, index)}  Data types don't match. {why}")
            return None
        return found[1]


def _sparse(batch: _Batch, key: str, kind: str) -> tuple:
    indices, values, longest = [], [], 0
    for i, features in enumerate(batch.features):
        found = batch.lookup(features, key, i, kind, dense=False)
        if not found:
            continue
        longest = max(longest, len(found))
        indices.extend([j] if batch.single else [i, j] for j in range(len(found)))
        values.extend(found)
    rank = 1 if batch.single else 2
    shape = [longest] if batch.single else [len(batch.features), longest]
    return (
        np.asarray(indices, np.int64).reshape(-1, rank),
        _array(values, kind, (-1,)),
        np.asarray(shape, np.int64),
    )


def _dense_fixed(batch: _Batch, key: str, kind: str, shape, default: np.ndarray):
    size = int(np.prod(shape))
    rows = []
    for i, features in enumerate(batch.features):
        found = batch.lookup(features, key, i, kind, dense=True)
        if found is None:
            if default.size == 0:
                prefix = "" if batch.single else f"Name: {batch.name(i)}, "
                batch.fail(
                    f"{prefix}Feature: {key} (data type: {_TF_TYPE[kind]}) is required but "
                    f"could not be found."
                )
                found = [b"" if kind == BYTES else 0] * size
            else:
                found = list(default.reshape(-1))
        elif len(found) != size:
            if batch.single:
                batch.fail(
                    f"Key: {key}.  Can't parse serialized Example: Some {kind}_list slice "
                    f"was not parsed."
                )
            else:
                batch.fail(
                    f"{batch.where(key, i)}  Number of {_TF_TYPE[kind]} values != expected.  "
                    f"Values size: {len(found)} but output shape: {_shape_text(shape)}"
                )
            found = [b"" if kind == BYTES else 0] * size
        rows.append(_array(found, kind, shape))
    if batch.single:
        return rows[0]
    return _array([], kind, (0, *shape)) if not rows else np.stack(rows)


def _dense_variable(batch: _Batch, key: str, kind: str, shape, default: np.ndarray):
    """A FixedLenSequenceFeature: items of ``shape[1:]``, padded to the longest."""
    inner = list(shape[1:])
    stride = int(np.prod(inner))
    items = []
    for i, features in enumerate(batch.features):
        found = batch.lookup(features, key, i, kind, dense=True) or []
        if stride and len(found) % stride:
            if batch.single:
                batch.fail(
                    f"Error while parsing feature with key {key}: number of elements should "
                    f"be divisible by {stride}, found {len(found)} instead"
                )
            else:
                batch.fail(
                    f"{batch.where(key, i)}  Number of {_TF_TYPE[kind]} values is not a "
                    f"multiple of stride length. Saw {len(found)} values but output shape "
                    f"is: {_shape_text(shape)}"
                )
            found = []
        items.append(_array(found, kind, (-1, *inner)) if stride else _array([], kind, (0, *inner)))
    longest = max((len(x) for x in items), default=0)
    pad = default.reshape(-1)[0] if default.size else (b"" if kind == BYTES else 0)
    out = np.empty((len(items), longest, *inner), dtype=_NP_TYPE[kind])
    out[...] = pad
    for i, x in enumerate(items):
        out[i, : len(x)] = x
    return out[0] if batch.single else out


def _ragged(batch: _Batch, key: str, kind: str, split_type) -> tuple:
    values, splits = [], [0]
    for i, features in enumerate(batch.features):
        values.extend(batch.lookup(features, key, i, kind, dense=False) or [])
        splits.append(len(values))
    return _array(values, kind, (-1,)), np.asarray(splits, split_type.as_numpy_dtype)


def _decode_all(op_name: str, serialized, decode, what: str) -> tuple:
    data = np.asarray(serialized, dtype=object)
    if data.ndim > 1:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Expected serialized to be a scalar or vector, got shape: {_shape_text(data.shape)}",
        )
    records = []
    lenient = context.state.graph is not None
    for record in data.reshape(-1):
        try:
            records.append(decode(record))
        except ProtoDecodeError:
            if not lenient:
                text = bytes(record).decode("latin-1")
                raise InvalidArgumentError(
                    None, op_name, f"Could not parse {what} input, value: '{text}'"
                ) from None
            records.append(None)
    return records, data.ndim == 0


def _keys(keys) -> list:
    return [_text(k) for k in np.asarray(keys, dtype=object).reshape(-1)]


def _features_outputs(batch: _Batch, sparse, dense, ragged) -> list:
    """The outputs for one Features map per record: sparse (indices, values, shapes),
    dense values, ragged values, ragged splits, in TF's output order."""
    sparse_parts = [_sparse(batch, key, KIND_OF[t]) for key, t in sparse]
    dense_out = []
    for key, t, shape, default in dense:
        fn = _dense_variable if shape and shape[0] is None else _dense_fixed
        dense_out.append(fn(batch, key, KIND_OF[t], shape, np.asarray(default)))
    ragged_parts = [_ragged(batch, key, KIND_OF[t], s) for key, t, s in ragged]
    return (
        [p[0] for p in sparse_parts]
        + [p[1] for p in sparse_parts]
        + [p[2] for p in sparse_parts]
        + dense_out
        + [p[0] for p in ragged_parts]
        + [p[1] for p in ragged_parts]
    )


# -- ParseExampleV2 ---------------------------------------------------------------------


def _parse_example_kernel(
    serialized,
    names,
    sparse_keys,
    dense_keys,
    ragged_keys,
    *dense_defaults,
    Tdense,
    num_sparse,
    sparse_types,
    ragged_value_types,
    ragged_split_types,
    dense_shapes,
):
    records, single = _decode_all("ParseExampleV2", serialized, decode_example, "example")
    features = [{} if r is None else r for r in records]
    batch = _Batch("ParseExampleV2", features, names, single)
    return tuple(
        _features_outputs(
            batch,
            list(zip(_keys(sparse_keys), sparse_types)),
            list(zip(_keys(dense_keys), Tdense, dense_shapes, dense_defaults)),
            list(zip(_keys(ragged_keys), ragged_value_types, ragged_split_types)),
        )
    )


def _features_specs(batch_shape: TensorShape, sparse_types, dense, ragged) -> list:
    """Output specs for a Features map; ``batch_shape`` is ``[]`` or ``[B]``."""
    rank = None if batch_shape.rank is None else batch_shape.rank + 1
    specs = [Spec(dtypes.int64, TensorShape([None, rank])) for _ in sparse_types]
    specs += [Spec(t, TensorShape([None])) for t in sparse_types]
    specs += [Spec(dtypes.int64, TensorShape([rank])) for _ in sparse_types]
    for t, shape in dense:
        dims = batch_shape.as_list() + list(shape) if batch_shape.rank is not None else None
        specs.append(Spec(t, TensorShape(dims)))
    specs += [Spec(t, TensorShape([None])) for t, _ in ragged]
    nrows = batch_shape.num_elements() if batch_shape.rank is not None else None
    specs += [Spec(s, TensorShape([None if nrows is None else nrows + 1])) for _, s in ragged]
    return specs


def _parse_example_infer(
    serialized: Spec,
    names: Spec,
    sparse_keys: Spec,
    dense_keys: Spec,
    ragged_keys: Spec,
    *dense_defaults: Spec,
    Tdense,
    num_sparse,
    sparse_types,
    ragged_value_types,
    ragged_split_types,
    dense_shapes,
) -> tuple:
    return tuple(
        _features_specs(
            serialized.shape,
            sparse_types,
            list(zip(Tdense, dense_shapes)),
            list(zip(ragged_value_types, ragged_split_types)),
        )
    )


PARSE_EXAMPLE = register(
    "ParseExampleV2",
    kernel=_parse_example_kernel,
    grad=None,
    infer=_parse_example_infer,
    num_outputs=-1,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


# -- ParseSequenceExampleV2 -------------------------------------------------------------


def _list_sparse(batch: _Batch, key: str, kind: str) -> tuple:
    indices, values, steps, longest = [], [], 0, 0
    for b, lists in enumerate(batch.features):
        for t, step in enumerate(lists.get(key, ())):
            found = _step_values(batch, key, t, step, kind)
            steps, longest = max(steps, t + 1), max(longest, len(found))
            indices.extend([t, j] if batch.single else [b, t, j] for j in range(len(found)))
            values.extend(found)
        steps = max(steps, len(lists.get(key, ())))
    rank = 2 if batch.single else 3
    shape = [steps, longest] if batch.single else [len(batch.features), steps, longest]
    return (
        np.asarray(indices, np.int64).reshape(-1, rank),
        _array(values, kind, (-1,)),
        np.asarray(shape, np.int64),
    )


def _step_values(batch: _Batch, key: str, step: int, feature: tuple, kind: str) -> list:
    if feature[0] is None:
        return []
    if feature[0] != kind:
        batch.fail(
            f"Name: {batch.name(0) if batch.single else '<unknown>'}, Feature list: {key}, "
            f"Index: {step}.  Data types don't match. Expected type: {_TF_TYPE[kind]}"
        )
        return []
    return feature[1]


def _list_dense(batch: _Batch, key: str, kind: str, shape, assumed_empty: bool) -> tuple:
    size = int(np.prod(shape))
    items = []
    for b, lists in enumerate(batch.features):
        steps = lists.get(key)
        if steps is None:
            if not assumed_empty:
                batch.fail(
                    f"Name: {batch.name(b)}, Feature list '{key}' is required but could not "
                    f"be found.  Did you mean to include it in "
                    f"feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?"
                )
            steps = []
        rows = []
        for t, step in enumerate(steps):
            found = _step_values(batch, key, t, step, kind)
            if len(found) != size:
                batch.fail(
                    f"Name: {batch.name(b)}, Key: {key}, Index: {t}.  Number of values != "
                    f"expected.  values size: {len(found)} but output shape: "
                    f"{_shape_text(shape)}"
                )
                found = [b"" if kind == BYTES else 0] * size
            rows.append(_array(found, kind, shape))
        items.append(rows)
    longest = max((len(r) for r in items), default=0)
    out = np.zeros((len(items), longest, *shape), dtype=_NP_TYPE[kind])
    if kind == BYTES:
        out[...] = b""
    for b, rows in enumerate(items):
        if rows:
            out[b, : len(rows)] = np.stack(rows)
    lengths = np.asarray([len(r) for r in items], np.int64)
    return (out[0] if batch.single else out), (lengths[0] if batch.single else lengths)


def _list_ragged(batch: _Batch, key: str, kind: str, split_type) -> tuple:
    values, inner, outer = [], [0], [0]
    for lists in batch.features:
        for t, step in enumerate(lists.get(key, ())):
            values.extend(_step_values(batch, key, t, step, kind))
            inner.append(len(values))
        outer.append(len(inner) - 1)
    np_split = split_type.as_numpy_dtype
    return _array(values, kind, (-1,)), np.asarray(outer, np_split), np.asarray(inner, np_split)


def _parse_sequence_example_kernel(
    serialized,
    debug_name,
    context_sparse_keys,
    context_dense_keys,
    context_ragged_keys,
    feature_list_sparse_keys,
    feature_list_dense_keys,
    feature_list_ragged_keys,
    feature_list_dense_missing_assumed_empty,
    *context_dense_defaults,
    Ncontext_sparse,
    Tcontext_dense,
    context_sparse_types,
    context_ragged_value_types,
    context_ragged_split_types,
    context_dense_shapes,
    Nfeature_list_sparse,
    Nfeature_list_dense,
    feature_list_dense_types,
    feature_list_sparse_types,
    feature_list_ragged_value_types,
    feature_list_ragged_split_types,
    feature_list_dense_shapes,
):
    op = "ParseSequenceExampleV2"
    records, single = _decode_all(op, serialized, decode_sequence_example, "SequenceExample")
    records = [({}, {}) if r is None else r for r in records]
    ctx = _Batch(op, [r[0] for r in records], debug_name, single)
    outputs = _context_outputs(
        ctx,
        list(zip(_keys(context_sparse_keys), context_sparse_types)),
        list(zip(_keys(context_dense_keys), Tcontext_dense, context_dense_shapes)),
        context_dense_defaults,
        list(zip(_keys(context_ragged_keys), context_ragged_value_types)),
        context_ragged_split_types,
    )
    lists = _Batch(op, [r[1] for r in records], debug_name, single)
    sparse = [
        _list_sparse(lists, key, KIND_OF[t])
        for key, t in zip(_keys(feature_list_sparse_keys), feature_list_sparse_types)
    ]
    empty_ok = set(_keys(feature_list_dense_missing_assumed_empty))
    dense = [
        _list_dense(lists, key, KIND_OF[t], list(shape), key in empty_ok)
        for key, t, shape in zip(
            _keys(feature_list_dense_keys), feature_list_dense_types, feature_list_dense_shapes
        )
    ]
    ragged = [
        _list_ragged(lists, key, KIND_OF[t], s)
        for key, t, s in zip(
            _keys(feature_list_ragged_keys),
            feature_list_ragged_value_types,
            feature_list_ragged_split_types,
        )
    ]
    outputs += [p[0] for p in sparse] + [p[1] for p in sparse] + [p[2] for p in sparse]
    outputs += [d[0] for d in dense] + [d[1] for d in dense]
    outputs += [r[0] for r in ragged] + [r[1] for r in ragged] + [r[2] for r in ragged]
    return tuple(outputs)


def _context_outputs(batch: _Batch, sparse, dense, defaults, ragged, split_types) -> list:
    if batch.single:
        # TF parses a single SequenceExample's context as a batch of one; a missing
        # required feature is then reported by the batch's size check.
        for key, _dtype, _shape in dense:
            found = batch.features[0].get(key)
            default = defaults[[k for k, _, _ in dense].index(key)]
            if (found is None or found[0] is None) and np.asarray(default).size == 0:
                batch.fail(
                    f"Inconsistent max number of elements for feature {key}: expected 1, "
                    f"but found 0"
                )
    return _features_outputs(
        batch,
        sparse,
        [(k, t, list(s), d) for (k, t, s), d in zip(dense, defaults)],
        [(k, t, s) for (k, t), s in zip(ragged, split_types)],
    )


def _parse_sequence_example_infer(
    serialized: Spec,
    debug_name: Spec,
    *inputs: Spec,
    Ncontext_sparse,
    Tcontext_dense,
    context_sparse_types,
    context_ragged_value_types,
    context_ragged_split_types,
    context_dense_shapes,
    Nfeature_list_sparse,
    Nfeature_list_dense,
    feature_list_dense_types,
    feature_list_sparse_types,
    feature_list_ragged_value_types,
    feature_list_ragged_split_types,
    feature_list_dense_shapes,
) -> tuple:
    batch = serialized.shape
    specs = _features_specs(
        batch,
        context_sparse_types,
        list(zip(Tcontext_dense, context_dense_shapes)),
        list(zip(context_ragged_value_types, context_ragged_split_types)),
    )
    known = batch.rank is not None
    rank = batch.rank + 2 if known else None
    specs += [Spec(dtypes.int64, TensorShape([None, rank])) for _ in feature_list_sparse_types]
    specs += [Spec(t, TensorShape([None])) for t in feature_list_sparse_types]
    specs += [Spec(dtypes.int64, TensorShape([rank])) for _ in feature_list_sparse_types]
    for t, shape in zip(feature_list_dense_types, feature_list_dense_shapes):
        dims = batch.as_list() + [None] + list(shape) if known else None
        specs.append(Spec(t, TensorShape(dims)))
    specs += [Spec(dtypes.int64, batch) for _ in feature_list_dense_types]
    specs += [Spec(t, TensorShape([None])) for t in feature_list_ragged_value_types]
    specs += [Spec(s, TensorShape([None])) for s in feature_list_ragged_split_types]
    specs += [Spec(s, TensorShape([None])) for s in feature_list_ragged_split_types]
    return tuple(specs)


PARSE_SEQUENCE_EXAMPLE = register(
    "ParseSequenceExampleV2",
    kernel=_parse_sequence_example_kernel,
    grad=None,
    infer=_parse_sequence_example_infer,
    num_outputs=-1,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)
