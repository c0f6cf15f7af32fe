"""Live objects <-> a checkpoint's object graph: what a save writes, and how a restore
finds each saved value's variable (now, or later when the variable is created).

Saving walks the objects breadth-first from the root; each object gets a node id the
first time it is reached, and the path of local names that first reached it names its
tensors (so a model's ``layer-0`` and ``layer_with_weights-0``, one node, give one key).
Restoring walks the saved graph and the live objects together, matching children by
local name; a name whose object does not exist yet is left pending on the nearest
live object that can hold it and retried when that object gains children.
"""

from __future__ import annotations

import collections

import numpy as np

from tensorflux.framework import trackable
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.variables import Variable
from tensorflux.train.object_graph import (
    OBJECT_GRAPH_KEY,
    VARIABLE_VALUE,
    ObjectReference,
    SerializedTensor,
    TrackableObject,
    TrackableObjectGraph,
    checkpoint_key,
)
from tensorflux.train.python_state import PY_STATE, PythonState

__all__ = ["RestoreSession", "serialize"]


def _proto_name(dtype) -> str:
    """A dtype as TF's DataTypeString spells it in kernel messages ("float", "double")."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _variable_value(variable: Variable) -> np.ndarray:
    return np.asarray(variable._value)


def serialize(root, extra_root_children=None) -> dict:
    """The tensors of a checkpoint of ``root``: every variable reachable from it, keyed
    by path, and the object graph under ``_CHECKPOINTABLE_OBJECT_GRAPH``.

    ``extra_root_children`` (name -> object) are listed after the root's own children
    (a Keras model's ``save_weights`` names the model itself ``root``).
    """
    ids = {id(root): 0}
    objects, paths = [root], [[]]
    nodes = [TrackableObject()]
    queue = collections.deque([0])
    while queue:
        node_id = queue.popleft()
        obj, node = objects[node_id], nodes[node_id]
        children = trackable.trackable_children(obj)
        if node_id == 0 and extra_root_children:
            children = {**children, **extra_root_children}
        for name, child in children.items():
            child_id = ids.get(id(child))
            if child_id is None:
                child_id = ids[id(child)] = len(objects)
                objects.append(child)
                paths.append(paths[node_id] + [name])
                nodes.append(TrackableObject())
                queue.append(child_id)
            node.children.append(ObjectReference(child_id, name))
    tensors = {}
    for obj, path, node in zip(objects, paths, nodes):
        if isinstance(obj, Variable):
            key = checkpoint_key(path)
            node.attributes.append(SerializedTensor(VARIABLE_VALUE, obj.name.split(":")[0], key))
            tensors[key] = _variable_value(obj)
        elif isinstance(obj, PythonState):
            key = checkpoint_key(path, PY_STATE)
            node.attributes.append(SerializedTensor(PY_STATE, "", key))
            state = obj.serialize()
            tensors[key] = np.array(
                state.encode() if isinstance(state, str) else bytes(state), dtype=object
            )
    # A node has values when it or any node below it saved a tensor (to a fixed point:
    # aliases can point back up the graph).
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if not node.has_checkpoint_values and (
                node.attributes
                or any(nodes[c.node_id].has_checkpoint_values for c in node.children)
            ):
                node.has_checkpoint_values = changed = True
    tensors[OBJECT_GRAPH_KEY] = np.array(TrackableObjectGraph(nodes).encode(), dtype=object)
    return tensors


class _Pending:
    """A saved child not found on a live object: retried when its anchor changes."""

    __slots__ = ("session", "anchor", "path", "name", "node_id")

    def __init__(self, session, anchor, path, name, node_id):
        self.session, self.anchor, self.path = session, anchor, path
        self.name, self.node_id = name, node_id

    def retry(self) -> None:
        if self.node_id in self.session.matched:
            return
        parent = self.anchor
        for name in self.path:
            parent = trackable.trackable_children(parent).get(name)
            if parent is None:
                break
        child = None if parent is None else trackable.trackable_children(parent).get(self.name)
        if child is None:
            trackable.add_deferred(self.anchor, self)
            return
        anchor, path = (
            (child, ()) if trackable.can_anchor(child) else (self.anchor, self.path + (self.name,))
        )
        self.session.match(self.node_id, child, anchor, path)


class RestoreSession:
    """One restore: the saved graph, the reader of its values, and what matched.

    Args:
        reader: a :class:`~tensorflux.train.tensor_bundle.BundleReader`.
        graph: the checkpoint's :class:`TrackableObjectGraph`.
    """

    def __init__(self, reader, graph: TrackableObjectGraph):
        self.reader = reader
        self.graph = graph
        self.matched: dict[int, object] = {}
        self.restored_keys: set[str] = set()

    def match(self, node_id: int, obj, anchor=None, path=()) -> None:
        """Pairs saved node ``node_id`` with live ``obj`` and everything below them,
        restoring variables as they pair up."""
        if anchor is None:
            anchor, path = (obj, ()) if trackable.can_anchor(obj) else (None, ())
        queue = collections.deque([(node_id, obj, anchor, path)])
        while queue:
            node_id, obj, anchor, path = queue.popleft()
            if node_id in self.matched:
                continue
            self.matched[node_id] = obj
            node = self.graph.nodes[node_id]
            for attribute in node.attributes:
                if attribute.name == VARIABLE_VALUE and isinstance(obj, Variable):
                    self._restore_variable(obj, attribute.checkpoint_key)
                elif attribute.name == PY_STATE and isinstance(obj, PythonState):
                    obj.deserialize(self.reader.get(attribute.checkpoint_key)[()])
                    self.restored_keys.add(attribute.checkpoint_key)
            live = trackable.trackable_children(obj)
            for ref in node.children:
                if ref.node_id in self.matched:
                    continue
                child = live.get(ref.local_name)
                if child is None:
                    if anchor is not None:
                        trackable.add_deferred(
                            anchor, _Pending(self, anchor, path, ref.local_name, ref.node_id)
                        )
                    continue
                if trackable.can_anchor(child):
                    queue.append((ref.node_id, child, child, ()))
                else:
                    queue.append((ref.node_id, child, anchor, path + (ref.local_name,)))

    def _restore_variable(self, variable: Variable, key: str) -> None:
        value = self.reader.get(key)
        if not variable.shape.is_compatible_with(value.shape):
            raise ValueError(
                f"Received incompatible tensor with shape {value.shape} when attempting to "
                f"restore variable with shape {tuple(variable.shape.as_list())} and name "
                f"{variable.name}."
            )
        if self.reader.dtype(key) is not variable.dtype:
            raise InvalidArgumentError(
                None,
                "RestoreV2",
                f"tensor_name = {key}; expected dtype {_proto_name(variable.dtype)} does not "
                f"equal original dtype {_proto_name(self.reader.dtype(key))}",
            )
        # Set directly, not through ``assign``: a restore is never part of a traced graph.
        variable._value = value
        self.restored_keys.add(key)

    # -- what the status object reports --------------------------------------------

    def saved_value_nodes(self) -> list[int]:
        return [i for i, node in enumerate(self.graph.nodes) if node.attributes]

    def unresolved_nodes(self) -> list[int]:
        """Saved nodes holding values that no live object has claimed (yet)."""
        return [i for i in self.saved_value_nodes() if i not in self.matched]
