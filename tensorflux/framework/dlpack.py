"""DLPack exchange of tensors (``tf.experimental.dlpack``, ``Tensor.__dlpack__``):
tensors pass to and from other array libraries (NumPy, PyTorch, JAX) without a copy,
through NumPy's DLPack support."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.errors import InvalidArgumentError

__all__ = ["capsule_of", "from_dlpack", "to_dlpack"]


def capsule_of(value, **kwargs):
    """A DLPack capsule of ``value``'s data (``kwargs``: those of ``__dlpack__``).

    Raises:
        InvalidArgumentError: a dtype DLPack export does not take here (strings;
            bfloat16, which NumPy cannot export).
    """
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        raise InvalidArgumentError(
            None,
            None,
            "DLPack has no type for tf.string tensors: only numeric and bool tensors "
            "can be exported.",
        )
    if not array.flags.writeable:
        # NumPy's DLPack export refuses read-only arrays; a tensor's value never
        # changes, so a copy is as good as the original.
        array = array.copy()
    try:
        return array.__dlpack__(**kwargs)
    except BufferError as e:
        raise InvalidArgumentError(
            None,
            None,
            f"A {array.dtype} tensor cannot be exported through DLPack here ({e}); cast "
            f"it to float32 first.",
        ) from None


def to_dlpack(tf_tensor):
    """A PyCapsule named ``dltensor`` holding ``tf_tensor``'s data, for one consumer's
    ``from_dlpack`` (``tf.experimental.dlpack.to_dlpack``).

    Raises:
        InvalidArgumentError: a string or bfloat16 tensor.
    """
    from tensorflux.framework.tensor import convert_to_tensor

    return capsule_of(convert_to_tensor(tf_tensor)._value)


class _Capsule:
    """A bare DLPack capsule with the protocol NumPy's ``from_dlpack`` reads."""

    def __init__(self, capsule):
        self._capsule = capsule

    def __dlpack__(self, **kwargs):
        return self._capsule

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU, device 0


def from_dlpack(dlcapsule):
    """The tensor holding the data of a ``dltensor`` PyCapsule made by another library's
    ``to_dlpack`` (``tf.experimental.dlpack.from_dlpack``). A capsule is consumed once.

    Raises:
        TypeError: not a PyCapsule.
        InvalidArgumentError: a capsule that was consumed already, or not a DLPack one.
    """
    from tensorflux.framework.tensor import convert_to_tensor

    if type(dlcapsule).__name__ != "PyCapsule":
        raise TypeError(
            f"from_dlpack takes a PyCapsule named 'dltensor' (from another library's "
            f"to_dlpack), not {type(dlcapsule).__name__}; for an array with __dlpack__, "
            f"pass array.__dlpack__()."
        )
    try:
        array = np.from_dlpack(_Capsule(dlcapsule))
    except (ValueError, BufferError) as e:
        raise InvalidArgumentError(
            None,
            None,
            'DLPack tensor must be a capsule with name "dltensor". Note that a DLPack '
            f"tensor may be consumed at most once. ({e})",
        ) from None
    return convert_to_tensor(array)
