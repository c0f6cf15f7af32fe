"""``tf.keras.models.experimental``: sharpness-aware minimization."""

from tensorflux.keras.models.sharpness_aware import SharpnessAwareMinimization

__all__ = ["SharpnessAwareMinimization"]
