"""Values made of several tensors (``tf.SparseTensor``), as the engine sees them.

``tf.function`` passes such a value in and out of a graph as its component tensors:
it keys a trace on the components' dtypes and shapes plus the value's static key
(what tracing bakes into the graph, such as a SparseTensor's static shape), and
rebuilds the value from the components on the other side.
"""

from __future__ import annotations

import functools

from tensorflux.framework.type_spec import TypeSpec

__all__ = ["CompositeTensor", "CompositeSpec", "dispatch_to_values"]


class CompositeTensor:
    """A value that is a fixed tuple of tensors plus static (Python) information.

    Subclasses define every method below. (A plain base class, not an ABC: eager
    dispatch tests ``isinstance`` against it on every call of ``tf.abs`` and the like.)"""

    __slots__ = ()

    def _components(self) -> tuple:
        """The tensors this value is made of, in a fixed order."""
        raise NotImplementedError(f"{type(self).__name__} does not define _components.")

    def _static_key(self):
        """Hashable static information a graph traced for this value depends on."""
        raise NotImplementedError(f"{type(self).__name__} does not define _static_key.")

    def _relaxed_shapes(self) -> tuple:
        """Per component, the shape a trace keeps (None where any size may come)."""
        raise NotImplementedError(f"{type(self).__name__} does not define _relaxed_shapes.")

    @classmethod
    def _from_components(cls, components, static_key):
        """The value made of ``components`` (tensors) and ``static_key``."""
        raise NotImplementedError(f"{cls.__name__} does not define _from_components.")

    @property
    def _type_spec(self):
        """The spec that describes this value (``tf.SparseTensorSpec``)."""
        raise NotImplementedError(f"{type(self).__name__} does not define _type_spec.")


class CompositeSpec(TypeSpec):
    """The spec of a composite value (``tf.SparseTensorSpec``), usable in an
    ``input_signature``."""

    __slots__ = ()

    @property
    def value_type(self):
        """The CompositeTensor class this spec describes."""
        raise NotImplementedError(f"{type(self).__name__} does not define value_type.")

    def _static_key(self):
        """The static key of the values this spec describes (None for unknown parts)."""
        raise NotImplementedError(f"{type(self).__name__} does not define _static_key.")

    def _example(self) -> CompositeTensor:
        """A small value matching the spec, to trace a graph with."""
        raise NotImplementedError(f"{type(self).__name__} does not define _example.")

    def _relaxed_shapes(self) -> tuple:
        """Per component, the shape a graph traced for this spec takes (by default the
        relaxed shapes of its example)."""
        return self._example()._relaxed_shapes()

    def is_compatible_with(self, other) -> bool:
        """Whether ``other`` (a value or a spec) matches this spec."""
        raise NotImplementedError(f"{type(self).__name__} does not define is_compatible_with.")


def dispatch_to_values(fn):
    """Makes the elementwise function ``fn(x, ...)`` accept a SparseTensor ``x`` as TF's
    dispatch does: the result keeps ``x``'s indices and holds ``fn`` of its values (for
    functions that map 0 to 0, so the implicit entries stay 0)."""

    @functools.wraps(fn)
    def dispatching(x, *args, **kwargs):
        if isinstance(x, CompositeTensor) and hasattr(x, "with_values"):
            return x.with_values(fn(x.values, *args, **kwargs))
        return fn(x, *args, **kwargs)

    return dispatching
