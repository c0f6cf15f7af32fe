"""``keras.layers.Subtract`` and its functional form ``keras.layers.subtract``."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.merging.base_merge import Merge, shapes_text

__all__ = ["Subtract", "subtract"]


class Subtract(Merge):
    """Subtracts the second of two tensors from the first.

    >>> import tensorflux as tf
    >>> a, b = tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])
    >>> tf.keras.layers.Subtract()([a, b]).numpy()
    array([[-2.,  2.]], dtype=float32)

    Raises:
        ValueError: a number of inputs other than 2.
    """

    def build(self, input_shape) -> None:
        if isinstance(input_shape, (list, tuple)) and len(input_shape) != 2:
            raise ValueError(self._arity_message([TensorShape(s) for s in input_shape]))
        super().build(input_shape)

    def _arity_message(self, shapes) -> str:
        return (
            f'A `Subtract` layer should be called on exactly 2 inputs. Layer "{self.name}" '
            f"received: input_shape={shapes_text(shapes)}"
        )

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(self._arity_message([TensorShape(x.shape) for x in inputs]))
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """The functional form of ``Subtract``: ``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)
