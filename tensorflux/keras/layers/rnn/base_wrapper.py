"""``keras.layers.Wrapper``: the base class of layers that wrap another layer."""

from __future__ import annotations

from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.cell_utils import weights_scope

__all__ = ["Wrapper"]


class Wrapper(Layer):
    """A layer that holds another layer, ``self.layer``, and changes how it is applied
    (``TimeDistributed``, ``Bidirectional``). A base class: subclasses define ``call``.

    ``build`` builds the wrapped layer on the same input shape; the config stores the
    wrapped layer serialized under ``"layer"``; the activity regularizer is the wrapped
    layer's.

    >>> import tensorflux as tf
    >>> class Twice(tf.keras.layers.Wrapper):
    ...     def call(self, x):
    ...         return self.layer(self.layer(x))
    >>> Twice(tf.keras.layers.Dense(2, use_bias=False, kernel_initializer="ones"))(
    ...     tf.ones((1, 2))).numpy()
    array([[4., 4.]], dtype=float32)

    Args:
        layer: the layer to wrap.

    Raises:
        ValueError: a ``layer`` that is not a Layer.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to wrapper is not a supported layer type. "
                "Please ensure wrapped layer is a valid TF-Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None) -> None:
        if not self.layer.built:
            # Built inside the wrapper's call, its weights take the wrapper's name.
            with weights_scope(self.layer, replace=True):
                self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    @property
    def activity_regularizer(self):
        # What is reported; the wrapper's own (its constructor argument) still applies
        # to its outputs, the wrapped layer's to the wrapped layer's.
        return getattr(self.layer, "activity_regularizer", None)

    def get_config(self) -> dict:
        from tensorflux.keras.layers import serialize

        config = super().get_config()
        config["layer"] = serialize(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers import deserialize

        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
