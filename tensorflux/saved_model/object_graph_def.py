"""The ``SavedObjectGraph`` of a SavedModel (TF's ``saved_object_graph.proto``): the tree
of objects (user objects, variables, functions, signatures) and the concrete functions
their FunctionDefs implement.

Objects are built as :class:`SavedNode` s, then encoded; decoding gives the same
records back. Node 0 is the root; a node's ``children`` are ``(local name, node id)``.
"""

from __future__ import annotations

from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import Message, MessageWriter

__all__ = ["SavedNode", "encode_object_graph", "decode_object_graph", "node_paths"]

USER_OBJECT, VARIABLE, FUNCTION, BARE_CONCRETE_FUNCTION, ASSET = (
    "user_object",
    "variable",
    "function",
    "bare_concrete_function",
    "asset",
)


class SavedNode:
    """One object of the graph.

    ``kind`` is ``user_object`` (``identifier``, ``metadata``), ``variable`` (``dtype``,
    ``shape``, ``trainable``, ``name``), ``function`` (``concrete_functions``,
    ``input_signature``) or ``bare_concrete_function`` (``concrete_function_name``,
    ``argument_keywords``, ``allowed_positional_arguments``) or ``asset``
    (``asset_file_def_index``: its entry in the MetaGraphDef's asset file list, which
    names its file in ``assets/``); other kinds a decoded
    graph holds keep ``kind`` None.
    """

    def __init__(self, kind, **fields):
        self.kind = kind
        self.children: list[tuple[str, int]] = []
        # An optimizer's slots: (slotted variable's node, slot name, slot's node).
        self.slot_variables: list[tuple[int, str, int]] = []
        self.__dict__.update(fields)


# The identifiers TF writes at version 2: its loader revives them only then.
_PRODUCERS = {"optimizer": 2, "experimentalOptimizer": 2}


def _version(producer: int = 1, min_consumer: int = 1) -> MessageWriter:
    return MessageWriter().varint(1, producer).varint(2, min_consumer)


def _encode_node(node: SavedNode) -> MessageWriter:
    w = MessageWriter()
    for name, child in node.children:
        w.raw(1, MessageWriter().varint(1, child).raw(2, name))
    for original, slot_name, slot in node.slot_variables:
        w.raw(3, MessageWriter().varint(1, original).raw(2, slot_name).varint(3, slot))
    if node.kind == USER_OBJECT:
        producer = _PRODUCERS.get(node.identifier, 1)
        user = MessageWriter().raw(1, node.identifier).raw(2, _version(producer))
        if getattr(node, "metadata", ""):
            user.raw(3, node.metadata)
        w.raw(4, user)
    elif node.kind == ASSET:
        w.raw(5, MessageWriter().varint(1, node.asset_file_def_index))
    elif node.kind == VARIABLE:
        var = MessageWriter().varint(1, node.dtype.as_datatype_enum)
        var.raw(2, protos.encode_shape(node.shape)).varint(3, bool(node.trainable))
        w.raw(7, var.raw(6, node.name))
    elif node.kind == FUNCTION:
        fn = MessageWriter()
        for name in node.concrete_functions:
            fn.raw(1, name)
        spec = MessageWriter().raw(
            1, protos.encode_structure(protos.full_arg_spec(getattr(node, "arg_names", None) or []))
        )
        spec.varint(2, bool(getattr(node, "is_method", False)))
        spec.raw(5, protos.encode_structure(node.input_signature))
        w.raw(6, fn.raw(2, spec))
    elif node.kind == BARE_CONCRETE_FUNCTION:
        bare = MessageWriter().raw(1, node.concrete_function_name)
        for key in node.argument_keywords:
            bare.raw(2, key)
        w.raw(8, bare.varint(3, node.allowed_positional_arguments))
    return w


def encode_object_graph(nodes: list, concrete_functions: dict) -> bytes:
    """A SavedObjectGraph; ``concrete_functions`` maps a function name to
    ``(bound input node ids, canonicalized input signature, output signature)``."""
    w = MessageWriter()
    for node in nodes:
        w.raw(1, _encode_node(node))
    for name in sorted(concrete_functions):
        bound, inputs, outputs = concrete_functions[name]
        fn = MessageWriter()
        if bound:
            fn.packed_varints(2, bound)
        fn.raw(3, protos.encode_structure(inputs)).raw(4, protos.encode_structure(outputs))
        w.raw(2, MessageWriter().raw(1, name).raw(2, fn))
    return w.bytes()


def _decode_node(m: Message) -> SavedNode:
    if m.has(4):
        user = m.message(4)
        node = SavedNode(USER_OBJECT, identifier=user.string(1), metadata=user.string(3))
    elif m.has(5):
        node = SavedNode(ASSET, asset_file_def_index=m.message(5).int64(1))
    elif m.has(7):
        var = m.message(7)
        node = SavedNode(
            VARIABLE,
            dtype=protos.dtype_from_enum(var.varint(1)),
            shape=protos.decode_shape(var.message(2)),
            trainable=bool(var.varint(3)),
            name=var.string(6),
        )
    elif m.has(6):
        fn = m.message(6)
        node = SavedNode(
            FUNCTION,
            concrete_functions=[n.decode() for n in fn.all(1)],
            input_signature=protos.decode_structure(fn.message(2).message(5)),
        )
    elif m.has(8):
        bare = m.message(8)
        node = SavedNode(
            BARE_CONCRETE_FUNCTION,
            concrete_function_name=bare.string(1),
            argument_keywords=[k.decode() for k in bare.all(2)],
            allowed_positional_arguments=bare.int64(3),
        )
    else:
        node = SavedNode(None)
    node.children = [(ref.string(2), ref.int64(1)) for ref in m.messages(1)]
    node.slot_variables = [(ref.int64(1), ref.string(2), ref.int64(3)) for ref in m.messages(3)]
    return node


def decode_object_graph(m: Message):
    """``(nodes, concrete_functions)`` as :func:`encode_object_graph` takes them."""
    nodes = [_decode_node(n) for n in m.messages(1)]
    functions = {}
    for entry in m.messages(2):
        fn = entry.message(2)
        functions[entry.string(1)] = (
            fn.packed_varints(2),
            protos.decode_structure(fn.message(3)),
            protos.decode_structure(fn.message(4)),
        )
    return nodes, functions


def node_paths(nodes: list) -> dict:
    """Each node's path from the root (its list of local names), breadth first in
    children order: the path under which a checkpoint stores a variable."""
    paths: dict[int, list] = {0: []}
    queue = [0]
    for node_id in queue:
        for name, child in nodes[node_id].children:
            if child not in paths and 0 <= child < len(nodes):
                paths[child] = paths[node_id] + [name]
                queue.append(child)
    return paths
