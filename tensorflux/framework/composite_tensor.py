"""Values made of several tensors (``tf.SparseTensor``), as the engine sees them.

``tf.function`` passes such a value in and out of a graph as its component tensors:
it keys a trace on the components' dtypes and shapes plus the value's static key
(what tracing bakes into the graph, such as a SparseTensor's static shape), and
rebuilds the value from the components on the other side.
"""

from __future__ import annotations

import abc

__all__ = ["CompositeTensor"]


class CompositeTensor(abc.ABC):
    """A value that is a fixed tuple of tensors plus static (Python) information."""

    __slots__ = ()

    @abc.abstractmethod
    def _components(self) -> tuple:
        """The tensors this value is made of, in a fixed order."""

    @abc.abstractmethod
    def _static_key(self):
        """Hashable static information a graph traced for this value depends on."""

    @classmethod
    @abc.abstractmethod
    def _from_components(cls, components, static_key):
        """The value made of ``components`` (tensors) and ``static_key``."""

    @property
    @abc.abstractmethod
    def _type_spec(self):
        """The spec that describes this value (``tf.SparseTensorSpec``)."""
