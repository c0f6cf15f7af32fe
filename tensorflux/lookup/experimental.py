"""``tf.lookup.experimental``: the mutable tables (re-exports only)."""

from tensorflux.lookup.mutable_tables import DenseHashTable, MutableHashTable  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.lookup.experimental", __name__, name)
