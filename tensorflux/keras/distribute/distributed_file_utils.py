"""Where a worker writes the files of ``ModelCheckpoint`` and ``TensorBoard``: the chief
writes to the path asked for; the other workers write to a temporary folder beside it,
removed afterwards, so that only the chief's files remain (as tf_keras does)."""

from __future__ import annotations

import os
import shutil

__all__ = [
    "remove_temp_dir_with_filepath",
    "remove_temp_dirpath",
    "write_dirpath",
    "write_filepath",
]


def _is_chief(strategy) -> bool:
    return strategy is None or strategy.extended.should_checkpoint


def _worker_id(strategy) -> int:
    return strategy.extended._collective.rank


def write_dirpath(dirpath: str, strategy) -> str:
    """``dirpath`` on the chief; ``dirpath/workertemp_<worker>`` on the others."""
    if _is_chief(strategy):
        return dirpath
    return os.path.join(dirpath, f"workertemp_{_worker_id(strategy)}")


def remove_temp_dirpath(dirpath: str, strategy) -> None:
    """Removes a non-chief worker's temporary folder (of ``write_dirpath``)."""
    if not _is_chief(strategy):
        shutil.rmtree(write_dirpath(dirpath, strategy), ignore_errors=True)


def write_filepath(filepath: str, strategy) -> str:
    """``filepath`` on the chief; inside a temporary folder beside it on the others."""
    folder, name = os.path.split(filepath)
    return os.path.join(write_dirpath(folder, strategy), name)


def remove_temp_dir_with_filepath(filepath: str, strategy) -> None:
    """Removes the temporary folder that ``write_filepath`` put ``filepath`` in."""
    remove_temp_dirpath(os.path.dirname(filepath), strategy)
