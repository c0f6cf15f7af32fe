"""``tf.io``: file utilities (``tf.io.gfile``)."""

from tensorflux.framework import gfile  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.io", __name__, name)
