"""Advanced activation layers: ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax."""

from tensorflux.keras.layers.activations.elu import ELU  # noqa: F401
from tensorflux.keras.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from tensorflux.keras.layers.activations.prelu import PReLU  # noqa: F401
from tensorflux.keras.layers.activations.relu import ReLU  # noqa: F401
from tensorflux.keras.layers.activations.softmax import Softmax  # noqa: F401
from tensorflux.keras.layers.activations.thresholded_relu import ThresholdedReLU  # noqa: F401
