"""``keras.utils.get_source_inputs``: the Input tensors a functional-API tensor comes from."""

from __future__ import annotations

from tensorflux.framework import nest

__all__ = ["get_source_inputs"]


def get_source_inputs(tensor, layer=None, node_index=None):
    """The ``keras.Input`` tensors needed to compute the Keras tensor ``tensor``, each
    once, in the order the graph reaches them (``[tensor]`` for an Input itself).

    Args:
        tensor: a Keras tensor; any other value is returned as it is.
        layer / node_index: the layer call that produced ``tensor`` (default: its own
            history; as in Keras, a truthy ``node_index`` also falls back to it).

    Returns:
        A list of Keras tensors.

    >>> import tensorflux as tf
    >>> a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((3,), name="b")
    >>> y = tf.keras.layers.Dense(2)(tf.keras.layers.Add()([a, b]))
    >>> [t is a for t in tf.keras.utils.get_source_inputs(y)]
    [True, False]
    """
    history = getattr(tensor, "_keras_history", None)
    if not hasattr(tensor, "_keras_history"):
        return tensor
    if layer is None or node_index:
        if history is None:
            return [tensor]
        layer, node_index, _ = history
    if not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if node.is_input:
        return nest.flatten(node.outputs)
    sources = []
    for parent in node.keras_inputs:
        parent_layer, parent_index, _ = parent._keras_history
        for x in get_source_inputs(parent, parent_layer, parent_index):
            if all(x is not s for s in sources):
                sources.append(x)
    return sources
