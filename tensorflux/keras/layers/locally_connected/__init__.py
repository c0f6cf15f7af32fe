"""Locally connected layers: convolutions whose weights differ at each position."""

from tensorflux.keras.layers.locally_connected.locally_connected1d import (  # noqa: F401
    LocallyConnected1D,
)
from tensorflux.keras.layers.locally_connected.locally_connected2d import (  # noqa: F401
    LocallyConnected2D,
)
