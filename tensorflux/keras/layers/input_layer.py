"""``keras.Input`` and ``InputLayer``: where a functional model's graph starts."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.keras.layers.layer import Layer

__all__ = ["Input", "InputLayer"]


class InputLayer(Layer):
    """The layer behind ``keras.Input``: it holds the model's symbolic input tensor.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.InputLayer(input_shape=(28, 28, 1))
    >>> layer.output.shape
    TensorShape([None, 28, 28, 1])

    Args:
        input_shape: the shape without the batch axis (``shape`` is accepted too).
        batch_size: a fixed batch size, or None.
        dtype: the input's dtype (default ``keras.backend.floatx()``).
        input_tensor: an existing Keras tensor to use as the input.
        sparse: whether the input is a SparseTensor.
        ragged: must be False (not supported).
        name: the layer name; by default "input_1", "input_2", ...
        batch_input_shape: the full shape, batch axis included.

    Raises:
        ValueError: contradictory shape arguments, or ragged inputs.
    """

    def __init__(
        self,
        input_shape=None,
        batch_size=None,
        dtype=None,
        input_tensor=None,
        sparse=None,
        name=None,
        ragged=None,
        type_spec=None,
        **kwargs,
    ):
        from tensorflux.keras import backend
        from tensorflux.keras.models.keras_tensor import KerasTensor
        from tensorflux.keras.models.node import Node

        if ragged:
            raise ValueError(
                f"InputLayer: ragged inputs are not supported (ragged={ragged}). Feed dense "
                "or sparse tensors."
            )
        shape = kwargs.pop("shape", None)
        # Whether a model may be called with None for this input (tf_keras records it).
        optional = bool(kwargs.pop("optional", False))
        batch_input_shape = kwargs.pop("batch_input_shape", kwargs.pop("batch_shape", None))
        if shape is not None and input_shape is not None:
            raise ValueError(
                "Only provide the `input_shape` or `shape` argument to InputLayer, "
                f"not both: input_shape={input_shape}, shape={shape}."
            )
        input_shape = shape if input_shape is None else input_shape
        if input_shape is not None and batch_input_shape is not None:
            raise ValueError(
                "Only provide the `input_shape` OR `batch_input_shape` argument to "
                "InputLayer, not both at the same time."
            )
        if type_spec is not None:
            batch_input_shape, dtype = tuple(type_spec.shape.as_list()), type_spec.dtype
        if input_tensor is not None:
            batch_input_shape = tuple(input_tensor.shape.as_list())
            dtype = dtype or input_tensor.dtype
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError(
                    "InputLayer needs an input shape: pass `shape=` (without the "
                    "batch axis), e.g. `tf.keras.Input(shape=(28, 28))`."
                )
            if isinstance(input_shape, int):
                input_shape = (input_shape,)
            batch_input_shape = (batch_size,) + tuple(input_shape)
        for d in batch_input_shape:
            if d is not None and (isinstance(d, bool) or not isinstance(d, (int, np.integer))):
                raise TypeError(
                    f"Dimension value must be integer or None or have an __index__ "
                    f"method, got value {d!r} with type {type(d)} (InputLayer "
                    f"shape {batch_input_shape})."
                )
        batch_input_shape = tuple(None if d is None else int(d) for d in batch_input_shape)
        name = name or f"input_{backend.get_uid('input')}"
        dtype = dtypes.as_dtype(dtype or backend.floatx())
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._batch_input_shape = batch_input_shape
        self.sparse = bool(sparse)
        self.optional = optional
        self.is_placeholder = input_tensor is None
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(batch_input_shape, dtype, name, (self, 0, 0))
            input_tensor._sparse = self.sparse
        else:
            input_tensor._keras_history = (self, 0, 0)
        self._inbound_nodes.append(Node(self, outputs=input_tensor))

    @property
    def output_shape(self):
        """A one-element list, as Keras 2 reports input layers' output shapes."""
        return [self._batch_input_shape]

    @property
    def input_shape(self):
        """Its output shape, ``[(None, ...)]``: Keras gives an InputLayer the tensor it
        holds as both input and output (``plot_model`` shows both)."""
        return self.output_shape

    def get_config(self) -> dict:
        return {
            "batch_input_shape": self._batch_input_shape,
            "dtype": self.dtype,
            "sparse": self.sparse,
            "ragged": False,
            "name": self._name,
            "optional": self.optional,
        }


def Input(
    shape=None,
    batch_size=None,
    name=None,
    dtype=None,
    sparse=None,
    tensor=None,
    ragged=None,
    type_spec=None,
    optional=False,
    **kwargs,
):  # noqa: N802 - Keras' public name
    """A symbolic input of a functional model (a ``KerasTensor``).

    >>> import tensorflux as tf
    >>> x = tf.keras.Input(shape=(3,))
    >>> y = tf.keras.layers.Dense(2)(x)
    >>> model = tf.keras.Model(x, y)
    >>> model.output_shape
    (None, 2)

    Args:
        shape: the shape without the batch axis; ``None`` for unknown dimensions.
        batch_size: a fixed batch size, or None.
        name: a name, unique in the model; default "input_1", "input_2", ...
        dtype: the dtype (default ``keras.backend.floatx()``).
        sparse: whether the input is a SparseTensor (Dense layers multiply it without
            densifying it).
        ragged: must be False (not supported).
        tensor: an existing Keras tensor to wrap.
        optional: whether the model may be called with None for this input.

    Returns:
        A KerasTensor with a ``None`` (or ``batch_size``) batch dimension.
    """
    batch_shape = kwargs.pop("batch_shape", kwargs.pop("batch_input_shape", None))
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments to Input: {sorted(kwargs)}.")
    if shape is None and tensor is None and batch_shape is None and type_spec is None:
        raise ValueError(
            "Please provide to Input a `shape` or a `tensor` or a `type_spec` "
            "argument. Note that `shape` does not include the batch dimension."
        )
    layer = InputLayer(
        input_shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        name=name,
        sparse=sparse,
        ragged=ragged,
        input_tensor=tensor,
        type_spec=type_spec,
        optional=optional,
        **({"batch_input_shape": batch_shape} if batch_shape is not None else {}),
    )
    return layer._inbound_nodes[0].outputs
