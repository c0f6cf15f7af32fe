"""``keras_metadata.pb`` (tf-keras' ``SavedMetadata``) and the JSON in it.

``SavedMetadata{repeated SavedObject nodes = 1}``, ``SavedObject{node_id = 2, node_path = 3,
identifier = 4, metadata = 5 (JSON), version = 6 (VersionDef)}``, as tf-keras 2.21's
``protobuf/saved_metadata.proto``. The root's JSON holds the model's ``class_name``,
``config``, ``build_input_shape``, ``training_config`` and ``keras_version``; tf-keras
writes tuples in it as ``{"class_name": "__tuple__", "items": [...]}``.
"""

from __future__ import annotations

from tensorflux.framework.proto_wire import Message, MessageWriter

__all__ = ["encode_metadata", "decode_metadata", "plain_config", "tf_keras_config"]

KERAS_VERSION = "2.21.0"


def encode_metadata(objects: list) -> bytes:
    """``objects``: ``(node_id, node_path, identifier, JSON text)`` tuples."""
    w = MessageWriter()
    for node_id, path, identifier, metadata in objects:
        version = MessageWriter().varint(1, 2).varint(2, 1)
        w.raw(
            1,
            MessageWriter()
            .varint(2, node_id)
            .raw(3, path)
            .raw(4, identifier)
            .raw(5, metadata)
            .raw(6, version),
        )
    return w.bytes()


def decode_metadata(data: bytes) -> list:
    """``[{"node_id", "node_path", "identifier", "metadata"}]`` (metadata as JSON text).

    Raises:
        ProtoDecodeError: the bytes are not a SavedMetadata message.
    """
    return [
        {
            "node_id": n.int64(2),
            "node_path": n.string(3),
            "identifier": n.string(4),
            "metadata": n.string(5),
        }
        for n in Message(data).messages(1)
    ]


def plain_config(value):
    """A config from keras_metadata as ``from_config`` takes it: ``__tuple__`` and
    ``TensorShape`` records become lists, ``shared_object_id`` keys and InputLayer's
    ``optional: false`` are dropped, and tf-keras' functional nodes (lists of
    ``[layer, node index, tensor index, kwargs]``) become tensorflux's node records."""
    if isinstance(value, dict):
        if value.get("class_name") in ("__tuple__", "TensorShape") and "items" in value:
            return [plain_config(v) for v in value["items"]]
        out = {k: plain_config(v) for k, v in value.items() if k != "shared_object_id"}
        if out.get("class_name") == "InputLayer" and isinstance(out.get("config"), dict):
            # tf-keras 2.21 writes InputLayer's `optional` (False unless the input may be
            # None), which tensorflux's InputLayer does not take.
            if not out["config"].get("optional", False):
                out["config"].pop("optional", None)
        if isinstance(out.get("inbound_nodes"), list):
            out["inbound_nodes"] = [_node_record(n) for n in out["inbound_nodes"]]
        return out
    if isinstance(value, list):
        return [plain_config(v) for v in value]
    return value


def _node_record(node):
    """A tf-keras inbound node ``[[layer, node_index, tensor_index, kwargs], ...]`` as
    ``{"inputs", "args", "kwargs"}`` with ``["__keras_tensor__", ...]`` references."""
    if not isinstance(node, list):
        return node
    refs = [["__keras_tensor__", item[0], item[1], item[2]] for item in node]
    kwargs = node[0][3] if node and len(node[0]) > 3 and node[0][3] else {}
    kwargs = _map_kwargs(kwargs, _is_triple, lambda t: ["__keras_tensor__", *t])
    return {"inputs": refs[0] if len(refs) == 1 else refs, "args": [], "kwargs": kwargs}


def _is_triple(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:])
    )


def _is_ref(value) -> bool:
    return isinstance(value, list) and len(value) == 4 and value[0] == "__keras_tensor__"


def _map_kwargs(value, matches, convert):
    """A call's keyword arguments with the tensor references among them converted
    (tf-keras writes a keyword tensor, such as an RNN's ``initial_state``, as a
    ``[layer, node index, tensor index]`` triple)."""
    if matches(value):
        return convert(value)
    if isinstance(value, list):
        return [_map_kwargs(v, matches, convert) for v in value]
    if isinstance(value, dict):
        return {k: _map_kwargs(v, matches, convert) for k, v in value.items()}
    return value


def tf_keras_config(value):
    """A config as tf-keras writes it in keras_metadata: functional nodes as lists of
    ``[layer, node index, tensor index, kwargs]`` (the inverse of :func:`plain_config`'s
    node conversion), which tf-keras' loader requires."""
    if isinstance(value, dict):
        out = {k: tf_keras_config(v) for k, v in value.items()}
        nodes = out.get("inbound_nodes")
        if isinstance(nodes, list) and all(isinstance(n, dict) and "inputs" in n for n in nodes):
            out["inbound_nodes"] = [_node_list(n) for n in nodes]
        return out
    if isinstance(value, list):
        return [tf_keras_config(v) for v in value]
    return value


def _node_list(node: dict) -> list:
    refs = node["inputs"]
    if refs and refs[0] == "__keras_tensor__":
        refs = [refs]
    kwargs = _map_kwargs(node.get("kwargs") or {}, _is_ref, lambda r: list(r[1:]))
    return [[ref[1], ref[2], ref[3], kwargs] for ref in refs]
