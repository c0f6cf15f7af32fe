"""``tf.types.experimental``: abstract base classes that tensorflux's functions, specs
and distributed values are instances of, and the ``TensorLike`` annotation."""

from __future__ import annotations

import abc
import inspect
import typing

import numpy as np

from tensorflux.engine.function import ConcreteFunction as _ConcreteFunction
from tensorflux.engine.function import Function as _Function
from tensorflux.framework.composite_tensor import CompositeSpec as _CompositeSpec
from tensorflux.framework.tensor import Tensor as _Tensor
from tensorflux.framework.tensor_spec import TensorSpec as _TensorSpec
from tensorflux.types import distributed  # noqa: F401

__all__ = [
    "AtomicFunction",
    "Callable",
    "ConcreteFunction",
    "FunctionType",
    "GenericFunction",
    "PolymorphicFunction",
    "SupportsTracingProtocol",
    "TensorLike",
    "TraceType",
]


class Callable(abc.ABC):
    """Something that can be called like a TF function (``tf.function`` objects and
    their concrete functions)."""

    @property
    @abc.abstractmethod
    def function_type(self):
        """The signature the function is called with."""


class ConcreteFunction(Callable):
    """A function traced for one input signature into one graph."""


class AtomicFunction(Callable):
    """A single traced graph called as one unit, without Python-level dispatch."""


class PolymorphicFunction(Callable):
    """A function that traces a concrete function per input signature
    (what ``tf.function`` returns)."""


GenericFunction = PolymorphicFunction


class FunctionType(inspect.Signature):
    """The signature of a traced function: its parameters and their traced types."""


class TraceType(abc.ABC):
    """The type that tracing records for a value (``tf.TensorSpec`` and the composite
    specs are trace types)."""

    @abc.abstractmethod
    def is_subtype_of(self, other) -> bool:
        """Whether every value of this type is also of type ``other``."""

    @abc.abstractmethod
    def most_specific_common_supertype(self, others):
        """The narrowest type that this type and each of ``others`` are subtypes of."""


@typing.runtime_checkable
class SupportsTracingProtocol(typing.Protocol):
    """Objects that give their own trace type through ``__tf_tracing_type__``."""

    def __tf_tracing_type__(self, context) -> TraceType: ...


TensorLike = typing.Union[
    _Tensor, int, float, bool, str, bytes, complex, tuple, list, np.ndarray, np.generic
]

ConcreteFunction.register(_ConcreteFunction)
PolymorphicFunction.register(_Function)
TraceType.register(_TensorSpec)
TraceType.register(_CompositeSpec)
