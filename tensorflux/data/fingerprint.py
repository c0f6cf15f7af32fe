"""``Dataset.fingerprint`` and ``Dataset.snapshot``: a hash of a pipeline's description
(its datasets, their arguments and data, and the code of its functions), and the
elements of the first complete iteration persisted under that hash.

TF hashes its dataset graph; the numbers differ from TF's, but as in TF two pipelines
built the same way share a fingerprint and a change anywhere in them changes it.
"""

from __future__ import annotations

import hashlib
import os
import types

import numpy as np

from tensorflux.data.cache import CacheDataset
from tensorflux.data.dataset import Dataset
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor

__all__ = ["SnapshotDataset", "fingerprint"]

# State built while a pipeline is traced or run (kept elements, compiled plans): not
# part of its description.
_RUNTIME_ATTRIBUTES = {"_stored", "_plans", "_static", "_generic"}


def _feed_code(h, code: types.CodeType, seen: set) -> None:
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _feed_code(h, const, seen)
        else:
            h.update(repr(const).encode())


def _feed(h, value, seen: set) -> None:
    if isinstance(value, (type(None), bool, int, float, complex, str, bytes)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
        return
    if id(value) in seen:
        h.update(b"<seen>")
        return
    seen.add(id(value))
    if isinstance(value, Tensor):
        value = np.asarray(value._value)
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        h.update(f"{array.dtype}{array.shape}".encode())
        h.update(repr(array.tolist()).encode() if array.dtype == object else array.tobytes())
    elif isinstance(value, (list, tuple)):
        h.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _feed(h, item, seen)
    elif isinstance(value, dict):
        for key in sorted(value, key=repr):
            _feed(h, key, seen)
            _feed(h, value[key], seen)
    elif isinstance(value, types.FunctionType):
        _feed_code(h, value.__code__, seen)
        for cell in value.__closure__ or ():
            _feed(h, cell.cell_contents, seen)
        _feed(h, value.__defaults__, seen)
    elif isinstance(value, Dataset) or hasattr(value, "__dict__"):
        h.update(type(value).__qualname__.encode())
        if isinstance(value, Dataset):
            h.update(repr(value.element_spec).encode())
        python_function = getattr(value, "python_function", None)
        if python_function is not None:
            _feed(h, python_function, seen)
            return
        for name in sorted(vars(value)):
            if name not in _RUNTIME_ATTRIBUTES:
                h.update(name.encode())
                _feed(h, vars(value)[name], seen)
    else:
        h.update(repr(value).encode())


def _digest(dataset: Dataset) -> bytes:
    h = hashlib.sha256()
    _feed(h, dataset, set())
    return h.digest()


def fingerprint(dataset: Dataset) -> Tensor:
    """The dataset's fingerprint, a uint64 scalar tensor."""
    value = int.from_bytes(_digest(dataset)[:8], "little")
    return Tensor(np.asarray(value, np.uint64), dtypes.uint64)


class SnapshotDataset(CacheDataset):
    """``Dataset.snapshot``: the elements of the first complete iteration, written under
    ``path`` in a folder named by the pipeline's fingerprint, and read back by later
    iterations and later programs building the same pipeline."""

    _tf_name = "_SnapshotDataset"

    def __init__(self, input_dataset, path):
        folder = os.path.join(os.fspath(path), str(int(fingerprint(input_dataset))))
        os.makedirs(folder, exist_ok=True)
        super().__init__(input_dataset, os.path.join(folder, "snapshot"))
