"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector."""

from tensorflux.keras.layers.reshaping.flatten import Flatten  # noqa: F401
from tensorflux.keras.layers.reshaping.permute import Permute  # noqa: F401
from tensorflux.keras.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from tensorflux.keras.layers.reshaping.reshape import Reshape  # noqa: F401
