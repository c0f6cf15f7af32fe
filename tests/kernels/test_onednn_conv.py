"""oneDNN convolution kernels against a NumPy reference on a table of cases, and against
values recorded from TensorFlow (``record_onednn_fixtures.py``)."""

import json
import platform
import sys
from pathlib import Path

import numpy as np
import pytest

from tensorflux.kernels.onednn import _library, support
from tests.kernels import numpy_reference as ref

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() == "x86_64"),
    reason="the oneDNN backend is installed on Linux x86-64 only",
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "onednn_kernels.json"

# (input shape, filter shape, strides, padding, explicit paddings, dilations)
CASES_2D = [
    ((2, 7, 8, 3), (3, 3, 3, 5), (1, 1), "VALID", (), (1, 1)),
    ((2, 7, 8, 3), (3, 3, 3, 5), (1, 1), "SAME", (), (1, 1)),
    ((1, 9, 7, 2), (2, 2, 2, 4), (1, 1), "SAME", (), (1, 1)),  # even kernel: pad after
    ((2, 9, 7, 2), (4, 2, 2, 3), (2, 3), "SAME", (), (1, 1)),
    ((3, 11, 10, 4), (3, 3, 4, 2), (2, 2), "VALID", (), (1, 1)),
    ((1, 5, 5, 1), (5, 5, 1, 1), (1, 1), "VALID", (), (1, 1)),  # 1x1 output
    ((2, 10, 9, 3), (3, 2, 3, 4), (1, 1), "SAME", (), (2, 3)),
    ((2, 10, 9, 3), (3, 3, 3, 2), (1, 1), "VALID", (), (2, 2)),
    ((2, 6, 7, 3), (3, 3, 3, 4), (1, 1), "EXPLICIT", (0, 0, 1, 2, 0, 3, 0, 0), (1, 1)),
    ((1, 8, 8, 5), (3, 3, 5, 6), (2, 2), "EXPLICIT", (0, 0, 2, 1, 1, 1, 0, 0), (1, 1)),
    ((4, 6, 6, 16), (1, 1, 16, 8), (1, 1), "VALID", (), (1, 1)),  # pointwise
    ((1, 3, 3, 2), (3, 3, 2, 2), (3, 3), "SAME", (), (1, 1)),
]
CASES_3D = [
    ((2, 5, 6, 4, 3), (2, 3, 2, 3, 4), (1, 1, 1), "SAME", (), (1, 1, 1)),
    ((1, 6, 5, 7, 2), (3, 3, 3, 2, 3), (2, 1, 2), "VALID", (), (1, 1, 1)),
]


def _attrs(rank, strides, padding, explicit, dilations):
    attrs = {"strides": [1, *strides, 1], "padding": padding, "dilations": [1, *dilations, 1]}
    if rank == 4:
        attrs["explicit_paddings"] = list(explicit)
        attrs["data_format"] = "NHWC"
    else:
        attrs["data_format"] = "NDHWC"
    return attrs


def _kernels():
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    from tensorflux.kernels.onednn import conv

    return conv


def _tolerance(expected):
    return dict(rtol=1e-4, atol=1e-4 * max(1.0, float(np.abs(expected).max())))


@pytest.mark.parametrize("case", CASES_2D + CASES_3D, ids=str)
def test_conv_forward_and_gradients_match_reference(case):
    conv = _kernels()
    x_shape, w_shape, strides, padding, explicit, dilations = case
    rng = np.random.default_rng(sum(x_shape) + sum(w_shape))
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    attrs = _attrs(len(x_shape), strides, padding, explicit, dilations)
    assert support.conv_supports(x, w, **attrs)
    kw = dict(
        strides=attrs["strides"],
        padding=padding,
        explicit_paddings=explicit,
        dilations=attrs["dilations"],
    )
    expected = ref.conv(x, w, **kw)
    y = conv.conv(x, w, **attrs)
    assert y.dtype == np.float32 and y.shape == expected.shape
    np.testing.assert_allclose(y, expected, **_tolerance(expected))

    dy = rng.standard_normal(y.shape).astype(np.float32)
    sizes = np.array(x_shape, np.int32)
    if max(dilations) > 1:
        # TF's CPU gradient kernels refuse dilations: the reference kernel decides.
        assert not support.conv_backprop_input_supports(sizes, w, dy, **attrs)
        assert not support.conv_backprop_filter_supports(x, np.array(w_shape), dy, **attrs)
        return
    assert support.conv_backprop_input_supports(sizes, w, dy, **attrs)
    dx = conv.conv_backprop_input(sizes, w, dy, **attrs)
    expected_dx = ref.conv_backprop_input(x_shape, w, dy, **kw)
    assert dx.shape == x_shape
    np.testing.assert_allclose(dx, expected_dx, **_tolerance(expected_dx))

    filter_sizes = np.array(w_shape, np.int32)
    assert support.conv_backprop_filter_supports(x, filter_sizes, dy, **attrs)
    dw = conv.conv_backprop_filter(x, filter_sizes, dy, **attrs)
    expected_dw = ref.conv_backprop_filter(x, w_shape, dy, **kw)
    assert dw.shape == w_shape
    np.testing.assert_allclose(dw, expected_dw, **_tolerance(expected_dw))


def test_plans_are_reused_and_inputs_need_not_be_contiguous():
    conv = _kernels()
    rng = np.random.default_rng(3)
    attrs = _attrs(4, (1, 1), "SAME", (), (1, 1))
    w = rng.standard_normal((3, 3, 4, 2)).astype(np.float32)
    for _ in range(2):
        x = rng.standard_normal((2, 6, 6, 8)).astype(np.float32)[..., ::2]
        np.testing.assert_allclose(
            conv.conv(x, w, **attrs), ref.conv(x, w, attrs["strides"], "SAME"), rtol=1e-4, atol=1e-4
        )


@pytest.mark.parametrize(
    "x_shape, w_shape, attrs",
    [
        (
            (2, 5, 5, 3),
            (3, 3, 3, 4),
            {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NCHW"},
        ),
        ((2, 5, 5, 3), (3, 3, 1, 4), {"strides": [1, 1, 1, 1], "padding": "SAME"}),  # groups
        ((2, 2, 2, 3), (3, 3, 3, 4), {"strides": [1, 1, 1, 1], "padding": "VALID"}),  # too big
        ((2, 5, 5, 3), (3, 3, 3, 4), {"strides": [2, 1, 1, 1], "padding": "SAME"}),
        (
            (2, 5, 5, 3),
            (3, 3, 3, 4),
            {"strides": [1, 2, 2, 1], "padding": "SAME", "dilations": [1, 2, 2, 1]},
        ),
        (
            (2, 5, 5, 3),
            (3, 3, 3, 4),
            {
                "strides": [1, 1, 1, 1],
                "padding": "EXPLICIT",
                "explicit_paddings": [1, 0, 0, 0, 0, 0, 0, 0],
            },
        ),
        ((0, 5, 5, 3), (3, 3, 3, 4), {"strides": [1, 1, 1, 1], "padding": "SAME"}),
        ((2, 5, 5, 3), (3, 3, 3, 4), {"strides": [1, 1, 1, 1], "padding": "FULL"}),
        (
            (2, 5, 5, 3),
            (3, 3, 3, 4),
            {"strides": [1, 1, 1, 1], "padding": "SAME", "explicit_paddings": [0, 0, 1, 1] * 2},
        ),
    ],
)
def test_cases_left_to_the_reference_kernel(x_shape, w_shape, attrs):
    x = np.ones(x_shape, np.float32)
    w = np.ones(w_shape, np.float32)
    assert not support.conv_supports(x, w, **attrs)


def test_float64_is_left_to_the_reference_kernel():
    x, w = np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 2))
    attrs = {"strides": [1, 1, 1, 1], "padding": "SAME"}
    assert not support.conv_supports(x, w, **attrs)
    assert not support.conv_backprop_input_supports(np.array([1, 4, 4, 2]), w, x, **attrs)
    dy = np.ones((1, 4, 4, 2), np.float32)
    assert not support.conv_backprop_filter_supports(x, np.array([3, 3, 2, 2]), dy, **attrs)


def test_gradient_shapes_that_disagree_are_left_to_the_reference_kernel():
    w = np.ones((3, 3, 2, 4), np.float32)
    dy = np.ones((1, 5, 5, 4), np.float32)
    attrs = {"strides": [1, 1, 1, 1], "padding": "SAME"}
    assert support.conv_backprop_input_supports(np.array([1, 5, 5, 2]), w, dy, **attrs)
    assert not support.conv_backprop_input_supports(np.array([1, 6, 5, 2]), w, dy, **attrs)
    assert not support.conv_backprop_input_supports(np.array([1, 5, 5]), w, dy, **attrs)
    assert not support.conv_backprop_input_supports(np.array([1.0, 5, 5, 2]), w, dy, **attrs)


def _fixture_cases(kind):
    if not FIXTURES.exists():
        return []
    return [c for c in json.loads(FIXTURES.read_text()) if c["op"] == kind]


def _array(value):
    return np.asarray(value, np.float32)


@pytest.mark.parametrize("case", _fixture_cases("Conv2D"), ids=lambda c: c["name"])
def test_conv_matches_tensorflow(case):
    conv = _kernels()
    x, w, attrs = _array(case["input"]), _array(case["filter"]), case["attrs"]
    np.testing.assert_allclose(
        conv.conv(x, w, **attrs), _array(case["output"]), rtol=1e-5, atol=1e-5
    )
    if "out_backprop" not in case:
        return  # dilated: TF's CPU gradient kernels refuse it
    dy = _array(case["out_backprop"])
    dx = conv.conv_backprop_input(np.array(x.shape, np.int32), w, dy, **attrs)
    np.testing.assert_allclose(dx, _array(case["input_grad"]), rtol=1e-5, atol=1e-5)
    dw = conv.conv_backprop_filter(x, np.array(w.shape, np.int32), dy, **attrs)
    np.testing.assert_allclose(dw, _array(case["filter_grad"]), rtol=1e-5, atol=1e-5)


def test_evicted_plans_are_rebuilt_and_onednn_errors_fall_back(monkeypatch):
    conv = _kernels()
    from tensorflux import kernels
    from tensorflux.kernels.onednn import plans

    assert issubclass(_library.DnnlError, kernels.Unsupported)  # the reference runs
    monkeypatch.setattr(plans, "_MAX_PLANS", 2)
    rng = np.random.default_rng(5)
    w = rng.standard_normal((3, 3, 2, 3)).astype(np.float32)
    attrs = _attrs(4, (1, 1), "SAME", (), (1, 1))
    for size in (4, 5, 6, 7, 4):
        x = rng.standard_normal((1, size, size, 2)).astype(np.float32)
        np.testing.assert_allclose(
            conv.conv(x, w, **attrs), ref.conv(x, w, attrs["strides"], "SAME"), rtol=1e-4, atol=1e-4
        )
    assert len(plans._cache) <= 2
    geo = support.conv_geometry((1, 5, 5, 2), w.shape, attrs["strides"], "SAME", (), None)
    evicted = plans.PlanBuilder(_library.library()).plan
    evicted.destroy()
    assert ("conv", (1, 5, 5, 2), w.shape, geo) not in plans._cache
    with pytest.raises(_library.DnnlError, match="evicted"):
        evicted.run({})
