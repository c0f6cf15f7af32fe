"""``tf.train.experimental``: ``PythonState``; the checkpoint-sharding policies are not
provided (tensorflux writes each checkpoint as one shard)."""

from tensorflux.train.python_state import PythonState  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.train.experimental", __name__, name)
