"""``tf.lookup``: key -> value tables (re-exports only)."""

from tensorflux.lookup import experimental  # noqa: F401
from tensorflux.lookup.lookup_tables import (  # noqa: F401
    KeyValueTensorInitializer,
    StaticHashTable,
    StaticVocabularyTable,
    TextFileIndex,
    TextFileInitializer,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.lookup", __name__, name)
