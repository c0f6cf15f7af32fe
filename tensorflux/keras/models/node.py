"""``Node``: one call of a layer on Keras tensors, and the abstract evaluation behind it.

A node keeps what the call received (Keras tensors anywhere in the inputs, the
extra positional arguments or the keyword arguments; other values are constants)
and the Keras tensors it produced. A functional model is the graph of the nodes
between its inputs and outputs, and runs them again on real tensors.
"""

from __future__ import annotations

from tensorflux.engine.abstract import abstract_graph, abstract_value
from tensorflux.framework import dtypes, nest
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import get_mask, set_mask
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = ["Node", "abstract_outputs", "is_keras_tensor"]


def is_keras_tensor(x) -> bool:
    return getattr(x, "_is_keras_tensor", False)


class Node:
    """A layer call in the functional graph.

    Attributes:
        layer: the layer called.
        call_inputs / call_args / call_kwargs: the call's arguments as given.
        outputs: the output Keras tensors, in the structure the layer returned.
        keras_inputs: every Keras tensor among the arguments, in order.
    """

    def __init__(self, layer, call_inputs=None, call_args=(), call_kwargs=None, outputs=None):
        self.layer = layer
        self.call_inputs = call_inputs
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.keras_inputs = [
            x
            for x in nest.flatten((call_inputs, self.call_args, self.call_kwargs))
            if is_keras_tensor(x)
        ]
        self.is_input = not self.keras_inputs

    @property
    def flat_outputs(self) -> list:
        return nest.flatten(self.outputs)

    @property
    def parent_nodes(self) -> list:
        """The nodes that produced this node's Keras inputs."""
        return [x.node for x in self.keras_inputs]

    @property
    def input_shapes(self):
        return nest.map_structure(_shape_tuple, self.call_inputs)

    @property
    def output_shapes(self):
        return nest.map_structure(_shape_tuple, self.outputs)

    def run(self, values: dict) -> None:
        """Calls the layer again on real tensors: ``values`` maps the id of each Keras
        tensor to its value, and receives the values of this node's outputs."""

        def swap(x):
            return values[id(x)] if is_keras_tensor(x) else x

        inputs = nest.map_structure(swap, self.call_inputs)
        args = nest.map_structure(swap, self.call_args)
        kwargs = nest.map_structure(swap, self.call_kwargs)
        outputs = self.layer(inputs, *args, **kwargs)
        for kt, value in zip(self.flat_outputs, nest.flatten(outputs)):
            values[id(kt)] = value


def _shape_tuple(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        return x
    shape = TensorShape(shape)
    return tuple(shape.as_list()) if shape.rank is not None else None


def _abstract_input(graph, kt, name: str):
    if kt._sparse:
        rank = kt.shape.rank
        return SparseTensor._make(
            abstract_value(graph, [None, rank], dtypes.int64, name + "_indices"),
            abstract_value(graph, [None], kt.dtype, name + "_values"),
            abstract_value(graph, [rank], dtypes.int64, name + "_dense_shape"),
            kt.shape,
        )
    value = abstract_value(graph, kt.shape, kt.dtype, name)
    if kt._keras_mask is not None:
        set_mask(value, _abstract_input(graph, kt._keras_mask, name + "_mask"))
    return value


def abstract_outputs(layer, inputs, args, kwargs):
    """The layer's outputs as unconnected Keras tensors, found by abstract evaluation.

    ``call`` runs once on values that have the Keras tensors' dtypes and partial
    shapes only; each op it calls infers its outputs' dtypes and shapes by its rule,
    computing nothing (see ``engine.abstract``). ``training`` is False for this call.
    """
    from tensorflux.keras.models.keras_tensor import KerasTensor

    with abstract_graph(f"{layer.name}_build") as graph:
        feed = {}

        def swap(x):
            if not is_keras_tensor(x):
                return x
            if id(x) not in feed:
                feed[id(x)] = _abstract_input(graph, x, f"input_{len(feed)}")
            return feed[id(x)]

        call_kwargs = nest.map_structure(swap, dict(kwargs))
        if "training" in layer._call_spec:
            call_kwargs["training"] = False
        outputs = layer(
            nest.map_structure(swap, inputs), *nest.map_structure(swap, tuple(args)), **call_kwargs
        )

    def spec(x):
        out = KerasTensor(TensorShape(x.shape), x.dtype, None)
        # The mask's spec rides along, so that the next layer's call gets a mask too.
        mask = get_mask(x)
        if mask is not None:
            out._keras_mask = spec(mask)
        return out

    return nest.map_structure(spec, outputs)
