"""``tf.keras.applications.resnet50``: ResNet50 alone (Keras' older module)."""

from tensorflux.keras.applications.resnet import (  # noqa: F401
    ResNet50,
    decode_predictions,
    preprocess_input,
)

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
