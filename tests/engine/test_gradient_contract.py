"""Every differentiable op's registered gradient against central differences.

The rows of the inference table (``tensorflux.testing.op_samples``) are the inputs:
each floating input (widened to float64 where the op takes it and no attr fixes the
dtype) is perturbed entry by entry, and the loss is a fixed random weighting of the
op's floating outputs. An op's own tests check its gradient on chosen cases; this
contract catches an op whose gradient was never checked, and a gradient that fails
on a shape or attribute its author did not try.

Where TF's gradient is not the derivative on purpose, the tables below say so and why.
"""

import importlib
import pkgutil

import numpy as np
import pytest

import tensorflux as tf
import tensorflux.ops
from tensorflux.engine import registry
from tensorflux.framework import dtypes
from tensorflux.testing import op_samples

for _module in pkgutil.iter_modules(tensorflux.ops.__path__):
    importlib.import_module(f"tensorflux.ops.{_module.name}")

DIFFERENTIABLE = sorted(n for n, op in registry.registered_ops().items() if op.grad is not None)

# Inputs whose gradient TF defines as None (the op's gradient must return None there).
NO_GRADIENT_INPUTS = {
    "Betainc": {0, 1},  # TF differentiates the incomplete beta function in x only
    "Zeta": {0},  # TF differentiates the Hurwitz zeta function in q only
    "PadV2": {1},  # constant_values
    "MatrixDiagV3": {4},  # padding_value
    "MatrixDiagPartV3": {2},  # padding_value
    "MatrixSolveLs": {2},  # l2_regularizer
    "ImageProjectiveTransformV3": {1, 3},  # transforms, fill_value
    "ScaleAndTranslate": {2, 3},  # scale, translation
    "ScaleAndTranslateGrad": {2, 3},  # scale, translation
    # Fused batch norm: mean and variance (and the saved moments of the gradient ops).
    "FusedBatchNorm": {3, 4},
    "FusedBatchNormV2": {3, 4},
    "FusedBatchNormV3": {3, 4},
    "FusedBatchNormGrad": {3, 4},
    "FusedBatchNormGradV2": {3, 4},
    "FusedBatchNormGradV3": {3, 4, 5},
}

# Ops whose gradient is TF's convention rather than the derivative of the outputs.
CONVENTION = {
    "Cholesky": "differentiates within symmetric inputs (one entry perturbed is not one)",
    "Eig": "eigenvectors are defined up to a phase, which a perturbation changes",
    "FakeQuantWithMinMaxArgs": "straight-through estimator",
    "FakeQuantWithMinMaxVars": "straight-through estimator",
    "FakeQuantWithMinMaxVarsPerChannel": "straight-through estimator",
    "QuantizeAndDequantizeV2": "straight-through estimator",
    "QuantizeAndDequantizeV4": "straight-through estimator",
    "RandomGamma": "implicit reparameterization: a perturbed alpha changes the "
    "rejection sampler's draws",
    "StatelessRandomGammaV3": "implicit reparameterization, as RandomGamma",
    "SoftmaxCrossEntropyWithLogits": "the logits' gradient assumes label rows that sum to 1",
    "Xlog1py": "TF's gradient in x is 0 where x is 0 (the row has x = 0)",
    "IsotonicRegression": "piecewise: the float32 row's differences cross pool boundaries",
    "EagerPyFunc": "runs a Python function (tests/ops/test_script_ops.py checks its gradient)",
    "WhileGrad": "While's gradient loop (tests/engine/test_control_flow.py checks it)",
    "PreventGradient": "raises LookupError by design (test_prevent_gradient_refuses below)",
    "StatelessShuffle": "TF has no gradient for it: LookupError, as "
    "tests/ops/test_stateless_shuffle.py checks",
    "ImageProjectiveTransformV3": "TF warps the output gradient by the inverse transform, "
    "which is not the exact adjoint of the resampling",
}

# Single rows whose gradient is TF's convention; the op's other rows are checked.
CONVENTION_ROWS = {
    ("CropAndResize", 1): "the boxes' gradient is the bilinear one whatever the method",
    ("MatrixSolveLs", 1): "TF defines no gradient for fast=False (a ValueError)",
    ("Svd", 1): "TF refuses full_matrices gradients two rows or columns off square",
    ("Svd", 2): "the raw op's singular values of a complex input are complex-typed",
    **{
        (name, row): "with training, TF's second order recomputes the batch moments from x "
        "where the op reads them from its reserve-space inputs"
        for name in ("FusedBatchNormGrad", "FusedBatchNormGradV2", "FusedBatchNormGradV3")
        for row in (0, 2, 3, 4)
    },
}

# Ops whose later outputs are saved workspaces of the forward pass, not results: only
# the first outputs (this many) carry gradients.
RESULT_OUTPUTS = {
    "FusedSimpleRNN": 2,
    "FusedLSTM": 3,
    "FusedGRU": 2,
    "CTCLoss": 1,
    "CtcLossDense": 1,
    "SoftmaxCrossEntropyWithLogits": 1,
    "SparseSoftmaxCrossEntropyWithLogits": 1,
    # TF's fused batch norm gradients take the output y's gradient only.
    "FusedBatchNorm": 1,
    "FusedBatchNormV2": 1,
    "FusedBatchNormV3": 1,
    "FusedBatchNormGrad": 3,
    "FusedBatchNormGradV2": 3,
    "FusedBatchNormGradV3": 3,
}

_MAX_ENTRIES = 256  # perturbed entries per input; larger inputs are left to op tests


def _widened(op, sample):
    inputs = [np.array(x) for x in sample.inputs]
    fixed_dtype = any(isinstance(v, dtypes.DType) for v in sample.attrs.values())
    if fixed_dtype or (op.allowed is not None and dtypes.float64 not in op.allowed):
        return inputs, False
    wider = {np.dtype(np.float32): np.float64, np.dtype(np.complex64): np.complex128}
    return [x.astype(wider.get(x.dtype, x.dtype)) for x in inputs], True


def _all_outputs_wide(op, inputs, attrs) -> bool:
    out = registry.execute(op, [tf.constant(x) for x in inputs], attrs)
    outs = out if isinstance(out, tuple) else (out,)
    narrow = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.complex64)
    return not any(o is not None and o.dtype in narrow for o in outs)


def _usable_rows(op):
    """The rows with floating inputs small enough to perturb one entry at a time."""
    for row, sample in enumerate(op_samples.samples(op.name)):
        inputs, wide = _widened(op, sample)
        floating = [i for i, x in enumerate(inputs) if x.dtype.kind in "fc"]
        floating = [i for i in floating if inputs[i].dtype != np.float16]
        if floating and all(inputs[i].size <= _MAX_ENTRIES for i in floating):
            yield (
                row,
                sample,
                inputs,
                floating,
                wide and _all_outputs_wide(op, inputs, sample.attrs),
            )


def _loss_and_gradients(op, inputs, attrs, floating, n_results):
    tensors = [tf.constant(x) for x in inputs]
    with tf.GradientTape() as tape:
        for i in floating:
            tape.watch(tensors[i])
        out = registry.execute(op, tensors, attrs)
        outs = out if isinstance(out, tuple) else (out,)
        loss = tf.constant(0.0, tf.float64)
        for k, o in enumerate(outs[:n_results]):
            if o is None or not (o.dtype.is_floating or o.dtype.is_complex):
                continue
            rng = np.random.default_rng(k + 1)
            w = rng.normal(size=o.shape)
            if o.dtype.is_complex:
                w = w + 1j * rng.normal(size=o.shape)
                term = tf.math.real(tf.reduce_sum(o * tf.math.conj(tf.constant(w, o.dtype))))
            else:
                term = tf.reduce_sum(o * tf.constant(w, o.dtype))
            loss = loss + tf.cast(term, tf.float64)
    return float(loss), tape.gradient(loss, [tensors[i] for i in floating])


def _numerical(op, inputs, attrs, i, n_results, eps):
    x = inputs[i]
    flat = x.reshape(-1)
    grad = np.zeros(x.size, dtype=np.complex128 if x.dtype.kind == "c" else np.float64)
    for e in range(x.size):
        for step in (1.0, 1j) if x.dtype.kind == "c" else (1.0,):
            values = []
            for sign in (1, -1):
                moved = flat.copy()
                moved[e] += sign * eps * step
                args = list(inputs)
                args[i] = moved.reshape(x.shape)
                values.append(_loss_and_gradients(op, args, attrs, [], n_results)[0])
            grad[e] += (values[0] - values[1]) / (2 * eps) * step
    return grad.reshape(x.shape)


# Differentiable ops with no row to perturb: their own tests check their gradients.
NO_SMALL_ROW = {"Transpose"}  # its only row is int64

CHECKED = [
    n
    for n in DIFFERENTIABLE
    if n not in CONVENTION and any(True for _ in _usable_rows(registry.get(n)))
]


def test_every_differentiable_op_is_checked_or_reviewed():
    unchecked = set(DIFFERENTIABLE) - set(CHECKED) - set(CONVENTION)
    assert unchecked == NO_SMALL_ROW, (
        f"differentiable ops without a small floating row: {sorted(unchecked - NO_SMALL_ROW)};"
        " add one to tensorflux.testing.op_samples"
    )
    stale = [n for n in list(CONVENTION) + list(NO_GRADIENT_INPUTS) if n not in DIFFERENTIABLE]
    assert not stale, f"table entries that are no longer differentiable ops: {stale}"


def test_prevent_gradient_refuses():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = registry.execute(registry.get("PreventGradient"), [x], {"message": "not here"})
    with pytest.raises(LookupError, match="not here"):
        tape.gradient(y, x)


# Rows reach the edges of their functions' domains (log of a negative entry) on purpose.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", CHECKED)
def test_gradient_matches_finite_differences(name):
    op = registry.get(name)
    n_results = RESULT_OUTPUTS.get(name, op.num_outputs if op.num_outputs > 0 else 99)
    for row, sample, inputs, floating, wide in _usable_rows(op):
        if (name, row) in CONVENTION_ROWS:
            continue
        _, grads = _loss_and_gradients(op, inputs, sample.attrs, floating, n_results)
        eps, tol = (1e-6, 1e-5) if wide else (1e-2, 5e-2)
        for i, g in zip(floating, grads, strict=True):
            if i in NO_GRADIENT_INPUTS.get(name, ()):
                assert g is None, f"{name} row {row}: TF gives input {i} no gradient"
                continue
            got = np.zeros(inputs[i].shape) if g is None else tf.convert_to_tensor(g).numpy()
            want = _numerical(op, inputs, sample.attrs, i, n_results, eps)
            # Outside the function's domain (log of a negative row entry) the difference
            # is NaN and says nothing about the gradient there.
            defined = np.isfinite(want)
            want, got = want[defined], got[defined]
            err = np.max(np.abs(want - got), initial=0.0) / (1 + np.max(np.abs(want), initial=0))
            assert err < tol, f"{name} row {row}, input {i}: gradient off by {err:.3g}"
