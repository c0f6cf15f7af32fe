"""The base of the Keras global pooling layers: a reduction over every spatial axis."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils

__all__ = ["GlobalPooling"]


class GlobalPooling(Layer):
    """A reduction over the ``rank`` spatial axes (the base of GlobalMaxPooling1D/2D/3D
    and GlobalAveragePooling1D/2D/3D; not a public layer).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        data_format: ``"channels_last"`` or ``"channels_first"``; None reads
            ``keras.backend.image_data_format()``.
        keepdims: whether the spatial axes stay, with size 1.

    Raises:
        ValueError: an unknown data format; on build, a spatial axis of size 0.
    """

    def __init__(self, rank, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        from tensorflux.keras import backend

        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 2)
        self.data_format = conv_utils.normalize_data_format(
            backend.image_data_format() if data_format is None else data_format
        )
        self.keepdims = keepdims

    @property
    def spatial_axes(self) -> list:
        first = 1 if self.data_format == "channels_last" else 2
        return list(range(first, first + self.rank))

    def build(self, input_shape) -> None:
        dims = TensorShape(input_shape).as_list()
        for axis in self.spatial_axes:
            if dims[axis] == 0:
                raise ValueError(
                    f"Incorrect input shape {dims} with dimension 0 at reduction axis {axis}."
                )
        super().build(input_shape)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        axes = self.spatial_axes
        if self.keepdims:
            return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
        return TensorShape([d for i, d in enumerate(dims) if i not in axes])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(data_format=self.data_format, keepdims=self.keepdims)
        return config
