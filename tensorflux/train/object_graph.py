"""The ``TrackableObjectGraph`` protocol buffer stored in every object-based checkpoint.

The graph is saved as the scalar string tensor ``_CHECKPOINTABLE_OBJECT_GRAPH``. Node 0
is the root object; each node lists its children (node id, local name), the tensors it
saved (``attributes``: the value's name ``VARIABLE_VALUE``, the variable's full name and
the tensor's key in the bundle) and, for optimizers with slots (the legacy Keras
optimizers, TF1's), slot variable references: (slotted variable's node, slot name,
slot's node). A tensor's key is the path of local names from the root, each escaped,
joined by ``/``, then ``/.ATTRIBUTES/VARIABLE_VALUE``; a slot, child of no node, is
named ``<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot name>``.
"""

from __future__ import annotations

import dataclasses

from tensorflux.framework.proto_wire import Message, MessageWriter

__all__ = [
    "OBJECT_GRAPH_KEY",
    "ObjectReference",
    "SerializedTensor",
    "SlotVariableReference",
    "TrackableObject",
    "TrackableObjectGraph",
    "checkpoint_key",
    "escape_local_name",
    "object_path",
    "slot_variable_path",
]

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
VARIABLE_VALUE = "VARIABLE_VALUE"
OPTIMIZER_SLOT = ".OPTIMIZER_SLOT"
_ESCAPE = "."


def escape_local_name(name: str) -> str:
    """A local name made safe inside a key path (``.`` doubles, ``/`` becomes ``.S``).

    >>> escape_local_name("a/b.c")
    'a.Sb..c'
    """
    return name.replace(_ESCAPE, _ESCAPE * 2).replace("/", _ESCAPE + "S")


def object_path(path) -> str:
    """The escaped path of local names from the root that names an object's keys.

    >>> object_path(["model", "layer/0"])
    'model/layer.S0'
    """
    return "/".join(escape_local_name(name) for name in path)


def slot_variable_path(variable_path: str, optimizer_path: str, slot_name: str) -> str:
    """The name of an optimizer's slot variable (its keys' prefix): the slotted
    variable's path, ``.OPTIMIZER_SLOT``, the optimizer's path and the slot name. A slot
    is not a child of any object: it belongs to the (optimizer, variable) pair.

    >>> slot_variable_path("model/dense/kernel", "optimizer", "m")
    'model/dense/kernel/.OPTIMIZER_SLOT/optimizer/m'
    """
    return f"{variable_path}/{OPTIMIZER_SLOT}/{optimizer_path}/{escape_local_name(slot_name)}"


def checkpoint_key(path, attribute: str = VARIABLE_VALUE) -> str:
    """The bundle key of an attribute saved by the object at ``path`` (local names, or
    an already escaped path string from :func:`object_path`).

    >>> checkpoint_key(["model", "layer_with_weights-0", "kernel"])
    'model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE'
    """
    prefix = path if isinstance(path, str) else object_path(path)
    return "/".join(([prefix] if prefix else []) + [".ATTRIBUTES", attribute])


@dataclasses.dataclass
class ObjectReference:
    node_id: int
    local_name: str


@dataclasses.dataclass
class SerializedTensor:
    name: str
    full_name: str
    checkpoint_key: str


@dataclasses.dataclass
class SlotVariableReference:
    original_variable_node_id: int
    slot_name: str
    slot_variable_node_id: int


@dataclasses.dataclass
class TrackableObject:
    children: list = dataclasses.field(default_factory=list)
    attributes: list = dataclasses.field(default_factory=list)
    slot_variables: list = dataclasses.field(default_factory=list)
    has_checkpoint_values: bool = False


def _string(writer: MessageWriter, field: int, text: str) -> None:
    if text:
        writer.raw(field, text)


def _varint(writer: MessageWriter, field: int, value: int) -> None:
    if value:
        writer.varint(field, value)


@dataclasses.dataclass
class TrackableObjectGraph:
    """The whole graph: ``nodes[0]`` is the root.

    >>> graph = TrackableObjectGraph([
    ...     TrackableObject(children=[ObjectReference(1, "v")], has_checkpoint_values=True),
    ...     TrackableObject(attributes=[SerializedTensor("VARIABLE_VALUE", "v",
    ...                                                  "v/.ATTRIBUTES/VARIABLE_VALUE")],
    ...                     has_checkpoint_values=True)])
    >>> TrackableObjectGraph.decode(graph.encode()) == graph
    True
    """

    nodes: list = dataclasses.field(default_factory=list)

    def encode(self) -> bytes:
        """The serialized ``TrackableObjectGraph`` message."""
        graph = MessageWriter()
        for node in self.nodes:
            proto = MessageWriter()
            for child in node.children:
                ref = MessageWriter()
                _varint(ref, 1, child.node_id)
                _string(ref, 2, child.local_name)
                proto.raw(1, ref)
            for attribute in node.attributes:
                tensor = MessageWriter()
                _string(tensor, 1, attribute.name)
                _string(tensor, 2, attribute.full_name)
                _string(tensor, 3, attribute.checkpoint_key)
                proto.raw(2, tensor)
            for slot in node.slot_variables:
                ref = MessageWriter()
                _varint(ref, 1, slot.original_variable_node_id)
                _string(ref, 2, slot.slot_name)
                _varint(ref, 3, slot.slot_variable_node_id)
                proto.raw(3, ref)
            flag = MessageWriter()
            _varint(flag, 1, int(node.has_checkpoint_values))
            proto.raw(5, flag)  # a google.protobuf.BoolValue, present even when false
            graph.raw(1, proto)
        return graph.bytes()

    @classmethod
    def decode(cls, data) -> TrackableObjectGraph:
        """Parses a serialized graph.

        Raises:
            ProtoDecodeError: the bytes are not a well-formed message.
        """
        nodes = []
        for proto in Message(data).messages(1):
            nodes.append(
                TrackableObject(
                    children=[
                        ObjectReference(ref.int64(1), ref.string(2)) for ref in proto.messages(1)
                    ],
                    attributes=[
                        SerializedTensor(t.string(1), t.string(2), t.string(3))
                        for t in proto.messages(2)
                    ],
                    slot_variables=[
                        SlotVariableReference(ref.int64(1), ref.string(2), ref.int64(3))
                        for ref in proto.messages(3)
                    ],
                    has_checkpoint_values=bool(proto.message(5).varint(1)),
                )
            )
        return cls(nodes)
