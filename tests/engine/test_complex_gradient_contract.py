"""Every differentiable op that takes complex128, on complex versions of its op-table
rows: the gradient equals TF's (``tests/fixtures/complex_contract.json``, recorded by
``record_complex_contract_fixtures.py``), where TF refuses the row we refuse it too,
and where TF's gradient is the derivative (``w * conj(f'(z))``) it equals central
differences in the real and imaginary parts.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.testing import op_samples
from tests.engine import complex_contract_cases as cases
from tests.engine.test_gradient_contract import _loss_and_gradients, _numerical

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "complex_contract.json").read_text())

CASES = {
    f"{name}/{row}": (name, attrs, inputs, made_complex)
    for name in cases.complex_ops()
    for row, attrs, inputs, made_complex in cases.rows(name)
}

# Ops whose TF gradient is not the complex derivative (TF leaves out the conjugate,
# or the function is not holomorphic and TF keeps the real formula).
TF_NOT_DERIVATIVE = {
    "Cumprod": "TF divides the cumulative sums by x without conjugating",
    "SegmentProd": "TF's product gradient does not conjugate the other factors",
    "UnsortedSegmentProd": "as SegmentProd",
    "MulNoNan": "TF multiplies by y, not conj(y)",
    "Xlogy": "TF's gradients do not conjugate",
    "Xdivy": "TF's gradients do not conjugate",
    "Xlog1py": "TF's gradients do not conjugate",
    "MatrixSolveLs": "TF adds the transpose of X Z^H where the derivative has its adjoint",
    "MatrixSquareRoot": "TF's Sylvester solve transposes where the derivative conjugates",
    "TridiagonalSolve": "TF's gradient does not conjugate the diagonals",
    "Sign": "TF's gradient of sign is zero",
    "MatrixDeterminant": "TF multiplies by det, not conj(det)",
    "LogMatrixDeterminant": "log|det| is not holomorphic; TF uses log det's gradient",
}

# Rows TF refuses that the registry serves, on purpose.
SERVED_WHERE_TF_REFUSES = {
    "Abs/0": "tf.abs of a complex tensor runs TF's ComplexAbs; the registry's Abs serves both",
    "Abs/1": "as Abs/0",
    "MatMul/2": "the registry's MatMul also broadcasts batches, as BatchMatMulV2",
    "MatrixExponential/0": "TF's raw op is retired; tf.linalg.expm is this op here",
    "ScatterNd/1": "the registry accepts a shape whose dtype differs from the indices'",
}


def _ours(name, attrs, inputs, made_complex):
    op = registry.get(name)
    n_results = cases.RESULT_OUTPUTS.get(name, op.num_outputs if op.num_outputs > 0 else 99)
    return op, n_results, _loss_and_gradients(op, inputs, attrs, made_complex, n_results)[1]


def test_fixture_has_every_row():
    assert sorted(FIXTURE) == sorted(CASES)


# Complex-capable ops with no real row to make complex here.
NO_COMPLEX_ROW = {
    "Cast": "its rows fix the output dtype by attr",
    "Complex": "takes the real and imaginary parts as real tensors",
    "RandomGamma": "its rows fix the dtype by attr; alpha is real",
    "StatelessRandomGammaV3": "as RandomGamma",
    "Transpose": "its only row is int64 (test_gradient_contract.NO_SMALL_ROW)",
}


def _has_complex_row(name):
    rows = op_samples.samples(name)
    return any(np.asarray(x).dtype.kind == "c" for row in rows for x in row.inputs)


def test_every_complex_op_has_a_row():
    """Ops whose table rows are complex already are checked by test_gradient_contract."""
    without = set(cases.complex_ops()) - {key.split("/")[0] for key in CASES}
    assert {n for n in without if not _has_complex_row(n)} == set(NO_COMPLEX_ROW)


@pytest.mark.parametrize("key", sorted(SERVED_WHERE_TF_REFUSES))
def test_served_rows_are_refused_by_tf(key):
    assert "error" in FIXTURE[key]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("key", sorted(set(CASES) - set(SERVED_WHERE_TF_REFUSES)))
def test_gradient_matches_tf(key):
    name, attrs, inputs, made_complex = CASES[key]
    expected = FIXTURE[key]
    if "error" in expected:
        with pytest.raises(Exception) as raised:
            _ours(name, attrs, inputs, made_complex)
        assert type(raised.value).__name__ == expected["error"], str(raised.value)
        return
    _, _, grads = _ours(name, attrs, inputs, made_complex)
    for i, got, want in zip(made_complex, grads, expected["gradients"], strict=True):
        if want is None:
            assert got is None, f"input {i}: TF gives no gradient"
            continue
        got = np.zeros(inputs[i].shape) if got is None else tf.convert_to_tensor(got).numpy()
        np.testing.assert_allclose(
            got, cases.from_pairs(want, inputs[i].shape), rtol=1e-6, atol=1e-9
        )


def _derivative_errors(key):
    name, attrs, inputs, made_complex = CASES[key]
    op, n_results, _ = _ours(name, attrs, inputs, made_complex)
    errors = []
    for i, pairs in zip(made_complex, FIXTURE[key]["gradients"], strict=True):
        if pairs is None:
            continue
        tf_grad = cases.from_pairs(pairs, inputs[i].shape)
        want = _numerical(op, inputs, attrs, i, n_results, 1e-6)
        defined = np.isfinite(want)
        scale = 1 + np.max(np.abs(want[defined]), initial=0.0)
        errors.append(np.max(np.abs(want - tf_grad)[defined], initial=0.0) / scale)
    return errors


DERIVATIVE_ROWS = sorted(
    k for k in CASES if "error" not in FIXTURE[k] and k.split("/")[0] not in TF_NOT_DERIVATIVE
)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("key", DERIVATIVE_ROWS)
def test_tf_gradient_is_the_derivative(key):
    """Our gradient equals TF's (above), so this checks both against the numbers."""
    assert max(_derivative_errors(key), default=0.0) < 1e-5


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(TF_NOT_DERIVATIVE))
def test_not_derivative_entries_are_needed(name):
    rows = [k for k in CASES if k.split("/")[0] == name and "error" not in FIXTURE[k]]
    assert rows, f"{name} has no complex row TF accepts"
    assert max(max(_derivative_errors(k), default=0.0) for k in rows) > 1e-3
