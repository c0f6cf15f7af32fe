"""``tf.fingerprint``: TF's Fingerprint op, FarmHash Fingerprint64 of each row of a
tensor as 8 little-endian bytes."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.string_hashing import fingerprint64

__all__ = ["fingerprint"]


def _le64(value: int) -> bytes:
    return int(value).to_bytes(8, "little")


def _fingerprint_kernel(data, method):
    op = "Fingerprint"
    name = method.item() if isinstance(method, np.ndarray) else method
    name = name.decode() if isinstance(name, bytes) else str(name)
    if data.ndim < 1:
        raise InvalidArgumentError(
            None, op, f"`data` should have at least one dimension: [] [Op:{op}]"
        )
    if name != "farmhash64":
        raise InvalidArgumentError(
            None, op, f"Unsupported fingerprint method: {name} [Op:{op}]. Use 'farmhash64'."
        )
    rows = data.shape[0]
    out = np.zeros((rows, 8), np.uint8)
    if data.dtype == object:
        flat = data.reshape(rows, -1)
        for r in range(rows):
            items = [s if isinstance(s, bytes) else str(s).encode() for s in flat[r]]
            if flat.shape[1] == 1:
                digest = fingerprint64(items[0])
            else:
                # Several strings per row: the row's bytes are their fingerprints.
                digest = fingerprint64(b"".join(_le64(fingerprint64(s)) for s in items))
            out[r] = np.frombuffer(_le64(digest), np.uint8)
        return out
    flat = np.ascontiguousarray(data).reshape(rows, -1)
    little = flat.astype(flat.dtype.newbyteorder("<"), copy=False)
    for r in range(rows):
        out[r] = np.frombuffer(_le64(fingerprint64(little[r].tobytes())), np.uint8)
    return out


def _fingerprint_infer(data: Spec, method: Spec) -> Spec:
    if data.shape.rank == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for 'Fingerprint'")
    rows = data.shape[0] if data.shape.rank else None
    return Spec(dtypes.uint8, TensorShape([rows, 8]))


# Hashes have no gradient (TF registers none).
_FINGERPRINT = register(
    "Fingerprint", kernel=_fingerprint_kernel, grad=None, infer=_fingerprint_infer
)


def fingerprint(data, method="farmhash64", name=None) -> Tensor:
    """An 8-byte fingerprint of each row (``data[i]``) of ``data``: its FarmHash
    Fingerprint64, little-endian, from the row's bytes (strings: from the string, or
    from the fingerprints of the row's strings when it holds several).

    Args:
        data: a tensor of rank >= 1.
        method: "farmhash64".

    Returns:
        uint8 ``[rows, 8]``.

    Raises:
        InvalidArgumentError: a scalar ``data`` or another method.

    >>> import tensorflux as tf
    >>> tf.fingerprint(tf.constant(["abc"])).numpy()
    array([[105, 243, 231, 116, 160, 179, 165,  36]], dtype=uint8)
    """
    if isinstance(method, str) and method != "farmhash64" and context.state.graph is not None:
        # A constant method is checked when the graph is built, as TF's shape function does.
        raise ValueError(f"Unsupported method: {method} for 'Fingerprint'. Use 'farmhash64'.")
    return execute(_FINGERPRINT, (to_tensor(data), to_tensor(method)))
