"""oneDNN rectifier kernels (Relu, Relu6, ReluGrad, Relu6Grad) against the NumPy
reference kernels on a table of cases, bit for bit: NaN, signed zeros, infinities, the
kinks at 0 and 6, odd sizes; and which calls reach oneDNN at all."""

import numpy as np
import pytest

from tensorflux.engine import registry
from tensorflux.kernels import get_op_kernel_backend
from tensorflux.kernels.onednn import support
from tensorflux.ops import activation_grad_ops, nn_ops  # noqa: F401 - registers the ops
from tests.kernels.test_onednn_conv import _library, pytestmark  # noqa: F401

_SPECIAL = np.array(
    [-1.0, -0.0, 0.0, 1e-45, -1e-45, 0.5, 5.5, 6.0, 6.5, np.nan, np.inf, -np.inf, 3.0],
    np.float32,
)
_GRADIENTS = np.array([1.5, -2.0, np.nan, -0.0, 0.0, np.inf], np.float32)

# (shape, with special values) of arrays large enough for oneDNN
SIZES = [((1 << 15,), False), ((100_003,), True), ((7, 61, 59, 13), True), ((64, 26, 26, 32), True)]


def _eltwise():
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    from tensorflux.kernels.onednn import eltwise

    return eltwise


def _arrays(shape, special, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 4 + 2).astype(np.float32)
    g = rng.standard_normal(shape).astype(np.float32)
    if special:
        x.flat[: 3 * _SPECIAL.size] = np.repeat(_SPECIAL, 3)
        g.flat[: 3 * _SPECIAL.size] = np.resize(_GRADIENTS[:3], 3 * _SPECIAL.size)
        x.flat[-_GRADIENTS.size :] = 2.0
        g.flat[-_GRADIENTS.size :] = _GRADIENTS
    return g, x


def _assert_same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def _reference(op):
    return registry.get(op).kernel.reference


@pytest.mark.parametrize("op, name", [("ReluGrad", "relu_grad"), ("Relu6Grad", "relu6_grad")])
@pytest.mark.parametrize("shape, special", SIZES, ids=str)
def test_gradient_kernels_match_the_reference(op, name, shape, special):
    g, x = _arrays(shape, special, len(shape))
    assert support.rectifier_grad_supports(g, x)
    want = _reference(op)(g, x)
    _assert_same(getattr(_eltwise(), name)(g, x), want)
    # The features may be the rectifier's output (what TF passes): the same mask.
    y = _reference(op.removesuffix("Grad"))(x)
    _assert_same(getattr(_eltwise(), name)(g, y), want)
    _assert_same(registry.get(op).kernel(g, x), want)


@pytest.mark.parametrize("op, name", [("Relu", "relu"), ("Relu6", "relu6")])
@pytest.mark.parametrize("shape, special", SIZES, ids=str)
def test_forward_kernels_match_the_reference(op, name, shape, special):
    _, x = _arrays(shape, special, len(shape) + 1)
    x[np.isnan(x)] = -3.0  # inputs holding NaN stay on the reference (tested below)
    assert support.rectifier_supports(x)
    want = _reference(op)(x)
    _assert_same(getattr(_eltwise(), name)(x), want)
    _assert_same(registry.get(op).kernel(x), want)


@pytest.mark.parametrize("op", ["Relu", "Relu6"])
def test_nan_inputs_run_the_reference_forward_kernel(op):
    # oneDNN's rectifiers return 0 for NaN; TF's return NaN.
    _, x = _arrays((100_003,), True, 3)
    assert not support.rectifier_supports(x)
    y = registry.get(op).kernel(x)
    assert np.isnan(y[np.isnan(x)]).all()
    x[np.isnan(x)] = 0
    x[0], x[1] = np.inf, -np.inf  # infinities alone do not
    assert support.rectifier_supports(x)


def test_which_calls_reach_onednn():
    for op in ("Relu", "Relu6", "ReluGrad", "Relu6Grad"):
        assert get_op_kernel_backend(op) == "onednn"
    big = np.ones(1 << 15, np.float32)
    small = np.ones((1 << 15) - 1, np.float32)
    assert support.rectifier_supports(big) and support.rectifier_grad_supports(big, big)
    assert not support.rectifier_supports(small)
    assert not support.rectifier_grad_supports(small, small)
    for other in (big.astype(np.float64), big.astype(np.float16), big.astype(np.int32)):
        assert not support.rectifier_supports(other)
        assert not support.rectifier_grad_supports(other, other)
    assert not support.rectifier_grad_supports(big, big.astype(np.float64))
    assert not support.rectifier_grad_supports(big, big[::-1].reshape(-1, 2)[:, 0].copy())
    strided = np.ones((2, 1 << 15), np.float32)[:, ::2]
    assert not support.rectifier_supports(strided)
    assert not support.rectifier_grad_supports(strided, strided)
    assert not support.rectifier_grad_supports(big.reshape(2, -1), big.reshape(-1, 2))


def test_small_and_strided_calls_keep_exact_values():
    g, x = _arrays((1000,), True, 7)
    for op in ("ReluGrad", "Relu6Grad"):
        _assert_same(registry.get(op).kernel(g, x), _reference(op)(g, x))
    g, x = _arrays((2, 80_000), True, 8)
    for op in ("ReluGrad", "Relu6Grad"):
        want = _reference(op)(g[:, ::2], x[:, ::2])
        _assert_same(registry.get(op).kernel(g[:, ::2], x[:, ::2]), want)
