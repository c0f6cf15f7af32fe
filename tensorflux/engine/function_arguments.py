"""How ``tf.function`` sees its arguments: the trace-cache keys (as TF keys traces),
the tensors a call passes to its graph, the iterators it binds to the graph's slots, and
the conversion of arguments to an ``input_signature``."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.composite_args import expand_composites
from tensorflux.framework import dtypes, nest
from tensorflux.framework.composite_tensor import CompositeSpec, CompositeTensor
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.type_spec import TypeSpec
from tensorflux.framework.variables import Variable

__all__ = [
    "conform",
    "conform_structure",
    "example_value",
    "flat_tensors",
    "is_tensor_arg",
    "iterator_arguments",
    "partial_dims",
    "shapeless_key",
    "spec_key",
    "trace_key",
    "traced_argument_spec",
]


def trace_key(x):
    """The part of the trace-cache key for one argument, as TF keys it."""
    t = type(x)
    if t is Tensor:
        return (x._dtype, x._value.shape)
    if t is np.ndarray:
        # Keyed like a tensor of its dtype, so arrays and tensors share traces (as in TF).
        return (dtypes.from_numpy(x.dtype), x.shape)
    if t in (list, tuple):
        return (t, tuple(trace_key(e) for e in x))
    if t is dict:
        return (dict, tuple((k, trace_key(x[k])) for k in sorted(x)))
    if isinstance(x, Variable):
        return ("variable", id(x))
    if isinstance(x, Tensor):
        return (x._dtype, x._value.shape)
    if isinstance(x, CompositeTensor):
        return (t, x._static_key(), tuple(trace_key(c) for c in x._components()))
    if isinstance(x, tuple):
        return (t, tuple(trace_key(e) for e in x))
    if hasattr(x, "_trace_key"):
        return x._trace_key()
    if t in (int, float, bool):
        # By value, as TF keys Python scalars: f(1), f(1.0) and f(True) share a trace.
        return ("scalar", x)
    try:
        hash(x)
    except TypeError:
        return ("id", id(x))
    return (t, x)


def is_tensor_arg(x) -> bool:
    return isinstance(x, (Tensor, np.ndarray)) and not isinstance(x, Variable)


def traced_argument_spec(spec) -> bool:
    """Whether ``spec`` describes values traced as argument slots (tf.data iterators)."""
    value_type = getattr(spec, "value_type", None) if isinstance(spec, TypeSpec) else None
    return getattr(value_type, "_as_traced_argument", None) is not None


def iterator_arguments(args, kwargs) -> list:
    """The iterators among the arguments, in the order tracing met them."""
    return [x for x in nest.flatten((args, kwargs)) if getattr(x, "_as_traced_argument", None)]


def flat_tensors(args, kwargs) -> list:
    if not kwargs:
        for x in args:
            if type(x) is not Tensor:
                break
        else:
            return list(args)
    out = []
    leaves = nest.flatten((args, kwargs)) if kwargs else nest.flatten(args)
    for x in expand_composites(leaves):
        if type(x) is Tensor:
            out.append(x)
        elif isinstance(x, np.ndarray):
            out.append(convert_to_tensor(x))
        elif isinstance(x, Tensor) and not isinstance(x, Variable):
            out.append(x)
    return out


def shapeless_key(x):
    """``trace_key`` with tensors keyed by dtype and rank only: calls that may share a graph
    traced for partly known shapes."""
    if isinstance(x, Tensor) and not isinstance(x, Variable):
        return (x._dtype, x._value.ndim)
    if isinstance(x, np.ndarray):
        return (dtypes.from_numpy(x.dtype), x.ndim)
    if isinstance(x, tuple) or type(x) is list:
        return (type(x), tuple(shapeless_key(e) for e in x))
    if type(x) is dict:
        return (dict, tuple((k, shapeless_key(x[k])) for k in sorted(x)))
    if isinstance(x, CompositeTensor):
        return (type(x), x._static_key(), tuple(shapeless_key(c) for c in x._components()))
    return trace_key(x)


def partial_dims(spec, rank: int) -> tuple:
    """A TensorSpec's dims as a tuple (all unknown, at ``rank``, for an unknown rank)."""
    if spec.shape.rank is None:
        return (None,) * rank
    return tuple(spec.shape.as_list())


def spec_key(x):
    if isinstance(x, TensorSpec):
        return ("spec", x.dtype, tuple(x.shape.as_list()) if x.shape.rank is not None else None)
    if isinstance(x, (list, tuple)):
        return (type(x), tuple(spec_key(e) for e in x))
    if isinstance(x, dict):
        return (dict, tuple((k, spec_key(x[k])) for k in sorted(x)))
    return trace_key(x)


def example_value(spec: TensorSpec):
    """A value to trace a spec-only signature with: fixed-seed noise, ones for unknown dims."""
    shape = tuple(1 if d is None else d for d in spec.shape.as_list())
    np_dtype = spec.dtype.as_numpy_dtype
    if spec.dtype.is_floating or spec.dtype.is_complex:
        return np.random.default_rng(0).uniform(0.5, 1.5, size=shape).astype(np_dtype)
    if spec.dtype is dtypes.string:
        return np.full(shape, b"", dtype=object)
    return np.zeros(shape, dtype=np_dtype)


def conform_structure(value, spec, name, index):
    """``conform`` for a (possibly nested) spec: a TensorSpec takes any convertible value
    (a Python list too); a list, tuple or dict of specs needs the same structure of values."""
    if isinstance(spec, TensorSpec):
        return conform(value, spec, name, index)
    if isinstance(spec, CompositeSpec) or traced_argument_spec(spec):
        if not isinstance(value, spec.value_type) or not spec.is_compatible_with(value):
            raise TypeError(
                f"{name}: argument {index} ({value!r}) is incompatible with its "
                f"input_signature {spec!r}."
            )
        if not isinstance(spec, CompositeSpec):
            return value
        # The signature's static key, so that every value it admits shares one graph.
        return type(value)._from_components(value._components(), spec._static_key())
    if (
        isinstance(spec, (list, tuple))
        and isinstance(value, (list, tuple))
        and len(value) == len(spec)
    ):
        items = [conform_structure(v, s, name, index) for v, s in zip(value, spec)]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(spec, dict) and isinstance(value, dict) and value.keys() == spec.keys():
        return {k: conform_structure(value[k], spec[k], name, index) for k in value}
    if not nest.is_nested(spec):
        return value
    raise TypeError(
        f"{name}: argument {index} ({value!r}) does not have the structure of its "
        f"input_signature {spec!r}."
    )


def conform(value, spec, name, index):
    """Converts an argument to its input_signature spec, or explains the mismatch."""
    if not isinstance(spec, TensorSpec):
        return value
    # TF's words when a tensor does not fit a tf.function's signature.
    binding = (
        f"Binding inputs to tf.function failed due to `Can not cast "
        f"{TensorSpec(value.shape, value.dtype)} to {spec}`. "
        if isinstance(value, Tensor) and not name.startswith("ConcreteFunction")
        else ""
    )
    try:
        t = convert_to_tensor(value, dtype=spec.dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"{binding}{name}: argument {index} ({value!r}) is incompatible with its "
            f"input_signature {spec}: {e}"
        ) from None
    if not spec.shape.is_compatible_with(t.shape):
        # TypeError, as TF's "Binding inputs to tf.function failed".
        if not name.startswith("ConcreteFunction"):
            binding = (
                f"Binding inputs to tf.function failed due to `Can not cast "
                f"{TensorSpec(t.shape, t.dtype)} to {spec}`. "
            )
        raise TypeError(
            f"{binding}{name}: argument {index} has shape {t.shape}, which is "
            f"incompatible with its input_signature {spec}."
        )
    return t
