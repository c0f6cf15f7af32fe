"""Files as datasets: ``tf.data.TextLineDataset`` and ``Dataset.list_files``."""

from __future__ import annotations

import glob
import gzip
import io
import os
import zlib

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import UNKNOWN, Dataset
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["TextLineDataset"]


def _names(filenames) -> list:
    if isinstance(filenames, Dataset):
        return list(filenames.as_numpy_iterator())
    t = (
        structure.to_tensor(filenames, dtypes.string)
        if not isinstance(filenames, os.PathLike)
        else structure.to_tensor(os.fspath(filenames), dtypes.string)
    )
    if t.dtype is not dtypes.string or t.shape.rank not in (0, 1):
        raise TypeError(
            f"`filenames` must be a string scalar or vector (or a dataset of strings), got {t!r}."
        )
    return list(np.asarray(t._value).reshape(-1))


def _open(name: str, compression: str):
    try:
        if compression == "GZIP":
            return gzip.open(name, "rb")
        if compression == "ZLIB":
            with open(name, "rb") as f:
                return io.BytesIO(zlib.decompress(f.read()))
        return open(name, "rb")
    except FileNotFoundError:
        raise NotFoundError(None, "TextLineDataset", f"{name}; No such file or directory") from None


class _LinesPull(ElementPull):
    def __init__(self, names, compression):
        self._names = iter(names)
        self._compression = compression
        self._file = None

    def next(self):
        while True:
            if self._file is None:
                name = next(self._names)
                self._file = _open(
                    name.decode() if isinstance(name, bytes) else name, self._compression
                )
            line = self._file.readline()
            if line:
                if line.endswith(b"\n"):
                    line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
                return (np.array(line, dtype=object),)
            self._file.close()
            self._file = None

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None


class TextLineDataset(Dataset):
    """The lines of text files, without their line endings (``tf.data.TextLineDataset``).

    Args:
        filenames: a file name, a list of them, or a dataset of them.
        compression_type: "" / None, "GZIP" or "ZLIB".
        num_parallel_reads: None reads the files one after another; ``k`` reads ``k``
            files at a time, taking one line from each in turn (TF's deterministic
            parallel interleave); ``tf.data.AUTOTUNE``: one file per CPU core.
        buffer_size, name: accepted for compatibility.
    """

    _tf_name = "TextLineDatasetV2"

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ):
        super().__init__(TensorSpec((), dtypes.string))
        self._names = _names(filenames)
        self._compression = (compression_type or "").upper()
        if num_parallel_reads is not None and num_parallel_reads < 0:
            num_parallel_reads = os.cpu_count() or 1  # AUTOTUNE: TF uses one per core
        self._parallel_reads = num_parallel_reads
        if self._compression not in ("", "GZIP", "ZLIB"):
            raise ValueError(
                f"Unsupported compression_type {compression_type!r}: use '', 'GZIP' or 'ZLIB'."
            )

    def _pull(self):
        cycle = self._parallel_reads
        if cycle is None or cycle == 1:
            return _LinesPull(self._names, self._compression)
        from tensorflux.data.sources import TensorSliceDataset

        compression = self._compression
        names = TensorSliceDataset(np.array(self._names, dtype=object))
        return names.interleave(
            lambda name: TextLineDataset(name, compression_type=compression),
            cycle_length=cycle,
            block_length=1,
        )._pull()

    def _cardinality(self):
        return UNKNOWN


def list_files(file_pattern, shuffle=None, seed=None) -> Dataset:
    """``Dataset.list_files``: the sorted matches of the pattern(s), shuffled by default."""
    from tensorflux.data.sources import TensorSliceDataset

    patterns = [p.decode() if isinstance(p, bytes) else p for p in _names(file_pattern)]
    matches = sorted({m for p in patterns for m in glob.glob(p)})
    if not matches:
        raise InvalidArgumentError(
            None,
            "Assert",
            f"Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
            f"Summarized data: b'No files matched pattern: {', '.join(patterns)}'",
        )
    ds = TensorSliceDataset(np.array([m.encode() for m in matches], dtype=object))
    if shuffle is None or shuffle:
        ds = ds.shuffle(len(matches), seed=seed)
    return ds
