"""``tf.train.Checkpoint``: saves and restores the variables of a graph of objects.

A checkpoint names each value by the path of attribute names that leads to it from
the checkpoint object (``model/layer_with_weights-0/kernel/...``), so it can be restored
into a freshly built program with the same structure. Values for objects that do not
exist yet at restore time (an unbuilt model, an optimizer's slots) are applied when
those objects are created.
"""

from __future__ import annotations

import inspect
import os

import numpy as np

from tensorflux.framework import trackable
from tensorflux.framework.errors import DataLossError, NotFoundError
from tensorflux.framework.proto_wire import ProtoDecodeError
from tensorflux.framework.variables import Variable
from tensorflux.train import checkpoint_management
from tensorflux.train.graph_view import RestoreSession, serialize, slot_variables
from tensorflux.train.object_graph import OBJECT_GRAPH_KEY, TrackableObjectGraph
from tensorflux.train.tensor_bundle import read_bundle, write_bundle

__all__ = [
    "Checkpoint",
    "CheckpointLoadStatus",
    "InitializationOnlyStatus",
    "read_checkpoint",
    "write_checkpoint",
]


def write_checkpoint(root, file_prefix, extra_root_children=None) -> str:
    """Writes the variables below ``root`` to ``file_prefix`` (folders are created)."""
    file_prefix = os.fspath(file_prefix)
    folder = os.path.dirname(file_prefix)
    if folder:
        os.makedirs(folder, exist_ok=True)
    write_bundle(file_prefix, serialize(root, extra_root_children))
    return file_prefix


def _live_variables(root, skip_slot_variables=False) -> list:
    """Every variable reachable from ``root`` now, and the slot variables that a
    checkpoint of ``root`` would hold (unless ``skip_slot_variables``)."""
    seen, objects, stack = {id(root)}, [], [root]
    while stack:
        obj = stack.pop()
        objects.append(obj)
        for child in trackable.trackable_children(obj).values():
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    out = [obj for obj in objects if isinstance(obj, Variable)]
    if not skip_slot_variables:
        out += [slot for _, _, _, slot in slot_variables(objects)]
    return out


class CheckpointLoadStatus:
    """What a restore matched, returned by ``Checkpoint.restore``/``read``.

    Its assertions raise ``AssertionError`` and otherwise return the status, so they
    chain: ``checkpoint.restore(path).assert_consumed()``.
    """

    def __init__(self, session: RestoreSession, root):
        self._session = session
        self._root = root

    def _unbound_live_variables(self) -> list:
        restored = {id(obj) for obj in self._session.matched.values()}
        live = _live_variables(self._root, self._session.skip_slot_variables)
        return [v for v in live if id(v) not in restored]

    def _check_live_objects(self) -> None:
        unbound = self._unbound_live_variables()
        if unbound:
            raise AssertionError(
                f"Found {len(unbound)} Python objects that were not bound to checkpointed "
                "values, likely due to changes in the Python program. Showing "
                f"{min(len(unbound), 10)} of {len(unbound)} unmatched objects: "
                f"{unbound[:10]}"
            )

    def assert_consumed(self):
        """Asserts that every value in the checkpoint found its object and every
        variable of the program got a value.

        Raises:
            AssertionError: a saved value without object (not created yet, or renamed),
                or a variable the checkpoint does not hold.
        """
        unresolved = self._session.unresolved_nodes()
        if unresolved:
            nodes = self._session.graph.nodes
            first = nodes[unresolved[0]]
            # TF names the first unresolved node by its path and prints its proto.
            attributes = "".join(
                f'attributes {{\n  name: "{a.name}"\n  full_name: "{a.full_name}"\n'
                f'  checkpoint_key: "{a.checkpoint_key}"\n}}\n'
                for a in first.attributes
            )
            raise AssertionError(
                f"Unresolved object in checkpoint {_node_paths(nodes)[unresolved[0]]}: "
                f"{attributes}({len(unresolved)} saved objects have no matching Python "
                "object yet. Build the objects first (for a Keras model: call it or "
                "`build` it), or use `expect_partial()` if only part of the checkpoint is "
                "meant to be restored.)"
            )
        self._check_live_objects()
        return self

    def assert_existing_objects_matched(self):
        """Asserts that every variable that exists now got a value from the checkpoint
        (values for objects not created yet may remain).

        Raises:
            AssertionError: a variable of the program the checkpoint does not hold.
        """
        self._check_live_objects()
        return self

    def assert_nontrivial_match(self):
        """Asserts that something besides the root object matched the checkpoint.

        Raises:
            AssertionError: nothing matched: the checkpoint is of another program.
        """
        if not any(node_id != 0 for node_id in self._session.matched):
            raise AssertionError(
                "Nothing except the root object matched a checkpointed value. Typically "
                "this means that the checkpoint does not match the Python program. The "
                f"checkpoint's values are {sorted(self._session.reader.keys())[:10]}."
            )
        return self

    def expect_partial(self):
        """Marks the restore as intentionally partial; returns the status."""
        return self

    def run_restore_ops(self, session=None) -> None:
        """Nothing to run: values are restored eagerly (kept for TF1-style code)."""

    def initialize_or_restore(self, session=None) -> None:
        """Nothing to run: values are restored eagerly (kept for TF1-style code)."""


class InitializationOnlyStatus:
    """The status of ``restore(None)``: nothing was restored; assertions fail."""

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    assert_existing_objects_matched = assert_consumed
    assert_nontrivial_match = assert_consumed

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None) -> None:
        """Nothing to run."""

    def initialize_or_restore(self, session=None) -> None:
        """Nothing to run: variables are initialized when created."""


def _run_write_callbacks(callbacks, save_path: str) -> None:
    """Calls each ``CheckpointOptions.experimental_write_callbacks`` entry, with the
    saved path when it takes one argument, as TF does."""
    for callback in callbacks:
        count = len(inspect.signature(callback).parameters)
        if count > 1:
            raise AssertionError(
                "Callback functions for checkpoint are required to have 0 or 1 parameters, "
                f"but this one has {count} parameters: {callback}"
            )
        callback(*([save_path] if count else []))


def _node_paths(nodes) -> dict:
    """Each saved node's name as TF prints it: ``(root).child.grandchild``, a slot as
    ``(root).var's state 'm' for (root).var``."""
    paths = {0: "(root)"}
    queue = [0]
    while queue:
        i = queue.pop(0)
        for ref in nodes[i].children:
            if ref.node_id not in paths:
                paths[ref.node_id] = f"{paths[i]}.{ref.local_name}"
                queue.append(ref.node_id)
    for i, node in enumerate(nodes):
        for slot in node.slot_variables:
            original = paths.get(slot.original_variable_node_id, "(root)")
            paths.setdefault(
                slot.slot_variable_node_id,
                f"{paths.get(i, '(root)')}'s state '{slot.slot_name}' for {original}",
            )
    return paths


def read_checkpoint(
    root, save_path, options=None, explain_missing: bool = True, skip_root_children=()
) -> CheckpointLoadStatus:
    """Restores the checkpoint at ``save_path`` into the objects below ``root``
    (``options``: a ``tf.train.CheckpointOptions``; its
    ``experimental_skip_slot_variables`` leaves optimizer slots out).
    ``explain_missing`` adds ``restore``'s explanation to a missing path's error
    (TF's ``read`` reports the reader's error alone). The saved children of the root
    named in ``skip_root_children`` are not restored, now or when their objects appear.

    Raises:
        tf.errors.NotFoundError: no checkpoint at ``save_path``.
        tf.errors.DataLossError: a truncated or corrupted checkpoint.
        ValueError: a saved value whose shape or dtype does not fit its variable.
    """
    save_path = os.fspath(save_path)
    try:
        reader = read_bundle(save_path)
    except NotFoundError as e:
        if not explain_missing:
            raise
        raise NotFoundError(
            None,
            None,
            f"Error when restoring from checkpoint or SavedModel at {save_path}: "
            f"{e}\nPlease double-check that the path is correct. You may be "
            "missing the checkpoint suffix (e.g. the '-1' in 'path/to/ckpt-1').",
        ) from None
    if OBJECT_GRAPH_KEY not in reader:
        raise NotFoundError(
            None,
            None,
            f"The checkpoint at {save_path} has no object graph "
            f"({OBJECT_GRAPH_KEY}): it was written by a name-based (TF1) saver, "
            "which object-based restoring does not read.",
        )
    try:
        graph = TrackableObjectGraph.decode(reader.get(OBJECT_GRAPH_KEY).item())
    except ProtoDecodeError:
        raise DataLossError(
            None, None, f"The object graph of checkpoint {save_path} is corrupted."
        ) from None
    skip = bool(getattr(options, "experimental_skip_slot_variables", False))
    session = RestoreSession(reader, graph, skip_slot_variables=skip)
    for ref in graph.nodes[0].children:
        if ref.local_name in skip_root_children:
            # Counted as matched (to nothing), so no later attribute picks it up.
            session.matched[ref.node_id] = None
    session.match(0, root)
    return CheckpointLoadStatus(session, root)


class Checkpoint:
    """Groups trackable objects (models, optimizers, variables, modules) to save and
    restore together, as ``tf.train.Checkpoint``.

    Args:
        root: an object to use as the root of the saved graph (its children become the
            checkpoint's); optional.
        **kwargs: the objects to save, by name: ``tf.train.Checkpoint(model=model)``.

    Raises:
        ValueError: a value that is not trackable.

    >>> import tensorflux as tf, tempfile, os
    >>> v = tf.Variable(3.0)
    >>> ckpt = tf.train.Checkpoint(v=v)
    >>> path = ckpt.save(os.path.join(tempfile.mkdtemp(), "ckpt"))
    >>> os.path.basename(path)
    'ckpt-1'
    >>> _ = v.assign(0.0)
    >>> ckpt.restore(path).assert_consumed() is not None, float(v)
    (True, 3.0)
    """

    def __init__(self, root=None, **kwargs):
        for name, value in kwargs.items():
            if not trackable.is_trackable(value):
                raise ValueError(
                    f"`Checkpoint` was expecting {name} to be a trackable object (an object "
                    f"derived from `Trackable`), got {value!r}. If you believe this object "
                    "should be trackable (i.e. it is part of the TensorFlow Python API and "
                    "manages state), please open an issue."
                )
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_named", dict(kwargs))
        object.__setattr__(self, "_save_counter", None)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        self._named[name] = value
        trackable.run_deferred(self)

    def __getattr__(self, name):
        named = self.__dict__.get("_named", {})
        if name in named:
            return named[name]
        raise AttributeError(f"'Checkpoint' object has no attribute {name!r}")

    def _trackable_children(self) -> dict:
        children = {}
        if self._root is not None:
            children.update(trackable.trackable_children(self._root))
        for name, value in self._named.items():
            children[name] = value
        if self._save_counter is not None:
            children["save_counter"] = self._save_counter
        return children

    @property
    def save_counter(self) -> Variable:
        """An int64 variable counting ``save`` calls (created on first use)."""
        if self._save_counter is None:
            object.__setattr__(
                self, "_save_counter", Variable(np.int64(0), trainable=False, name="save_counter")
            )
            trackable.run_deferred(self)
        return self._save_counter

    def write(self, file_prefix, options=None) -> str:
        """Writes a checkpoint at exactly ``file_prefix`` (no counter, no state file).

        Returns:
            ``file_prefix``.
        """
        path = write_checkpoint(self, file_prefix)
        if options is not None and options.experimental_write_callbacks:
            _run_write_callbacks(options.experimental_write_callbacks, path)
        return path

    def save(self, file_prefix, options=None) -> str:
        """Saves at ``"<file_prefix>-<save_counter>"`` after incrementing ``save_counter``
        and records it in the folder's ``checkpoint`` file (for ``latest_checkpoint``).

        Returns:
            The checkpoint's prefix.
        """
        counter = self.save_counter
        counter._value = np.asarray(counter._value + 1, dtype=np.int64)
        path = self.write(f"{os.fspath(file_prefix)}-{int(counter._value)}")
        checkpoint_management.update_checkpoint_state(
            os.path.dirname(path), path, [path], save_relative_paths=True
        )
        return path

    def read(self, save_path, options=None) -> CheckpointLoadStatus:
        """Restores the checkpoint at ``save_path`` (see :meth:`restore`)."""
        return read_checkpoint(self, save_path, options, explain_missing=False)

    def restore(self, save_path, options=None):
        """Restores the checkpoint at ``save_path`` into the tracked objects; values for
        objects not created yet are applied when they are created.

        Args:
            save_path: a checkpoint prefix (e.g. from ``save`` or
                ``tf.train.latest_checkpoint``), or None to restore nothing.

        Returns:
            A status object (:class:`CheckpointLoadStatus`) with ``assert_consumed``,
            ``assert_existing_objects_matched``, ``assert_nontrivial_match`` and
            ``expect_partial``.

        Raises:
            tf.errors.NotFoundError: no checkpoint at ``save_path``.
            tf.errors.DataLossError: a truncated or corrupted checkpoint.
        """
        if save_path is None:
            return InitializationOnlyStatus()
        status = read_checkpoint(self, save_path, options)
        # As TF, the counter is created now whether or not the file holds one (then
        # ``assert_consumed`` reports it unmatched, as TF's does).
        self.save_counter  # noqa: B018 - created now, it takes the saved count if any
        return status
