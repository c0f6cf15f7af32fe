"""``tf.raw_ops``: tensorflux's ops called as TF's raw ops, with TF's keyword arguments
(input and attribute names, defaults) and TF's output structures.

The interfaces come from TF's op definitions (``framework/raw_op_defs.json``, recorded
by ``tests/record_raw_op_defs.py``). An op is offered when tensorflux registers it
under TF's name with TF's attributes; type attributes that TF infers from the inputs
are inferred here too.
"""

from __future__ import annotations

import collections
import functools
import json
import os
from typing import NamedTuple

import numpy as np

from tensorflux.engine.registry import execute, registered_ops
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor

_DEFS_PATH = os.path.join(os.path.dirname(__file__), "framework", "raw_op_defs.json")

# Registered under TF's names with interfaces of their own that no adapter below maps:
# calling them with TF's keywords would be wrong, so they are not offered.
_OWN_ATTRIBUTES = frozenset(
    {
        "ComputeAccidentalHits",  # TF's seed attrs, unused by TF's kernel, are not ours
        # Parsing and serialization ops whose attributes are laid out differently here.
        "DecodeCSV",
        "ParseExampleV2",
        "ParseSequenceExampleV2",
        "SerializeManySparse",
        "SerializeSparse",
        "SerializeTensor",
        "Timestamp",  # a clock reading: no two calls agree
        "EagerPyFunc",  # Python callables, not TF's token strings
        "Eig",
        "If",  # traced branch graphs, not TF's function attrs
        "ImageProjectiveTransformV3",
        "LookupTableExportV2",  # tables are Python objects, not resource handles
        "LookupTableFindV2",
        "LookupTableInsertV2",
        "LookupTableRemoveV2",
        "LookupTableSizeV2",
        "PrintV2",
        "PyFunc",
        "PyFuncStateless",
        "SoftmaxCrossEntropyWithLogits",  # returns the loss only, without TF's backprop
        "StatefulRandomBinomial",  # generator state is a variable, not a resource handle
        "StatefulStandardNormalV2",
        "StatefulTruncatedNormal",
        "StatefulUniform",
        "StatefulUniformFullInt",
        "StatefulUniformInt",
        "StringFormat",  # the template is formatted in Python by the caller
        "StringSplitV2",
        "UnicodeDecodeWithOffsets",
        "While",
        "WriteRawProtoSummary",  # writers are Python objects, not resource handles
        "WriteSummary",
    }
)


class _Adapter(NamedTuple):
    """How TF's keywords map onto a tensorflux op whose interface differs."""

    inputs_as_attrs: dict = {}  # TF input -> (tensorflux attr, "int" | "ints" | "pairs")
    renamed: dict = {}  # TF attr -> tensorflux attr
    dropped: dict = {}  # TF attr -> the only value tensorflux supports (None: any)
    dtype_of: dict = {}  # tensorflux dtype attr -> the TF input whose dtype it is
    fixed: dict = {}  # tensorflux attr -> value
    dtype_names: tuple = ()  # TF type attrs that tensorflux takes by name ("int64")


_N = {"N": None}
_REDUCTION = _Adapter({"reduction_indices": ("axis", "ints")}, {"keep_dims": "keepdims"})
_LAST_AXIS = _Adapter(fixed={"axis": -1})
_SEGMENTS = _Adapter({"num_segments": ("num_segments", "int")})
_BAD_INDICES = _Adapter(dropped={"bad_indices_policy": ""})
_ADAPTERS = {
    **dict.fromkeys(("All", "Any", "Max", "Mean", "Min", "Prod", "Sum"), _REDUCTION),
    **dict.fromkeys(("AddN", "Pack"), _Adapter(dropped=_N)),
    "ArgMax": _Adapter({"dimension": ("axis", "int")}),
    "ArgMin": _Adapter({"dimension": ("axis", "int")}),
    "Cast": _Adapter(renamed={"DstT": "dtype"}, dropped={"Truncate": False}),
    "ConcatV2": _Adapter({"axis": ("axis", "int")}, dropped=_N),
    "Conv2D": _Adapter(dropped={"use_cudnn_on_gpu": None}),
    "Cumprod": _Adapter({"axis": ("axis", "int")}),
    "Cumsum": _Adapter({"axis": ("axis", "int")}),
    "Einsum": _Adapter(dropped=_N),
    "ExpandDims": _Adapter({"dim": ("axis", "int")}),
    "GatherNd": _BAD_INDICES,
    "GatherV2": _Adapter({"axis": ("axis", "int")}),
    "InTopKV2": _Adapter({"k": ("k", "int")}),
    "LogSoftmax": _LAST_AXIS,
    "Lu": _Adapter(dtype_names=("output_idx_type",)),
    "MatMul": _Adapter(dropped={"grad_a": False, "grad_b": False}),
    "Multinomial": _Adapter({"num_samples": ("num_samples", "int")}),
    "OnesLike": _Adapter(dtype_of={"dtype": "x"}),
    "PadV2": _Adapter({"paddings": ("paddings", "pairs")}),
    "RandomGamma": _Adapter(dtype_of={"dtype": "alpha"}),
    "RandomUniformInt": _Adapter(dtype_of={"dtype": "minval"}),
    "Real": _Adapter(dropped={"Tout": None}),
    "Imag": _Adapter(dropped={"Tout": None}),
    "ReduceJoin": _REDUCTION,
    "ReverseV2": _Adapter({"axis": ("axis", "ints")}),
    "ScatterNd": _BAD_INDICES,
    "Softmax": _LAST_AXIS,
    "Split": _Adapter({"split_dim": ("axis", "int")}),
    "Squeeze": _Adapter(renamed={"squeeze_dims": "axis"}),
    "StatelessRandomGammaV3": _Adapter(dtype_of={"dtype": "alpha"}),
    "StatelessRandomUniformIntV2": _Adapter(dtype_of={"dtype": "minval"}),
    "StringJoin": _Adapter(dropped=_N),
    "TensorScatterAdd": _BAD_INDICES,
    "TensorScatterUpdate": _BAD_INDICES,
    "TensorScatterMax": _BAD_INDICES,
    "TensorScatterMin": _BAD_INDICES,
    "TopKV2": _Adapter({"k": ("k", "int")}, dropped={"sorted": True, "index_type": dtypes.int32}),
    "Transpose": _Adapter({"perm": ("perm", "ints")}),
    **dict.fromkeys(
        ("UnsortedSegmentMax", "UnsortedSegmentMin", "UnsortedSegmentProd", "UnsortedSegmentSum"),
        _SEGMENTS,
    ),
    "ZerosLike": _Adapter(dtype_of={"dtype": "x"}),
}
_PLAIN = _Adapter()


@functools.lru_cache(maxsize=1)
def _definitions() -> dict:
    with open(_DEFS_PATH, encoding="utf-8") as f:
        table = json.load(f)
    # Many op modules load on first use of their functions: this registers them all.
    ops = registered_ops()
    return {name: d for name, d in table.items() if name in ops and name not in _OWN_ATTRIBUTES}


def _attr_value(kind: str, value):
    if kind == "type":
        return dtypes.as_dtype(value)
    if kind == "list(type)":
        return [dtypes.as_dtype(v) for v in value]
    return value


def _python_value(value, kind: str):
    """A TF input that tensorflux takes as an attr, as that attr's Python value."""
    array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if kind == "int":
        return int(array)
    if kind == "ints":
        return tuple(int(v) for v in array.reshape(-1))
    return tuple(tuple(int(v) for v in row) for row in array)


def _make(name: str, definition: dict):
    op = registered_ops()[name]
    adapter = _ADAPTERS.get(name, _PLAIN)
    function_name = definition["function"]
    inputs, outputs = definition["inputs"], definition["outputs"]
    inferred = {arg[2] for arg in inputs if arg[2]}
    attrs = definition["attrs"]
    keys = [arg[0] for arg in inputs] + [a[0] for a in attrs if a[0] not in inferred] + ["name"]
    output_type = (
        collections.namedtuple(name, [arg[0] for arg in outputs]) if len(outputs) > 1 else None
    )

    def missing(argument: str):
        return TypeError(f"{function_name}() missing 1 required positional argument: '{argument}'")

    def raw_op(*args, **kwargs):
        if args:
            raise TypeError(
                f"{function_name} only takes keyword args (possible keys: {keys}). Please pass "
                "these args as kwargs instead."
            )
        kwargs.pop("name", None)
        flat, values, given = [], {}, {}
        for arg_name, list_kind, _ in inputs:
            if arg_name not in kwargs:
                raise missing(arg_name)
            value = given[arg_name] = kwargs.pop(arg_name)
            if arg_name in adapter.inputs_as_attrs:
                attr_name, kind = adapter.inputs_as_attrs[arg_name]
                values[attr_name] = _python_value(value, kind)
            elif list_kind is None:
                flat.append(value)
            else:
                value = list(value)
                flat.extend(value)
                if list_kind.startswith("number:"):
                    values[list_kind.split(":", 1)[1]] = len(value)
        for attr_name, kind, *default in attrs:
            if attr_name in kwargs:
                value = _attr_value(kind, kwargs.pop(attr_name))
            elif attr_name in inferred or attr_name in values:
                continue
            elif default:
                value = _attr_value(kind, default[0])
            else:
                raise missing(attr_name)
            if attr_name in adapter.dropped:
                supported = adapter.dropped[attr_name]
                if supported is not None and value != supported:
                    raise ValueError(
                        f"{function_name}: tensorflux supports only {attr_name}={supported!r}, "
                        f"got {value!r}."
                    )
                continue
            if attr_name in adapter.dtype_names:
                value = value.name
            renamed = adapter.renamed.get(attr_name, attr_name)
            values[renamed] = (
                tuple(value) if renamed != attr_name and isinstance(value, list) else value
            )
        if kwargs:
            raise TypeError(
                f"{function_name}() got an unexpected keyword argument '{next(iter(kwargs))}'"
            )
        for attr_name in inferred:
            values.pop(attr_name, None)
        for attr_name in adapter.dropped:
            values.pop(attr_name, None)
        for attr_name, source in adapter.dtype_of.items():
            values[attr_name] = convert_to_tensor(given[source]).dtype
        values.update(adapter.fixed)
        return _structure(execute(op, flat, values), outputs, values, output_type)

    raw_op.__name__ = name
    raw_op.__qualname__ = name
    raw_op.__doc__ = (
        f"TF's raw op {name}: keyword arguments {', '.join(keys[:-1])}; runs tensorflux's "
        f"{name} op."
    )
    return raw_op


def _structure(result, outputs, values, output_type):
    """TF's output structure: one tensor, a list for one list output, else a namedtuple."""
    flat = list(result) if isinstance(result, (tuple, list)) else [result]
    parts = []
    for _, list_kind, _ in outputs:
        if list_kind is None:
            parts.append(flat.pop(0))
            continue
        count = values.get(list_kind.split(":", 1)[1]) if list_kind.startswith("number:") else None
        count = len(flat) if count is None else count
        parts.append(flat[:count])
        flat = flat[count:]
    if output_type is not None:
        return output_type(*parts)
    return parts[0] if parts else None


def __getattr__(name):
    definition = _definitions().get(name)
    if definition is None:
        from tensorflux.framework.tf_names import missing_attribute

        raise AttributeError(
            f"tf.raw_ops.{name}: tensorflux has no op of that name with TF's interface"
        ) from missing_attribute("tf.raw_ops", __name__, name)
    function = _make(name, definition)
    globals()[name] = function
    return function


def __dir__():
    return sorted(set(globals()) | set(_definitions()))
