"""``tf.data``: input pipelines (Dataset, its sources, transformations and iterators).

One module per concern: ``dataset`` (the base class, element_spec, cardinality,
iteration), ``iterator`` (the internal pull protocol), ``structure`` (element
structures), ``functions`` (traced user functions), ``sources``,
``transformations``, ``batching``, ``shuffle``, ``prefetch``, ``cache``,
``interleave`` (flat_map, interleave, window), ``text`` and ``options``.
"""

from tensorflux.data import experimental  # noqa: F401
from tensorflux.data.dataset import AUTOTUNE, Dataset  # noqa: F401
from tensorflux.data.dataset import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from tensorflux.data.dataset import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from tensorflux.data.iterator import IteratorSpec, NumpyIterator  # noqa: F401
from tensorflux.data.iterator import OwnedIterator as Iterator  # noqa: F401
from tensorflux.data.options import Options, ThreadingOptions  # noqa: F401
from tensorflux.data.structure import DatasetSpec  # noqa: F401
from tensorflux.data.text import TextLineDataset  # noqa: F401


def __getattr__(name):
    # The record readers (and their CRC and compression modules) load on first use.
    if name in ("FixedLengthRecordDataset", "TFRecordDataset"):
        from tensorflux.data import records

        return getattr(records, name)
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.data", __name__, name)
