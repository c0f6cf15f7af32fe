"""``tf.math``: elementwise math, reductions, comparisons and segment ops (re-exports only)."""

from tensorflux.ops.logic_ops import (  # noqa: F401
    equal, greater, greater_equal, is_finite, is_inf, is_nan, less, less_equal, logical_and,
    logical_not, logical_or, logical_xor, not_equal,
)
from tensorflux.ops.math_ops import (  # noqa: F401
    abs, acos, acosh, add, add_n, asin, asinh, atan, atan2, atanh, ceil, conj, cos, cosh,
    digamma, divide, divide_no_nan, erf, erfc, exp, expm1, floor, floordiv, floormod, imag,
    lgamma, log, log1p, maximum, minimum, mod, multiply, multiply_no_nan, negative, pow, real,
    reciprocal, rint, round, rsqrt, scalar_mul, segment_sum, sign, sin, sinh, sqrt, square,
    squared_difference, subtract, tan, tanh, truediv, unsorted_segment_sum, xdivy, xlogy,
)
from tensorflux.ops.nn_ops import (  # noqa: F401
    in_top_k, l2_normalize, log_sigmoid, log_softmax, sigmoid, softmax, softplus, softsign, top_k,
)
from tensorflux.ops.reduction_ops import (  # noqa: F401
    argmax, argmin, count_nonzero, cumprod, cumsum, reduce_all, reduce_any,
    reduce_euclidean_norm, reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
    reduce_std, reduce_sum, reduce_variance,
)
