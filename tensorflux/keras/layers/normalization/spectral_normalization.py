"""``keras.layers.SpectralNormalization``: keeps a layer's kernel at spectral norm 1."""

from __future__ import annotations

from tensorflux.engine.control_flow import cond
from tensorflux.framework.shape import TensorShape
from tensorflux.keras import initializers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.rnn.base_wrapper import Wrapper
from tensorflux.ops import array_ops, logic_ops, math_ops, nn_ops, reduction_ops

__all__ = ["SpectralNormalization"]


class SpectralNormalization(Wrapper):
    """Wraps a layer with a ``kernel`` (or ``embeddings``) and, on each call with
    ``training=True``, divides that kernel by its largest singular value, estimated by
    ``power_iterations`` steps of power iteration on the kernel reshaped to
    ``(-1, kernel.shape[-1])``. The estimate of the right singular vector is kept in the
    non-trainable weight ``vector_u`` and refined from call to call. A kernel of zeros
    is left as it is. Inference calls use the kernel as it stands.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.SpectralNormalization(
    ...     tf.keras.layers.Dense(2, kernel_initializer="ones", use_bias=False))
    >>> layer(tf.ones((1, 2)), training=True).numpy().round(5)   # the kernel, all 0.5 now
    array([[1., 1.]], dtype=float32)

    Args:
        layer: the layer to normalize.
        power_iterations: power-iteration steps per training call (positive).

    Raises:
        ValueError: a ``power_iterations`` below 1, a ``layer`` that is not a Layer,
            or (when built) one with neither ``kernel`` nor ``embeddings``.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape) -> None:
        super().build(input_shape)
        input_shape = TensorShape(input_shape)
        self.input_spec = InputSpec(shape=[None] + input_shape.as_list()[1:])
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'"
            )
        self.kernel_shape = self.kernel.shape.as_list()
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=self.kernel.dtype,
        )

    def call(self, inputs, training=False):
        if training:
            self._update_weights()
        return self.layer(inputs)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(self.layer.compute_output_shape(input_shape).as_list())

    def _update_weights(self) -> None:
        is_zero = reduction_ops.reduce_all(logic_ops.equal(self.kernel, 0))
        kernel, vector_u = cond(
            is_zero, lambda: (self.kernel.value(), self.vector_u.value()), self.normalize_weights
        )
        self.kernel.assign(kernel)
        self.vector_u.assign(vector_u)

    def normalize_weights(self):
        """The kernel divided by its estimated largest singular value, and the refined
        estimate of the right singular vector: ``(kernel, vector_u)``."""
        weights = array_ops.reshape(self.kernel, [-1, self.kernel_shape[-1]])
        vector_u = vector_v = self.vector_u
        for _ in range(self.power_iterations):
            vector_v = nn_ops.l2_normalize(math_ops.matmul(vector_u, weights, transpose_b=True))
            vector_u = nn_ops.l2_normalize(math_ops.matmul(vector_v, weights))
        vector_u = array_ops.stop_gradient(vector_u)
        vector_v = array_ops.stop_gradient(vector_v)
        sigma = math_ops.matmul(math_ops.matmul(vector_v, weights), vector_u, transpose_b=True)
        return array_ops.reshape(weights / sigma, self.kernel_shape), vector_u

    def get_config(self) -> dict:
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
