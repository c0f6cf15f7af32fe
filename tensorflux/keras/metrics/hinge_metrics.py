"""Hinge metrics: running means of the hinge losses."""

from __future__ import annotations

from tensorflux.keras.losses.hinge import categorical_hinge, hinge, squared_hinge
from tensorflux.keras.metrics.reduction_metrics import MeanMetricWrapper

__all__ = []


class Hinge(MeanMetricWrapper):
    """Running mean hinge loss (0/1 labels are mapped to -1/1)."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Running mean squared hinge loss."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Running mean categorical hinge loss."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name, dtype=dtype)
