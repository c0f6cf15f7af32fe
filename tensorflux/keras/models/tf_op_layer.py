"""``TFOpLambda``: the layer a Python operator on Keras tensors becomes.

``x * 2`` on a Keras tensor records a ``TFOpLambda("math.multiply")`` layer called
on ``(x, 2)``; when the model runs, it computes ``x * 2`` on the real tensor. The
names follow Keras 2 ("tf.math.multiply", "tf.__operators__.add"), which shows in
``model.summary()`` and ``model.layers``.
"""

from __future__ import annotations

import operator

from tensorflux.keras.layers.layer import Layer

__all__ = ["TFOpLambda"]

_FUNCTIONS = {
    "__operators__.add": operator.add,
    "math.subtract": operator.sub,
    "math.multiply": operator.mul,
    "math.truediv": operator.truediv,
    "math.floordiv": operator.floordiv,
    "math.floormod": operator.mod,
    "math.pow": operator.pow,
    "linalg.matmul": operator.matmul,
    "math.logical_and": operator.and_,
    "math.logical_or": operator.or_,
    "math.logical_xor": operator.xor,
    "math.less": operator.lt,
    "math.less_equal": operator.le,
    "math.greater": operator.gt,
    "math.greater_equal": operator.ge,
    "math.negative": operator.neg,
    "math.abs": operator.abs,
    "math.logical_not": operator.invert,
    "__operators__.getitem": operator.getitem,
}


class TFOpLambda(Layer):
    """Applies one Python operator (by its TF name) to the inputs.

    Args:
        function: the operator's TF name without the "tf." prefix, e.g.
            "math.multiply" (see ``_FUNCTIONS``).
        reverse: the Keras tensor was the right operand (``2 - x``).

    Raises:
        ValueError: an unknown function name.
    """

    def __init__(self, function: str, reverse: bool = False, **kwargs):
        from tensorflux.keras import backend

        if function not in _FUNCTIONS:
            raise ValueError(f"TFOpLambda: unknown function {function!r}; expected one of "
                             f"{sorted(_FUNCTIONS)}.")
        kwargs.setdefault("name", backend.unique_object_name(f"tf.{function}"))
        kwargs["autocast"] = False
        super().__init__(**kwargs)
        self.function = function
        self.reverse = bool(reverse)
        self._fn = _FUNCTIONS[function]
        self.built = True

    def call(self, inputs, *args):
        if self.reverse:
            return self._fn(args[0], inputs)
        return self._fn(inputs, *args)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"function": self.function, "reverse": self.reverse})
        return config
