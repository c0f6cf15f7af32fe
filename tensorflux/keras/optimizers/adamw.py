"""``keras.optimizers.AdamW``: Adam with decoupled weight decay."""

from __future__ import annotations

from tensorflux.keras.optimizers.adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): every step first does
    ``w -= w * weight_decay * lr``, then the Adam update.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        weight_decay: the decay rate; required.
        beta_1, beta_2, epsilon, amsgrad: as ``Adam``.
        Other arguments: see ``Optimizer``.

    Raises:
        ValueError: ``weight_decay=None``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.85
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="AdamW",
        **kwargs,
    ):
        if weight_decay is None:
            raise ValueError(
                "Missing value of `weight_decay` which is required and must be "
                "a float value for the AdamW optimizer."
            )
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            jit_compile=jit_compile,
            name=name,
            **kwargs,
        )
