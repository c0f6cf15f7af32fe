"""``keras.layers.PReLU``: leaky ReLU whose slopes are learned."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import nn_ops
from tensorflux.ops.math_ops import add, multiply, negative

__all__ = ["PReLU"]


class PReLU(Layer):
    """Parametric ReLU: ``x`` for ``x >= 0``, else ``alpha * x`` with a learned ``alpha``
    per input position (shared along ``shared_axes``).

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.5))
    >>> layer(tf.constant([[-2.0, 3.0]])).numpy()
    array([[-1.,  3.]], dtype=float32)

    Args:
        alpha_initializer / alpha_regularizer / alpha_constraint: for the ``alpha``
            weight (default: initialised to zeros, i.e. a plain ReLU).
        shared_axes: axes (1-based, the batch is axis 0) along which one slope is shared,
            e.g. ``[1, 2]`` for one slope per channel of images.
    """

    def __init__(
        self,
        alpha_initializer="zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape) -> None:
        dims = TensorShape(input_shape).as_list()
        param_shape = dims[1:]
        for axis in self.shared_axes or ():
            param_shape[axis - 1] = 1
        if None in param_shape:
            raise ValueError(
                f'PReLU layer "{self.name}" needs a known size for every axis that is not '
                f"shared; received input shape {tuple(dims)}. Give those axes a size, or "
                f"list them in `shared_axes`."
            )
        self.alpha = self.add_weight(
            "alpha",
            shape=param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {
            i: dims[i]
            for i in range(1, len(dims))
            if self.shared_axes and i not in self.shared_axes
        }
        self.input_spec = InputSpec(ndim=len(dims), axes=axes)
        self.built = True

    def call(self, inputs):
        positive = nn_ops.relu(inputs)
        negative_part = multiply(negative(self.alpha), nn_ops.relu(negative(inputs)))
        return add(positive, negative_part)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config
