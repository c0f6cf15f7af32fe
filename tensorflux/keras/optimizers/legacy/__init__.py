"""``keras.optimizers.legacy``: the Keras 2.0-2.10 optimizers (``OptimizerV2``)."""

from tensorflux.keras.optimizers.legacy.adadelta import Adadelta
from tensorflux.keras.optimizers.legacy.adagrad import Adagrad
from tensorflux.keras.optimizers.legacy.adam import Adam
from tensorflux.keras.optimizers.legacy.adamax import Adamax
from tensorflux.keras.optimizers.legacy.ftrl import Ftrl
from tensorflux.keras.optimizers.legacy.gradient_descent import SGD
from tensorflux.keras.optimizers.legacy.nadam import Nadam
from tensorflux.keras.optimizers.legacy.optimizer_v2 import Optimizer
from tensorflux.keras.optimizers.legacy.rmsprop import RMSprop

__all__ = [
    "Adadelta",
    "Adagrad",
    "Adam",
    "Adamax",
    "Ftrl",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "SGD",
]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.optimizers.legacy", __name__, name)
