"""Live objects <-> a checkpoint's object graph: what a save writes, and how a restore
finds each saved value's variable (now, or later when the variable is created).

Saving walks the objects breadth-first from the root; each object gets a node id the
first time it is reached, and the path of local names that first reached it names its
tensors (so a model's ``layer-0`` and ``layer_with_weights-0``, one node, give one key).
Restoring walks the saved graph and the live objects together, matching children by
local name; a name whose object does not exist yet is left pending on the nearest
live object that can hold it and retried when that object gains children.

Optimizer slot variables are no one's children: a save lists them after all other
objects, on their optimizer's node; a restore hands each to its optimizer once the
slotted variable and the optimizer have both matched.
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
    SlotVariableReference,
    TrackableObject,
    TrackableObjectGraph,
    checkpoint_key,
    object_path,
    slot_variable_path,
)
from tensorflux.train.python_state import PY_STATE, PythonState

__all__ = ["RestoreSession", "SlotVariablePosition", "serialize", "slot_variables"]


def _proto_name(dtype) -> str:
    """A dtype as TF's DataTypeString spells it in kernel messages ("float", "double")."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _variable_value(variable: Variable) -> np.ndarray:
    return np.asarray(variable._value)


def _slot_protocol(obj) -> bool:
    # As TF: any object with ``get_slot_names``/``get_slot`` files slots (looked up on
    # the class, so an instance ``__getattr__`` is not consulted).
    return hasattr(type(obj), "get_slot_names") and hasattr(type(obj), "get_slot")


def slot_variables(objects) -> list:
    """The slot variables of the optimizers among ``objects`` for the variables among
    them, as ``(optimizer index, variable index, slot name, slot)``: by optimizer, slot
    name, then variable, the order a checkpoint lists them in.

    Raises:
        NotImplementedError: a slot with children of its own, or that is also one of
            ``objects`` (as TF).
    """
    ids = {id(obj) for obj in objects}
    found = []
    for optimizer_id, optimizer in enumerate(objects):
        if not _slot_protocol(optimizer):
            continue
        for slot_name in optimizer.get_slot_names():
            for variable_id, variable in enumerate(objects):
                try:
                    slot = optimizer.get_slot(variable, slot_name)
                except (AttributeError, KeyError):
                    continue
                if slot is None:
                    continue
                if trackable.trackable_children(slot):
                    raise NotImplementedError(
                        "Currently only variables with no dependencies can be saved as "
                        "slot variables. File a feature request if this limitation "
                        "bothers you."
                    )
                if id(slot) in ids:
                    raise NotImplementedError(
                        "A slot variable was re-used as a dependency of a Trackable "
                        f"object: {slot}. This is not currently allowed. File a feature "
                        "request if this limitation bothers you."
                    )
                ids.add(id(slot))
                found.append((optimizer_id, variable_id, slot_name, slot))
    return found


def serialize(root, extra_root_children=None) -> dict:
    """The tensors of a checkpoint of ``root``: every variable reachable from it, keyed
    by path, the slot variables of the optimizers among them, and the object graph
    under ``_CHECKPOINTABLE_OBJECT_GRAPH``.

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
    names = [object_path(path) for path in paths]
    for optimizer_id, variable_id, slot_name, slot in slot_variables(objects[:]):
        nodes[optimizer_id].slot_variables.append(
            SlotVariableReference(variable_id, slot_name, len(objects))
        )
        objects.append(slot)
        names.append(slot_variable_path(names[variable_id], names[optimizer_id], slot_name))
        nodes.append(TrackableObject())
    tensors = {}
    for obj, name, node in zip(objects, names, nodes):
        if isinstance(obj, Variable):
            key = checkpoint_key(name)
            node.attributes.append(SerializedTensor(VARIABLE_VALUE, obj.name.split(":")[0], key))
            tensors[key] = _variable_value(obj)
        elif isinstance(obj, PythonState):
            key = checkpoint_key(name, PY_STATE)
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
                or node.slot_variables
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


class SlotVariablePosition:
    """A saved slot variable, handed to the optimizer that owns it
    (``_create_or_restore_slot_variable``): the optimizer creates the slot from it or
    keeps it until it creates the slot, then calls :meth:`restore`."""

    __slots__ = ("session", "node_id")

    def __init__(self, session: RestoreSession, node_id: int):
        self.session, self.node_id = session, node_id

    def _key(self) -> str:
        for attribute in self.session.graph.nodes[self.node_id].attributes:
            if attribute.name == VARIABLE_VALUE:
                return attribute.checkpoint_key
        return ""

    def is_simple_variable(self) -> bool:
        """Whether the saved slot is one plain variable value (then the slot can be
        created holding it)."""
        node = self.session.graph.nodes[self.node_id]
        return len(node.attributes) == 1 and bool(self._key()) and not node.children

    def value(self) -> np.ndarray:
        """The saved value."""
        return self.session.reader.get(self._key())

    def value_shape(self) -> list:
        """The saved value's shape."""
        return list(self.session.reader.shape(self._key()))

    def restore(self, slot_variable) -> None:
        """Restores the saved value into ``slot_variable``, the slot it was saved from."""
        self.session.match(self.node_id, slot_variable)


class RestoreSession:
    """One restore: the saved graph, the reader of its values, and what matched.

    Slot variables are saved under no parent: a slot is restored once the variable it
    slots for and its optimizer are both matched, whichever comes first; the optimizer
    creates the slot then, holding the saved value (or restores it when it creates the
    slot itself, if it cannot create it at once).

    Args:
        reader: a :class:`~tensorflux.train.tensor_bundle.BundleReader`.
        graph: the checkpoint's :class:`TrackableObjectGraph`.
        skip_slot_variables: restore no slot variables
            (``CheckpointOptions.experimental_skip_slot_variables``).
    """

    def __init__(self, reader, graph: TrackableObjectGraph, skip_slot_variables=False):
        self.reader = reader
        self.graph = graph
        self.skip_slot_variables = skip_slot_variables
        self.matched: dict[int, object] = {}
        self.restored_keys: set[str] = set()
        # Slotted variable's node -> [(optimizer node, slot node, slot name)], waiting
        # for the variable to match.
        self.slot_restorations: dict[int, list] = collections.defaultdict(list)
        # Optimizer's node -> [(live variable, slot node, slot name)], waiting for the
        # optimizer to match.
        self.deferred_slot_restorations: dict[int, list] = {}
        if not skip_slot_variables:
            for optimizer_id, node in enumerate(graph.nodes):
                for ref in node.slot_variables:
                    self.slot_restorations[ref.original_variable_node_id].append(
                        (optimizer_id, ref.slot_variable_node_id, ref.slot_name)
                    )

    def slot_variable_nodes(self) -> set:
        """The nodes of the saved slot variables."""
        return {ref.slot_variable_node_id for n in self.graph.nodes for ref in n.slot_variables}

    def match(self, node_id: int, obj, anchor=None, path=()) -> None:
        """Pairs saved node ``node_id`` with live ``obj`` and everything below them,
        restoring variables as they pair up (breadth-first; a node counts as matched
        from when it is queued, so slots see an optimizer reached on the same level)."""
        if node_id in self.matched:
            return
        if anchor is None:
            anchor, path = (obj, ()) if trackable.can_anchor(obj) else (None, ())
        self.matched[node_id] = obj
        queue = collections.deque([(node_id, obj, anchor, path)])
        while queue:
            node_id, obj, anchor, path = queue.popleft()
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
                self.matched[ref.node_id] = child
                if trackable.can_anchor(child):
                    queue.append((ref.node_id, child, child, ()))
                else:
                    queue.append((ref.node_id, child, anchor, path + (ref.local_name,)))
            self._queue_slot_variables(node_id, obj, queue)

    def _queue_slot_variables(self, node_id: int, obj, queue) -> None:
        """Restores the slots waiting on ``node_id``, now matched to ``obj``: as an
        optimizer, those of variables matched before it; as a variable, its own (or
        leaves them for its optimizer when that has not matched yet)."""
        for variable, slot_id, slot_name in self.deferred_slot_restorations.pop(node_id, ()):
            self._create_slot_variable(obj, variable, slot_id, slot_name, queue)
        for optimizer_id, slot_id, slot_name in self.slot_restorations.pop(node_id, ()):
            optimizer = self.matched.get(optimizer_id)
            if optimizer is None:
                self.deferred_slot_restorations.setdefault(optimizer_id, []).append(
                    (obj, slot_id, slot_name)
                )
            else:
                self._create_slot_variable(optimizer, obj, slot_id, slot_name, queue)

    def _create_slot_variable(self, optimizer, variable, slot_id, slot_name, queue) -> None:
        # The optimizer's node may be matched to an object that is no optimizer (a
        # Checkpoint holding only its iterations): no slots to restore then.
        if not hasattr(optimizer, "_create_or_restore_slot_variable"):
            return
        slot = optimizer._create_or_restore_slot_variable(
            slot_variable_position=SlotVariablePosition(self, slot_id),
            slot_name=slot_name,
            variable=variable,
        )
        if slot is not None and slot_id not in self.matched:
            self.matched[slot_id] = slot
            queue.append((slot_id, slot, None, ()))

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
        """Saved nodes holding values (not the slot variables, when they are skipped)."""
        skipped = self.slot_variable_nodes() if self.skip_slot_variables else set()
        return [
            i for i, node in enumerate(self.graph.nodes) if node.attributes and i not in skipped
        ]

    def unresolved_nodes(self) -> list[int]:
        """Saved nodes holding values that no live object has claimed (yet)."""
        return [i for i in self.saved_value_nodes() if i not in self.matched]
