"""``keras.layers.LocallyConnected2D``: a 2-D convolution with unshared weights."""

from __future__ import annotations

from tensorflux.keras.layers.locally_connected.base_locally_connected import LocallyConnected

__all__ = ["LocallyConnected2D"]


class LocallyConnected2D(LocallyConnected):
    """Like ``Conv2D``, but each output pixel has its own kernel (and bias): inputs
    ``(batch, rows, cols, channels)`` give ``(batch, new_rows, new_cols, filters)``.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.LocallyConnected2D(2, (2, 2))
    >>> layer(tf.ones((1, 3, 3, 1))).shape
    TensorShape([1, 2, 2, 2])
    >>> [w.shape for w in layer.weights]
    [TensorShape([4, 4, 2]), TensorShape([2, 2, 2])]

    Args:
        filters: the number of output channels.
        kernel_size, strides: ints or 2-tuples.
        padding: "valid", or "same" with ``implementation`` 2 or 3.
        data_format: "channels_last" (default) or "channels_first".
        activation, use_bias, kernel_initializer ... bias_constraint: as ``Conv2D``'s.
        implementation: how the kernel is stored: 1, a ``(new_rows * new_cols,
            kernel_rows * kernel_cols * channels, filters)`` stack of kernels; 2, a
            dense ``(rows, cols, channels, new_rows, new_cols, filters)`` kernel
            masked to the windows; 3, a vector of the nonzero entries of that
            matrix. The same function.

    Raises:
        ValueError: "same" padding with ``implementation=1``; when built, unknown
            spatial sizes, an empty output, or an unknown ``implementation``.
    """

    rank = 2

    def _check_input(self, spatial, channels, input_shape) -> None:
        if None in spatial:
            raise ValueError(
                "The spatial dimensions of the inputs to  a LocallyConnected2D layer "
                "should be fully-defined, but layer received the inputs shape " + str(input_shape)
            )
