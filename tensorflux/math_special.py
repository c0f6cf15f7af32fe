"""``tf.math.special``: special functions (re-exports only)."""

from tensorflux.ops.special_ops import (  # noqa: F401
    bessel_i0,
    bessel_i0e,
    bessel_i1,
    bessel_i1e,
)
