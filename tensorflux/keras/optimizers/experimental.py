"""``keras.optimizers.experimental``: Keras 2's earlier home of the current optimizers
(the same classes as ``keras.optimizers``)."""

from tensorflux.keras.optimizers.adadelta import Adadelta  # noqa: F401
from tensorflux.keras.optimizers.adafactor import Adafactor  # noqa: F401
from tensorflux.keras.optimizers.adagrad import Adagrad  # noqa: F401
from tensorflux.keras.optimizers.adam import Adam  # noqa: F401
from tensorflux.keras.optimizers.adamax import Adamax  # noqa: F401
from tensorflux.keras.optimizers.adamw import AdamW  # noqa: F401
from tensorflux.keras.optimizers.ftrl import Ftrl  # noqa: F401
from tensorflux.keras.optimizers.nadam import Nadam  # noqa: F401
from tensorflux.keras.optimizers.optimizer import Optimizer  # noqa: F401
from tensorflux.keras.optimizers.rmsprop import RMSprop  # noqa: F401
from tensorflux.keras.optimizers.sgd import SGD  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.optimizers.experimental", __name__, name)
