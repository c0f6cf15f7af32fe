"""``InputSpec``: what a layer accepts (rank, dtype, fixed axis sizes), and its check."""

from __future__ import annotations

from tensorflux.framework import dtypes, nest
from tensorflux.framework.shape import TensorShape

__all__ = ["InputSpec", "assert_input_compatibility"]


class InputSpec:
    """Constraints on one input of a layer, checked on every call.

    Args:
        dtype: expected dtype, or None.
        shape: expected full shape (``None`` for free dimensions), or None.
        ndim / max_ndim / min_ndim: constraints on the rank.
        axes: ``{axis: size}`` for dimensions that must have a fixed size.
        allow_last_axis_squeeze: accept a rank one higher or lower with last axis 1.
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
    ):
        self.dtype = None if dtype is None else dtypes.as_dtype(dtype).name
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}

    def get_config(self) -> dict:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config) -> InputSpec:
        return cls(**config)

    def __repr__(self):
        parts = [
            f"{k}={v}"
            for k, v in (
                ("dtype", self.dtype),
                ("shape", self.shape),
                ("ndim", self.ndim),
                ("max_ndim", self.max_ndim),
                ("min_ndim", self.min_ndim),
                ("axes", self.axes),
            )
            if v
        ]
        return f"InputSpec({', '.join(parts)})"


def _shape_text(shape: TensorShape) -> str:
    return str(tuple(shape.as_list())) if shape.rank is not None else "<unknown>"


def assert_input_compatibility(input_spec, inputs, layer_name: str) -> None:
    """Checks ``inputs`` against a layer's ``input_spec``.

    Raises:
        ValueError: naming the layer, the input index, what was expected and the shape
            received, as Keras does.
    """
    if not input_spec:
        return
    specs = nest.flatten(input_spec)
    flat = nest.flatten(inputs)
    if len(specs) != len(flat):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(flat)} input tensors."
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None:
            continue
        shape = TensorShape(x.shape)
        where = f'Input {index} of layer "{layer_name}" is incompatible with the layer'
        rank = shape.rank
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank is not None:
            if rank != spec.ndim:
                raise ValueError(
                    f"{where}: expected ndim={spec.ndim}, found ndim={rank}. "
                    f"Full shape received: {_shape_text(shape)}"
                )
        if spec.max_ndim is not None and rank is not None and rank > spec.max_ndim:
            raise ValueError(
                f"{where}: expected max_ndim={spec.max_ndim}, found ndim={rank}. "
                f"Full shape received: {_shape_text(shape)}"
            )
        if spec.min_ndim is not None and rank is not None and rank < spec.min_ndim:
            raise ValueError(
                f"{where}: expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                f"Full shape received: {_shape_text(shape)}"
            )
        if spec.dtype is not None and x.dtype.name != spec.dtype:
            raise ValueError(f"{where}: expected dtype={spec.dtype}, found dtype={x.dtype.name}")
        if spec.axes and rank is not None:
            dims = shape.as_list()
            for axis, value in spec.axes.items():
                if value is None:
                    continue
                if not -rank <= axis < rank:
                    raise ValueError(
                        f"{where}: expected axis {axis} to exist, but received "
                        f"input with shape {_shape_text(shape)}"
                    )
                if dims[axis] not in (value, None):
                    raise ValueError(
                        f"{where}: expected axis {axis} of input shape to have value {value}, "
                        f"but received input with shape {_shape_text(shape)}"
                    )
        if spec.shape is not None and rank is not None:
            for want, got in zip(spec.shape, shape.as_list()):
                if want is not None and got is not None and want != got:
                    raise ValueError(
                        f"{where}: expected shape={spec.shape}, found shape={_shape_text(shape)}"
                    )
