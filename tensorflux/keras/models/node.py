"""``Node``: one call of a layer on Keras tensors, and the shape probe behind it.

A node keeps what the call received (Keras tensors anywhere in the inputs, the
extra positional arguments or the keyword arguments; other values are constants)
and the Keras tensors it produced. A functional model is the graph of the nodes
between its inputs and outputs, and runs them again on real tensors.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.keras.layers.layer import get_mask, set_mask

__all__ = ["Node", "probe_outputs", "is_keras_tensor"]


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
        self.keras_inputs = [x for x in nest.flatten((call_inputs, self.call_args,
                                                      self.call_kwargs))
                             if is_keras_tensor(x)]
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


def _probe_value(kt, size: int) -> Tensor:
    dims = kt.shape.as_list() if kt.shape.rank is not None else [size]
    shape = tuple(size if d is None else d for d in dims)
    dtype = kt.dtype
    if dtype.name == "string":
        return Tensor(np.full(shape, b"", dtype=object), dtype)
    # Zeros for integers keep probes valid as indices (Embedding, one_hot, gather).
    fill = 0 if dtype.is_integer else 1
    value = Tensor(np.full(shape, fill, dtype=dtype.as_numpy_dtype), dtype)
    if kt._keras_mask is not None:
        set_mask(value, _probe_value(kt._keras_mask, size))
    return value


def probe_outputs(layer, inputs, args, kwargs):
    """The layer's outputs as unconnected Keras tensors, found by calling it on probes.

    Unknown dimensions of the inputs take the sizes 2 then 3; output dimensions that
    differ between the two runs are unknown. ``training`` is False for the probes.
    """
    from tensorflux.keras.models.keras_tensor import KerasTensor

    results = []
    for size in (2, 3):
        feed = {}

        def swap(x, size=size, feed=feed):
            if not is_keras_tensor(x):
                return x
            if id(x) not in feed:
                feed[id(x)] = _probe_value(x, size)
            return feed[id(x)]

        call_kwargs = nest.map_structure(swap, dict(kwargs))
        if "training" in layer._call_spec:
            call_kwargs["training"] = False
        results.append(layer(nest.map_structure(swap, inputs),
                             *nest.map_structure(swap, tuple(args)), **call_kwargs))

    def merge(a, b):
        a_shape, b_shape = TensorShape(a.shape), TensorShape(b.shape)
        if a_shape.rank != b_shape.rank:
            out = KerasTensor(TensorShape(None), a.dtype, None)
        else:
            out = KerasTensor([d if d == e else None
                               for d, e in zip(a_shape.as_list(), b_shape.as_list())],
                              a.dtype, None)
        # The mask's spec rides along, so that probing the next layer gets a mask too.
        a_mask, b_mask = get_mask(a), get_mask(b)
        if a_mask is not None and b_mask is not None:
            out._keras_mask = merge(a_mask, b_mask)
        return out

    return nest.map_structure(merge, results[0], results[1])
