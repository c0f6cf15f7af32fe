"""``tf.autodiff``: reverse mode (``GradientTape``) and forward mode (``ForwardAccumulator``)."""

from tensorflux.engine.forwardprop import ForwardAccumulator  # noqa: F401
from tensorflux.engine.tape import GradientTape  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.autodiff", __name__, name)
