"""``keras.layers.experimental.preprocessing``: the image preprocessing layers under
their Keras 2.3-2.5 names."""

from tensorflux.keras.layers.preprocessing import (  # noqa: F401
    CategoryEncoding,
    CenterCrop,
    Discretization,
    Hashing,
    IntegerLookup,
    Normalization,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomHeight,
    RandomRotation,
    RandomTranslation,
    RandomWidth,
    RandomZoom,
    Rescaling,
    Resizing,
    StringLookup,
    TextVectorization,
)
