"""``keras.Sequential``: a plain stack of layers, each feeding the next.

Once the input shape is known (``input_shape=`` on the first layer, an ``Input``
or ``InputLayer``, ``build(input_shape)``, or the first call on data) the model
is also a functional graph, so ``model.layers[i].output``, ``model.inputs`` and
``summary()`` work as in Keras 2. Calls run the layers one after the other.
"""

from __future__ import annotations

from tensorflux.framework import context, nest
from tensorflux.framework.context import eager_scope
from tensorflux.framework.name_scope import name_scope
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_layer import Input, InputLayer
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.models.functional import Functional, _conform
from tensorflux.keras.models.model import Model
from tensorflux.keras.models.node import is_keras_tensor

__all__ = ["Sequential"]


def _first_leaf_layer(layer):
    """The layer that receives ``layer``'s inputs: the first layer of the innermost
    nested Sequential/Functional model, where Keras looks for an ``input_shape``.

    Raises:
        ValueError: a nested model has no layers.
    """
    while isinstance(layer, Functional):
        if not layer.layers:
            raise ValueError("An empty Model cannot be used as a Layer.")
        layer = layer.layers[0]
    return layer


class Sequential(Functional):
    """A model that applies its layers in order.

    >>> import tensorflux as tf
    >>> model = tf.keras.Sequential([
    ...     tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)),
    ...     tf.keras.layers.Dense(1),
    ... ])
    >>> model.output_shape
    (None, 1)

    Args:
        layers: the layers, in order (more can be added with ``add``).
        name: the model name (default "sequential", "sequential_1", ...).
    """

    _untracked_attributes = Functional._untracked_attributes | {"_input_tensor", "_layer_outputs"}

    def __init__(self, layers=None, name=None, **kwargs):
        Model.__init__(self, name=name, **kwargs)
        self._stack = []
        self._input_tensor = None
        self._layer_outputs = []
        self._graph_layers = []
        # The input shape learnt from the data it was called on (None when an input
        # shape was given): Keras relaxes it, and rebuilds, as calls bring new shapes.
        self._inferred_input_shape = None
        self.inputs = self.outputs = None
        for layer in layers or []:
            self.add(layer)

    @property
    def _layers(self) -> list:
        return list(self._stack)

    @_layers.setter
    def _layers(self, layers) -> None:
        self._stack = [layer for layer in layers if not isinstance(layer, InputLayer)]

    def add(self, layer) -> None:
        """Appends a layer (or an ``Input`` tensor / ``InputLayer`` giving the input shape).

        Raises:
            TypeError: not a layer.
            ValueError: a duplicate layer name, or a layer with several outputs.
        """
        if is_keras_tensor(layer) and layer.node.is_input:
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise TypeError(
                "The added layer must be an instance of class Layer. Received: "
                f"layer={layer} of type {type(layer)}."
            )
        if isinstance(layer, InputLayer):
            if self._stack or self._input_tensor is not None:
                raise ValueError(
                    "An InputLayer can only be the first layer of a Sequential "
                    f"model; model {self.name!r} already has an input or layers."
                )
            self._input_tensor = layer.output
            self._set_graph(self._input_tensor)
            return
        if any(layer.name == other.name for other in self._stack):
            raise ValueError(
                "All layers added to a Sequential model should have unique names. "
                f'Name "{layer.name}" is already the name of a layer in this model. '
                "Update the `name` argument to pass a unique name."
            )
        first = _first_leaf_layer(layer)
        if self._input_tensor is None and not self._stack and first._batch_input_shape:
            self._input_tensor = Input(
                batch_shape=first._batch_input_shape, dtype=first.dtype, name=f"{layer.name}_input"
            )
            self._set_graph(self._input_tensor)
        if self._input_tensor is not None:
            output = layer(self._layer_outputs[-1] if self._layer_outputs else self._input_tensor)
            if len(nest.flatten(output)) != 1:
                raise ValueError(
                    "All layers in a Sequential model should have a single output "
                    "tensor. For multi-output layers, use the functional API."
                )
            self._stack.append(layer)
            self._layer_outputs.append(output)
            self._set_graph(output)
        else:
            self._stack.append(layer)

    def pop(self) -> None:
        """Removes the last layer.

        Raises:
            TypeError: if the model has no layers.
        """
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        if self._layer_outputs:
            self._layer_outputs.pop()
            self._set_graph(self._layer_outputs[-1] if self._layer_outputs else self._input_tensor)
        elif self._input_tensor is None:
            self.built = False

    def _set_graph(self, output) -> None:
        self._init_graph(self._input_tensor, output)
        self._autocast = True

    @property
    def _graph_built(self) -> bool:
        return self._input_tensor is not None

    def build(self, input_shape=None) -> None:
        """Creates the input and the weights for inputs of ``input_shape`` (batch included).

        Raises:
            ValueError: no input shape given or known from the first layer.
        """
        if self._graph_built:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._build_from_shape(TensorShape(input_shape).as_list(), self._dtype)

    def _build_from_shape(self, shape, dtype) -> None:
        first = self._stack[0].name if self._stack else "sequential"
        # TF builds the layers under ``init_scope``, outside any name scope.
        with eager_scope(), name_scope(""):
            self._input_tensor = Input(batch_shape=tuple(shape), dtype=dtype, name=f"{first}_input")
            self._set_graph(self._input_tensor)
            x = self._input_tensor
            for layer in self._stack:
                x = layer(x)
                self._layer_outputs.append(x)
            self._set_graph(x)

    def _maybe_build(self, inputs) -> None:
        flat = nest.flatten(inputs)
        single = len(flat) == 1 and hasattr(flat[0], "shape")
        if self._graph_built:
            if single and self._inferred_input_shape is not None:
                self._relax_input_shape(TensorShape(flat[0].shape).as_list(), flat[0].dtype)
            return
        if single:
            shape = TensorShape(flat[0].shape).as_list()
            if context.state.graph is not None and shape:
                # Keras 2 traces its fit/evaluate/predict steps for batches of any size, so
                # a model first built there takes inputs of an unknown batch size.
                shape[0] = None
            self._inferred_input_shape = tuple(shape)
            self._build_from_shape(shape, flat[0].dtype)
        else:
            self.built = True

    def _relax_input_shape(self, shape, dtype) -> None:
        """Rebuilds the graph for an input shape with ``None`` wherever ``shape``
        differs from the shape learnt so far (inputs of another rank are left to fail)."""
        known = self._inferred_input_shape
        if len(shape) != len(known):
            return
        relaxed = tuple(None if a != b else a for a, b in zip(known, shape))
        if relaxed == known:
            return
        previous = {id(x) for x in self._layer_outputs}
        for layer in self._stack:
            layer._inbound_nodes[:] = [
                node
                for node in layer._inbound_nodes
                if not any(id(x) in previous for x in node.flat_outputs)
            ]
        self._input_tensor = None
        self._layer_outputs = []
        self._inferred_input_shape = relaxed
        self._build_from_shape(list(relaxed), dtype)

    def _init_graph(self, inputs, outputs) -> None:
        super()._init_graph(inputs, outputs)
        if self._inferred_input_shape is not None:
            # As in Keras, a model that learnt its input shape from data checks none: a
            # call with another shape relaxes it instead.
            self.input_spec = None
            return
        # Data of any batch size may follow the batch the model was built from.
        for spec in self.input_spec:
            spec.shape = (None,) + tuple(spec.shape[1:])

    def _outputs_for_reference_inputs(self, inputs):
        return super()._outputs_for_reference_inputs(inputs) if self._graph_built else None

    def call(self, inputs, training=None, mask=None):
        if isinstance(inputs, dict):
            raise ValueError(
                f'Sequential model "{self.name}" expects one input tensor, but it '
                f"received a dict with keys {sorted(inputs)}. Pass the tensor "
                f"itself, or build a functional model whose Input names match "
                f"the keys."
            )
        x = inputs
        if self._graph_built and len(nest.flatten(x)) == 1:
            # As a functional model does with its Input: data of shape (batch,) feeds an
            # input of shape (batch, 1), so 1-D arrays train ``Dense(1, input_shape=[1])``,
            # and data is cast to the Input's dtype, so uint8 images train a float32 model.
            x = _conform(nest.flatten(x)[0], self.inputs[0])
        if mask is not None:
            from tensorflux.keras.layers.layer import set_mask

            set_mask(x, mask)
        for layer in self._stack:
            x = layer(x)
        return x

    @property
    def input_shape(self):
        if not self._graph_built:
            raise AttributeError(
                f'The layer "{self.name}" has never been called and thus has '
                "no defined input shape."
            )
        return super().input_shape

    @property
    def output_shape(self):
        if not self._graph_built:
            raise AttributeError(
                f'The layer "{self.name}" has never been called and thus has '
                "no defined output shape."
            )
        return super().output_shape

    def get_config(self) -> dict:
        from tensorflux.keras.layers import serialization

        layers = [serialization.serialize(layer) for layer in self._stack]
        if self._input_tensor is not None:
            layers.insert(0, serialization.serialize(self._input_tensor._keras_history[0]))
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from tensorflux.keras.layers import serialization

        model = cls(name=config.get("name"))
        for entry in config["layers"]:
            model.add(serialization.deserialize(entry, custom_objects=custom_objects))
        return model
