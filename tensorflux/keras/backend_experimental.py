"""``tf.keras.backend.experimental``: tf_keras' switch between the legacy seeded random
ops and a ``tf.random.Generator`` per random layer."""

from tensorflux.keras.utils.random_seed import (
    disable_tf_random_generator,
    enable_tf_random_generator,
    is_tf_random_generator_enabled,
)

__all__ = [
    "disable_tf_random_generator",
    "enable_tf_random_generator",
    "is_tf_random_generator_enabled",
]
