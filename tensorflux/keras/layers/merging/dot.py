"""``keras.layers.Dot`` and its functional form ``keras.layers.dot``."""

from __future__ import annotations

from numbers import Integral

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.merging.base_merge import Merge, shapes_text
from tensorflux.ops import array_ops, math_ops, nn_ops
from tensorflux.ops.common import dim_list

__all__ = ["Dot", "dot"]


class Dot(Merge):
    """The dot product of two batches of tensors, per example, over ``axes``.

    For ``x`` of shape ``(batch, n)`` and ``y`` of shape ``(batch, n)``, ``Dot(axes=1)``
    gives ``(batch, 1)``; in general the output holds the remaining axes of ``x`` then
    those of ``y`` (batch axis excluded).

    >>> import tensorflux as tf
    >>> x, y = tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 4.0]])
    >>> tf.keras.layers.Dot(axes=1)([x, y]).numpy()
    array([[11.]], dtype=float32)

    Args:
        axes: the axis summed over, or a pair ``(axis_of_x, axis_of_y)``; never 0.
        normalize: whether to L2-normalize both inputs along ``axes`` first, so the
            output is the cosine similarity.

    Raises:
        ValueError: malformed ``axes``, a number of inputs other than 2, or sizes along
            ``axes`` that differ.
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: list should contain "
                    f"2 elements. Received: axes={axes}"
                )
            if not all(isinstance(a, Integral) for a in axes):
                raise ValueError(
                    "Invalid format for argument `axes`: list elements should "
                    f"be integers. Received: axes={axes}"
                )
            axes = list(axes)
        elif not isinstance(axes, Integral):
            raise TypeError(
                "Invalid type for argument `axes`: it should be a list or an "
                f"int. Received: axes={axes}"
            )
        self.axes = axes
        self.normalize = bool(normalize)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        self._resolve(input_shape)
        self.built = True

    def call(self, inputs):
        x, y = inputs
        ax, ay = self._resolve([TensorShape(x.shape), TensorShape(y.shape)])
        if self.normalize:
            x = nn_ops.l2_normalize(x, axis=ax)
            y = nn_ops.l2_normalize(y, axis=ay)
        return _batch_dot(x, y, ax, ay)

    def compute_output_shape(self, input_shape) -> TensorShape:
        ax, ay = self._resolve(input_shape)
        x, y = (TensorShape(s).as_list() for s in input_shape)
        out = (
            [x[0]]
            + [d for i, d in enumerate(x) if i not in (0, ax)]
            + [d for i, d in enumerate(y) if i not in (0, ay)]
        )
        return TensorShape(out if len(out) > 1 else out + [1])

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config

    def _resolve(self, input_shape) -> tuple:
        """The two (non-negative) axes for inputs of ``input_shape``, checked."""
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not all(isinstance(s, (list, tuple, TensorShape)) for s in input_shape)
        ):
            raise ValueError(
                f"A `Dot` layer should be called on a list of 2 inputs. Layer "
                f'"{self.name}" received: input_shape={input_shape}'
            )
        shapes = [TensorShape(s) for s in input_shape]
        axes = self.axes if isinstance(self.axes, list) else [self.axes] * 2
        resolved = []
        for axis, shape in zip(axes, shapes):
            if not -shape.rank <= axis < shape.rank or axis % shape.rank == 0:
                raise ValueError(
                    f'Dot layer "{self.name}": axis {axis} is not a non-batch '
                    f"axis of an input of shape {tuple(shape.as_list())}."
                )
            resolved.append(axis % shape.rank)
        ax, ay = resolved
        dx, dy = shapes[0][ax], shapes[1][ay]
        if dx is not None and dy is not None and dx != dy:
            raise ValueError(
                f'Dot layer "{self.name}": Incompatible input shapes: axis '
                f"values {dx} (at axis {ax}) != "
                f"{dy} (at axis {ay}). Full input shapes: "
                f"{shapes_text(shapes)[1:-1]}"
            )
        return ax, ay


def _batch_dot(x, y, ax, ay):
    """Per-example contraction of ``x`` axis ``ax`` with ``y`` axis ``ay``, as one
    batched matmul: ``(b, rest_x, k) @ (b, k, rest_y)``."""
    xs, ys = dim_list(x), dim_list(y)
    rest_x = [i for i in range(1, len(xs)) if i != ax]
    rest_y = [i for i in range(1, len(ys)) if i != ay]
    x2 = array_ops.reshape(array_ops.transpose(x, [0] + rest_x + [ax]), [xs[0], -1, xs[ax]])
    y2 = array_ops.reshape(array_ops.transpose(y, [0, ay] + rest_y), [ys[0], ys[ay], -1])
    out_shape = [xs[0]] + [xs[i] for i in rest_x] + [ys[i] for i in rest_y]
    if len(out_shape) == 1:
        out_shape.append(1)
    return array_ops.reshape(math_ops.matmul(x2, y2), out_shape)


def dot(inputs, axes, normalize=False, **kwargs):
    """The functional form of ``Dot``: ``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
