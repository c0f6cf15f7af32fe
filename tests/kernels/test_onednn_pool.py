"""oneDNN pooling kernels against a NumPy reference on a table of cases (ties included:
TF sends a window's gradient to its first maximum), and against TensorFlow's values."""

import numpy as np
import pytest

from tensorflux.kernels.onednn import support
from tests.kernels import numpy_reference as ref
from tests.kernels.test_onednn_conv import _array, _fixture_cases, _kernels, pytestmark  # noqa: F401

# (input shape, window, strides, padding, explicit paddings)
CASES = [
    ((2, 6, 6, 3), (2, 2), (2, 2), "VALID", ()),
    ((2, 7, 5, 3), (2, 2), (2, 2), "SAME", ()),
    ((1, 7, 7, 2), (3, 3), (1, 1), "SAME", ()),  # overlapping windows
    ((3, 9, 8, 4), (3, 2), (2, 3), "VALID", ()),
    ((1, 5, 6, 1), (3, 3), (2, 2), "SAME", ()),
    ((2, 4, 4, 2), (4, 4), (1, 1), "VALID", ()),  # one window
    ((1, 1, 1, 3), (1, 1), (1, 1), "SAME", ()),
    ((2, 5, 5, 2), (2, 3), (1, 2), "EXPLICIT", (0, 0, 1, 0, 2, 1, 0, 0)),
    ((2, 4, 5, 6, 3), (2, 2, 2), (2, 2, 2), "SAME", ()),
    ((1, 5, 4, 4, 2), (3, 2, 2), (1, 2, 1), "VALID", ()),
]


def _attrs(case):
    x_shape, window, strides, padding, explicit = case
    attrs = {
        "ksize": [1, *window, 1],
        "strides": [1, *strides, 1],
        "padding": padding,
        "data_format": "NHWC" if len(x_shape) == 4 else "NDHWC",
    }
    if explicit:
        attrs["explicit_paddings"] = list(explicit)
    return attrs


def _ref_kw(attrs):
    return {k: v for k, v in attrs.items() if k != "data_format"}


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_max_pool_and_its_gradient_match_reference(case, ties):
    pool = _kernels_pool()
    rng = np.random.default_rng(len(case[0]) + sum(case[0]))
    x = rng.standard_normal(case[0]).astype(np.float32)
    if ties:
        x = np.round(x).astype(np.float32)  # few distinct values: many tied maxima
    attrs = _attrs(case)
    assert support.max_pool_supports(x, **attrs)
    y = pool.max_pool(x, **attrs)
    np.testing.assert_array_equal(y, ref.max_pool(x, **_ref_kw(attrs)))
    grad = rng.standard_normal(y.shape).astype(np.float32)
    if x.ndim == 5:
        # TF's MaxPool3DGrad sends the gradient to every tied maximum: the reference's.
        assert not support.max_pool_grad_supports(x, y, grad, **attrs)
        return
    assert support.max_pool_grad_supports(x, y, grad, **attrs)
    expected = ref.max_pool_grad(x, grad, **_ref_kw(attrs))
    # The workspace MaxPool kept for (x, y), and a workspace made again for other arrays.
    geo = support.pool_geometry(x.shape, **_geo_kw(attrs))
    assert pool._workspaces.find(x, y, geo) is not None
    for orig_input, orig_output in ((x, y), (x.copy(), y.copy())):
        dx = pool.max_pool_grad(orig_input, orig_output, grad, **attrs)
        np.testing.assert_allclose(dx, expected, rtol=1e-6, atol=1e-6)


def _geo_kw(attrs):
    return {
        "ksize": attrs["ksize"],
        "strides": attrs["strides"],
        "padding": attrs["padding"],
        "explicit_paddings": attrs.get("explicit_paddings", ()),
    }


def test_a_kept_workspace_goes_with_its_output_array():
    pool = _kernels_pool()
    attrs = _attrs(CASES[0])
    x = np.arange(2 * 6 * 6 * 3, dtype=np.float32).reshape(2, 6, 6, 3)
    y = pool.max_pool(x, **attrs)
    key = id(y)
    assert key in pool._workspaces.entries
    del y
    assert key not in pool._workspaces.entries


@pytest.mark.parametrize("case", [c for c in CASES if c[3] != "EXPLICIT"], ids=str)
def test_avg_pool_and_its_gradient_match_reference(case):
    pool = _kernels_pool()
    rng = np.random.default_rng(sum(case[0]))
    x = rng.standard_normal(case[0]).astype(np.float32)
    attrs = _attrs(case)
    assert support.avg_pool_supports(x, **attrs)
    y = pool.avg_pool(x, **attrs)
    np.testing.assert_allclose(y, ref.avg_pool(x, **_ref_kw(attrs)), rtol=1e-5, atol=1e-6)
    grad = rng.standard_normal(y.shape).astype(np.float32)
    shape = np.array(x.shape, np.int32)
    assert support.avg_pool_grad_supports(shape, grad, **attrs)
    dx = pool.avg_pool_grad(shape, grad, **attrs)
    np.testing.assert_allclose(
        dx, ref.avg_pool_grad(x.shape, grad, **_ref_kw(attrs)), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize(
    "x_shape, attrs",
    [
        ((1, 4, 4, 2), {"ksize": [2, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"}),
        ((1, 4, 4, 2), {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 2], "padding": "VALID"}),
        ((1, 4, 4, 2), {"ksize": [1, 5, 5, 1], "strides": [1, 1, 1, 1], "padding": "VALID"}),
        (
            (1, 4, 4, 2),
            {
                "ksize": [1, 2, 2, 1],
                "strides": [1, 1, 1, 1],
                "padding": "SAME",
                "data_format": "NCHW",
            },
        ),
        # a pad as large as the window would make windows of padding alone
        (
            (1, 4, 4, 2),
            {
                "ksize": [1, 2, 2, 1],
                "strides": [1, 1, 1, 1],
                "padding": "EXPLICIT",
                "explicit_paddings": [0, 0, 2, 0, 0, 0, 0, 0],
            },
        ),
        ((0, 4, 4, 2), {"ksize": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "padding": "SAME"}),
    ],
)
def test_pooling_cases_left_to_the_reference_kernel(x_shape, attrs):
    assert not support.max_pool_supports(np.ones(x_shape, np.float32), **attrs)


def test_float64_and_explicit_average_pooling_are_left_to_the_reference_kernel():
    attrs = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"}
    assert not support.max_pool_supports(np.ones((1, 4, 4, 1)), **attrs)
    assert not support.avg_pool_supports(np.ones((1, 4, 4, 1)), **attrs)
    assert not support.avg_pool_supports(
        np.ones((1, 4, 4, 1), np.float32), **dict(attrs, padding="EXPLICIT")
    )
    grad = np.ones((1, 2, 2, 1), np.float32)
    assert support.avg_pool_grad_supports(np.array([1, 4, 4, 1]), grad, **attrs)
    assert not support.avg_pool_grad_supports(np.array([1, 5, 6, 1]), grad, **attrs)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_max_pooling_of_non_finite_values_is_left_to_the_reference_kernel(bad):
    # TF's rules for NaN and infinite maxima are the reference kernel's.
    x = np.zeros((1, 4, 4, 1), np.float32)
    x[0, 1, 2, 0] = bad
    attrs = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"}
    assert not support.max_pool_supports(x, **attrs)
    grad = np.ones((1, 2, 2, 1), np.float32)
    assert not support.max_pool_grad_supports(x, x[:, ::2, ::2], grad, **attrs)
    assert support.avg_pool_supports(x, **attrs)


def _kernels_pool():
    _kernels()
    from tensorflux.kernels.onednn import pool

    return pool


@pytest.mark.parametrize(
    "case", _fixture_cases("MaxPool") + _fixture_cases("AvgPool"), ids=lambda c: c["name"]
)
def test_pooling_matches_tensorflow(case):
    pool = _kernels_pool()
    x, attrs = _array(case["input"]), case["attrs"]
    grad = _array(case["grad"])
    if case["op"] == "MaxPool":
        y = pool.max_pool(x, **attrs)
        dx = pool.max_pool_grad(x, y, grad, **attrs)
    else:
        y = pool.avg_pool(x, **attrs)
        dx = pool.avg_pool_grad(np.array(x.shape, np.int32), grad, **attrs)
    np.testing.assert_allclose(y, _array(case["output"]), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dx, _array(case["input_grad"]), rtol=1e-6, atol=1e-6)
