"""``keras.optimizers.legacy.RMSprop``."""

from __future__ import annotations

from tensorflux.framework.tensor import Tensor
from tensorflux.keras import backend
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.ops import math_ops, unary_math_ops

__all__ = ["RMSprop"]


class RMSprop(OptimizerV2):
    """RMSprop as Keras 2's legacy optimizer.

    ``rms = rho * rms + (1 - rho) * g**2`` (centred: minus the square of the running
    mean gradient ``mg``). Without momentum ``w -= lr * g / (sqrt(rms) + epsilon)``;
    with momentum (TF's ``ResourceApplyRMSProp``) epsilon sits inside the root:
    ``mom = momentum * mom + lr * g / sqrt(rms + epsilon)``, ``w -= mom``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.RMSprop(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.6838

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        rho: the decay of the mean square.
        momentum: in [0, 1].
        epsilon: the fuzz factor (``None`` or 0: ``keras.backend.epsilon()``).
        centered: normalise by the variance instead of the second moment.
        name, **kwargs: see ``legacy.SGD``.

    Raises:
        ValueError: ``momentum`` outside [0, 1].
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        name="RMSprop",
        **kwargs,
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("rho", rho)
        self._momentum = isinstance(momentum, Tensor) or callable(momentum) or momentum > 0
        if isinstance(momentum, (int, float)) and (momentum < 0 or momentum > 1):
            raise ValueError(
                f"`momentum` must be between [0, 1]. Received: momentum={momentum} "
                f"(of type {type(momentum)})."
            )
        self._set_hyper("momentum", momentum)
        self.epsilon = epsilon or backend.epsilon()
        self.centered = centered

    @property
    def _ROW_SPARSE(self):  # noqa: N802 - the base class's flag
        return self._momentum

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var, "rms")
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")
        if self.centered:
            for var in var_list:
                self.add_slot(var, "mg")

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        rho = self._get_hyper("rho", dtype)
        coefficients.update(
            rho=rho,
            one_minus_rho=1.0 - rho,
            momentum=self._get_hyper("momentum", dtype),
            epsilon=math_ops.cast(self.epsilon, dtype),
        )

    def _update(self, grad, var, slots, c):
        new = {}
        if self._momentum:
            rms = slots["rms"] + (math_ops.square(grad) - slots["rms"]) * c["one_minus_rho"]
            denom = rms
            if self.centered:
                new["mg"] = slots["mg"] + (grad - slots["mg"]) * c["one_minus_rho"]
                denom = rms - math_ops.square(new["mg"])
            mom = slots["momentum"] * c["momentum"] + (grad * c["lr_t"]) / unary_math_ops.sqrt(
                denom + c["epsilon"]
            )
            new.update(rms=rms, momentum=mom)
            return var - mom, new
        rms = c["rho"] * slots["rms"] + c["one_minus_rho"] * math_ops.square(grad)
        denom = rms
        if self.centered:
            new["mg"] = c["rho"] * slots["mg"] + c["one_minus_rho"] * grad
            denom = rms - math_ops.square(new["mg"])
        new["rms"] = rms
        return var - c["lr_t"] * grad / (unary_math_ops.sqrt(denom) + c["epsilon"]), new

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "rho": self._serialize_hyperparameter("rho"),
            "momentum": self._serialize_hyperparameter("momentum"),
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
