"""The functional API: layer calls on Keras tensors, and ``Functional`` models.

``symbolic_call`` is what ``Layer.__call__`` does with Keras tensors: it builds the
layer from their shapes, finds the output shapes and dtypes by abstract evaluation
of the layer's ``call`` (inference rules only, no kernels: ``node.abstract_outputs``),
and records a ``Node``. ``Model(inputs, outputs)`` maps
the graph of nodes between them and, when called on real tensors, runs the nodes
again in order.

Layers are ordered as Keras 2 orders them: by depth from the outputs (inputs
first), and at equal depth in the order a walk back from the outputs meets them.
"""

from __future__ import annotations

from tensorflux.framework import nest, trackable
from tensorflux.framework.context import eager_scope
from tensorflux.framework.name_scope import name_scope
from tensorflux.keras.layers.input_spec import InputSpec, assert_input_compatibility
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.models.keras_tensor import KerasTensor, record_values
from tensorflux.keras.models.model import Model
from tensorflux.keras.models.node import Node, abstract_outputs, is_keras_tensor

__all__ = ["Functional", "symbolic_call"]


def symbolic_call(layer, inputs, args, kwargs):
    """Calls ``layer`` on Keras tensors: builds it, records a node, returns Keras tensors.

    Raises:
        ValueError: inputs the layer's ``input_spec`` rejects (naming the layer and shape).
    """
    with eager_scope():
        if all(hasattr(x, "shape") for x in nest.flatten(inputs)):
            assert_input_compatibility(layer.input_spec, inputs, layer.name)
            if not layer.built:
                with name_scope(layer.name):
                    layer._maybe_build(inputs)
                assert_input_compatibility(layer.input_spec, inputs, layer.name)
        outputs = None
        if isinstance(layer, Functional):
            outputs = layer._outputs_for_reference_inputs(inputs)
        if outputs is None:
            outputs = abstract_outputs(layer, inputs, args, kwargs)
            # Losses the abstract call added are not the model's: real calls add their own.
            layer._clear_losses()
    node_index = len(layer._inbound_nodes)
    flat = nest.flatten(outputs)
    for i, kt in enumerate(flat):
        kt._name = f"{layer.name}/output_{i}" if len(flat) > 1 else f"{layer.name}/output"
        kt._keras_history = (layer, node_index, i)
    layer._inbound_nodes.append(Node(layer, inputs, args, kwargs, outputs))
    return outputs


def _unwrap_single(structure):
    if isinstance(structure, (list, tuple)) and len(structure) == 1:
        return structure[0]
    return structure


class Functional(Model):
    """A model defined by a graph of layer calls: ``Model(inputs, outputs)``.

    >>> import tensorflux as tf
    >>> inputs = tf.keras.Input(shape=(3,))
    >>> hidden = tf.keras.layers.Dense(4, activation="relu")(inputs)
    >>> model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(hidden))
    >>> model(tf.ones((2, 3))).shape
    TensorShape([2, 1])

    Args:
        inputs: a Keras tensor from ``keras.Input``, or a list/dict of them.
        outputs: Keras tensors computed from the inputs (a tensor, list or dict).
        name: the model name (default "model", "model_1", ...).

    Raises:
        ValueError: inputs that are not ``keras.Input`` tensors, outputs that do not
            depend on the inputs (a disconnected graph), or duplicate layer names.
    """

    _untracked_attributes = frozenset(
        {
            "_nested_inputs",
            "_nested_outputs",
            "inputs",
            "outputs",
            "_graph_layers",
            "_execution_order",
            "_graph_nodes",
            "_input_layers",
            "_output_layers",
            "_symbolic_losses",
        }
    )

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        from tensorflux.keras import backend

        super().__init__(
            name=name or backend.unique_object_name("model"), trainable=trainable, **kwargs
        )
        self._init_graph(inputs, outputs)

    def _trackable_children(self) -> dict:
        """Checkpoint children as tf_keras names them: ``layer_with_weights-<k>`` for the
        k-th layer that has weights and ``layer-<i>`` for every layer (the same node),
        then the optimizer once compiled."""
        children = {}
        weighted = 0
        for index, layer in enumerate(self.layers):
            # Layer's own gathering: an unbuilt subclassed model has no weights yet (its
            # ``weights`` property would raise).
            if Layer._gather_weights(layer, None):
                children[f"layer_with_weights-{weighted}"] = layer
                weighted += 1
            children[f"layer-{index}"] = layer
        optimizer = getattr(self, "optimizer", None)
        if trackable.is_trackable(optimizer):
            children["optimizer"] = optimizer
        return children

    def _init_graph(self, inputs, outputs) -> None:
        self._nested_inputs = _unwrap_single(inputs)
        self._nested_outputs = _unwrap_single(outputs)
        self.inputs = nest.flatten(self._nested_inputs)
        self.outputs = nest.flatten(self._nested_outputs)
        # Losses given to ``add_loss`` as Keras tensors: computed on every call.
        self._symbolic_losses = []
        for x in self.inputs:
            if not is_keras_tensor(x) or not x.node.is_input:
                raise ValueError(
                    f"Input tensors to a Functional model must come from `tf.keras.Input`. "
                    f"Received inputs={x!r} (missing previous layer metadata)."
                )
        for x in self.outputs:
            if not is_keras_tensor(x):
                raise ValueError(
                    f"Output tensors of a Functional model must be the output of "
                    f"a TensorFlow Keras layer. Received outputs={x!r}."
                )
        self._map_graph()
        self._autocast = False
        self.input_spec = [
            InputSpec(
                shape=x.shape.as_list(), allow_last_axis_squeeze=True, name=x._keras_history[0].name
            )
            for x in self.inputs
        ]
        self.built = True

    def _map_graph(self) -> None:
        # Depth-first walk back from the outputs (iterative: models can be deep). Layers
        # are numbered when first met; nodes are listed once their inputs are.
        order, layer_index, done = [], {}, set()
        for kt in self.outputs + self._symbolic_losses:
            stack = [(kt.node, 0)]
            while stack:
                node, i = stack.pop()
                if i == 0:
                    if id(node) in done:
                        continue
                    layer_index.setdefault(id(node.layer), len(layer_index))
                if i < len(node.keras_inputs):
                    stack.append((node, i + 1))
                    stack.append((node.keras_inputs[i].node, 0))
                elif id(node) not in done:
                    done.add(id(node))
                    order.append(node)
        node_depth, layer_depth, layers = {}, {}, {}
        for node in reversed(order):
            depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
            layer_depth[id(node.layer)] = node_depth[id(node)] = depth
            layers[id(node.layer)] = node.layer
            for parent in node.parent_nodes:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        for x in self.inputs:
            layer = x._keras_history[0]
            if id(layer) not in layer_depth:
                layer_depth[id(layer)], layer_index[id(layer)] = 0, -1
                layers[id(layer)] = layer
                order.insert(0, x.node)
                node_depth[id(x.node)] = 0
        self._graph_nodes = {id(n) for n in order}
        position = {id(n): i for i, n in enumerate(order)}
        self._execution_order = sorted(
            (n for n in order if not n.is_input),
            key=lambda n: (-node_depth[id(n)], position[id(n)]),
        )
        self._check_connected(self._execution_order)
        self._graph_layers = [
            layers[k] for k in sorted(layers, key=lambda k: (-layer_depth[k], layer_index[k]))
        ]
        names = [layer.name for layer in self._graph_layers]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(
                    f'The name "{name}" is used {names.count(name)} times in the '
                    "model. All layer names should be unique."
                )
        self._input_layers = [x._keras_history[0] for x in self.inputs]
        self._output_layers = [x._keras_history[0] for x in self.outputs]

    def _check_connected(self, order) -> None:
        inputs = {id(x) for x in self.inputs}
        reached = []
        for node in order:
            for x in node.keras_inputs:
                if x.node.is_input and id(x) not in inputs:
                    raise ValueError(
                        f"Graph disconnected: cannot obtain value for tensor {x} at layer "
                        f'"{node.layer.name}". The following previous layers were accessed '
                        f"without issue: {reached}"
                    )
            if not node.is_input:
                reached.append(node.layer.name)

    @property
    def _layers(self) -> list:
        extra = [
            layer
            for layer in super()._layers
            if all(layer is not known for known in self._graph_layers)
        ]
        return self._graph_layers + extra

    @_layers.setter
    def _layers(self, layers) -> None:
        # Notes filter ``model._layers`` in place (a plot_model workaround); keep working.
        self._graph_layers = list(layers)

    # -- properties ---------------------------------------------------------

    @property
    def input(self):
        return self._nested_inputs

    @property
    def output(self):
        return self._nested_outputs

    @property
    def input_shape(self):
        return nest.map_structure(lambda x: tuple(x.shape.as_list()), self._nested_inputs)

    @property
    def output_shape(self):
        return nest.map_structure(lambda x: tuple(x.shape.as_list()), self._nested_outputs)

    @property
    def input_names(self) -> list:
        return [x._keras_history[0].name for x in self.inputs]

    @property
    def output_names(self) -> list:
        # Two outputs of one layer (an RNN's sequence and state) get "gru", "gru_1", as
        # tf-keras names them, so a signature's outputs do not collide.
        names, counts = [], {}
        for x in self.outputs:
            base = proposal = x._keras_history[0].name
            while proposal in names:
                counts[base] = counts.get(base, 0) + 1
                proposal = f"{base}_{counts[base]}"
            names.append(proposal)
        return names

    # -- losses -------------------------------------------------------------

    def add_loss(self, losses, inputs=None) -> None:
        """Adds losses; a Keras tensor computed from the model's inputs becomes part of
        the model, recomputed on every call (a VAE's KL term).

        >>> import tensorflux as tf
        >>> x = tf.keras.Input(shape=(2,))
        >>> h = tf.keras.layers.Dense(2)(x)
        >>> model = tf.keras.Model(x, h)
        >>> model.add_loss(tf.keras.backend.mean(tf.keras.backend.square(h)))
        >>> _ = model(tf.ones((3, 2))); len(model.losses)
        1

        Raises:
            ValueError: a Keras tensor that does not follow from the model's inputs
                (the graph is disconnected).
        """
        flat = nest.flatten(losses)
        symbolic = [x for x in flat if is_keras_tensor(x)]
        super().add_loss([x for x in flat if not is_keras_tensor(x)], inputs)
        if symbolic:
            self._symbolic_losses.extend(symbolic)
            self._map_graph()

    # -- calling ------------------------------------------------------------

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, dict) and not isinstance(self._nested_inputs, dict):
            names = self.input_names
            if set(inputs) >= set(names):
                inputs = [inputs[n] for n in names] if len(names) > 1 else inputs[names[0]]
            else:
                missing = [n for n in names if n not in inputs]
                raise ValueError(
                    f'Missing data for input "{missing[0]}" of model '
                    f'"{self.name}". You passed a data dictionary with keys '
                    f"{sorted(inputs)}. Expected the following keys: {names}"
                )
        return super().__call__(inputs, *args, **kwargs)

    def _outputs_for_reference_inputs(self, inputs):
        """Copies of the model's own outputs when ``inputs`` match its Inputs exactly, so
        that calling a model on its kind of inputs needs no probe."""
        flat = nest.flatten(inputs)
        if len(flat) != len(self.inputs) or any(
            not is_keras_tensor(x)
            or x.dtype != ref.dtype
            or x.shape.as_list() != ref.shape.as_list()
            for x, ref in zip(flat, self.inputs)
        ):
            return None
        return nest.map_structure(
            lambda kt: KerasTensor(kt.shape, kt.dtype, None), self._nested_outputs
        )

    def call(self, inputs, training=None, mask=None):
        flat = nest.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(
                f'Layer "{self.name}" expects {len(self.inputs)} input(s), but it '
                f"received {len(flat)} input tensors."
            )
        masks = nest.flatten(mask) if mask is not None else [None] * len(flat)
        values = {}
        for ref, x, m in zip(self.inputs, flat, masks):
            x = _conform(x, ref)
            if m is not None:
                from tensorflux.keras.layers.layer import set_mask

                set_mask(x, m)
            values[id(ref)] = x
        for node in self._execution_order:
            node.run(values)
        record_values(values)
        for kt in self._symbolic_losses:
            self._eager_losses.append(values[id(kt)])
        return nest.pack_sequence_as(self._nested_outputs, [values[id(x)] for x in self.outputs])

    def compute_output_shape(self, input_shape):
        specs = nest.map_structure(lambda kt: kt.shape, self._nested_outputs)
        if nest.flatten(input_shape) == nest.flatten(self.input_shape):
            return specs
        return super().compute_output_shape(input_shape)

    # -- config -------------------------------------------------------------

    def get_config(self) -> dict:
        """The layers' configs and how they connect (rebuilt by ``from_config``)."""
        from tensorflux.keras.layers import serialization

        node_ids = {}
        for layer in self._graph_layers:
            own = [n for n in layer._inbound_nodes if id(n) in self._graph_nodes]
            for i, n in enumerate(own):
                node_ids[id(n)] = i

        def ref(x):
            if not is_keras_tensor(x):
                return x
            layer, node_index, tensor_index = x._keras_history
            return [
                "__keras_tensor__",
                layer.name,
                node_ids[id(layer._inbound_nodes[node_index])],
                tensor_index,
            ]

        layers = []
        for layer in self._graph_layers:
            entry = serialization.serialize(layer)
            entry["name"] = layer.name
            entry["inbound_nodes"] = [
                {
                    "inputs": nest.map_structure(ref, n.call_inputs),
                    "args": nest.map_structure(ref, list(n.call_args)),
                    "kwargs": nest.map_structure(ref, n.call_kwargs),
                }
                for n in layer._inbound_nodes
                if id(n) in self._graph_nodes and not n.is_input
            ]
            layers.append(entry)
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": layers,
            "input_layers": nest.map_structure(lambda x: ref(x)[1:], self._nested_inputs),
            "output_layers": nest.map_structure(lambda x: ref(x)[1:], self._nested_outputs),
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """Recreates the layers and calls them as the config records.

        Raises:
            ValueError: a config whose connections cannot be resolved.
        """
        from tensorflux.keras.layers import serialization

        created, nodes, pending = {}, {}, []
        for entry in config["layers"]:
            layer = serialization.deserialize(entry, custom_objects=custom_objects)
            created[entry["name"]] = layer
            nodes[entry["name"]] = (
                list(layer._inbound_nodes[:1]) if not entry["inbound_nodes"] else []
            )
            pending.append([entry["name"], list(entry["inbound_nodes"])])

        def resolve(x):
            if isinstance(x, list) and len(x) == 4 and x[0] == "__keras_tensor__":
                made = nodes[x[1]]
                if x[2] >= len(made):
                    raise LookupError
                return made[x[2]].flat_outputs[x[3]]
            return x

        def decode(value):
            if isinstance(value, list) and len(value) == 4 and value[0] == "__keras_tensor__":
                return resolve(value)
            if isinstance(value, (list, tuple)):
                return type(value)(decode(v) for v in value)
            if isinstance(value, dict):
                return {k: decode(v) for k, v in value.items()}
            return value

        while any(todo for _, todo in pending):
            progress = False
            for name, todo in pending:
                while todo:
                    try:
                        data = {k: decode(v) for k, v in todo[0].items()}
                    except LookupError:
                        break
                    created[name](data["inputs"], *data["args"], **data["kwargs"])
                    nodes[name].append(created[name]._inbound_nodes[-1])
                    todo.pop(0)
                    progress = True
            if not progress:
                raise ValueError(
                    "Functional.from_config: the layers' inbound nodes refer to "
                    "tensors that no layer produces; the config is inconsistent."
                )

        def tensor(entry):
            return nodes[entry[0]][entry[1]].flat_outputs[entry[2]]

        def is_ref(x):
            return isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)

        def rebuild(structure):
            if is_ref(structure):
                return tensor(structure)
            if isinstance(structure, dict):
                return {k: rebuild(v) for k, v in structure.items()}
            return [rebuild(s) for s in structure]

        return cls(
            rebuild(config["input_layers"]),
            rebuild(config["output_layers"]),
            name=config.get("name"),
            trainable=config.get("trainable", True),
        )


def _conform(x, ref):
    """Casts ``x`` to its Input's dtype and adds/removes a last axis of size 1 when the
    ranks differ by one, as Keras does when feeding data to a functional model."""
    from tensorflux.ops.math_ops import cast
    from tensorflux.ops.shape_ops import expand_dims, squeeze

    if (
        x.dtype != ref.dtype
        and (x.dtype.is_floating or x.dtype.is_integer or x.dtype.is_bool)
        and ref.dtype.name != "string"
    ):
        x = cast(x, ref.dtype)
    rank, ref_rank = x.shape.rank, ref.shape.rank
    if rank is not None and ref_rank is not None:
        if rank == ref_rank - 1 and ref.shape.as_list()[-1] == 1:
            x = expand_dims(x, -1)
        elif rank == ref_rank + 1 and x.shape.as_list()[-1] == 1:
            x = squeeze(x, -1)
    return x
