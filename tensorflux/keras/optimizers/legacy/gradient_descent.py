"""``keras.optimizers.legacy.SGD``."""

from __future__ import annotations

from tensorflux.framework.tensor import Tensor
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2

__all__ = ["SGD"]


class SGD(OptimizerV2):
    """Gradient descent, with optional (Nesterov) momentum, as Keras 2's legacy SGD
    (TF's ``ResourceApplyKerasMomentum``).

    ``accum = momentum * accum - lr * g``, then ``w += accum`` (or, with ``nesterov``,
    ``w += momentum * accum - lr * g``); without momentum ``w -= lr * g``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.SGD(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        momentum: in [0, 1]; 0 creates no slot.
        nesterov: use Nesterov momentum.
        name: the optimizer name.
        **kwargs: ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``decay``, ``lr``.

    Raises:
        ValueError: ``momentum`` outside [0, 1].
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._momentum = isinstance(momentum, Tensor) or callable(momentum) or momentum > 0
        if isinstance(momentum, (int, float)) and (momentum < 0 or momentum > 1):
            raise ValueError(
                f"`momentum` must be between [0, 1]. Received: momentum={momentum} "
                f"(of type {type(momentum)})."
            )
        self._set_hyper("momentum", momentum)
        self.nesterov = nesterov

    @property
    def _ROW_SPARSE(self):  # noqa: N802 - the base class's flag
        return self._momentum

    def _create_slots(self, var_list):
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        coefficients["momentum"] = self._get_hyper("momentum", dtype)

    def _update(self, grad, var, slots, c):
        if not self._momentum:
            return var - grad * c["lr_t"], {}
        accum = slots["momentum"] * c["momentum"] - grad * c["lr_t"]
        if self.nesterov:
            return var + (accum * c["momentum"] - grad * c["lr_t"]), {"momentum": accum}
        return var + accum, {"momentum": accum}

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "momentum": self._serialize_hyperparameter("momentum"),
            "nesterov": self.nesterov,
        }
