"""Probabilistic metrics: running means of the cross-entropies, KL divergence, Poisson."""

from __future__ import annotations

from tensorflux.keras.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_with_mask,
)
from tensorflux.keras.metrics.reduction_metrics import MeanMetricWrapper

__all__ = []


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean binary cross-entropy (see ``keras.losses.binary_crossentropy``)."""

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean categorical cross-entropy of one-hot labels."""

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean cross-entropy of integer labels; entries labelled ``ignore_class``
    are left out of the mean.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.SparseCategoricalCrossentropy()
    >>> round(float(m([1], [[0.1, 0.8, 0.1]])), 4)
    0.2231
    """

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )

    def _values_and_mask(self, y_true, y_pred):
        kw = self._fn_kwargs
        return sparse_categorical_crossentropy_with_mask(
            y_true, y_pred, kw["from_logits"], kw["axis"], kw["ignore_class"]
        )


class KLDivergence(MeanMetricWrapper):
    """Running mean Kullback-Leibler divergence."""

    def __init__(self, name="kullback_leibler_divergence", dtype=None):
        super().__init__(kl_divergence, name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Running mean Poisson loss."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name, dtype=dtype)
