"""``keras.layers.Embedding``: looks up dense vectors for integer indices."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops, logic_ops, math_ops

__all__ = ["Embedding"]


class Embedding(Layer):
    """Turns indices into dense vectors: ``embeddings[inputs]``.

    Inputs are integer tensors of any shape ``(batch, ...)``; the output has shape
    ``(batch, ..., output_dim)``. The gradient of ``embeddings`` is an
    ``IndexedSlices`` touching only the rows looked up.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.Embedding(10, 4, mask_zero=True)
    >>> out = layer(tf.constant([[0, 3, 7]]))
    >>> out.shape, out._keras_mask.numpy()
    (TensorShape([1, 3, 4]), array([[False,  True,  True]]))

    Args:
        input_dim: the vocabulary size (largest index + 1).
        output_dim: the size of each vector.
        embeddings_initializer / embeddings_regularizer / embeddings_constraint: for
            the ``embeddings`` matrix of shape ``(input_dim, output_dim)``.
        activity_regularizer: a penalty on the output.
        mask_zero: whether index 0 is padding; the output then carries the mask
            ``inputs != 0`` (and ``input_dim`` must count index 0).
        input_length: the length of input sequences, when constant; needed to connect
            ``Flatten`` then ``Dense`` after this layer in a model built up front.

    Raises:
        ValueError: a non-positive ``input_dim`` or ``output_dim``.
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        activity_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        input_length=None,
        **kwargs,
    ):
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            # As Keras 2: a model starting with an Embedding is built from (None, length).
            kwargs["input_shape"] = (
                tuple(input_length) if isinstance(input_length, (list, tuple)) else (input_length,)
            )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if input_dim <= 0 or output_dim <= 0:
            raise ValueError(
                "Both `input_dim` and `output_dim` should be positive, "
                f"Received input_dim = {input_dim} and output_dim = {output_dim}"
            )
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.input_length = input_length
        self._autocast = False

    def build(self, input_shape) -> None:
        self.embeddings = self.add_weight(
            "embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
            # As Keras: looked up in float32, only the looked-up rows are cast.
            autocast=False,
        )
        self.built = True

    def call(self, inputs):
        if not inputs.dtype.is_integer:
            inputs = math_ops.cast(inputs, "int32")
        outputs = array_ops.gather(self.embeddings, inputs)
        if outputs.dtype != self._dtype:
            outputs = math_ops.cast(outputs, self._dtype)
        return outputs

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return logic_ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if self.input_length is not None:
            lengths = (
                list(self.input_length)
                if isinstance(self.input_length, (list, tuple))
                else [self.input_length]
            )
            if len(lengths) != len(dims) - 1:
                raise ValueError(
                    f'Embedding layer "{self.name}": `input_length` is '
                    f"{self.input_length}, but received input has shape "
                    f"{tuple(dims)}"
                )
            for i, (length, dim) in enumerate(zip(lengths, dims[1:]), start=1):
                if length is not None and dim is not None and length != dim:
                    raise ValueError(
                        f'Embedding layer "{self.name}": `input_length` is '
                        f"{self.input_length}, but received input has shape "
                        f"{tuple(dims)}"
                    )
                dims[i] = dim if dim is not None else length
        return TensorShape(dims + [self.output_dim])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                "input_length": self.input_length,
            }
        )
        return config
