"""IgammaGradA and RandomGammaGrad against TF's values (fixtures/gamma_derivatives.json,
recorded by record_gamma_derivative_fixtures.py): both algorithms (the differentiated
series and continued fraction), deep tails where the terms cancel or the density
underflows, and TF's zeros where its kernel takes the function's front factor for 0."""

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = json.loads(
    (pathlib.Path(__file__).parent.parent / "fixtures" / "gamma_derivatives.json").read_text()
)
A, X = np.array(FIXTURES["a"]), np.array(FIXTURES["x"])


def _ours(op, dtype):
    a, x = tf.constant(A, dtype), tf.constant(X, dtype)
    if op == "igamma_grad_a":
        return tf.raw_ops.IgammaGradA(a=a, x=x).numpy()
    return tf.raw_ops.RandomGammaGrad(alpha=a, sample=x).numpy()


@pytest.mark.parametrize("op", ["igamma_grad_a", "random_gamma_grad"])
def test_float64_values_are_tf_s(op):
    want = np.array(FIXTURES[f"{op}_float64"])
    got = _ours(op, "float64")
    assert not np.isnan(got).any()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=0)


@pytest.mark.parametrize("op", ["igamma_grad_a", "random_gamma_grad"])
def test_float32_zeros_are_tf_s_and_values_its_float64_ones_rounded(op):
    # TF computes in float32, which costs it up to ~2e-4 of relative error at large
    # shapes; here the float64 value is rounded once. Where TF's kernel takes the
    # function's front factor for zero, so does ours.
    want = np.array(FIXTURES[f"{op}_float32"], np.float32)
    exact = np.array(FIXTURES[f"{op}_float64"])
    got = _ours(op, "float32")
    np.testing.assert_array_equal(got == 0, want == 0)
    normal = (np.abs(exact) >= np.finfo(np.float32).tiny) & (want != 0)
    # (The float64 values are at the unrounded inputs: float32 inputs move them ~1e-6.)
    np.testing.assert_allclose(got[normal], exact[normal], rtol=1e-5)
    np.testing.assert_allclose(got[normal], want[normal], rtol=5e-4)
