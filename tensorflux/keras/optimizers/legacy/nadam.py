"""``keras.optimizers.legacy.Nadam``."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras import backend
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from tensorflux.ops import array_ops, math_ops, slicing_ops, unary_math_ops

__all__ = ["Nadam"]


class Nadam(OptimizerV2):
    """Nesterov Adam as Keras 2's legacy optimizer, with Dozat's momentum schedule.

    The momentum of step ``t`` is ``mu_t = beta_1 * (1 - 0.5 * 0.96 ** (0.004 * t))``
    (``0.004`` is the ``decay`` this optimizer keeps in its config; it does not decay
    the learning rate); their running product lives in ``momentum_cache``. Then
    ``g' = g / (1 - prod_t)``, ``m' = m / (1 - prod_{t+1})``,
    ``v' = v / (1 - beta_2**t)`` and
    ``w -= lr * ((1 - mu_t) * g' + mu_{t+1} * m') / (sqrt(v') + epsilon)``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.Nadam(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.8944

    Args:
        learning_rate: a float or zero-argument callable (no schedules).
        beta_1, beta_2: the moment decays.
        epsilon: the fuzz factor (``None`` or 0: ``keras.backend.epsilon()``).
        name, **kwargs: see ``legacy.SGD`` (``schedule_decay`` sets the 0.004).

    Raises:
        ValueError: a ``LearningRateSchedule`` learning rate.
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="Nadam", **kwargs
    ):
        kwargs["decay"] = kwargs.pop("schedule_decay", 0.004)
        learning_rate = kwargs.get("lr", learning_rate)
        if isinstance(learning_rate, LearningRateSchedule):
            raise ValueError(
                "The Nadam optimizer does not support tf.keras.optimizers."
                "LearningRateSchedules as the learning rate."
            )
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", learning_rate)
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()
        self._m_cache = None

    def _create_slots(self, var_list):
        if self._m_cache is None:
            self._m_cache = Variable(
                np.ones((), var_list[0].dtype.as_numpy_dtype),
                trainable=False,
                name=self._scoped("momentum_cache"),
            )
            self._weights.append(self._m_cache)
        for slot in ("m", "v"):
            for var in var_list:
                self.add_slot(var, slot)

    def _prepare(self, var_list):
        self._m_cache_read = convert_to_tensor(self._m_cache.value())
        return super()._prepare(var_list)

    def _prepare_local(self, var_device, dtype, apply_state):
        coefficients = apply_state.setdefault((var_device, dtype), {})
        lr = self._get_hyper("learning_rate", dtype)
        beta_1 = self._get_hyper("beta_1", dtype)
        beta_2 = self._get_hyper("beta_2", dtype)
        step = math_ops.cast(self.iterations.value() + 1, dtype)
        next_step = math_ops.cast(self.iterations.value() + 2, dtype)
        base = math_ops.cast(0.96, dtype)
        mu = beta_1 * (1.0 - 0.5 * math_ops.pow(base, self._initial_decay * step))
        mu_next = beta_1 * (1.0 - 0.5 * math_ops.pow(base, self._initial_decay * next_step))
        product = math_ops.cast(self._m_cache_read, dtype) * mu
        if dtype == self._m_cache.dtype:
            self._m_cache.assign(product)
        coefficients.update(
            lr_t=lr,
            epsilon=math_ops.cast(self.epsilon, dtype),
            beta_1=beta_1,
            beta_2=beta_2,
            mu_next=mu_next,
            one_minus_beta_1=1.0 - beta_1,
            one_minus_beta_2=1.0 - beta_2,
            one_minus_mu=1.0 - mu,
            one_minus_product=1.0 - product,
            one_minus_product_next=1.0 - product * mu_next,
            v_denominator=1.0 - math_ops.pow(beta_2, step),
        )

    def _update(self, grad, var, slots, c):
        g_prime = grad / c["one_minus_product"]
        m = c["beta_1"] * slots["m"] + c["one_minus_beta_1"] * grad
        v = c["beta_2"] * slots["v"] + c["one_minus_beta_2"] * math_ops.square(grad)
        m_bar = c["one_minus_mu"] * g_prime + c["mu_next"] * (m / c["one_minus_product_next"])
        step = c["lr_t"] * m_bar / (unary_math_ops.sqrt(v / c["v_denominator"]) + c["epsilon"])
        return var - step, {"m": m, "v": v}

    def _apply_sparse(self, grad, var, coefficients):
        # Keras 2 decays the moments on every row but moves only the gradient's rows.
        before = convert_to_tensor(var.value())
        self._apply_dense(convert_to_tensor(grad), var, coefficients)
        rows = array_ops.expand_dims(grad.indices, -1)
        moved = array_ops.gather(var.value(), grad.indices)
        var.assign(slicing_ops.tensor_scatter_nd_update(before, rows, moved))

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "beta_1": self._serialize_hyperparameter("beta_1"),
            "beta_2": self._serialize_hyperparameter("beta_2"),
            "epsilon": self.epsilon,
        }
