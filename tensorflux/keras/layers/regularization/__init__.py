"""Regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise,
ActivityRegularization."""

from tensorflux.keras.layers.regularization.activity_regularization import (  # noqa: F401
    ActivityRegularization,
)
from tensorflux.keras.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from tensorflux.keras.layers.regularization.dropout import Dropout  # noqa: F401
from tensorflux.keras.layers.regularization.gaussian_dropout import GaussianDropout  # noqa: F401
from tensorflux.keras.layers.regularization.gaussian_noise import GaussianNoise  # noqa: F401
from tensorflux.keras.layers.regularization.spatial_dropout1d import (  # noqa: F401
    SpatialDropout1D,
)
from tensorflux.keras.layers.regularization.spatial_dropout2d import (  # noqa: F401
    SpatialDropout2D,
)
from tensorflux.keras.layers.regularization.spatial_dropout3d import (  # noqa: F401
    SpatialDropout3D,
)
