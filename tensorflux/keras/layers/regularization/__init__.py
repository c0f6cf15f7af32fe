"""Regularization layers: Dropout, GaussianNoise, ActivityRegularization."""

from tensorflux.keras.layers.regularization.activity_regularization import (  # noqa: F401
    ActivityRegularization,
)
from tensorflux.keras.layers.regularization.dropout import Dropout  # noqa: F401
from tensorflux.keras.layers.regularization.gaussian_noise import GaussianNoise  # noqa: F401
