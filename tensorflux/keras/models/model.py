"""``keras.Model``: a layer with sublayers, inspection (layers, summary) and config.

``Model(inputs, outputs)`` makes a functional model (``Functional``); subclassing
``Model`` and writing ``call`` makes a subclassed one, whose layers are found in
its attributes. Training (compile/fit/evaluate/predict) lives in
``keras.trainers``: ``Model`` is where a ``Trainer`` base class joins ``Layer``.
"""

from __future__ import annotations

import json

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.trainers.trainer import Trainer

__all__ = ["Model", "model_from_config", "model_from_json"]

_FUNCTIONAL_SUBCLASSES: dict = {}


def _is_functional_init(args, kwargs) -> bool:
    return (
        len(args) >= 2
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )


def _functional_class(cls):
    """``cls`` with the functional machinery mixed in, for a subclass of Model that
    calls ``super().__init__(inputs, outputs)`` (Keras 2 allows it)."""
    from tensorflux.keras.models.functional import Functional

    if cls not in _FUNCTIONAL_SUBCLASSES:
        _FUNCTIONAL_SUBCLASSES[cls] = type(
            cls.__name__, (cls, Functional), {"__module__": cls.__module__}
        )
    return _FUNCTIONAL_SUBCLASSES[cls]


class Model(Trainer, Layer):
    """Groups layers into an object with inspection and (via ``keras.trainers``) training.

    Two ways to make one:

    >>> import tensorflux as tf
    >>> inputs = tf.keras.Input(shape=(3,))
    >>> outputs = tf.keras.layers.Dense(2)(inputs)
    >>> functional = tf.keras.Model(inputs=inputs, outputs=outputs)
    >>> class TwoLayers(tf.keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = tf.keras.layers.Dense(4, activation="relu")
    ...         self.out = tf.keras.layers.Dense(2)
    ...     def call(self, inputs, training=None):
    ...         return self.out(self.hidden(inputs))
    >>> TwoLayers()(tf.ones((1, 3))).shape
    TensorShape([1, 2])

    Args:
        inputs / outputs: Keras tensors, for a functional model.
        name: the model name.
    """

    def __new__(cls, *args, **kwargs):
        # Only ``Model(...)`` itself is decided by its arguments. A subclass's constructor
        # arguments are its own (``Autoencoder(latent_dim, shape)``): as in Keras 2, it
        # becomes functional only if it passes inputs and outputs to ``super().__init__``.
        if cls is Model and _is_functional_init(args, kwargs):
            from tensorflux.keras.models.functional import Functional

            return object.__new__(Functional)
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        from tensorflux.keras.models.functional import Functional

        if _is_functional_init(args, kwargs) and not isinstance(self, Functional):
            # ``super().__init__(inputs, outputs)`` from a subclass's own ``__init__``.
            self.__class__ = _functional_class(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        # Keras 2 ignores other positional arguments: ``super().__init__(self)``, as
        # TensorFlow's text generation tutorial writes it, builds a plain model.
        super().__init__(**kwargs)

    def call(self, inputs, training=None, mask=None):
        raise NotImplementedError(
            "Unimplemented `tf.keras.Model.call()`: if you intend to create a `Model` with the "
            "Functional API, please provide `inputs` and `outputs` arguments. Otherwise, "
            "subclass `Model` with an overridden `call()` method."
        )

    # -- layers -------------------------------------------------------------

    @property
    def layers(self) -> list:
        """The model's direct sublayers, in the order Keras lists them."""
        return list(self._flatten_layers(include_self=False, recursive=False))

    def get_layer(self, name=None, index=None):
        """A sublayer by name or by index in ``model.layers``.

        Raises:
            ValueError: no such layer, or neither/both of name and index given.
        """
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only "
                    f"has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    # -- building -----------------------------------------------------------

    def _maybe_build(self, inputs) -> None:
        if self.built:
            return
        if type(self).build is Model.build:
            # A subclassed model builds its sublayers by running ``call``.
            self.built = True
            self._save_spec = _save_spec(inputs)
            shape = getattr(inputs, "shape", None)
            if shape is not None and TensorShape(shape).rank:
                # Saved as the ``.keras`` build config: a reloaded model is built with it.
                self._build_input_shape = [None] + TensorShape(shape).as_list()[1:]
            return
        super()._maybe_build(inputs)

    def build(self, input_shape) -> None:
        """Builds a subclassed model's weights for inputs of ``input_shape``: a shape, a
        list of shapes or a dict of them (batch dimension included, None allowed).

        As in Keras 2, ``call`` runs once on symbolic float inputs (``floatx``) with
        ``training`` left to its default; here by abstract evaluation, so no kernel runs
        (``engine.abstract``). Python code in ``call`` sees static shapes; using a tensor
        as a Python bool fails, as in a graph.

        Raises:
            ValueError: no input shape, or not a tuple/list/TensorShape/dict; a ``call``
                that needs arguments besides the inputs (and ``training``), or that fails
                on symbolic float inputs.
        """
        if input_shape is None:
            raise ValueError(
                "Input shape must be defined when calling `build()` on a `Model` subclass."
            )
        if not isinstance(input_shape, (tuple, list, TensorShape, dict)):
            raise ValueError(
                f"Specified input shape is not one of the valid types. Please "
                f"specify a batch input shape of type tuple or list of input "
                f"shapes. User provided input type: {type(input_shape)}."
            )
        if isinstance(input_shape, list) and all(
            d is None or isinstance(d, (int, np.integer)) for d in input_shape
        ):
            # One shape given as a list, as Keras 2 records it.
            input_shape = tuple(input_shape)
        if input_shape:
            self._build_by_abstract_call(input_shape)
            self._save_spec = _save_spec(_map_shape_specs(input_shape))
        self._build_input_shape = input_shape
        self.built = True

    def _build_by_abstract_call(self, input_shape) -> None:
        from tensorflux.engine.abstract import abstract_graph, abstract_value
        from tensorflux.keras.backend import floatx
        from tensorflux.keras.layers.layer import _map_shapes

        kwargs = self._build_call_kwargs()
        dtype = dtypes.as_dtype(floatx())
        with abstract_graph(f"{self.name}_build") as graph:
            inputs = _map_shapes(lambda dims: abstract_value(graph, dims, dtype), input_shape)
            try:
                self.call(inputs, **kwargs)
            except (InvalidArgumentError, TypeError) as e:
                raise ValueError(
                    f"You cannot build your model by calling `build` if your layers do not "
                    f"support float type inputs. Instead, in order to instantiate and build "
                    f"your model, call your model on real tensor data (of the correct "
                    f"dtype).\n\nThe actual error from `call` is: {e}."
                ) from e
            finally:
                self._clear_losses()

    def _build_call_kwargs(self) -> dict:
        """The arguments ``build`` passes to ``call`` besides the inputs: ``training=False``
        where ``call`` requires it; any other required argument is an error (Keras 2)."""
        import inspect

        params = [
            p
            for p in inspect.signature(self.call).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if not params:
            raise ValueError(
                "You can only call `build()` on a model if its `call()` method "
                "accepts an `inputs` argument."
            )
        kwargs = {}
        for p in params[1:]:
            if p.default is not p.empty:
                continue
            if p.name != "training":
                raise ValueError(
                    "Currently, you cannot build your model if it has positional or keyword "
                    "arguments that are not inputs to the model, but are required for its "
                    "`call()` method. Instead, in order to instantiate and build your model, "
                    "`call()` your model on real tensor data with all expected call "
                    "arguments. The argument for `call()` can be a single list/tuple that "
                    "contains multiple inputs."
                )
            kwargs["training"] = False
        return kwargs

    def _assert_weights_created(self) -> None:
        if not self.built and "build" in type(self).__dict__ and type(self) is not Model:
            raise ValueError(
                f"Weights for model '{self.name}' have not yet been created. "
                "Weights are created when the model is first called on inputs or "
                "`build()` is called with an `input_shape`."
            )

    def _gather_weights(self, trainable):
        self._assert_weights_created()
        return super()._gather_weights(trainable)

    @property
    def weights(self) -> list:
        """Layer by layer (each layer's trainable, then non-trainable weights), then the
        model's own: Keras 2's order for models, which ``get_weights`` and
        ``set_weights`` follow (a plain layer lists all trainable weights first)."""
        self._assert_weights_created()
        out, seen = [], set()
        for layer in self._layers:
            for w in layer.weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    out.append(w)
        own = [w for w in self._own_weights + self._attribute_variables() if id(w) not in seen]
        for w in [w for w in own if w.trainable] + [w for w in own if not w.trainable]:
            if id(w) not in seen:
                seen.add(id(w))
                out.append(w)
        return out

    def reset_states(self):
        """Resets the states of the model's stateful layers (its direct layers that have
        ``stateful=True``, as tf-keras does; a nested model resets its own when called).

        >>> import tensorflux as tf
        >>> model = tf.keras.Sequential(
        ...     [tf.keras.layers.SimpleRNN(2, stateful=True, batch_input_shape=(1, 3, 1))]
        ... )
        >>> first = model.predict(tf.ones([1, 3, 1]), verbose=0)
        >>> model.reset_states()
        >>> bool((model.predict(tf.ones([1, 3, 1]), verbose=0) == first).all())
        True
        """
        for layer in self.layers:
            if hasattr(layer, "reset_states") and getattr(layer, "stateful", False):
                layer.reset_states()

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints the table of layers, output shapes and parameter counts (Keras 2 format).

        Args:
            line_length: total width (default 65, or 98 with a "Connected to" column).
            positions: column ends, as fractions of ``line_length`` or absolute.
            print_fn: called with each line (default ``print``).
            show_trainable: add a "Trainable" column.

        Raises:
            ValueError: if the model is not built yet.
        """
        from tensorflux.keras.models.summary import print_summary

        if not self.built:
            raise ValueError(
                "This model has not yet been built. Build the model first by "
                "calling `build()` or by calling the model on a batch of data."
            )
        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            show_trainable=show_trainable,
        )

    # -- config -------------------------------------------------------------

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """Recreates a model; a functional config (with "input_layers") gives a Functional."""
        if "input_layers" in config:
            from tensorflux.keras.models.functional import Functional

            target = cls if issubclass(cls, Functional) else Functional
            return Functional.from_config.__func__(target, config, custom_objects)
        return cls(**config)

    # -- saving -------------------------------------------------------------

    def save(self, filepath, overwrite=True, save_format=None, **kwargs):
        """Saves the model (see ``tf.keras.models.save_model``): ``.keras``, ``.h5``, or a
        SavedModel directory for any other path."""
        from tensorflux.keras.saving import saving_api

        saving_api.save_model(
            self, filepath, overwrite=overwrite, save_format=save_format, **kwargs
        )

    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):
        """Saves the weights: ``.weights.h5``/``.h5`` files or a TF checkpoint prefix."""
        from tensorflux.keras.saving import saving_api

        saving_api.save_weights(
            self, filepath, overwrite=overwrite, save_format=save_format, options=options
        )

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, options=None):
        """Loads weights saved by ``save_weights`` (or by ``save`` in ``.h5``/``.keras``);
        returns the restore status for a TF checkpoint, else ``None``."""
        from tensorflux.keras.saving import saving_api

        return saving_api.load_weights(
            self, filepath, by_name=by_name, skip_mismatch=skip_mismatch, options=options
        )

    def to_json(self, **kwargs) -> str:
        """The model's architecture (``get_config``) as a JSON string, in tf-keras's
        spelling, so that ``tf_keras.models.model_from_json`` reads it too."""
        from tensorflux.keras.layers import serialization
        from tensorflux.keras.saving.config_dialects import to_tf_keras

        return json.dumps(
            to_tf_keras(serialization.serialize(self)), default=_json_default, **kwargs
        )


def _json_default(value):
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if hasattr(value, "as_list"):
        return value.as_list()
    if hasattr(value, "name") and not callable(value):
        return value.name
    raise TypeError(f"Cannot serialize {value!r} of type {type(value).__name__} to JSON.")


def model_from_config(config: dict, custom_objects=None):
    """A model from ``{"class_name": ..., "config": ...}`` (ours, tf-keras's or Keras
    3's spelling)."""
    from tensorflux.keras.layers import serialization
    from tensorflux.keras.saving.config_dialects import normalize

    return serialization.deserialize(
        normalize(config, custom_objects), custom_objects=custom_objects
    )


def model_from_yaml(yaml_string, custom_objects=None):
    """Removed from Keras (YAML loading could run arbitrary code): always raises.

    Raises:
        RuntimeError: always; use ``Model.to_json()`` and ``model_from_json()``.
    """
    raise RuntimeError(
        "Method `model_from_yaml()` has been removed due to security risk of "
        "arbitrary code execution. Please use `Model.to_json()` and "
        "`model_from_json()` instead."
    )


def model_from_json(json_string: str, custom_objects=None):
    """A model (untrained weights) from ``model.to_json()``'s output."""
    return model_from_config(json.loads(json_string), custom_objects=custom_objects)


def _save_spec(inputs):
    """The structure of ``inputs`` as TensorSpecs with an open batch dimension, named as
    tf-keras names a subclassed model's SavedModel inputs (``input_1``, ... or the dict
    keys); None when the inputs are not tensors."""
    from tensorflux.framework.tensor_spec import TensorSpec

    def spec(value, name):
        shape = getattr(value, "shape", None)
        dtype = getattr(value, "dtype", None)
        if shape is None or dtype is None:
            raise TypeError
        dims = TensorShape(shape).as_list()
        return TensorSpec([None] + dims[1:] if dims else dims, dtypes.as_dtype(dtype), name)

    try:
        if isinstance(inputs, dict):
            return {key: spec(value, key) for key, value in inputs.items()}
        if isinstance(inputs, (list, tuple)):
            return [spec(value, f"input_{i + 1}") for i, value in enumerate(inputs)]
        return spec(inputs, "input_1")
    except TypeError:
        return None


def _map_shape_specs(input_shape):
    """Stand-ins of ``floatx`` dtype for the inputs of a build shape (one shape, a list
    of them or a dict), from which ``_save_spec`` reads shapes and dtypes."""
    from tensorflux.framework.tensor_spec import TensorSpec
    from tensorflux.keras.backend import floatx

    if isinstance(input_shape, dict):
        return {k: _map_shape_specs(v) for k, v in input_shape.items()}
    if isinstance(input_shape, list) and input_shape and not isinstance(input_shape[0], int):
        return [_map_shape_specs(v) for v in input_shape]
    return TensorSpec(TensorShape(input_shape), dtypes.as_dtype(floatx()))
