"""``tf.keras.utils.legacy``: the older ``{"class_name", "config"}`` serialization."""

from tensorflux.keras.utils.object_serialization import (  # noqa: F401
    legacy_deserialize_keras_object as deserialize_keras_object,
)
from tensorflux.keras.utils.object_serialization import (  # noqa: F401
    legacy_serialize_keras_object as serialize_keras_object,
)
