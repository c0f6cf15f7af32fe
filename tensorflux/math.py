"""``tf.math``: elementwise math, reductions, comparisons and segment ops (re-exports only)."""

from tensorflux import math_special as special  # noqa: F401
from tensorflux.ops.bincount_ops import bincount  # noqa: F401
from tensorflux.ops.complex_ops import angle  # noqa: F401
from tensorflux.ops.division_ops import floordiv, floormod, mod  # noqa: F401
from tensorflux.ops.logic_ops import (  # noqa: F401
    equal,
    greater,
    greater_equal,
    is_finite,
    is_inf,
    is_nan,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
)
from tensorflux.ops.math_extra_ops import (  # noqa: F401
    accumulate_n,
    approx_max_k,
    approx_min_k,
    confusion_matrix,
    cumulative_logsumexp,
    invert_permutation,
    is_non_decreasing,
    is_strictly_increasing,
    lbeta,
    nextafter,
    polyval,
    reciprocal_no_nan,
    xlog1py,
    zero_fraction,
)
from tensorflux.ops.math_ops import (  # noqa: F401
    abs,
    add,
    add_n,
    atan2,
    divide,
    divide_no_nan,
    maximum,
    minimum,
    multiply,
    multiply_no_nan,
    negative,
    pow,
    reciprocal,
    scalar_mul,
    sign,
    square,
    squared_difference,
    subtract,
    truediv,
    xdivy,
    xlogy,
)
from tensorflux.ops.nn_ops import (  # noqa: F401
    in_top_k,
    l2_normalize,
    log_sigmoid,
    log_softmax,
    sigmoid,
    softmax,
    softplus,
    softsign,
    top_k,
)
from tensorflux.ops.reduction_ops import (  # noqa: F401
    argmax,
    argmin,
    count_nonzero,
    cumprod,
    cumsum,
    reduce_all,
    reduce_any,
    reduce_euclidean_norm,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_std,
    reduce_sum,
    reduce_variance,
)
from tensorflux.ops.segment_ops import segment_sum, unsorted_segment_sum  # noqa: F401
from tensorflux.ops.segment_reduce_ops import (  # noqa: F401
    segment_max,
    segment_mean,
    segment_min,
    segment_prod,
    unsorted_segment_max,
    unsorted_segment_mean,
    unsorted_segment_min,
    unsorted_segment_prod,
    unsorted_segment_sqrt_n,
)
from tensorflux.ops.special_gamma_ops import betainc, igamma, igammac  # noqa: F401
from tensorflux.ops.special_ops import (  # noqa: F401
    bessel_i0,
    bessel_i0e,
    bessel_i1,
    bessel_i1e,
    erfcinv,
    erfinv,
    ndtri,
)
from tensorflux.ops.special_zeta_ops import polygamma, zeta  # noqa: F401
from tensorflux.ops.unary_math_ops import (  # noqa: F401
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    ceil,
    conj,
    cos,
    cosh,
    digamma,
    erf,
    erfc,
    exp,
    expm1,
    floor,
    imag,
    lgamma,
    log,
    log1p,
    real,
    rint,
    round,
    rsqrt,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.math", __name__, name)


# Functions that take RaggedTensors send them to the ragged implementations.
from tensorflux.ops import ragged_dispatch as _ragged_dispatch  # noqa: E402

_ragged_dispatch.install(__name__)
