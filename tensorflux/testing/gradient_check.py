"""Finite-difference checks of tape gradients, in float64.

``check_gradients(fn, [x0, x1, ...])`` compares the tape's gradient of
``sum(fn(*xs) * w)`` (a fixed random weighting, so every output element
matters) with central differences, for every floating input.

Complex inputs are checked too, in complex128, with TF's convention: the gradient of a
real loss ``L`` with respect to ``z`` is ``dL/dRe(z) + i dL/dIm(z)``. A complex output
enters the loss as ``sum(Re(out) * w + Im(out) * w')``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.tape import GradientTape
from tensorflux.framework import dtypes
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.tensor import Tensor, convert_to_tensor

__all__ = ["check_gradients", "numerical_jacobian"]


def _as_float64_tensor(x):
    arr = np.asarray(x)
    if arr.dtype.kind == "f":
        return Tensor(arr.astype(np.float64), dtypes.float64)
    if arr.dtype.kind == "c":
        return Tensor(arr.astype(np.complex128), dtypes.complex128)
    return convert_to_tensor(x) if not isinstance(x, Tensor) else x


def _real_dot(t, w):
    """``sum(t * w)`` for a real ``t``; ``sum(Re(t) * w[0] + Im(t) * w[1])`` for a complex one."""
    from tensorflux.ops.math_ops import multiply
    from tensorflux.ops.reduction_ops import reduce_sum
    from tensorflux.ops.unary_math_ops import imag, real

    if t.dtype.is_complex:
        return reduce_sum(multiply(real(t), w[0])) + reduce_sum(multiply(imag(t), w[1]))
    return reduce_sum(multiply(t, w))


def _weights(rng, shape, complex_valued):
    def draw():
        return Tensor(rng.uniform(0.5, 1.5, size=shape), dtypes.float64)

    return (draw(), draw()) if complex_valued else draw()


def _weighted_sum(out, weights):
    outs = out if isinstance(out, (list, tuple)) else [out]
    total = None
    for o, w in zip(outs, weights):
        if o is None or not (o.dtype.is_floating or o.dtype.is_complex):
            continue
        term = _real_dot(o, w)
        total = term if total is None else total + term
    return total


def numerical_jacobian(fn, xs, index, eps=1e-6):
    """Central-difference derivative of a scalar ``fn(*xs)`` w.r.t. ``xs[index]``; for a
    complex input, ``dfn/dRe + i dfn/dIm`` (TF's convention)."""
    x = xs[index]
    base = np.array(x._value)
    steps = (eps, 1j * eps) if base.dtype.kind == "c" else (eps,)
    grad = np.zeros(base.shape, dtype=base.dtype)
    flat = grad.reshape(-1)
    for i in range(base.size):
        for step in steps:
            diff = 0.0
            for sign in (1, -1):
                pert = base.copy().reshape(-1)
                pert[i] += sign * step
                args = list(xs)
                args[index] = Tensor(pert.reshape(base.shape), x._dtype)
                diff += sign * float(fn(*args).numpy())
            flat[i] += diff / (2 * eps) * (step / eps)
    return grad


def check_gradients(fn, inputs, rtol=1e-5, atol=1e-6, eps=1e-6, seed=0, order=1):
    """Asserts that tape gradients of ``fn`` match finite differences.

    Args:
        fn: a function of tensors returning a tensor (or list of tensors).
        inputs: arrays or tensors; floating ones are promoted to float64 and checked.
        order: 1 checks first derivatives; 2 also checks the gradient of the gradient
            (nested tapes), against finite differences of the first gradient.

    Raises:
        AssertionError: naming the input and the largest discrepancy.
    """
    xs = [_as_float64_tensor(x) for x in inputs]
    rng = np.random.default_rng(seed)
    probe = fn(*xs)
    outs = probe if isinstance(probe, (list, tuple)) else [probe]
    weights = [
        None if o is None else _weights(rng, o.shape.as_list(), o.dtype.is_complex) for o in outs
    ]
    float_idx = [i for i, x in enumerate(xs) if x.dtype in (dtypes.float64, dtypes.complex128)]

    def scalar(*args):
        return _weighted_sum(fn(*args), weights)

    _compare(scalar, xs, float_idx, rtol, atol, eps)
    if order >= 2:
        for j in float_idx:
            w2 = _weights(rng, xs[j].shape.as_list(), xs[j].dtype.is_complex)

            def first_grad(*args, j=j, w2=w2):
                with GradientTape() as tape:
                    for i in float_idx:
                        tape.watch(args[i])
                    y = scalar(*args)
                g = tape.gradient(y, args[j])
                if isinstance(g, IndexedSlices):
                    g = g._as_tensor()
                return _real_dot(g, w2)

            _compare(first_grad, xs, float_idx, rtol * 100, atol * 100, eps * 100)


def _compare(scalar, xs, float_idx, rtol, atol, eps):
    with GradientTape(persistent=True) as tape:
        for i in float_idx:
            tape.watch(xs[i])
        y = scalar(*xs)
    for i in float_idx:
        g = tape.gradient(y, xs[i])
        if isinstance(g, IndexedSlices):
            g = g._as_tensor()
        analytic = (
            np.zeros(xs[i].shape.as_list(), dtype=xs[i]._value.dtype)
            if g is None
            else np.asarray(g._value)
        )
        numeric = numerical_jacobian(scalar, xs, i, eps)
        if not np.allclose(analytic, numeric, rtol=rtol, atol=atol):
            err = np.max(np.abs(analytic - numeric))
            raise AssertionError(
                f"gradient of input {i} differs from finite differences by up to {err:.3g}\n"
                f"tape:\n{analytic}\nnumeric:\n{numeric}"
            )
