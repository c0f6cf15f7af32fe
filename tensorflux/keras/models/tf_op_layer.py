"""``TFOpLambda``: the layer a TF call on Keras tensors becomes.

``x * 2`` on a Keras tensor records a ``TFOpLambda("math.multiply")`` layer called
on ``(x, 2)``; when the model runs, it computes ``x * 2`` on the real tensor. The
names follow Keras 2 ("tf.math.multiply", "tf.__operators__.add"), which shows in
``model.summary()`` and ``model.layers``. Besides the Python operators, any public
tensorflux function can be named ("math.exp", "math.reduce_mean"): the Keras
backend functions (``K.exp(x)``, ``K.mean(x, axis=-1)``) record those.
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


def _resolve(function: str):
    """The operator or tensorflux function called ``tf.<function>``, else None."""
    if function in _FUNCTIONS:
        return _FUNCTIONS[function]
    import tensorflux

    target = tensorflux
    for part in function.split("."):
        target = getattr(target, part, None)
    return target if callable(target) else None


class TFOpLambda(Layer):
    """Applies one TF function (by its name under ``tf.``) to the inputs.

    Args:
        function: the name without the "tf." prefix: an operator such as
            "math.multiply" (see ``_FUNCTIONS``) or a public function such as
            "math.exp"; extra positional and keyword arguments of the call are
            passed on to it.
        reverse: the Keras tensor was the right operand of a binary operator
            (``2 - x``).

    Raises:
        ValueError: a name that is no tensorflux function.
    """

    def __init__(self, function: str, reverse: bool = False, **kwargs):
        from tensorflux.keras import backend

        fn = _resolve(function)
        if fn is None:
            raise ValueError(
                f"TFOpLambda: unknown function {function!r}: expected an "
                f"operator ({', '.join(sorted(_FUNCTIONS))}) or the name of a "
                "tensorflux function under `tf.`, e.g. 'math.exp'."
            )
        kwargs.setdefault("name", backend.unique_object_name(f"tf.{function}"))
        kwargs["autocast"] = False
        super().__init__(**kwargs)
        self.function = function
        self.reverse = bool(reverse)
        self._fn = fn
        self.built = True

    def call(self, inputs, *args, **kwargs):
        if self.reverse:
            return self._fn(args[0], inputs)
        return self._fn(inputs, *args, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"function": self.function, "reverse": self.reverse})
        return config
