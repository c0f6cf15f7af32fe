"""``tf.ragged``: building and operating on ragged tensors (re-exports only).

Importing it also lets the public ``tf.*`` and ``tf.math.*`` functions take ragged
arguments (see ``ragged_dispatch``).
"""

import tensorflux as _tf
from tensorflux import math as _math
from tensorflux.ragged import ragged_dispatch as _dispatch
from tensorflux.ragged.ragged_factory_ops import constant, range  # noqa: F401
from tensorflux.ragged.ragged_math_ops import boolean_mask, map_flat_values, stack  # noqa: F401
from tensorflux.ragged.ragged_tensor import RaggedTensor  # noqa: F401
from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec  # noqa: F401

_dispatch.install(_tf, _math)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.ragged", __name__, name)
