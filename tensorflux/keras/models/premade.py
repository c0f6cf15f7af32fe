"""Keras' premade models (``tf.keras.experimental``): ``LinearModel`` (a linear, or
generalised linear, model over one or several inputs) and ``WideDeepModel`` (a linear
model and a deep network summed, each with its own optimizer if wanted)."""

from __future__ import annotations

from tensorflux.engine.tape import GradientTape
from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations, initializers, regularizers
from tensorflux.keras.layers.core.dense import Dense
from tensorflux.keras.models.model import Model
from tensorflux.keras.trainers.data_adapter import unpack_x_y_sample_weight

__all__ = ["LinearModel", "WideDeepModel"]


class LinearModel(Model):
    """``activation(sum_i inputs_i @ kernel_i + bias)``: one bias-free Dense per input
    (a tensor, a list of tensors, or a dict, whose kernels are named by the sorted
    keys) and one bias, as tf_keras' LinearModel.

    Args:
        units: output size.
        activation: applied to the sum (None: linear regression).
        use_bias: whether to add the bias.
        kernel_initializer, bias_initializer: zeros by default.
        kernel_regularizer, bias_regularizer: optional regularizers.
    """

    def __init__(
        self,
        units=1,
        activation=None,
        use_bias=True,
        kernel_initializer="zeros",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        super().__init__(**kwargs)

    def _dense(self, shape, name=None) -> Dense:
        layer = Dense(
            units=self.units,
            use_bias=False,
            kernel_initializer=self.kernel_initializer,
            kernel_regularizer=self.kernel_regularizer,
            name=name,
        )
        layer.build(shape)
        # tf_keras builds these Dense layers inside the model's own build, so their
        # kernels take the model's name ("linear_model/kernel:0"), in files too.
        layer.kernel._name = f"{self.name}/kernel:0"
        return layer

    def build(self, input_shape):
        if isinstance(input_shape, dict):
            self._input_keys = sorted(input_shape)
            self.dense_layers = [self._dense(input_shape[k], name=k) for k in self._input_keys]
        elif isinstance(input_shape, (list, tuple)) and all(
            isinstance(s, (TensorShape, list, tuple)) for s in input_shape
        ):
            self.dense_layers = [self._dense(shape) for shape in input_shape]
        else:
            self.dense_layers = [self._dense(input_shape)]
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=self.units,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                dtype=self.dtype,
                trainable=True,
            )
        self.built = True

    def call(self, inputs):
        from tensorflux.ops.nn_ops import bias_add

        if isinstance(inputs, dict):
            names = [layer.name for layer in self.dense_layers]
            missing = set(names) - set(inputs)
            if missing:
                raise ValueError(
                    "The `inputs` dictionary does not match the structure expected by the "
                    f"model.\n\tExpected keys: {set(names)}\n\tReceived keys: "
                    f"{set(inputs)}\n\tMissing keys: {missing}"
                )
            inputs = [inputs[name] for name in names]
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        result = None
        for value, layer in zip(inputs, self.dense_layers):
            output = layer(value)
            result = output if result is None else result + output
        if self.use_bias:
            result = bias_add(result, self.bias)
        return result if self.activation is None else self.activation(result)

    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self._dtype_policy.name,
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


class WideDeepModel(Model):
    """A linear model and a deep model on the same (or their own) inputs, their outputs
    summed then passed through ``activation``. Compiled with a list of two optimizers,
    the linear model's variables follow the first and the deep model's the second.

    Args:
        linear_model: usually a :class:`LinearModel`.
        dnn_model: any Keras model with the same output structure.
        activation: applied to the sum.
    """

    def __init__(self, linear_model, dnn_model, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.linear_model = linear_model
        self.dnn_model = dnn_model
        self.activation = activations.get(activation)

    def compile(self, optimizer="rmsprop", *args, **kwargs):
        """As ``Model.compile``; ``optimizer`` may be a list of two (linear, deep)."""
        if not isinstance(optimizer, (list, tuple)):
            super().compile(optimizer, *args, **kwargs)
            return
        from tensorflux.keras import optimizers

        super().compile(optimizer[0], *args, **kwargs)
        self.optimizer = [optimizers.get(o) for o in optimizer]

    def call(self, inputs, training=None):
        if isinstance(inputs, (tuple, list)) and len(inputs) == 2:
            linear_inputs, dnn_inputs = inputs
        else:
            linear_inputs = dnn_inputs = inputs
        linear_output = self.linear_model(linear_inputs)
        dnn_output = self.dnn_model(dnn_inputs, training=training)
        output = nest.map_structure(lambda a, b: a + b, linear_output, dnn_output)
        if self.activation is not None:
            return nest.map_structure(self.activation, output)
        return output

    def train_step(self, data) -> dict:
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        if isinstance(self.optimizer, list):
            linear_vars = self.linear_model.trainable_variables
            dnn_vars = self.dnn_model.trainable_variables
            linear_grads, dnn_grads = tape.gradient(loss, (linear_vars, dnn_vars))
            self.optimizer[0].apply_gradients(zip(linear_grads, linear_vars))
            self.optimizer[1].apply_gradients(zip(dnn_grads, dnn_vars))
        else:
            variables = self.trainable_variables
            self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return {m.name: m.result() for m in self.metrics}

    def get_config(self) -> dict:
        from tensorflux.keras.layers.serialization import serialize

        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self._dtype_policy.name,
            "linear_model": serialize(self.linear_model),
            "dnn_model": serialize(self.dnn_model),
            "activation": activations.serialize(self.activation),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers.serialization import deserialize

        config = dict(config)
        linear_model = deserialize(config.pop("linear_model"), custom_objects)
        dnn_model = deserialize(config.pop("dnn_model"), custom_objects)
        activation = activations.deserialize(config.pop("activation", None))
        return cls(linear_model, dnn_model, activation=activation, **config)
