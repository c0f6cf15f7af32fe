"""``keras.losses.Loss`` (the base class) and ``LossFunctionWrapper``."""

from __future__ import annotations

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.losses.loss_utils import (
    Reduction,
    compute_weighted_loss,
    squeeze_or_expand_dimensions,
)

__all__ = []


class Loss:
    """Base class of losses: ``loss(y_true, y_pred, sample_weight=None)``.

    Subclasses implement ``call(y_true, y_pred)`` returning per-sample losses; calling
    the object weights them and reduces them according to ``reduction``.

    >>> import tensorflux as tf
    >>> class Absolute(tf.keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return tf.abs(y_true - y_pred)
    >>> float(Absolute()([1.0, 2.0], [1.5, 2.0]))
    0.25

    Args:
        reduction: ``"auto"``/``"sum_over_batch_size"`` (mean over all elements),
            ``"sum"`` or ``"none"`` (see :class:`Reduction`).
        name: the loss name (used by ``compile`` in logs).

    Raises:
        ValueError: an unknown reduction.
    """

    def __init__(self, reduction=Reduction.AUTO, name=None):
        Reduction.validate(reduction)
        self.reduction = reduction
        self.name = name

    def __call__(self, y_true, y_pred, sample_weight=None):
        # Lists and arrays become tensors first, so ``call`` may use operators on them.
        losses, mask = self._losses_and_mask(convert_to_tensor(y_true), convert_to_tensor(y_pred))
        return compute_weighted_loss(losses, sample_weight, self.reduction, mask)

    def _losses_and_mask(self, y_true, y_pred):
        """Per-sample losses and the boolean mask of entries that count (or None)."""
        return self.call(y_true, y_pred), None

    def call(self, y_true, y_pred):
        """Returns the per-sample loss values; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """Turns a loss function ``fn(y_true, y_pred, **kwargs)`` into a :class:`Loss`.

    Inputs are converted to tensors and ranks are aligned (labels ``(batch,)`` with
    predictions ``(batch, 1)``) before ``fn`` runs, as Keras does for tensors.

    Args:
        fn: the loss function.
        reduction: see :class:`Loss`.
        name: the loss name.
        **kwargs: keyword arguments passed to ``fn`` (and kept in the config).
    """

    def __init__(self, fn, reduction=Reduction.AUTO, name=None, **kwargs):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_pred, y_true = squeeze_or_expand_dimensions(y_pred, y_true)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        config["fn"] = getattr(self.fn, "__name__", None)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn_name = config.pop("fn", None)
        if cls is LossFunctionWrapper:
            from tensorflux.keras.losses.serialization import get

            return cls(get(fn_name), **config)
        return cls(**config)
