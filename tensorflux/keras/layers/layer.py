"""``keras.layers.Layer``: the base of every layer and model.

A layer builds its weights on first call from the input shape (``build``), then
runs ``call``. ``__call__`` adds what every layer needs around it: converting and
autocasting inputs, checking ``input_spec``, passing ``training`` down from the
outermost call, activity regularization, masks, and the functional API (calls on
symbolic Keras tensors are handed to ``keras.models.functional``).
"""

from __future__ import annotations

import inspect
import re

import numpy as np

from tensorflux.engine.abstract import abstract_graph, abstract_value
from tensorflux.framework import context, dtypes, nest, trackable
from tensorflux.framework.name_scope import name_scope
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variable_enums import VariableSynchronization, validate_modes
from tensorflux.framework.variables import Variable
from tensorflux.keras.backend import floatx
from tensorflux.keras.layers.input_spec import assert_input_compatibility
from tensorflux.keras.mixed_precision import autocast_variable
from tensorflux.ops import array_ops
from tensorflux.ops.math_ops import cast

__all__ = ["Layer", "to_snake_case"]


def to_snake_case(name: str) -> str:
    """``BatchNormalization`` -> ``batch_normalization``, as Keras names layers."""
    s = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", s).lower()


def _is_keras_tensor(x) -> bool:
    return getattr(x, "_is_keras_tensor", False)


def _as_input(x):
    """Converts NumPy arrays and Python numbers to tensors; tensors pass through."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Variable):
        return x.value()
    if isinstance(x, (np.ndarray, np.generic, float, int, bool)):
        return convert_to_tensor(x)
    return x


def _numeric_nested_list(x) -> bool:
    return (
        isinstance(x, (list, tuple))
        and bool(x)
        and all(isinstance(v, (int, float, bool, np.number)) or _numeric_nested_list(v) for v in x)
    )


def get_mask(t):
    """The Keras mask attached to a tensor by a masking layer, or None."""
    return getattr(t, "_keras_mask", None)


def set_mask(t, mask) -> None:
    """Attaches a Keras mask to a tensor (what ``Masking``/``Embedding`` produce)."""
    try:
        t._keras_mask = mask
    except AttributeError:
        pass


class Layer:
    """Base class of layers: weights, a forward computation, and their bookkeeping.

    Subclasses create weights in ``build(input_shape)`` with ``add_weight`` and
    compute in ``call(inputs, training=None, mask=None)``.

    >>> import tensorflux as tf
    >>> class Scale(tf.keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.w
    >>> Scale()(tf.ones((2, 3))).shape
    TensorShape([2, 3])

    Args:
        trainable: whether the layer's weights are updated by training.
        name: the layer name; by default the snake-case class name made unique
            ("dense", "dense_1", ...).
        dtype: the dtype of weights and computations (default ``keras.backend.floatx()``).
        input_shape / input_dim / batch_input_shape: the input of a model's first layer.
    """

    # Attributes that refer to other layers without owning them (functional-API
    # bookkeeping, say): never scanned for sublayers or weights.
    _untracked_attributes: frozenset = frozenset()
    _tf_module = True  # TF's layers are tf.Modules: a Module's variables include theirs

    def __init__(self, trainable=True, name=None, dtype=None, dynamic=False, **kwargs):
        from tensorflux.keras import backend

        allowed = {
            "input_shape",
            "input_dim",
            "batch_input_shape",
            "batch_size",
            "activity_regularizer",
            "autocast",
            "input_dtype",
            "weights",
        }
        unknown = set(kwargs) - allowed
        if unknown:
            raise TypeError(
                f"Keyword argument not understood: {sorted(unknown)[0]!r} "
                f"(passed to {type(self).__name__})."
            )
        self._init_tracking()
        if not isinstance(trainable, (bool, np.bool_)):
            raise TypeError(
                f"Expected `trainable` argument to be a boolean, but got: "
                f"{trainable} (layer {type(self).__name__})."
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(
                f"Expected `name` argument to be a string, but got: {name} "
                f"(layer {type(self).__name__})."
            )
        self._trainable = bool(trainable)
        self._name = name or backend.unique_object_name(to_snake_case(type(self).__name__))
        self._set_dtype_policy(dtype)
        self.dynamic = dynamic
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._autocast = kwargs.get("autocast", True)
        self._initial_weights = kwargs.get("weights")
        self._batch_input_shape = None
        if "batch_input_shape" in kwargs:
            self._batch_input_shape = tuple(kwargs["batch_input_shape"])
        elif "input_shape" in kwargs or "input_dim" in kwargs:
            shape = kwargs["input_shape"] if "input_shape" in kwargs else (kwargs["input_dim"],)
            self._batch_input_shape = (kwargs.get("batch_size"),) + tuple(shape)
        from tensorflux.keras import regularizers

        self._activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        self._call_spec = inspect.signature(self.call).parameters

    def _init_tracking(self) -> None:
        object.__setattr__(self, "_own_weights", [])
        object.__setattr__(self, "_own_weight_names", [])  # add_weight's names, for checkpoints
        object.__setattr__(self, "_callable_losses", [])
        object.__setattr__(self, "_eager_losses", [])
        # Functional-API calls of this layer on Keras tensors (keras.models.node.Node).
        object.__setattr__(self, "_inbound_nodes", [])

    @property
    def _layers(self) -> list:
        """Direct sublayers, found in the layer's attributes (also inside lists and dicts)
        each time they are asked for, so layers appended to a list later are seen too."""
        out, seen = [], {id(self)}
        for name, value in self.__dict__.items():
            if name in self._untracked_attributes:
                continue
            for leaf in _trackable_leaves(value):
                if isinstance(leaf, Layer) and id(leaf) not in seen:
                    seen.add(id(leaf))
                    out.append(leaf)
        return out

    # Bookkeeping attributes that hold variables or layers without owning them as
    # checkpoint children.
    _internal_attributes = frozenset(
        {
            "_own_weights",
            "_own_weight_names",
            "_callable_losses",
            "_eager_losses",
            "_inbound_nodes",
            "_initial_weights",
        }
    )

    def _trackable_children(self) -> dict:
        """Checkpoint children, as tf_keras names them: the weights by their ``add_weight``
        name, then the sublayers, variables and containers held in attributes."""
        children = {}
        for name, weight in zip(self._own_weight_names, self._own_weights):
            children.setdefault(name, weight)
        skip = self._untracked_attributes | self._internal_attributes
        for name, value in trackable.attribute_children(self, skip).items():
            children.setdefault(name, value)
        return children

    def _attribute_variables(self) -> list:
        return [
            leaf
            for name, value in self.__dict__.items()
            if name not in self._untracked_attributes
            for leaf in _trackable_leaves(value)
            if isinstance(leaf, Variable)
        ]

    # -- properties ---------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    def _set_dtype_policy(self, dtype) -> None:
        """Resolves the ``dtype`` argument to a mixed-precision Policy; ``_dtype`` is the
        compute dtype (what inputs are cast to) and ``_variable_dtype`` the weights'."""
        from tensorflux.keras.mixed_precision.policy import get_policy

        policy = get_policy(dtype)
        self._dtype_policy = policy
        self._dtype = dtypes.as_dtype(policy.compute_dtype) if policy.compute_dtype else None
        self._variable_dtype = (
            dtypes.as_dtype(policy.variable_dtype) if policy.variable_dtype else None
        )

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights, as a string (Keras 2 reports "float32";
        under "mixed_float16" too: the policy's variable dtype)."""
        return self._variable_dtype.name if self._variable_dtype is not None else None

    variable_dtype = dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype the layer computes in: floating inputs are cast to it."""
        return self._dtype.name if self._dtype is not None else None

    @property
    def dtype_policy(self):
        """The layer's ``keras.mixed_precision.Policy``."""
        return self._dtype_policy

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value) -> None:
        self._trainable = bool(value)
        for layer in self._flatten_layers(include_self=False):
            layer._trainable = bool(value)

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, value):
        from tensorflux.keras import regularizers

        self._activity_regularizer = regularizers.get(value)

    def _flatten_layers(self, include_self=True, recursive=True):
        seen = set()
        stack = [self] if include_self else list(reversed(self._layers))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            yield layer
            if recursive:
                stack.extend(reversed(layer._layers))

    def _gather_weights(self, trainable: bool | None) -> list:
        out, seen = [], set()
        for layer in self._flatten_layers():
            for w in layer._own_weights + layer._attribute_variables():
                if id(w) in seen:
                    continue
                seen.add(id(w))
                is_trainable = layer._trainable and w.trainable
                if trainable is None or is_trainable == trainable:
                    out.append(w)
        return out

    @property
    def trainable_weights(self) -> list:
        return self._gather_weights(True) if self._trainable else []

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self._gather_weights(None)
        return self._gather_weights(False)

    @property
    def weights(self) -> list:
        """Trainable weights first, then non-trainable ones, as Keras orders them."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        return self.non_trainable_weights

    @property
    def variables(self) -> list:
        return self.weights

    # -- weights ------------------------------------------------------------

    def add_weight(
        self,
        name=None,
        shape=None,
        dtype=None,
        initializer=None,
        regularizer=None,
        trainable=None,
        constraint=None,
        use_resource=None,
        synchronization=None,
        aggregation=None,
        **kwargs,
    ) -> Variable:
        """Creates a weight variable of this layer and tracks it.

        Args:
            shape: the weight's shape (default scalar).
            initializer: an initializer object, name or callable; default
                ``glorot_uniform`` for floating weights and ``zeros`` otherwise.
            regularizer: adds ``regularizer(weight)`` to ``layer.losses``.
            trainable: whether training updates it (default True).
            constraint: applied by optimizers after each update.
            autocast: (keyword) False keeps a floating weight of a mixed-precision
                layer in its own dtype when the layer reads it (default True: it
                reads in the compute dtype).
        """
        from tensorflux.keras import constraints, initializers, regularizers

        shape = () if shape is None else tuple(TensorShape(shape).as_list())
        dtype = dtypes.as_dtype(dtype or self._variable_dtype or floatx())
        if dtype is dtypes.string:
            raise ValueError(
                f"Expected numeric or boolean dtype, got {dtype!r}: layer "
                f"{self._name!r} cannot hold a string weight."
            )
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        synchronization, aggregation, _ = validate_modes(
            synchronization, aggregation, trainable, name
        )
        if synchronization is VariableSynchronization.ON_READ:
            # A replica-local value: Keras keeps it out of the trainable weights.
            if trainable:
                raise ValueError(
                    "Synchronization value can be set to VariableSynchronization.ON_READ only "
                    f"for non-trainable variables. You have specified trainable={trainable} and "
                    f"synchronization={synchronization}."
                )
            trainable = False
        trainable = True if trainable is None else bool(trainable)
        # Eagerly, as TF's init_scope does: a layer first built inside a trace or an
        # abstract evaluation (a sublayer called in ``call``) still gets real values.
        with context.eager_scope():
            value = init(shape, dtype=dtype)
        name = name or "Variable"
        variable_class = Variable
        if (
            kwargs.get("autocast", True)
            and dtype.is_floating
            and self._dtype is not None
            and self._dtype is not dtype
        ):
            from tensorflux.keras.mixed_precision.autocast_variable import AutoCastVariable

            variable_class = AutoCastVariable
        variable = variable_class(
            value,
            trainable=trainable,
            name=name,
            dtype=dtype,
            constraint=constraints.get(constraint),
            synchronization=synchronization,
            aggregation=aggregation,
        )
        self._own_weights.append(variable)
        self._own_weight_names.append(name)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._callable_losses.append(lambda v=variable, r=regularizer: r(v))
        trackable.run_deferred(self)  # a checkpoint restored before the layer was built
        return variable

    def get_weights(self) -> list:
        """The weights' current values as NumPy arrays."""
        return [np.array(w.numpy()) for w in self.weights]

    def set_weights(self, weights) -> None:
        """Sets the weights from NumPy arrays, in the order of ``layer.weights``.

        Raises:
            ValueError: a count or shape that does not match.
        """
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f'Layer "{self._name}" expects {len(params)} weight(s), but the provided '
                f"weights list has {len(weights)} element(s). Provided weights: "
                f"{str(weights)[:50]}..."
            )
        for p, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(p.shape.as_list()) != w.shape:
                raise ValueError(
                    f'Layer "{self._name}" weight shape {tuple(p.shape.as_list())} '
                    f"is not compatible with provided weight shape {w.shape}."
                )
            p.assign(w.astype(p.dtype.as_numpy_dtype))

    def count_params(self) -> int:
        """The number of scalars in the layer's weights.

        Raises:
            ValueError: if the layer is not built yet.
        """
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self._name}', but "
                "the layer isn't built. You can build it manually via: "
                f"`{self._name}.build(batch_input_shape)`."
            )
        return int(sum(np.prod(w.shape.as_list(), dtype=np.int64) for w in self.weights))

    # -- losses -------------------------------------------------------------

    @property
    def losses(self) -> list:
        """Losses added by ``add_loss`` during the last call, plus weight regularization."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._eager_losses)
            out.extend(fn() for fn in layer._callable_losses)
        return out

    def add_loss(self, losses, inputs=None) -> None:
        """Adds a loss tensor (or zero-argument callable) to ``layer.losses``."""
        for loss in nest.flatten(losses):
            if loss is None:
                continue
            if callable(loss) and not isinstance(loss, Tensor):
                self._callable_losses.append(loss)
            else:
                self._eager_losses.append(convert_to_tensor(loss))

    def _clear_losses(self) -> None:
        for layer in self._flatten_layers():
            layer._eager_losses.clear()

    # -- building and calling -----------------------------------------------

    def build(self, input_shape) -> None:
        """Creates the layer's weights for inputs of ``input_shape`` (override it)."""
        self._build_input_shape = input_shape
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The layer's computation (override it); the base layer is the identity."""
        return inputs

    def _maybe_build(self, inputs) -> None:
        if self.built:
            return
        self.build(nest.map_structure(lambda x: TensorShape(x.shape), inputs))
        self.built = True
        trackable.run_deferred(self)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _convert_inputs(self, inputs):
        if _numeric_nested_list(inputs):
            inputs = convert_to_tensor(inputs)
        inputs = nest.map_structure(_as_input, inputs)
        if self._autocast and self._dtype is not None:
            target = self._dtype

            def autocast(x):
                if isinstance(x, Tensor) and x.dtype.is_floating and x.dtype is not target:
                    return cast(x, target)
                return x

            inputs = nest.map_structure(autocast, inputs)
        return inputs

    def __call__(self, inputs, *args, **kwargs):
        if any(_is_keras_tensor(x) for x in nest.flatten(inputs)):
            from tensorflux.keras.models.functional import symbolic_call

            return symbolic_call(self, inputs, args, kwargs)
        # As TF's layers, a call runs in the layer's name scope: the weights it builds,
        # its own and its sublayers', are named under it (``model/dense/kernel:0``).
        with name_scope(self._name):
            return self._call_on_values(inputs, args, kwargs)

    def _call_on_values(self, inputs, args, kwargs):
        if self._dtype is None:
            self._infer_dtype_policy(inputs)
        inputs = self._convert_inputs(inputs)
        for x in nest.flatten(inputs):
            if not hasattr(x, "shape"):
                raise TypeError(
                    f"Inputs to layer {self._name!r} ({type(self).__name__}) must be tensors "
                    f"or arrays, but received {x!r} of type {type(x).__name__}. Pass a "
                    f"tensor (e.g. tf.constant(...)) or a NumPy array."
                )
        assert_input_compatibility(self.input_spec, inputs, self._name)
        training_stack = context.state.training_stack
        if "training" in self._call_spec:
            training = _inherited_training(kwargs.get("training"), training_stack)
            kwargs["training"] = training
        else:
            training = _inherited_training(kwargs.pop("training", None), training_stack)
        masks = [get_mask(x) for x in nest.flatten(inputs)]
        input_mask = None
        if any(m is not None for m in masks):
            input_mask = masks[0] if len(masks) == 1 else masks
        if "mask" in self._call_spec and kwargs.get("mask") is None and input_mask is not None:
            kwargs["mask"] = input_mask
        self._maybe_build(inputs)
        outer = not training_stack
        if outer:
            self._clear_losses()
        training_stack.append(training)
        cast_target = autocast_variable.cast_target
        outer_cast = cast_target.dtype
        cast_target.dtype = (
            self._dtype if self._dtype is not None and self._dtype.is_floating else None
        )
        try:
            outputs = self.call(inputs, *args, **kwargs)
        finally:
            training_stack.pop()
            cast_target.dtype = outer_cast
        if self._activity_regularizer is not None:
            for out in nest.flatten(outputs):
                size = out.shape[0] if out.shape.rank else 1
                # Inside a trace with an unknown batch size, the running graph knows it.
                batch = cast(
                    convert_to_tensor(size or 1) if size is not None else array_ops.shape(out)[0],
                    out.dtype,
                )
                self._eager_losses.append(self._activity_regularizer(out) / batch)
        # Layers whose ``call`` takes no mask still pass their inputs' mask on.
        mask = self.compute_mask(inputs, kwargs.get("mask", input_mask))
        if mask is not None:
            for out, m in zip(nest.flatten(outputs), nest.flatten(mask)):
                set_mask(out, m)
        return outputs

    def _infer_dtype_policy(self, inputs) -> None:
        """The "_infer" policy becomes the policy of the first input's dtype."""
        from tensorflux.keras.mixed_precision.policy import Policy

        first = nest.flatten(inputs)[0] if nest.flatten(inputs) else None
        dtype = getattr(first, "dtype", None)
        if dtype is not None:
            self._set_dtype_policy(Policy(dtypes.as_dtype(dtype).name))
        else:
            self._set_dtype_policy(None)

    def compute_mask(self, inputs, mask=None):
        """The mask of the outputs: passed through if the layer supports masking."""
        if not self.supports_masking:
            return None
        return mask

    def compute_output_shape(self, input_shape):
        """The output shape for ``input_shape``, found by abstract evaluation of ``call``:
        each op's inference rule gives its output shape; no kernel runs, and
        dimensions that are ``None`` in ``input_shape`` stay unknown where they flow.
        """
        return _probe_output_shape(self, input_shape)

    # -- functional-API connectivity -------------------------------------------

    def _node_attribute(self, attr: str, what: str):
        if not self._inbound_nodes:
            if what == "output":
                raise AttributeError(f"Layer {self._name} has no inbound nodes.")
            raise AttributeError(f"Layer {self._name} is not connected, no input to return.")
        return getattr(self._inbound_nodes[0], attr)

    @property
    def input(self):
        """The Keras tensor(s) of the layer's first call in the functional API.

        Raises:
            AttributeError: if the layer was never called on Keras tensors.
        """
        return self._node_attribute("call_inputs", "input")

    @property
    def output(self):
        """The Keras tensor(s) the layer's first functional-API call produced.

        Raises:
            AttributeError: if the layer was never called on Keras tensors.
        """
        return self._node_attribute("outputs", "output")

    def _shape_attribute(self, attr: str, what: str):
        if not self._inbound_nodes:
            note = (
                (
                    " Note that the `input_shape` property is only available for Functional "
                    "and Sequential models."
                )
                if what == "input"
                else ""
            )
            raise AttributeError(
                f'The layer "{self._name}" has never been called and thus has '
                f"no defined {what} shape.{note}"
            )
        shapes = [getattr(node, attr) for node in self._inbound_nodes]
        if any(s != shapes[0] for s in shapes[1:]):
            raise AttributeError(
                f'The layer "{self._name}" has multiple inbound nodes, with different {what} '
                f'shapes. Hence the notion of "{what} shape" is ill-defined for the layer. '
                f"Use `get_{what}_shape_at(node_index)` instead."
            )
        return shapes[0]

    @property
    def input_shape(self):
        """The input shape(s) of the layer's functional-API calls (``None`` batch).

        Raises:
            AttributeError: never called on Keras tensors, or called with different shapes.
        """
        return self._shape_attribute("input_shapes", "input")

    @property
    def output_shape(self):
        """The output shape(s) of the layer's functional-API calls (``None`` batch).

        Raises:
            AttributeError: never called on Keras tensors, or calls with different shapes.
        """
        return self._shape_attribute("output_shapes", "output")

    def get_input_shape_at(self, node_index: int):
        return self._inbound_nodes[node_index].input_shapes

    def get_output_shape_at(self, node_index: int):
        return self._inbound_nodes[node_index].output_shapes

    def get_output_at(self, node_index: int):
        return self._inbound_nodes[node_index].outputs

    def get_input_at(self, node_index: int):
        return self._inbound_nodes[node_index].call_inputs

    # -- config -------------------------------------------------------------

    def get_config(self) -> dict:
        """The constructor arguments that recreate this layer (without weights)."""
        from tensorflux.keras.mixed_precision.policy import serialize

        config = {
            "name": self._name,
            "trainable": self._trainable,
            "dtype": serialize(self._dtype_policy),
        }
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Recreates a layer from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {id(self):#x}>"


def _trackable_leaves(value):
    if isinstance(value, (Layer, Variable)):
        return [value]
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _trackable_leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _trackable_leaves(v)]
    return []


def _is_single_shape(shape) -> bool:
    return isinstance(shape, TensorShape) or (
        isinstance(shape, (list, tuple))
        and all(d is None or isinstance(d, (int, np.integer)) for d in shape)
    )


def _map_shapes(fn, shapes):
    """Applies ``fn`` to each shape in a (nested list/dict of) shape(s)."""
    if _is_single_shape(shapes):
        return fn(tuple(TensorShape(shapes).as_list()))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return [_map_shapes(fn, s) for s in shapes]


def _probe_output_shape(layer: Layer, input_shape):
    """Runs ``layer``'s call by abstract evaluation on values of ``input_shape`` (the
    layer's dtype): inference rules give the output shapes, no kernel runs."""
    with abstract_graph(f"{layer.name}_output_shape") as graph:
        dtype = layer._dtype or dtypes.as_dtype(floatx())
        inputs = _map_shapes(lambda dims: abstract_value(graph, dims, dtype), input_shape)
        kwargs = {"training": False} if "training" in layer._call_spec else {}
        outputs = layer(inputs, **kwargs)
    layer._clear_losses()
    return nest.map_structure(lambda x: TensorShape(x.shape), outputs)


def _inherited_training(training, training_stack):
    """``training`` if given, else that of the enclosing layer call, else the global
    learning phase when ``set_learning_phase``/``learning_phase_scope`` set it (Keras 2's
    order of priority)."""
    if training is None and training_stack:
        training = training_stack[-1]
    if training is None:
        from tensorflux.keras import backend

        training = backend._global_learning_phase()
    return training
