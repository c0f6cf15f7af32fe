"""``keras.optimizers.schedules``: learning rates as functions of the step."""

from tensorflux.keras.optimizers.schedules.cosine_decay import CosineDecay
from tensorflux.keras.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts
from tensorflux.keras.optimizers.schedules.exponential_decay import ExponentialDecay
from tensorflux.keras.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    deserialize,
    serialize,
)
from tensorflux.keras.optimizers.schedules.piecewise_constant_decay import (
    PiecewiseConstantDecay,
)
from tensorflux.keras.optimizers.schedules.polynomial_decay import PolynomialDecay

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.optimizers.schedules", __name__, name)
