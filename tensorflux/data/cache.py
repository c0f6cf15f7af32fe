"""``Dataset.cache`` (in memory or in a file) and ``Dataset.save`` / ``Dataset.load``.

A cache fills during the first iteration that reads the input to its end; until
then every iteration reads the input (a partial read is discarded, as in TF).
Elements are kept as blocks when the input has them, so a cached pipeline is
served by slicing arrays. Files hold the pickled element_spec and elements and
are written to a temporary name first, so an interrupted run leaves no cache.
"""

from __future__ import annotations

import os
import pickle

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import BlockPull, ElementPull
from tensorflux.framework.errors import NotFoundError

__all__: list = []

_FORMAT = "tensorflux-dataset-v1"


class _Stored:
    """Finished contents: arrays of ``rows`` rows, or (element path) a list of elements."""

    def __init__(self, arrays, rows: int, elements=None):
        self.arrays, self.rows, self.elements = arrays, rows, elements

    @classmethod
    def from_blocks(cls, blocks) -> _Stored:
        arrays = [np.concatenate(cs) for cs in zip(*blocks)] if blocks else []
        return cls(arrays, sum(len(b[0]) for b in blocks))

    @classmethod
    def from_elements(cls, elements) -> _Stored:
        return cls(None, len(elements), elements)

    def pull(self):
        from tensorflux.data.sources import _ArrayPull, _ListPull

        if self.elements is not None:
            return _ListPull(self.elements)
        return _ArrayPull(self.arrays, self.rows)


class _RecordBlocks(BlockPull):
    def __init__(self, src, done):
        self._src, self._done, self._blocks = src, done, []

    def _produce(self, k):
        try:
            block = self._src.next_block(k)
        except StopIteration:
            if self._blocks is not None:
                self._done(_Stored.from_blocks(self._blocks))
                self._blocks = None
            raise
        if self._blocks is not None:
            self._blocks.append(block)
        return block

    def close(self):
        self._src.close()


class _RecordElements(ElementPull):
    def __init__(self, src, done):
        self._src, self._done, self._elements = src, done, []

    def next(self):
        try:
            element = self._src.next()
        except StopIteration:
            if self._elements is not None:
                self._done(_Stored.from_elements(self._elements))
                self._elements = None
            raise
        if self._elements is not None:
            self._elements.append(element)
        return element

    def close(self):
        self._src.close()


def _write(path: str, spec, stored: _Stored) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        pickle.dump(
            {
                "format": _FORMAT,
                "element_spec": spec,
                "arrays": stored.arrays,
                "rows": stored.rows,
                "elements": stored.elements,
            },
            f,
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    os.replace(tmp, path)


def _read(path: str):
    with open(path, "rb") as f:
        data = pickle.load(f)  # noqa: S301 - files this module wrote
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError(f"{path} is not a dataset file written by tensorflux.")
    return data["element_spec"], _Stored(data["arrays"], data["rows"], data["elements"])


class CacheDataset(Dataset):
    """``Dataset.cache(filename="")``: the first complete iteration's elements, kept."""

    _tf_name = "CacheDataset"

    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._filename = os.fspath(filename) if filename else ""
        self._stored = None

    def _file(self) -> str:
        return f"{self._filename}.data-00000-of-00001"

    def _finish(self, stored: _Stored) -> None:
        if self._stored is None:
            self._stored = stored
            if self._filename:
                _write(self._file(), self._element_spec, stored)

    def _pull(self):
        if self._stored is None and self._filename and os.path.exists(self._file()):
            self._stored = _read(self._file())[1]
        if self._stored is not None:
            return self._stored.pull()
        src = self._input._pull()
        if self._input._block_ok:
            return _RecordBlocks(src, self._finish)
        return _RecordElements(src, self._finish)

    def _cardinality(self):
        return self._input._cardinality()


class LoadDataset(Dataset):
    """``Dataset.load``: the elements a ``Dataset.save`` wrote."""

    _tf_name = "_LoadDataset"

    def __init__(self, element_spec, stored: _Stored):
        super().__init__(element_spec)
        self._stored = stored

    def _pull(self):
        return self._stored.pull()

    def _cardinality(self):
        return self._stored.rows


def save(dataset: Dataset, path) -> None:
    """Writes ``dataset`` 's elements under the directory ``path``."""
    path = os.fspath(path)
    os.makedirs(path, exist_ok=True)
    blocks_ok = dataset._block_ok
    parts = []
    pull = dataset._pull()
    try:
        while True:
            parts.append(pull.next_block(4096) if blocks_ok else pull.next())
    except StopIteration:
        pass
    finally:
        pull.close()
    stored = _Stored.from_blocks(parts) if blocks_ok else _Stored.from_elements(parts)
    _write(os.path.join(path, "elements.pkl"), dataset.element_spec, stored)


def load(path, element_spec=None) -> Dataset:
    """The dataset saved under ``path``."""
    file = os.path.join(os.fspath(path), "elements.pkl")
    if not os.path.exists(file):
        raise NotFoundError(
            None,
            "LoadDataset",
            f"tf.data snapshot element_spec file not found: "
            f"{os.path.join(os.fspath(path), 'dataset_spec.pb')}. (No dataset was saved "
            f"there with Dataset.save: {file} is missing.)",
        )
    spec, stored = _read(file)
    return LoadDataset(spec if element_spec is None else element_spec, stored)
