"""``tf.dtypes``: the DType class, the dtype constants, ``as_dtype`` and the casts."""

from tensorflux.framework.dtypes import *  # noqa: F401,F403
from tensorflux.framework.dtypes import DType, as_dtype  # noqa: F401
from tensorflux.ops.complex_ops import complex  # noqa: F401
from tensorflux.ops.math_ops import cast  # noqa: F401


def __getattr__(name):
    if name == "saturate_cast":
        # tf.saturate_cast itself (its module loads on first use), ragged wrapper included.
        import tensorflux

        return tensorflux.saturate_cast
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.dtypes", __name__, name)


def __dir__():
    return sorted([*globals(), "saturate_cast"])


# Functions that take RaggedTensors send them to the ragged implementations.
from tensorflux.ops import ragged_dispatch as _ragged_dispatch  # noqa: E402

_ragged_dispatch.install(__name__)
