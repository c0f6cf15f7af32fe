"""Records reference values of TF's segment reductions and the other ``tf.math`` /
``tf.nn`` functions covered by tests/ops/test_mathx_ops.py into
tests/fixtures/mathx_ops.json.

Run with a Python that has TensorFlow installed (the test suite itself never imports it):

    python tests/ops/record_mathx_fixtures.py

Each case is an expression in ``tf`` and the stored inputs (``x``, ``y``, ``ids`` ...).
Recorded per case: the value and its dtype, and for differentiable cases the gradient of
``sum(out * w)`` with respect to every floating input (``w`` stored too). Error cases
record the exception's type; a gradient TF does not define is stored as null. Inputs
are rounded so that JSON keeps them exactly.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "mathx_ops.json")
rng = np.random.default_rng(5)


def real(*shape, dtype="float32", scale=1.0):
    return (np.round(rng.normal(size=shape), 2) * scale).astype(dtype)


def ints(*values, dtype="int32"):
    return np.array(values, dtype)


def encode(a):
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "v": a.tolist()}


_TIED = np.array([[1.0, 2.0], [3.0, 2.0], [3.0, 0.0], [-1.0, 0.0], [4.0, 5.0]], np.float32)
_ZEROS = np.array([[1.5, 0.0], [2.0, 0.0], [0.0, 3.0], [-1.0, 2.0], [4.0, 0.5]], np.float64)

# (expression, inputs, record gradients)
VALUE_CASES = [
    ("tf.math.segment_max(x, ids)", {"x": _TIED, "ids": ints(0, 0, 0, 2, 2)}, True),
    ("tf.math.segment_min(x, ids)", {"x": _TIED, "ids": ints(0, 0, 1, 1, 3)}, True),
    ("tf.math.segment_max(x, ids)", {"x": ints(4, -2, 7, 1), "ids": ints(0, 2, 2, 2)}, False),
    (
        "tf.math.segment_min(x, ids)",
        {"x": real(4, 2, 3, dtype="float64"), "ids": ints(1, 1, 1, 3, dtype="int64")},
        True,
    ),
    ("tf.math.segment_prod(x, ids)", {"x": _ZEROS, "ids": ints(0, 0, 1, 1, 3)}, True),
    ("tf.math.segment_prod(x, ids)", {"x": real(5, 3), "ids": ints(0, 1, 1, 1, 2)}, True),
    ("tf.math.segment_prod(x, ids)", {"x": ints(3, -2, 5), "ids": ints(0, 0, 2)}, False),
    ("tf.math.segment_mean(x, ids)", {"x": real(5, 3), "ids": ints(0, 0, 2, 2, 2)}, True),
    ("tf.math.segment_mean(x, ids)", {"x": ints(3, -4, 5, 8), "ids": ints(0, 0, 2, 2)}, False),
    ("tf.math.segment_mean(x, ids)", {"x": np.zeros((0, 2), np.float32), "ids": ints()}, False),
    ("tf.math.unsorted_segment_max(x, ids, 4)", {"x": _TIED, "ids": ints(2, 0, 2, -1, 0)}, True),
    ("tf.math.unsorted_segment_min(x, ids, 3)", {"x": _TIED, "ids": ints(1, 1, 0, 1, -1)}, True),
    (
        "tf.math.unsorted_segment_max(x, ids, 3)",
        {"x": ints(4, -2, 7, 1), "ids": ints(0, 2, 2, 0)},
        False,
    ),
    (
        "tf.math.unsorted_segment_min(x, ids, 3)",
        {"x": ints(4, -2, 7, 1, dtype="int64"), "ids": ints(0, 2, 2, 0)},
        False,
    ),
    (
        "tf.math.unsorted_segment_max(x, ids, 2)",
        {"x": real(2, 3, 2, dtype="float64"), "ids": ints([0, 1, 1], [1, -1, 0])},
        True,
    ),
    ("tf.math.unsorted_segment_prod(x, ids, 4)", {"x": _ZEROS, "ids": ints(0, 0, 1, 1, 3)}, True),
    (
        "tf.math.unsorted_segment_prod(x, ids, 3)",
        {"x": real(5, 2), "ids": ints(2, 0, -1, 2, 2)},
        True,
    ),
    (
        "tf.math.unsorted_segment_mean(x, ids, 4)",
        {"x": real(5, 2), "ids": ints(2, 0, -1, 2, 2)},
        True,
    ),
    (
        "tf.math.unsorted_segment_mean(x, ids, 3)",
        {"x": ints(1, 2, 4, 7), "ids": ints(0, 0, 2, 2)},
        False,
    ),
    (
        "tf.math.unsorted_segment_sqrt_n(x, ids, 4)",
        {"x": real(5, 2, dtype="float64"), "ids": ints(2, 0, -1, 2, 2)},
        True,
    ),
    (
        "tf.math.unsorted_segment_sqrt_n(x, ids, 2)",
        {"x": real(2, 2, 3), "ids": ints([0, 1], [1, 1])},
        True,
    ),
    ("tf.math.unsorted_segment_sum(x, ids, 3)", {"x": real(4, 2), "ids": ints(0, -1, 2, 0)}, True),
    (
        "tf.math.xlog1py(x, y)",
        {
            "x": np.array([0.0, 2.0, -1.5, 0.5], np.float32),
            "y": np.array([-1.0, 0.5, 2.0, -0.5], np.float32),
        },
        True,
    ),
    (
        "tf.math.xlog1py(x, y)",
        {"x": real(2, 3, dtype="float64"), "y": np.abs(real(3, dtype="float64"))},
        True,
    ),
    ("tf.math.nextafter(x, y)", {"x": real(4), "y": real(4)}, False),
    ("tf.math.nextafter(x, y)", {"x": real(3, dtype="float64"), "y": np.zeros(3)}, False),
    ("tf.math.invert_permutation(x)", {"x": ints(3, 4, 0, 2, 1)}, False),
    ("tf.math.invert_permutation(x)", {"x": ints(1, 0, 2, dtype="int64")}, False),
    ("tf.math.reciprocal_no_nan(x)", {"x": np.array([2.0, 0.0, -0.5], np.float32)}, True),
    ("tf.math.polyval([x, y, 2.0], z)", {"x": real(3), "y": real(3), "z": real(3)}, True),
    ("tf.math.polyval([], z)", {"z": real(3)}, False),
    ("tf.math.lbeta(x)", {"x": np.abs(real(2, 3)) + 0.5}, True),
    ("tf.math.lbeta(x)", {"x": np.abs(real(4, dtype="float64")) + 0.1}, True),
    ("tf.math.cumulative_logsumexp(x)", {"x": real(5, scale=3.0)}, True),
    (
        "tf.math.cumulative_logsumexp(x, axis=1, exclusive=True)",
        {"x": real(2, 4, dtype="float64")},
        False,
    ),
    (
        "tf.math.cumulative_logsumexp(x, axis=-1, reverse=True)",
        {"x": real(2, 4, dtype="float64")},
        True,
    ),
    ("tf.math.cumulative_logsumexp(x, exclusive=True, reverse=True)", {"x": real(4)}, False),
    (
        "tf.math.cumulative_logsumexp(x)",
        {"x": np.array([-1000.0, 0.0, 800.0, -3.0], np.float32)},
        True,
    ),
    ("tf.math.is_non_decreasing(x)", {"x": ints(1, 1, 2)}, False),
    ("tf.math.is_non_decreasing(x)", {"x": real(2, 2)}, False),
    ("tf.math.is_strictly_increasing(x)", {"x": ints(1, 1, 2)}, False),
    ("tf.math.is_strictly_increasing(x)", {"x": np.array([[1.0], [2.5]], np.float32)}, False),
    ("tf.math.is_strictly_increasing(x)", {"x": real(1)}, False),
    ("tf.math.zero_fraction(x)", {"x": ints(0, 1, 0, 3, 0)}, False),
    ("tf.nn.zero_fraction(x)", {"x": np.array([[0.0, 1.0], [2.0, 3.0]])}, False),
    ("tf.math.accumulate_n([x, y, x])", {"x": real(2, 3), "y": real(2, 3)}, True),
    ("tf.math.approx_max_k(x, 2)[0]", {"x": real(3, 5)}, True),
    ("tf.math.approx_max_k(x, 2)[1]", {"x": real(3, 5)}, False),
    ("tf.nn.approx_max_k(x, 1)[1]", {"x": real(2, 3)}, False),
    ("tf.math.confusion_matrix(x, y)", {"x": ints(0, 2, 1, 2), "y": ints(0, 1, 1, 2)}, False),
    (
        "tf.math.confusion_matrix(x, y, num_classes=4, weights=z, dtype=tf.float32)",
        {"x": ints(0, 2, 1, 2), "y": ints(0, 1, 1, 2), "z": real(4)},
        False,
    ),
    ("tf.nn.crelu(x)", {"x": real(2, 3)}, True),
    ("tf.nn.crelu(x, axis=0)", {"x": real(2, 3, dtype="float64")}, True),
    (
        "tf.nn.weighted_cross_entropy_with_logits(y, x, 2.5)",
        {"x": real(2, 3, scale=3.0), "y": np.abs(real(2, 3)) % 1},
        True,
    ),
    ("tf.nn.log_poisson_loss(y, x)", {"x": real(5), "y": np.abs(real(5, scale=2.0))}, True),
    (
        "tf.nn.log_poisson_loss(y, x, compute_full_loss=True)",
        {"x": real(5, dtype="float64"), "y": np.abs(real(5, scale=2.0, dtype="float64"))},
        True,
    ),
    ("tf.nn.sufficient_statistics(x, [0, 2])[1]", {"x": real(2, 3, 4)}, True),
    (
        "tf.nn.sufficient_statistics(x, [1], shift=y, keepdims=True)[2]",
        {"x": real(2, 3), "y": real(1)},
        True,
    ),
    ("tf.nn.sufficient_statistics(x, [0, 1])[0]", {"x": real(2, 3)}, False),
    ("tf.nn.normalize_moments(3.0, x, y, None)[1]", {"x": real(4), "y": np.abs(real(4)) + 3}, True),
    ("tf.nn.normalize_moments(5.0, x, 2.0, y)[0]", {"x": real(4), "y": real(4)}, True),
    (
        "tf.nn.weighted_moments(x, [1], y)[0]",
        {"x": real(2, 3), "y": np.abs(real(2, 3)) + 0.1},
        True,
    ),
    (
        "tf.nn.weighted_moments(x, [0, 1], y, keepdims=True)[1]",
        {"x": real(3, 2, dtype="float64"), "y": np.abs(real(3, 1, dtype="float64")) + 0.1},
        True,
    ),
    ("tf.nn.space_to_depth(x, 2)", {"x": real(2, 4, 6, 3)}, True),
    ("tf.nn.depth_to_space(x, 2)", {"x": real(1, 2, 3, 8)}, True),
    ("tf.nn.space_to_depth(x, 3)", {"x": ints(*range(18)).reshape(1, 3, 6, 1)}, False),
    ("tf.nn.local_response_normalization(x)", {"x": real(2, 2, 3, 7)}, True),
    ("tf.nn.lrn(x, 2, 0.5, 0.3, 0.75)", {"x": real(1, 3, 2, 6)}, True),
    ("tf.nn.compute_average_loss(x)", {"x": real(4)}, True),
    (
        "tf.nn.compute_average_loss(x, sample_weight=y, global_batch_size=8)",
        {"x": real(4, 2), "y": real(4, 1)},
        True,
    ),
    ("tf.nn.scale_regularization_loss(x)", {"x": real(3)}, True),
    (
        "tf.math.erfinv(x)",
        {"x": np.array([-1.0, 1.0, 1.5, 0.0, 0.5, -0.999, 1e-6, 0.9, -0.3], np.float32)},
        False,
    ),
    ("tf.math.erfinv(x)", {"x": np.array([0.1, -0.7, 0.99999, 1e-12, 0.45, 0.55])}, True),
    (
        "tf.math.ndtri(x)",
        {"x": np.array([0.0, 1.0, 1.5, 0.5, 0.975, 1e-30, 0.3, 0.999], np.float32)},
        False,
    ),
    ("tf.math.ndtri(x)", {"x": np.array([1e-300, 0.01, 0.2, 0.6, 0.9999999, 0.49])}, True),
    (
        "tf.math.erfcinv(x)",
        {"x": np.array([0.0, 2.0, 1.0, -1.0, 0.2, 1.5, 1e-20], np.float32)},
        False,
    ),
    ("tf.math.erfcinv(x)", {"x": np.array([0.3, 1.2, 1.9, 1e-100])}, True),
    (
        "tf.math.bessel_i0(x)",
        {"x": np.array([0.0, 1.0, -2.0, 29.9, 30.1, -60.0, 0.3, 8.5], np.float32)},
        True,
    ),
    (
        "tf.math.bessel_i0e(x)",
        {"x": np.array([0.0, 1.0, -2.0, 29.9, 30.1, -600.0, 0.3, 1e4])},
        True,
    ),
    (
        "tf.math.special.bessel_i1(x)",
        {"x": np.array([0.0, 1.0, -2.0, 29.9, 30.1, -60.0, 0.3, 8.5])},
        True,
    ),
    (
        "tf.math.special.bessel_i1e(x)",
        {"x": np.array([0.0, 1.0, -2.0, 29.9, 30.1, -600.0, 0.3, 1e4], np.float32)},
        True,
    ),
    ("tf.math.special.bessel_i0e(x)", {"x": np.array([0.5, -3.0], np.float16)}, False),
    ("tf.nn.compute_average_loss(x, global_batch_size=0)", {"x": real(3)}, False),
    ("tf.space_to_batch(x, [2, 2], [[0, 0], [1, 1]])", {"x": real(2, 4, 2, 3)}, True),
    ("tf.space_to_batch_nd(x, [3], [[1, 2]])", {"x": real(1, 6, 2)}, True),
    (
        "tf.nn.space_to_batch(x, [2, 1], [[1, 1], [0, 0]])",
        {"x": ints(*range(12)).reshape(1, 2, 3, 2)},
        False,
    ),
    ("tf.batch_to_space(x, [2, 2], [[0, 0], [1, 0]])", {"x": real(8, 2, 2, 3)}, True),
    ("tf.batch_to_space(x, [3], [[1, 2]])", {"x": real(3, 3, 2, dtype="float64")}, True),
    ("tf.batch_to_space(x, 2, [[0, 1], [1, 0]])", {"x": real(4, 2, 2, 1)}, False),
    ("tf.math.bincount(ids)", {"ids": ints(1, 1, 3, 0)}, False),
    ("tf.math.bincount(ids, minlength=6)", {"ids": ints(1, 1, 3, 0)}, False),
    ("tf.math.bincount(ids, maxlength=2)", {"ids": ints(1, 1, 3, 0, dtype="int64")}, False),
    ("tf.math.bincount(ids, dtype=tf.float32)", {"ids": ints(1, 4)}, False),
    ("tf.math.bincount(ids, weights=x)", {"ids": ints([1, 2], [2, 0]), "x": real(2, 2)}, False),
    ("tf.math.bincount(ids, axis=-1)", {"ids": ints([1, 2, 2], [0, 0, 4])}, False),
    (
        "tf.math.bincount(ids, axis=-1, binary_output=True)",
        {"ids": ints([1, 2, 2], [0, 0, 4])},
        False,
    ),
    ("tf.math.bincount(ids, binary_output=True)", {"ids": ints([1, 2, 2], [0, 0, 4])}, False),
    (
        "tf.math.bincount(ids, weights=x, axis=-1, minlength=7)",
        {"ids": ints([1, 2, 2], [0, 0, 4]), "x": real(2, 3, dtype="float64")},
        False,
    ),
    ("tf.math.bincount(ids)", {"ids": ints()}, False),
    ("tf.math.bincount(x)", {"x": np.array([1.0, 2.0], np.float32)}, False),
    (
        "tf.math.bincount(ids, weights=y)",
        {"ids": ints(1, 2), "y": ints(3, 4, dtype="int64")},
        False,
    ),
    ("tf.math.bincount(ids, minlength=2, maxlength=1)", {"ids": ints(1, 1, 3, 0)}, False),
    (
        "tf.math.igamma(x, y)",
        {
            "x": np.array([1.0, 0.5, 3.0, 10.0, 100.0, 2.0, 0.0, -1.0, 5.0], np.float32),
            "y": np.array([2.0, 0.1, 3.0, 30.0, 90.0, 0.0, 1.0, 1.0, np.inf], np.float32),
        },
        False,
    ),
    (
        "tf.math.igammac(x, y)",
        {
            "x": np.array([1.0, 0.5, 3.0, 10.0, 100.0, 2.0, 0.3], np.float32),
            "y": np.array([2.0, 0.1, 3.0, 30.0, 90.0, 0.0, 40.0], np.float32),
        },
        False,
    ),
    (
        "tf.math.igamma(x, y)",
        {"x": np.array([0.7, 2.5, 4.0, 12.0]), "y": np.array([0.3, 3.0, 1.5, 15.0])},
        True,
    ),
    (
        "tf.math.igammac(x, y)",
        {"x": np.array([0.7, 2.5, 4.0]), "y": np.array([1.3, 0.5, 9.0])},
        True,
    ),
    (
        "tf.math.igamma(x, y)",
        {"x": np.array([[1.5], [3.0]], np.float32), "y": np.array([0.5, 2.0, 6.0], np.float32)},
        True,
    ),
    (
        "tf.math.betainc(x, y, z)",
        {
            "x": np.array([2.0, 0.5, 5.0, 30.0, 1.0, 2.0, 0.2, -1.0], np.float32),
            "y": np.array([3.0, 0.5, 1.5, 40.0, 1.0, 2.0, 0.3, 1.0], np.float32),
            "z": np.array([0.5, 0.1, 0.9, 0.45, 0.0, 1.0, 0.999, 0.5], np.float32),
        },
        False,
    ),
    (
        "tf.math.betainc(x, y, z)",
        {
            "x": np.array([2.0, 0.7, 6.0]),
            "y": np.array([3.0, 1.5, 2.5]),
            "z": np.array([0.3, 0.6, 0.8]),
        },
        True,
    ),
    (
        "tf.math.betainc(x, y, z)",
        {"x": np.array([2.0, 0.7, 6.0]), "y": np.array([3.0, 1.5, 2.5]), "z": np.array(0.4)},
        True,
    ),
    (
        "tf.math.zeta(x, y)",
        {
            "x": np.array([2.0, 1.0, 0.5, 3.5, 2.0, 3.0, 4.0, 1.5, 6.0], np.float32),
            "y": np.array([1.0, 2.0, 1.0, 0.3, 0.0, -1.0, -2.5, 12.0, 50.0], np.float32),
        },
        False,
    ),
    ("tf.math.zeta(x, y)", {"x": np.array([2.0, 3.5, 1.5]), "y": np.array([0.7, 2.0, 9.5])}, True),
    (
        "tf.math.polygamma(x, y)",
        {
            "x": np.array([0.0, 1.0, 2.0, 3.0, 1.5, -1.0, 1.0, 2.0], np.float32),
            "y": np.array([1.5, 0.3, 4.0, 2.2, 1.0, 1.0, -1.5, 30.0], np.float32),
        },
        False,
    ),
    (
        "tf.math.polygamma(x, y)",
        {"x": np.array([1.0, 2.0, 0.0]), "y": np.array([0.7, 3.0, 2.5])},
        True,
    ),
    ("tf.nn.scale_regularization_loss([x, y])", {"x": real(2), "y": real(2)}, True),
]

ERROR_CASES = [
    ("tf.math.segment_max(x, ids)", {"x": real(3), "ids": ints(1, 0, 2)}),
    ("tf.math.segment_min(x, ids)", {"x": real(3), "ids": ints(-1, 0, 2)}),
    ("tf.math.segment_prod(x, ids)", {"x": real(3), "ids": ints(0, 2, 1)}),
    ("tf.math.segment_mean(x, ids)", {"x": real(3), "ids": ints(0, 1)}),
    ("tf.math.segment_max(x, ids)", {"x": real(3), "ids": np.array([0.0, 1.0, 1.0], np.float32)}),
    ("tf.math.unsorted_segment_max(x, ids, 3)", {"x": real(3), "ids": ints(1, 0, 5)}),
    ("tf.math.unsorted_segment_prod(x, ids, 2)", {"x": real(3, 2), "ids": ints(1, 0)}),
    ("tf.math.unsorted_segment_mean(x, ids, 2)", {"x": real(3), "ids": ints(1, 0, 2)}),
    ("tf.math.unsorted_segment_sqrt_n(x, ids, 2)", {"x": ints(1, 2), "ids": ints(1, 0)}),
    ("tf.math.unsorted_segment_max(tf.constant([1 + 1j, 2]), ids, 2)", {"ids": ints(1, 0)}),
    ("tf.math.xlog1py(x, y)", {"x": ints(1), "y": ints(1)}),
    ("tf.math.xlog1py(x, y)", {"x": real(2), "y": real(2, dtype="float64")}),
    ("tf.math.nextafter(x, y)", {"x": ints(1), "y": ints(1)}),
    ("tf.math.invert_permutation(x)", {"x": ints(0, 0, 1)}),
    ("tf.math.invert_permutation(x)", {"x": ints(0, 3)}),
    ("tf.math.invert_permutation(x)", {"x": ints([0, 1])}),
    ("tf.math.reciprocal_no_nan(x)", {"x": ints(1, 2)}),
    ("tf.math.polyval(x, x)", {"x": real(2)}),
    ("tf.math.cumulative_logsumexp(x)", {"x": ints(1, 2)}),
    ("tf.math.accumulate_n([])", {}),
    ("tf.math.approx_max_k(x, 1, reduction_dimension=0)", {"x": real(3, 2)}),
    ("tf.math.approx_max_k(x, 1)", {"x": real(3, dtype="float64")}),
    ("tf.math.accumulate_n([x, y])", {"x": real(2), "y": real(3)}),
    ("tf.math.confusion_matrix(x, y)", {"x": ints(0, -1), "y": ints(0, 1)}),
    ("tf.math.confusion_matrix(x, y, num_classes=2)", {"x": ints(0, 2), "y": ints(0, 1)}),
    ("tf.math.confusion_matrix(x, y)", {"x": ints(0, 1, 1), "y": ints(0, 1)}),
    ("tf.nn.weighted_cross_entropy_with_logits(y, x, 2.0)", {"x": real(3), "y": real(2)}),
    ("tf.nn.space_to_depth(x, 2)", {"x": real(1, 3, 4, 1)}),
    ("tf.nn.space_to_depth(x, 1)", {"x": real(1, 2, 2, 1)}),
    ("tf.nn.space_to_depth(x, 2)", {"x": real(2, 2, 1)}),
    ("tf.nn.depth_to_space(x, 2)", {"x": real(1, 2, 2, 6)}),
    ("tf.nn.local_response_normalization(x)", {"x": real(1, 2, 2, 3, dtype="float64")}),
    ("tf.nn.local_response_normalization(x)", {"x": real(2, 3)}),
    ("tf.nn.compute_average_loss(x)", {"x": real(1)[0]}),
    ("tf.math.erfinv(x)", {"x": ints(1, 2)}),
    ("tf.math.bincount(ids)", {"ids": ints(-1, 2)}),
    ("tf.space_to_batch(x, [2], [[0, 1]])", {"x": real(1, 4, 1)}),
    ("tf.space_to_batch(x, [2], [[-1, 1]])", {"x": real(1, 5, 1)}),
    ("tf.space_to_batch(x, [2, 2], [[0, 0]])", {"x": real(1, 4, 4, 1)}),
    ("tf.batch_to_space(x, [2, 2], [[0, 0], [0, 0]])", {"x": real(3, 1, 1, 1)}),
    ("tf.math.bincount(ids, weights=x, binary_output=True)", {"ids": ints(1), "x": real(1)}),
    ("tf.math.bincount(ids, axis=1)", {"ids": ints(1, 2)}),
    ("tf.math.igamma(x, y)", {"x": real(2), "y": real(2, dtype="float64")}),
    ("tf.math.betainc(x, y, z)", {"x": real(2), "y": real(3), "z": real(2)}),
    ("tf.math.betainc(x, y, z)", {"x": ints(1), "y": ints(1), "z": ints(1)}),
    ("tf.math.zeta(x, y)", {"x": real(2), "y": real(2, dtype="float64")}),
    ("tf.math.polygamma(x, y)", {"x": ints(1), "y": ints(1)}),
    ("tf.math.bessel_i1(x)", {"x": ints(1, 2)}),
    ("tf.nn.compute_average_loss(x, global_batch_size=-1)", {"x": real(2)}),
    ("tf.nn.compute_average_loss(x, global_batch_size=2.0)", {"x": real(2)}),
]


def record_value(expr, inputs, grad):
    env = {"tf": tf, **{k: tf.constant(v) for k, v in inputs.items()}}
    case = {"expr": expr, "inputs": {k: encode(v) for k, v in inputs.items()}}
    floats = [k for k, v in inputs.items() if np.asarray(v).dtype.kind == "f"]
    with tf.GradientTape() as tape:
        tape.watch([env[k] for k in floats])
        out = eval(expr, env)  # noqa: S307 - our own expressions
    case["out"] = encode(out.numpy())
    if grad:
        w = real(*out.shape, dtype=out.dtype.as_numpy_dtype)
        grads = tape.gradient(out, [env[k] for k in floats], output_gradients=tf.constant(w))
        case["w"] = encode(w)
        # None: TF defines no gradient for that input (zeta's x, polygamma's order).
        case["grads"] = {k: None if g is None else encode(g.numpy()) for k, g in zip(floats, grads)}
    return case


def record_error(expr, inputs):
    env = {"tf": tf, **{k: tf.constant(v) for k, v in inputs.items()}}
    try:
        eval(expr, env)  # noqa: S307
    except Exception as e:  # noqa: BLE001 - the type is what we record
        return {
            "expr": expr,
            "inputs": {k: encode(v) for k, v in inputs.items()},
            "error": type(e).__name__,
        }
    raise AssertionError(f"{expr} did not raise")


def main():
    fixtures = {
        "values": [record_value(*c) for c in VALUE_CASES],
        "errors": [record_error(*c) for c in ERROR_CASES],
    }
    with open(OUT, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
