"""The base of the elementwise merge layers (Add, Subtract, Multiply, ...)."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops, reduction_ops

__all__ = ["Merge", "shapes_text"]


def shapes_text(shapes) -> str:
    return "[" + ", ".join(str(tuple(s.as_list())) for s in shapes) + "]"


def _as_shape_list(layer_name, input_shape) -> list:
    if not isinstance(input_shape, (list, tuple)) or not all(
        isinstance(s, (list, tuple, TensorShape)) for s in input_shape
    ):
        shape = tuple(TensorShape(input_shape).as_list())
        raise ValueError(
            f"A merge layer should be called on a list of inputs. Layer "
            f'"{layer_name}" received: input_shape={shape} (not a list of shapes)'
        )
    if not input_shape:
        raise ValueError(
            f"A merge layer should be called on a list of at least 1 input. "
            f'Layer "{layer_name}" received: input_shape=[]'
        )
    return [TensorShape(s) for s in input_shape]


class Merge(Layer):
    """Combines a list of tensors elementwise with ``_merge_function``.

    Shapes after the batch axis broadcast against each other; inputs of lower rank
    get axes inserted after the batch axis first. The output mask is the AND of the
    inputs' masks.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        self._elementwise_shape(_as_shape_list(self.name, input_shape))
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Layer "
                f'"{self.name}" received: inputs={inputs} (not a list of tensors)'
            )
        rank = max(x.shape.rank for x in inputs)
        aligned = []
        for x in inputs:
            for _ in range(rank - x.shape.rank):
                x = array_ops.expand_dims(x, 1)
            aligned.append(x)
        return self._merge_function(aligned)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return self._elementwise_shape(_as_shape_list(self.name, input_shape))

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")
        masks = [m for m in mask if m is not None]
        if not masks:
            return None
        return reduction_ops.reduce_all(array_ops.stack(masks), axis=0)

    def _merge_function(self, inputs):
        raise NotImplementedError(f"{type(self).__name__} must implement `_merge_function`.")

    def _elementwise_shape(self, shapes) -> TensorShape:
        """The broadcast of the shapes after their batch axes, after a common batch size."""
        batch_sizes = {s[0] for s in shapes if s.rank} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        out = shapes[0].as_list()[1:]
        for shape in shapes[1:]:
            out = _broadcast(out, shape.as_list()[1:], shapes)
        return TensorShape([batch] + out)


def _broadcast(a, b, shapes) -> list:
    if len(a) < len(b):
        a, b = b, a
    out = a[: len(a) - len(b)]
    for i, j in zip(a[len(a) - len(b) :], b):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(
                "Inputs have incompatible shapes. Received shapes "
                f"{tuple(a)} and {tuple(b)} (full input shapes: "
                f"{shapes_text(shapes)})"
            )
        else:
            out.append(i)
    return out
