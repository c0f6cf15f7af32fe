"""``keras.layers.Concatenate`` and its functional form ``keras.layers.concatenate``."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.merging.base_merge import Merge, shapes_text
from tensorflux.ops import array_ops, creation_ops, reduction_ops

__all__ = ["Concatenate", "concatenate"]


class Concatenate(Merge):
    """Concatenates a list of tensors along ``axis``; all other dimensions must match.

    >>> import tensorflux as tf
    >>> a, b = tf.ones((2, 3)), tf.zeros((2, 4))
    >>> tf.keras.layers.Concatenate()([a, b]).shape
    TensorShape([2, 7])

    Masks: along a feature axis (masks have one axis fewer than the inputs) the output
    mask is the AND of the input masks; along another axis the masks are concatenated.

    Args:
        axis: the concatenation axis.

    Raises:
        ValueError: inputs whose shapes differ outside ``axis``.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape) -> None:
        self._check_shapes(input_shape)
        self.built = True

    def _merge_function(self, inputs):
        self._check_shapes([TensorShape(x.shape) for x in inputs])
        return array_ops.concat(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape) -> TensorShape:
        shapes = self._check_shapes(input_shape)
        out = shapes[0].as_list()
        axis = self.axis % len(out)
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        for shape in shapes[1:]:
            for i, d in enumerate(shape.as_list()):
                if out[i] is None and i != axis:
                    out[i] = d
        return TensorShape(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        rank = inputs[0].shape.rank
        # Per-timestep masks (RNN-style) have no feature axis.
        per_step = next(m for m in mask if m is not None).shape.rank < rank
        masks = [
            creation_ops.ones_like(x[..., 0] if per_step else x, dtype="bool") if m is None else m
            for x, m in zip(inputs, mask)
        ]
        axis = self.axis % rank
        if per_step and axis == rank - 1:
            return reduction_ops.reduce_all(array_ops.stack(masks), axis=0)
        return array_ops.concat(masks, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config

    def _check_shapes(self, input_shape) -> list:
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not all(isinstance(s, (list, tuple, TensorShape)) for s in input_shape)
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 "
                f'input. Layer "{self.name}" received: input_shape={input_shape}'
            )
        shapes = [TensorShape(s) for s in input_shape]
        ranks = {s.rank for s in shapes}
        if len(ranks) > 1 or not -shapes[0].rank <= self.axis < shapes[0].rank:
            raise ValueError(self._mismatch_message(shapes))
        axis = self.axis % shapes[0].rank
        for shape in shapes[1:]:
            for i, (d, e) in enumerate(zip(shapes[0].as_list(), shape.as_list())):
                if i != axis and d is not None and e is not None and d != e:
                    raise ValueError(self._mismatch_message(shapes))
        return shapes

    def _mismatch_message(self, shapes) -> str:
        return (
            "A `Concatenate` layer requires inputs with matching shapes except for the "
            f'concatenation axis. Layer "{self.name}" (axis={self.axis}) received: '
            f"input_shape={shapes_text(shapes)}"
        )


def concatenate(inputs, axis=-1, **kwargs):
    """The functional form of ``Concatenate``: ``Concatenate(axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
