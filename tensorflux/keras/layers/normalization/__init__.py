"""Normalization layers: BatchNormalization, LayerNormalization, UnitNormalization."""

from tensorflux.keras.layers.normalization.batch_normalization import (  # noqa: F401
    BatchNormalization,
)
from tensorflux.keras.layers.normalization.group_normalization import (  # noqa: F401
    GroupNormalization,
)
from tensorflux.keras.layers.normalization.layer_normalization import (  # noqa: F401
    LayerNormalization,
)
from tensorflux.keras.layers.normalization.spectral_normalization import (  # noqa: F401
    SpectralNormalization,
)
from tensorflux.keras.layers.normalization.unit_normalization import (  # noqa: F401
    UnitNormalization,
)
