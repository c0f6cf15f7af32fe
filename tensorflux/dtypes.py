"""``tf.dtypes``: the DType class, the dtype constants, ``as_dtype`` and the casts."""

from tensorflux.framework.dtypes import *  # noqa: F401,F403
from tensorflux.framework.dtypes import DType, as_dtype  # noqa: F401
from tensorflux.ops.array_ops_extra import saturate_cast  # noqa: F401
from tensorflux.ops.complex_ops import complex  # noqa: F401
from tensorflux.ops.math_ops import cast  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.dtypes", __name__, name)
