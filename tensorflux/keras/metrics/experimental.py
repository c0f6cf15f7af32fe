"""``keras.metrics.experimental``: ``PyMetric``."""

from tensorflux.keras.metrics.py_metric import PyMetric  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.metrics.experimental", __name__, name)
