"""``keras.mixed_precision``: dtype policies and loss scaling for 16-bit training."""

from tensorflux.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer
from tensorflux.keras.mixed_precision.policy import Policy, global_policy, set_global_policy

__all__ = ["LossScaleOptimizer", "Policy", "global_policy", "set_global_policy"]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.mixed_precision", __name__, name)
