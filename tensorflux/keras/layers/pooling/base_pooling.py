"""The base of the Keras pooling layers: a window slid over 1, 2 or 3 spatial axes."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops
from tensorflux.ops.pooling_ops import avg_pool_op, max_pool_op

__all__ = ["Pooling"]


class Pooling(Layer):
    """Max or average pooling over ``rank`` spatial axes (the base of MaxPooling1D/2D/3D
    and AveragePooling1D/2D/3D; not a public layer).

    Args:
        pool_mode: ``"max"`` or ``"avg"``.
        rank: the number of spatial axes (1, 2 or 3).
        pool_size: an int or ``rank`` ints.
        strides: an int, ``rank`` ints, or None for ``pool_size``.
        padding: ``"valid"`` or ``"same"``, any case.
        data_format: ``"channels_last"`` or ``"channels_first"``; None reads
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: pool sizes that are not positive ints, negative strides, an unknown
            padding or data format (Keras' messages).
    """

    def __init__(
        self,
        pool_mode,
        rank,
        pool_size,
        strides,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        from tensorflux.keras import backend

        if data_format is None:
            data_format = backend.image_data_format()
        if strides is None:
            strides = pool_size
        self.pool_mode = pool_mode
        self.rank = rank
        self.pool_size = conv_utils.normalize_tuple(pool_size, rank, "pool_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def call(self, inputs):
        pool = max_pool_op if self.pool_mode == "max" else avg_pool_op
        padding = self.padding.upper()
        if self.rank == 2:
            # As tf_keras: channels-first data goes to the op as NCHW, which TF's CPU
            # kernels refuse with their own message.
            if self.data_format == "channels_first":
                return pool(inputs, (1, 1) + self.pool_size, (1, 1) + self.strides, padding, "NCHW")
            return pool(
                inputs, (1,) + self.pool_size + (1,), (1,) + self.strides + (1,), padding, "NHWC"
            )
        # 1-D and 3-D: channels-first data is transposed to channels-last and back.
        last = self.rank + 1
        if self.data_format == "channels_first":
            inputs = array_ops.transpose(inputs, [0] + list(range(2, last + 1)) + [1])
        if self.rank == 1:
            out = pool(
                array_ops.expand_dims(inputs, 2),
                (1,) + self.pool_size + (1, 1),
                (1,) + self.strides + (1, 1),
                padding,
                "NHWC",
            )
            out = array_ops.squeeze(out, [2])
        else:
            out = pool(
                inputs, (1,) + self.pool_size + (1,), (1,) + self.strides + (1,), padding, "NDHWC"
            )
        if self.data_format == "channels_first":
            out = array_ops.transpose(out, [0, last] + list(range(1, last)))
        return out

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        first = 2 if self.data_format == "channels_first" else 1
        for i in range(self.rank):
            dims[first + i] = conv_utils.conv_output_length(
                dims[first + i], self.pool_size[i], self.padding, self.strides[i]
            )
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        if self.rank == 1:
            config.update(
                strides=self.strides,
                pool_size=self.pool_size,
                padding=self.padding,
                data_format=self.data_format,
            )
        else:
            config.update(
                pool_size=self.pool_size,
                padding=self.padding,
                strides=self.strides,
                data_format=self.data_format,
            )
        return config
