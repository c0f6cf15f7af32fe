"""Sliced assignment to variables: ``v[0].assign(5.0)``, ``v[1:, ::2].assign(x)``.

``v[key]`` of a variable reads like any slice; the tensor it returns (a plain Tensor,
or SymbolicTensor inside a trace, so ops treat it as any other) also remembers
``(v, key)``, and only such a tensor has an ``assign`` attribute, which writes the value
back into those entries of ``v`` (as TF attaches ``assign`` to the slices of
variables). The write is a ``TensorScatterUpdate`` at the flat positions the key
selects, so it works eagerly and inside ``tf.function`` alike.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops import array_ops, slicing_ops

__all__: list = []


def _assign_slice(self, value, use_locking=None, name=None, read_value=True):
    """Writes ``value`` (broadcast to this slice's shape) into the sliced variable.

    Returns:
        The variable.

    Raises:
        InvalidArgumentError: a value whose shape does not broadcast to the slice.
    """
    variable, key = self._sliced_from
    positions = np.arange(int(np.prod(variable.shape.as_list())), dtype=np.int64).reshape(
        variable.shape.as_list()
    )[key]
    update = convert_to_tensor(value, dtype=variable.dtype)
    target = positions.shape
    if np.shape(update._value) != target:
        try:
            fits = np.broadcast_shapes(np.shape(update._value), target) == target
        except ValueError:
            fits = False
        if not fits:
            raise InvalidArgumentError(
                None,
                "ResourceStridedSliceAssign",
                f"Cannot broadcast input shape {list(np.shape(update._value))} into final "
                f"shape {list(target)} (a value for the slice {_show(key)} of variable "
                f"'{variable.name}': pass a value of the slice's shape).",
            )
        update = array_ops.broadcast_to(update, target)
    flat = array_ops.reshape(variable.value(), [-1])
    flat = slicing_ops.tensor_scatter_nd_update(
        flat, positions.reshape(-1, 1), array_ops.reshape(update, [-1])
    )
    return variable.assign(array_ops.reshape(flat, variable.shape.as_list()))


def _slice_attribute(self, name):
    """``Tensor.__getattr__``: ``assign`` on a slice of a variable, nothing else."""
    if name == "assign":
        sliced = getattr(self, "_sliced_from", None)
        if sliced is not None:
            return _assign_slice.__get__(self)
    # The lookup's own error (a property's, such as ``name``'s when eager).
    return object.__getattribute__(self, name)


Tensor.__getattr__ = _slice_attribute


def _show(key) -> str:
    def one(k):
        if isinstance(k, slice):
            return (
                ":".join("" if b is None else str(b) for b in (k.start, k.stop, k.step)).rstrip(":")
                or ":"
            )
        return "..." if k is Ellipsis else "tf.newaxis" if k is None else str(k)

    return "[" + ", ".join(one(k) for k in key) + "]"


def _static_key(key):
    """The key as NumPy basic indexing, or None when it holds tensors or masks."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    for k in key:
        if isinstance(k, slice):
            if not all(
                b is None or isinstance(b, (int, np.integer)) for b in (k.start, k.stop, k.step)
            ):
                return None
        elif not (
            k is None
            or k is Ellipsis
            or (isinstance(k, (int, np.integer)) and not isinstance(k, bool))
        ):
            return None
        out.append(k)
    return tuple(out)


def variable_getitem(variable, key):
    """``variable[key]``: the slice, assignable back into ``variable`` for static keys."""
    out = slicing_ops.getitem(variable, key)
    static = _static_key(key)
    if static is not None and type(out) in (Tensor, SymbolicTensor):
        out._sliced_from = (variable, static)
    return out
