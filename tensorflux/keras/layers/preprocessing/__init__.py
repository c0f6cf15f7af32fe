"""Image preprocessing layers: Rescaling, Resizing, crops, and the random
augmentations (active while training, the identity at inference)."""

from tensorflux.keras.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from tensorflux.keras.layers.preprocessing.center_crop import CenterCrop  # noqa: F401
from tensorflux.keras.layers.preprocessing.discretization import Discretization  # noqa: F401
from tensorflux.keras.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from tensorflux.keras.layers.preprocessing.hashing import Hashing  # noqa: F401
from tensorflux.keras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from tensorflux.keras.layers.preprocessing.normalization import Normalization  # noqa: F401
from tensorflux.keras.layers.preprocessing.random_brightness import (  # noqa: F401
    RandomBrightness,
)
from tensorflux.keras.layers.preprocessing.random_contrast import RandomContrast  # noqa: F401
from tensorflux.keras.layers.preprocessing.random_crop import RandomCrop  # noqa: F401
from tensorflux.keras.layers.preprocessing.random_flip import RandomFlip  # noqa: F401
from tensorflux.keras.layers.preprocessing.random_height import (  # noqa: F401
    RandomHeight,
    RandomWidth,
)
from tensorflux.keras.layers.preprocessing.random_rotation import RandomRotation  # noqa: F401
from tensorflux.keras.layers.preprocessing.random_translation import (  # noqa: F401
    RandomTranslation,
)
from tensorflux.keras.layers.preprocessing.random_zoom import RandomZoom  # noqa: F401
from tensorflux.keras.layers.preprocessing.rescaling import Rescaling  # noqa: F401
from tensorflux.keras.layers.preprocessing.resizing import Resizing  # noqa: F401
from tensorflux.keras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from tensorflux.keras.layers.preprocessing.text_vectorization import (  # noqa: F401
    TextVectorization,
)
