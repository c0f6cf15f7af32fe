"""Source datasets: from_tensor_slices, from_tensors, range, zip, from_generator."""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import INFINITE, UNKNOWN, Dataset, as_int
from tensorflux.data.iterator import BlockPull, ElementPull
from tensorflux.framework import dtypes, nest
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.sparse.sparse_rows import SparseRows

__all__: list = []


class _ArrayPull(BlockPull):
    """Serves rows of fixed arrays (all with ``n`` rows) as views, ``n_max`` at a time."""

    def __init__(self, arrays, n: int):
        self._arrays = arrays
        self._n = n
        self._at = 0

    def _produce(self, k: int) -> tuple:
        start = self._at
        if start >= self._n:
            raise StopIteration
        stop = min(start + k, self._n)
        self._at = stop
        return tuple(a[start:stop] for a in self._arrays)


def _row_spec(leaf):
    """The spec of one row of ``leaf``: a row of a ragged tensor has one ragged
    dimension less (a ``ragged_rank`` 0 spec, whose rows are Tensors, as in TF)."""
    if not structure.is_composite(leaf):
        return structure.row_spec(leaf)
    from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

    return RaggedTensorSpec(leaf.shape[1:], leaf.dtype, leaf.ragged_rank - 1, leaf.row_splits_dtype)


def _ragged_rows(rt) -> list:
    """The rows of a ragged tensor: NumPy arrays (ragged_rank 1) or RaggedTensors."""
    if rt.ragged_rank > 1:
        return [rt[i] for i in range(len(rt))]
    splits = rt.row_splits.numpy()
    values = rt.values.numpy()
    return [values[splits[i] : splits[i + 1]] for i in range(len(splits) - 1)]


class TensorSliceDataset(Dataset):
    """``Dataset.from_tensor_slices``: one element per row of the input tensors."""

    _tf_name = "_TensorSliceDataset"

    def __init__(self, tensors):
        if tensors is None or (structure.is_structure(tensors) and not structure.flatten(tensors)):
            raise ValueError("Invalid `element`. `element` should not be empty.")
        value = structure.normalize(tensors)
        leaves = structure.flatten(value)
        n = None
        for leaf in leaves:
            if isinstance(leaf, Dataset):
                raise TypeError(
                    "Dataset.from_tensor_slices does not accept datasets as components."
                )
            if leaf.shape.rank == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            rows = leaf.shape[0]
            if n is not None and rows != n:
                raise ValueError(
                    f"Dimensions {n} and {rows} are not compatible: every "
                    f"component of from_tensor_slices must have the same first "
                    f"dimension (got {[lf.shape[0] for lf in leaves]})."
                )
            n = rows
        spec = (
            nest.map_structure(_row_spec, value)
            if structure.is_structure(value)
            else _row_spec(value)
        )
        super().__init__(spec)
        self._arrays = [
            _ragged_rows(leaf)
            if structure.is_composite(leaf)
            else v
            if isinstance(v, SparseRows)
            else np.asarray(v)
            for leaf, v in zip(leaves, structure.flat_values(leaves))
        ]
        self._n = n

    def _pull(self):
        if any(isinstance(a, list) for a in self._arrays):
            # Rows of ragged components differ in length: served one element at a time.
            return _ListPull(
                tuple(
                    a[i] if isinstance(a, list) or a.dtype != object else structure.string_row(a, i)
                    for a in self._arrays
                )
                for i in range(self._n)
            )
        return _ArrayPull(self._arrays, self._n)

    def _cardinality(self) -> int:
        return self._n


class TensorDataset(Dataset):
    """``Dataset.from_tensors``: the whole input as one element."""

    _tf_name = "_TensorDataset"

    def __init__(self, tensors):
        value = structure.normalize(tensors)
        super().__init__(structure.structure_spec(value))
        self._flat = structure.flat_values(structure.flatten(value))

    def _pull(self):
        if self._block_ok:
            return _ArrayPull([np.asarray(v)[None] for v in self._flat], 1)
        return _ListPull([self._flat])

    def _cardinality(self) -> int:
        return 1


class _ListPull(ElementPull):
    """Serves a list of flat elements."""

    def __init__(self, elements):
        self._it = iter(elements)

    def next(self):
        return next(self._it)


class _RangePull(BlockPull):
    def __init__(self, start, stop, step, np_dtype):
        self._next, self._stop, self._step, self._dtype = start, stop, step, np_dtype

    def _produce(self, k: int) -> tuple:
        start, step = self._next, self._step
        remaining = len(range(start, self._stop, step))
        if remaining == 0:
            raise StopIteration
        k = min(k, remaining)
        self._next = start + k * step
        return (
            np.arange(start, start + k * step, step, dtype=np.int64)[:k].astype(
                self._dtype, copy=False
            ),
        )


class RangeDataset(Dataset):
    """``Dataset.range(start, stop, step, output_type=tf.int64)``."""

    _tf_name = "_RangeDataset"

    def __init__(self, *args, output_type=dtypes.int64, name=None):
        if not 1 <= len(args) <= 3:
            raise ValueError(
                f"Invalid `args`. The length of `args` should be between 1 and 3 "
                f"but was {len(args)}."
            )
        ints = [as_int(a, "range argument") for a in args]
        start, stop, step = ([0] + ints + [1])[:3] if len(ints) == 1 else (ints + [1])[:3]
        if step == 0:
            raise InvalidArgumentError(None, "RangeDataset", "step must be a non-zero integer.")
        self._range = (start, stop, step)
        self._dtype = dtypes.as_dtype(output_type)
        super().__init__(TensorSpec((), self._dtype))

    def _pull(self):
        return _RangePull(*self._range, self._dtype.as_numpy_dtype)

    def _cardinality(self) -> int:
        return len(range(*self._range))


class _ZipPull(ElementPull):
    def __init__(self, pulls):
        self._pulls = pulls

    def next(self):
        out = []
        for p in self._pulls:
            out.extend(p.next())
        return tuple(out)

    def close(self):
        for p in self._pulls:
            p.close()


class ZipDataset(Dataset):
    """``Dataset.zip``: elements of several datasets side by side."""

    _tf_name = "_ZipDataset"

    def __init__(self, datasets):
        if isinstance(datasets, list):
            raise TypeError(
                "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                "`tf.data.Dataset` objects. Python `list` is not supported and you should "
                "use `tuple` instead."
            )
        flat = structure.flatten(datasets)
        for ds in flat:
            if not isinstance(ds, Dataset):
                raise TypeError(
                    f"Invalid input to `zip`. Inputs are expected to be (nested) "
                    f"structures of `tf.data.Dataset` objects but encountered object of "
                    f"type {type(ds)}."
                )
        spec = (
            datasets.element_spec
            if isinstance(datasets, Dataset)
            else structure.pack(datasets, [ds.element_spec for ds in flat])
        )
        super().__init__(spec, flat)
        self._datasets = flat

    def _pull(self):
        return _ZipPull([ds._pull() for ds in self._datasets])

    def _cardinality(self) -> int:
        cards = [ds._cardinality() for ds in self._datasets]
        finite = [c for c in cards if c >= 0]
        if finite:
            return min(finite) if UNKNOWN not in cards or min(finite) == 0 else UNKNOWN
        return UNKNOWN if UNKNOWN in cards else INFINITE


def _signature(output_types, output_shapes, output_signature):
    if output_signature is not None:
        for arg, value in (("output_types", output_types), ("output_shapes", output_shapes)):
            if value is not None:
                raise TypeError(
                    f"The `{arg}` argument can not be used together with the "
                    f"`output_signature` argument."
                )
        from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

        for spec in structure.flatten(output_signature):
            if not isinstance(spec, (TensorSpec, RaggedTensorSpec)):
                raise TypeError(
                    f"`output_signature` must contain objects that are subclass of "
                    f"`tf.TypeSpec` but found {type(spec)} which is not."
                )
        return output_signature
    if output_types is None:
        raise TypeError(
            "To specify the output signature you need to provide either the "
            "`output_signature` argument or the `output_types` argument."
        )
    return _specs_up_to(output_types, output_shapes)


def _specs_up_to(types, shapes):
    """Pairs ``output_types`` leaves with ``output_shapes`` entries (shapes are leaves)."""
    if structure.is_structure(types):
        if isinstance(types, dict):
            return {
                k: _specs_up_to(v, None if shapes is None else shapes[k]) for k, v in types.items()
            }
        return tuple(
            _specs_up_to(t, None if shapes is None else s)
            for t, s in zip(types, shapes if shapes is not None else types)
        )
    return TensorSpec(None if shapes is None else shapes, types)


def _flatten_up_to(template, value) -> list:
    """``value``'s leaves at ``template``'s leaf positions, as tf.data's nest flattens:
    tuples and dicts are structures, a list is one leaf (a tensor value)."""
    if not structure.is_structure(template):
        return [value]
    if isinstance(template, dict):
        if not isinstance(value, dict) or set(value) != set(template):
            raise TypeError("structure mismatch")
        return [leaf for k in sorted(template) for leaf in _flatten_up_to(template[k], value[k])]
    if not isinstance(value, tuple) or len(value) != len(template):
        raise TypeError("structure mismatch")
    return [leaf for t, v in zip(template, value) for leaf in _flatten_up_to(t, v)]


def _generator_error(message):
    return InvalidArgumentError(
        None, "PyFunc", f"TypeError: `generator` yielded an element {message}"
    )


class _GeneratorPull(ElementPull):
    """Checks each yielded element as TF does. TF takes one of two paths: when every
    leaf has a known rank (or the signature is a structure) it flattens the element
    up to the dtypes and converts each leaf with NumPy (so 1.7 becomes int 1);
    a single spec of unknown rank is converted with ``convert_to_tensor`` instead,
    whose failures TF reports as a structure mismatch."""

    def __init__(self, iterator, specs, template):
        self._it = iterator
        self._specs = specs
        self._template = template
        self._by_numpy = structure.is_structure(template) or template.shape.rank is not None

    def next(self):
        value = next(self._it)
        if self._by_numpy:
            try:
                leaves = _flatten_up_to(self._template, value)
            except TypeError:
                types = nest.map_structure(lambda s: s.dtype, self._template)
                raise _generator_error(
                    f"that did not match the expected structure. The expected structure "
                    f"was {types}, but the yielded element was {value}."
                ) from None
            out = [
                _numpy_value(leaf, spec) if isinstance(spec, TensorSpec) else _ragged(leaf, spec)
                for leaf, spec in zip(leaves, self._specs)
            ]
        else:
            out = [_tensor_value(value, self._template)]
        for arr, spec in zip(out, self._specs):
            if not spec.shape.is_compatible_with(arr.shape):
                raise _generator_error(
                    f"of shape {arr.shape} where an element of shape {spec.shape} was expected."
                )
        return tuple(out)


def _ragged(leaf, spec):
    """A yielded RaggedTensor for a RaggedTensorSpec leaf (TF takes no other value)."""
    from tensorflux.ragged.ragged_tensor import RaggedTensor

    if not isinstance(leaf, RaggedTensor) or not spec.is_compatible_with(leaf._type_spec):
        shown = leaf._type_spec if isinstance(leaf, RaggedTensor) else leaf
        raise _generator_error(f"of {shown} where an element of {spec} was expected.")
    return leaf


def _numpy_value(leaf, spec):
    if spec.dtype is dtypes.string:
        return structure.to_tensor(leaf, dtypes.string)._value
    try:
        return np.asarray(leaf, dtype=spec.dtype.as_numpy_dtype)
    except (TypeError, ValueError):
        raise _generator_error(
            f"that could not be converted to the expected type. The expected type was "
            f"{spec.dtype.name}, but the yielded element was {leaf}."
        ) from None


def _tensor_value(leaf, spec):
    try:
        return structure.to_tensor(leaf, spec.dtype)._value
    except (TypeError, ValueError):
        raise _generator_error(
            f"that did not match the expected structure. The expected structure was "
            f"{spec}, but the yielded element was {leaf}."
        ) from None


class GeneratorDataset(Dataset):
    """``Dataset.from_generator``: elements from a Python generator, checked against specs."""

    _tf_name = "_FlatMapDataset"

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        spec = _signature(output_types, output_shapes, output_signature)
        super().__init__(spec)
        self._generator = generator
        self._args = tuple(args) if args is not None else ()

    def _pull(self):
        args = [structure.to_tensor(a).numpy() for a in self._args]
        return _GeneratorPull(iter(self._generator(*args)), self._leaf_specs, self._element_spec)
