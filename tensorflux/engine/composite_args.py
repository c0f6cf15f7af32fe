"""Composite values (``tf.SparseTensor``) as ``tf.function`` passes them: as their
component tensors, traced at relaxed shapes, and their specs in an ``input_signature``."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import nest
from tensorflux.framework.composite_tensor import CompositeSpec, CompositeTensor
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.variables import Variable

__all__ = ["expand_composites", "relax_composites", "signature_leaves"]


def _is_tensor_arg(x) -> bool:
    return isinstance(x, (Tensor, np.ndarray)) and not isinstance(x, Variable)


def expand_composites(leaves: list) -> list:
    """``leaves`` with each composite value (SparseTensor) replaced by its tensors."""
    out = []
    for x in leaves:
        if isinstance(x, CompositeTensor):
            out.extend(x._components())
        else:
            out.append(x)
    return out


def relax_composites(args, kwargs, partial: list) -> list:
    """``partial`` (one shape per flat tensor) with the components of composite values
    relaxed as their type allows (a SparseTensor's number of entries), so that one graph
    serves them all, as TF traces a SparseTensor by its SparseTensorSpec."""
    leaves = nest.flatten((args, kwargs)) if kwargs else nest.flatten(args)
    if not any(isinstance(x, CompositeTensor) for x in leaves):
        return partial
    out, shapes = [], iter(partial)
    for x in leaves:
        if isinstance(x, CompositeTensor):
            for relaxed in x._relaxed_shapes():
                out.append(TensorShape(relaxed))
                next(shapes)
        elif _is_tensor_arg(x):
            out.append(next(shapes))
    return out


def signature_leaves(signature) -> list:
    """The TensorSpec of each tensor an ``input_signature`` takes, composite values'
    components included (at their relaxed shapes)."""
    out = []
    for spec in nest.flatten(signature):
        if isinstance(spec, CompositeSpec):
            for c, relaxed in zip(spec._example()._components(), spec._relaxed_shapes()):
                out.append(TensorSpec(relaxed, c.dtype))
        elif isinstance(spec, TensorSpec):
            out.append(spec)
    return out
