"""``tf.keras.experimental``: the premade models, the cosine learning-rate schedules
and the deprecated ``SidecarEvaluator`` endpoint."""

from __future__ import annotations

import logging

from tensorflux.keras.models.premade import LinearModel, WideDeepModel
from tensorflux.keras.optimizers.schedules import CosineDecay, CosineDecayRestarts
from tensorflux.keras.utils.sidecar_evaluator import SidecarEvaluator as _SidecarEvaluator

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "LinearModel",
    "SidecarEvaluator",
    "WideDeepModel",
]


class SidecarEvaluator(_SidecarEvaluator):
    """Deprecated: ``tf.keras.utils.SidecarEvaluator``, with tf_keras' warning."""

    def __init__(self, *args, **kwargs):
        logging.getLogger("tensorflow").warning(
            "`tf.keras.experimental.SidecarEvaluator` endpoint is deprecated and will be "
            "removed in a future release. Please use `tf.keras.utils.SidecarEvaluator`."
        )
        super().__init__(*args, **kwargs)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.experimental", __name__, name)
