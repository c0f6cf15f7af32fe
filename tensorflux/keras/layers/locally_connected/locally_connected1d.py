"""``keras.layers.LocallyConnected1D``: a 1-D convolution with unshared weights."""

from __future__ import annotations

from tensorflux.keras.layers.locally_connected.base_locally_connected import LocallyConnected

__all__ = ["LocallyConnected1D"]


class LocallyConnected1D(LocallyConnected):
    """Like ``Conv1D``, but each output step has its own kernel (and bias): inputs
    ``(batch, steps, channels)`` give ``(batch, new_steps, filters)``.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.LocallyConnected1D(2, 3)
    >>> layer(tf.ones((1, 5, 4))).shape
    TensorShape([1, 3, 2])
    >>> [w.shape for w in layer.weights]
    [TensorShape([3, 12, 2]), TensorShape([3, 2])]

    Args:
        filters: the number of output channels.
        kernel_size, strides: ints or 1-tuples.
        padding: "valid", or "same" with ``implementation`` 2 or 3.
        data_format: "channels_last" (default) or "channels_first".
        activation, use_bias, kernel_initializer ... bias_constraint: as ``Conv1D``'s.
        implementation: how the kernel is stored: 1, a ``(new_steps,
            kernel_size * channels, filters)`` stack of kernels; 2, a dense
            ``(steps, channels, new_steps, filters)`` kernel masked to the windows;
            3, a vector of the nonzero entries of that matrix. The same function.

    Raises:
        ValueError: "same" padding with ``implementation=1``; when built, an unknown
            channel count, an output of no steps, or an unknown ``implementation``.
    """

    rank = 1

    def _check_input(self, spatial, channels, input_shape) -> None:
        if channels is None:
            raise ValueError("Axis 2 of input should be fully-defined. Found shape:", input_shape)
