"""``tf.experimental``: the names of it that tensorflux provides (``Optional``)."""

from tensorflux import experimental_dlpack as dlpack  # noqa: F401
from tensorflux.ops.optional_ops import Optional  # noqa: F401
from tensorflux.ragged.dynamic_ragged_shape import DynamicRaggedShape  # noqa: F401
from tensorflux.ragged.row_partition import RowPartition  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.experimental", __name__, name)
