"""``keras.optimizers.legacy.Ftrl``."""

from __future__ import annotations

from tensorflux.keras import initializers
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.ops import array_ops, logic_ops, math_ops, unary_math_ops

__all__ = ["Ftrl"]


class Ftrl(OptimizerV2):
    """FTRL-Proximal as Keras 2's legacy optimizer (TF's ``ResourceApplyFtrl``/``V2``).

    With ``p = -learning_rate_power`` and ``acc' = acc + g**2``:
    ``linear += g + 2 * l2_shrinkage * w - (acc'**p - acc**p) / lr * w``, then
    ``w = (l1 * sign(linear) - linear) / (acc'**p / lr + 2 * l2)`` where
    ``|linear| > l1``, else 0; ``l2`` here includes ``beta / (2 * lr)``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.Ftrl(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.6031

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        learning_rate_power: <= 0.
        initial_accumulator_value: >= 0.
        l1_regularization_strength, l2_regularization_strength: >= 0.
        l2_shrinkage_regularization_strength: >= 0, a magnitude penalty on the weights.
        beta: adds ``beta / (2 * lr)`` to the L2 strength.
        name, **kwargs: see ``legacy.SGD``.

    Raises:
        ValueError: an argument outside its range.
    """

    _ROW_SPARSE = True

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        name="Ftrl",
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        **kwargs,
    ):
        super().__init__(name, **kwargs)
        if initial_accumulator_value < 0.0:
            raise ValueError(
                "`initial_accumulator_value` needs to be positive or zero. Received: "
                f"initial_accumulator_value={initial_accumulator_value}."
            )
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        for arg, value in (
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ):
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
        self._set_hyper("learning_rate", learning_rate)
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("learning_rate_power", learning_rate_power)
        self._set_hyper("l1_regularization_strength", l1_regularization_strength)
        self._set_hyper("l2_regularization_strength", l2_regularization_strength)
        self._set_hyper("beta", beta)
        self._sqrt_power = learning_rate_power == -0.5
        self._initial_accumulator_value = initial_accumulator_value
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(
                var, "accumulator", initializers.Constant(self._initial_accumulator_value)
            )
            self.add_slot(var, "linear")

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        coefficients.update(
            power=self._get_hyper("learning_rate_power", dtype),
            l1=self._get_hyper("l1_regularization_strength", dtype),
            l2=self._get_hyper("l2_regularization_strength", dtype)
            + self._get_hyper("beta", dtype) / (2.0 * coefficients["lr_t"]),
            shrinkage=math_ops.cast(self._l2_shrinkage_regularization_strength, dtype),
        )

    def _pow(self, x, c):
        # TF's kernel takes the square root itself for the default power -0.5.
        if self._sqrt_power:
            return unary_math_ops.sqrt(x)
        return math_ops.pow(x, -c["power"])

    def _update(self, grad, var, slots, c):
        acc = slots["accumulator"]
        new_acc = acc + math_ops.square(grad)
        shrunk = grad
        if self._l2_shrinkage_regularization_strength > 0.0:
            shrunk = grad + 2.0 * c["shrinkage"] * var
        linear = slots["linear"] + (
            shrunk - (self._pow(new_acc, c) - self._pow(acc, c)) / c["lr_t"] * var
        )
        quadratic = self._pow(new_acc, c) / c["lr_t"] + 2.0 * c["l2"]
        projected = (c["l1"] * math_ops.sign(linear) - linear) / quadratic
        kept = logic_ops.greater(math_ops.abs(linear), c["l1"])
        new_var = array_ops.where(kept, projected, array_ops.zeros_like(projected))
        return new_var, {"accumulator": new_acc, "linear": linear}

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "initial_accumulator_value": self._initial_accumulator_value,
            "learning_rate_power": self._serialize_hyperparameter("learning_rate_power"),
            "l1_regularization_strength": self._serialize_hyperparameter(
                "l1_regularization_strength"
            ),
            "l2_regularization_strength": self._serialize_hyperparameter(
                "l2_regularization_strength"
            ),
            "beta": self._serialize_hyperparameter("beta"),
            "l2_shrinkage_regularization_strength": self._l2_shrinkage_regularization_strength,
        }
