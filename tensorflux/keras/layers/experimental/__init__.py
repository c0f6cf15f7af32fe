"""``keras.layers.experimental``: Keras 2's earlier names for the preprocessing
layers (``layers.experimental.preprocessing.RandomFlip`` ...)."""

from tensorflux.keras.layers.experimental import preprocessing  # noqa: F401
