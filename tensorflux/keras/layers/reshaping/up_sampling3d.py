"""``keras.layers.UpSampling3D``: repeats the voxels of 3-D volumes."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.reshaping.spatial_args import data_format_arg, spatial_axes
from tensorflux.keras.utils import conv_utils
from tensorflux.ops.selection_ops import repeat

__all__ = ["UpSampling3D"]


class UpSampling3D(Layer):
    """Repeats the 3 spatial dimensions of a batch ``(batch, dim1, dim2, dim3, channels)``
    ``size[0]``, ``size[1]`` and ``size[2]`` times (channels first with
    ``data_format="channels_first"``).

    >>> import tensorflux as tf
    >>> tf.keras.layers.UpSampling3D(2)(tf.ones((1, 1, 2, 1, 3))).shape
    TensorShape([1, 2, 4, 2, 3])

    Args:
        size: an int or 3 ints, the factors per spatial dimension.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: a ``size`` that is not 1 or 3 positive ints, or an unknown
            ``data_format``.
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self.size = conv_utils.normalize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        outputs = inputs
        for axis, factor in zip(spatial_axes(self.data_format, 3), self.size):
            outputs = repeat(outputs, factor, axis=axis)
        return outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for axis, factor in zip(spatial_axes(self.data_format, 3), self.size):
            dims[axis] = None if dims[axis] is None else dims[axis] * factor
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
