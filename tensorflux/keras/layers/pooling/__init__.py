"""Pooling layers: max and average pooling over windows, and global pooling."""

from tensorflux.keras.layers.pooling.average_pooling1d import (  # noqa: F401
    AveragePooling1D,
    AvgPool1D,
)
from tensorflux.keras.layers.pooling.average_pooling2d import (  # noqa: F401
    AveragePooling2D,
    AvgPool2D,
)
from tensorflux.keras.layers.pooling.average_pooling3d import (  # noqa: F401
    AveragePooling3D,
    AvgPool3D,
)
from tensorflux.keras.layers.pooling.global_average_pooling1d import (  # noqa: F401
    GlobalAveragePooling1D,
    GlobalAvgPool1D,
)
from tensorflux.keras.layers.pooling.global_average_pooling2d import (  # noqa: F401
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
)
from tensorflux.keras.layers.pooling.global_average_pooling3d import (  # noqa: F401
    GlobalAveragePooling3D,
    GlobalAvgPool3D,
)
from tensorflux.keras.layers.pooling.global_max_pooling1d import (  # noqa: F401
    GlobalMaxPool1D,
    GlobalMaxPooling1D,
)
from tensorflux.keras.layers.pooling.global_max_pooling2d import (  # noqa: F401
    GlobalMaxPool2D,
    GlobalMaxPooling2D,
)
from tensorflux.keras.layers.pooling.global_max_pooling3d import (  # noqa: F401
    GlobalMaxPool3D,
    GlobalMaxPooling3D,
)
from tensorflux.keras.layers.pooling.max_pooling1d import (  # noqa: F401
    MaxPool1D,
    MaxPooling1D,
)
from tensorflux.keras.layers.pooling.max_pooling2d import (  # noqa: F401
    MaxPool2D,
    MaxPooling2D,
)
from tensorflux.keras.layers.pooling.max_pooling3d import (  # noqa: F401
    MaxPool3D,
    MaxPooling3D,
)
