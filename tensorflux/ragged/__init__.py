"""``tf.ragged``: building and operating on ragged tensors (re-exports only)."""

from tensorflux.ragged.ragged_factory_ops import constant, range  # noqa: F401
from tensorflux.ragged.ragged_math_ops import boolean_mask, map_flat_values, stack  # noqa: F401
from tensorflux.ragged.ragged_range_op import (  # noqa: F401
    row_splits_to_segment_ids,
    segment_ids_to_row_splits,
)
from tensorflux.ragged.ragged_tensor import RaggedTensor  # noqa: F401
from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.ragged", __name__, name)
