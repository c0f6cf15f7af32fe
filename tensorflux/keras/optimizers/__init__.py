"""``keras.optimizers``: one optimizer per module, learning-rate ``schedules``."""

from tensorflux.keras.optimizers import experimental, legacy, schedules
from tensorflux.keras.optimizers.adadelta import Adadelta
from tensorflux.keras.optimizers.adafactor import Adafactor
from tensorflux.keras.optimizers.adagrad import Adagrad
from tensorflux.keras.optimizers.adam import Adam
from tensorflux.keras.optimizers.adamax import Adamax
from tensorflux.keras.optimizers.adamw import AdamW
from tensorflux.keras.optimizers.ftrl import Ftrl
from tensorflux.keras.optimizers.lion import Lion
from tensorflux.keras.optimizers.nadam import Nadam
from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.keras.optimizers.rmsprop import RMSprop
from tensorflux.keras.optimizers.serialization import deserialize, get, serialize
from tensorflux.keras.optimizers.sgd import SGD

__all__ = [
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "SGD",
    "deserialize",
    "experimental",
    "get",
    "legacy",
    "schedules",
    "serialize",
]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.optimizers", __name__, name)
