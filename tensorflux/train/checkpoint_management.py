"""The ``checkpoint`` state file, ``tf.train.latest_checkpoint`` and
``tf.train.CheckpointManager``.

The state file is a ``CheckpointState`` protocol buffer in text form::

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"

with paths relative to its folder, so a folder of checkpoints can be moved.
"""

from __future__ import annotations

import collections
import dataclasses
import glob
import os
import re
import time

import numpy as np

from tensorflux.framework.atomic_file import atomic_output

__all__ = [
    "CheckpointManager",
    "CheckpointState",
    "get_checkpoint_state",
    "latest_checkpoint",
    "update_checkpoint_state",
]

STATE_FILE = "checkpoint"
_LINE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")


@dataclasses.dataclass
class CheckpointState:
    """The contents of a ``checkpoint`` state file."""

    model_checkpoint_path: str = ""
    all_model_checkpoint_paths: list = dataclasses.field(default_factory=list)
    all_model_checkpoint_timestamps: list = dataclasses.field(default_factory=list)
    last_preserved_timestamp: float = 0.0


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _unquote(text: str) -> str:
    if len(text) < 2 or text[0] != text[-1] or text[0] not in "\"'":
        raise ValueError(f"expected a quoted string, got {text!r}")
    body = text[1:-1].encode("latin-1", "backslashreplace")
    return body.decode("unicode_escape").encode("latin-1").decode("utf-8")


def _format_state(state: CheckpointState) -> str:
    lines = [f"model_checkpoint_path: {_quote(state.model_checkpoint_path)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in state.all_model_checkpoint_paths]
    lines += [
        f"all_model_checkpoint_timestamps: {t!r}" for t in state.all_model_checkpoint_timestamps
    ]
    if state.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {state.last_preserved_timestamp!r}")
    return "\n".join(lines) + "\n"


def _parse_state(text: str) -> CheckpointState:
    state = CheckpointState()
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"malformed line {line!r}")
        field, value = match.groups()
        if field == "model_checkpoint_path":
            state.model_checkpoint_path = _unquote(value)
        elif field == "all_model_checkpoint_paths":
            state.all_model_checkpoint_paths.append(_unquote(value))
        elif field == "all_model_checkpoint_timestamps":
            state.all_model_checkpoint_timestamps.append(float(value))
        elif field == "last_preserved_timestamp":
            state.last_preserved_timestamp = float(value)
        else:
            raise ValueError(f"unknown field {field!r}")
    return state


def _relative(path: str, folder: str, relative: bool) -> str:
    if relative and os.path.isabs(path) == os.path.isabs(folder or "."):
        return os.path.relpath(path, folder or ".")
    return path


def update_checkpoint_state(
    save_dir,
    model_checkpoint_path,
    all_model_checkpoint_paths=None,
    latest_filename=None,
    all_model_checkpoint_timestamps=None,
    last_preserved_timestamp=None,
    save_relative_paths=True,
) -> None:
    """Writes the ``checkpoint`` state file in ``save_dir`` (atomically).

    ``model_checkpoint_path`` (the latest checkpoint) is added to the end of
    ``all_model_checkpoint_paths`` when missing from it.
    """
    save_dir = os.fspath(save_dir) if save_dir else "."
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path and (not paths or paths[-1] != model_checkpoint_path):
        paths.append(model_checkpoint_path)
    state = CheckpointState(
        model_checkpoint_path=_relative(model_checkpoint_path, save_dir, save_relative_paths),
        all_model_checkpoint_paths=[_relative(p, save_dir, save_relative_paths) for p in paths],
        all_model_checkpoint_timestamps=list(all_model_checkpoint_timestamps or []),
        last_preserved_timestamp=last_preserved_timestamp or 0.0,
    )
    os.makedirs(save_dir, exist_ok=True)
    with atomic_output(os.path.join(save_dir, latest_filename or STATE_FILE)) as tmp:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(_format_state(state))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The parsed ``checkpoint`` state file of ``checkpoint_dir``, its relative paths
    joined to the folder; None when there is no (readable) state file."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    path = os.path.join(checkpoint_dir, latest_filename or STATE_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            state = _parse_state(f.read())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not state.model_checkpoint_path:
        return None

    def absolute(p):
        return p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)

    state.model_checkpoint_path = absolute(state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [absolute(p) for p in state.all_model_checkpoint_paths]
    return state


def checkpoint_exists(prefix) -> bool:
    """Whether a checkpoint's index file exists at ``prefix``."""
    return os.path.exists(f"{os.fspath(prefix)}.index")


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint recorded in ``checkpoint_dir``'s state file,
    or None when there is none (or its files are gone).

    >>> import tensorflux as tf, tempfile
    >>> tf.train.latest_checkpoint(tempfile.mkdtemp()) is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def remove_checkpoint(prefix) -> None:
    """Deletes a checkpoint's index and data files."""
    prefix = os.fspath(prefix)
    for path in [f"{prefix}.index"] + glob.glob(f"{glob.escape(prefix)}.data-?????-of-?????"):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


class CheckpointManager:
    """Saves numbered checkpoints of a ``tf.train.Checkpoint`` in a folder, keeps the
    newest ``max_to_keep`` (and one every ``keep_checkpoint_every_n_hours``) and records
    them in the folder's ``checkpoint`` state file.

    Args:
        checkpoint: the ``tf.train.Checkpoint`` to save.
        directory: the folder (created when needed).
        max_to_keep: how many recent checkpoints to keep; None keeps all.
        keep_checkpoint_every_n_hours: also keep one checkpoint per this many hours.
        checkpoint_name: the file prefix (default ``"ckpt"``).
        step_counter: a variable holding the training step, for ``checkpoint_interval``.
        checkpoint_interval: save only when the step advanced this much since the last
            saved checkpoint.
        init_fn: called by ``restore_or_initialize`` when there is no checkpoint.

    Raises:
        ValueError: ``max_to_keep`` not positive, or ``checkpoint_interval`` without
            ``step_counter``.

    >>> import tensorflux as tf, tempfile
    >>> step = tf.Variable(0)
    >>> manager = tf.train.CheckpointManager(tf.train.Checkpoint(step=step),
    ...                                      tempfile.mkdtemp(), max_to_keep=2)
    >>> paths = [manager.save() for _ in range(3)]
    >>> [p.rsplit("/", 1)[-1] for p in manager.checkpoints]
    ['ckpt-2', 'ckpt-3']
    """

    def __init__(
        self,
        checkpoint,
        directory,
        max_to_keep,
        keep_checkpoint_every_n_hours=None,
        checkpoint_name="ckpt",
        step_counter=None,
        checkpoint_interval=None,
        init_fn=None,
    ):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(
                f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}."
            )
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError(
                "`step_counter` should be passed if `checkpoint_interval` is not None."
            )
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_every_hours = keep_checkpoint_every_n_hours
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_checkpoint_step = None
        now = time.time()
        self._last_preserved_timestamp = now
        self._latest = None
        self._maybe_delete: collections.OrderedDict = collections.OrderedDict()
        state = get_checkpoint_state(self._directory)
        if state is not None:
            paths = state.all_model_checkpoint_paths
            stamps = state.all_model_checkpoint_timestamps
            preserved = state.last_preserved_timestamp
            if preserved and preserved <= now:
                self._last_preserved_timestamp = preserved
            if len(stamps) != len(paths):
                stamps = [self._last_preserved_timestamp] * len(paths)
            self._maybe_delete.update(zip(paths, stamps))
            self._latest = state.model_checkpoint_path

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        """The prefix of the newest checkpoint, or None."""
        return self._latest

    @property
    def checkpoints(self) -> list:
        """The prefixes of the managed checkpoints, oldest first."""
        return list(self._maybe_delete)

    def _record_state(self) -> None:
        update_checkpoint_state(
            self._directory,
            self._latest,
            list(self._maybe_delete),
            all_model_checkpoint_timestamps=list(self._maybe_delete.values()),
            last_preserved_timestamp=self._last_preserved_timestamp,
        )

    def _sweep(self) -> None:
        if not self._max_to_keep:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            if (
                self._keep_every_hours
                and stamp - self._keep_every_hours * 3600.0 >= self._last_preserved_timestamp
            ):
                self._last_preserved_timestamp = stamp
                continue
            remove_checkpoint(path)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Saves a checkpoint numbered ``checkpoint_number`` (default: the checkpoint's
        incremented ``save_counter``), then deletes the ones no longer kept.

        Returns:
            The new checkpoint's prefix, or None when ``checkpoint_interval`` says it is
            not yet time to save.
        """
        if self._checkpoint_interval is not None:
            step = int(np.asarray(self._step_counter))
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < (
                    self._last_checkpoint_step + self._checkpoint_interval
                ):
                    return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        number = int(counter.numpy()) if checkpoint_number is None else int(checkpoint_number)
        path = self._checkpoint.write(f"{self._prefix}-{number}")
        self._maybe_delete.pop(path, None)  # re-saved: it moves to the newest place
        self._maybe_delete[path] = time.time()
        self._latest = path
        # Recorded before deleting, so an interruption while deleting still finds the new
        # checkpoint; recorded again without the deleted ones.
        self._record_state()
        self._sweep()
        self._record_state()
        return path

    def restore_or_initialize(self):
        """Restores the latest checkpoint and returns its prefix; without one, runs
        ``init_fn`` (when given) and returns None."""
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
        return None
