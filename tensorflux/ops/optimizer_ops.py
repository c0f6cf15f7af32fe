"""Fused optimizer updates: one op computing a whole Keras optimizer step of a variable.

``_KerasAdamUpdate`` is tf_keras' (new, non-legacy) Adam step of one dense variable:

    m' = m + (g - m) * (1 - beta_1)
    v' = v + (g*g - v) * (1 - beta_2)
    var' = var - (m' * alpha) / (sqrt(v') + epsilon)

It is a primitive because, as separate ops, the step is twelve passes over memory with a
fresh temporary each, on one thread. The kernel runs the same twelve operations in the
same order and dtype per element, so its results are bit-identical to the separate ops',
but over cache-sized chunks with reused buffers, on the intra-op threads. Measured on a
2-core machine, one step of a (3136, 1024) float32 kernel (a CNN's Dense(1024)) took
15.5-16.5 ms as separate ops (the machine busy with other work); the fused kernel takes
10-11.7 ms on one thread and 6.6-7.6 ms on two (quiet), near one pass through the
arrays' memory.

It is not TF's ``ResourceApplyAdam``, which takes ``beta_1``, ``beta_2`` and their powers
as tensors and computes ``1 - beta`` from the rounded ``beta`` (Keras rounds the Python
``1 - beta`` once), so its results differ in the last bits; hence the internal name. It
returns the new values; the optimizer assigns them. Not differentiable: TF registers no
gradient for its training ops either.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.kernels.threads import get_intra_op_threads, parallel_pieces

__all__ = ["keras_adam_update", "KERAS_ADAM_DTYPES"]

# The dtypes the fused Adam step takes.
KERAS_ADAM_DTYPES = frozenset({dtypes.float16, dtypes.float32, dtypes.float64})

# Elements per chunk: the chunk's slices and its temporary (float32: 128 KB each) stay in
# the caches between the twelve passes. Measured on a (3136, 1024) float32 step, one
# thread: 16.3 ms with chunks of 4K, 9.6 ms with 16K, 8.8 ms with 64K (the arrays'
# one pass through memory); smaller chunks pay the ufunc calls' overhead.
_CHUNK = 1 << 15
# Elements per piece handed to a thread, and its chunk then: each ufunc call's hand-off
# of the GIL costs about as much as 32K elements' arithmetic, so threads take chunks of a
# whole piece. Measured on a (3136, 1024) float32 step, 2 threads, quiet: 6.6-7.1 ms with
# 128K chunks, 11-12 ms with 32K (10-11.7 ms on one thread).
_PIECE = 1 << 17
# Elements per thread below which a thread hand-off costs more than it saves (about
# 0.4 ms of work on one core).
_PARALLEL_MIN = 1 << 17

_NAMES = ("var", "m", "v", "grad")


def _adam_step(w, m0, v0, g, w1, m1, v1, u, alpha, c1, c2, epsilon) -> None:
    """Writes the step of ``w, m0, v0, g`` into ``w1, m1, v1``, with ``u`` as temporary:
    the separate ops' operations, in their order."""
    np.subtract(g, m0, out=u)
    np.multiply(u, c1, out=u)
    np.add(m0, u, out=m1)
    np.square(g, out=u)
    np.subtract(u, v0, out=u)
    np.multiply(u, c2, out=u)
    np.add(v0, u, out=v1)
    np.multiply(m1, alpha, out=u)
    np.sqrt(v1, out=w1)
    np.add(w1, epsilon, out=w1)
    np.divide(u, w1, out=u)
    np.subtract(w, u, out=w1)


def _keras_adam_update_kernel(var, m, v, grad, alpha, one_minus_beta_1, one_minus_beta_2, epsilon):
    shape, dtype = var.shape, var.dtype
    if m.shape != shape or v.shape != shape or grad.shape != shape:
        name, x = next((n, x) for n, x in zip(_NAMES[1:], (m, v, grad)) if x.shape != shape)
        raise InvalidArgumentError(
            None,
            "_KerasAdamUpdate",
            f"var and {name} do not have the same shape: {list(shape)} vs "
            f"{list(x.shape)}. The slots and the gradient must be shaped like the variable.",
        )
    coefficients = (alpha, one_minus_beta_1, one_minus_beta_2, epsilon)
    outs = (np.empty(shape, dtype), np.empty(shape, dtype), np.empty(shape, dtype))
    if var.size <= _CHUNK:
        # Quiet as the Sqrt and RealDiv kernels are.
        with np.errstate(all="ignore"):
            _adam_step(var, m, v, grad, *outs, np.empty(shape, dtype), *coefficients)
        return outs
    flat = [np.ravel(x) for x in (var, m, v, grad)] + [o.reshape(-1) for o in outs]

    threaded = var.size >= 2 * _PARALLEL_MIN and get_intra_op_threads() > 1
    chunk = _PIECE if threaded else _CHUNK

    def piece(lo: int, hi: int) -> None:
        t = np.empty(min(chunk, hi - lo), var.dtype)
        # errstate is per thread: set in the thread that runs the piece.
        with np.errstate(all="ignore"):
            for start in range(lo, hi, chunk):
                stop = min(start + chunk, hi)
                _adam_step(*(x[start:stop] for x in flat), t[: stop - start], *coefficients)

    parallel_pieces(var.size, _PIECE, piece, _PARALLEL_MIN)
    return outs


def _keras_adam_update_infer(
    var: Spec,
    m: Spec,
    v: Spec,
    grad: Spec,
    alpha: Spec,
    one_minus_beta_1: Spec,
    one_minus_beta_2: Spec,
    epsilon: Spec,
) -> tuple:
    shape = var.shape
    for name, x in zip(_NAMES[1:], (m, v, grad)):
        if not shape.is_compatible_with(x.shape):
            raise InvalidArgumentError(
                None,
                "_KerasAdamUpdate",
                f"var and {name} do not have the same shape: {shape} vs {x.shape}. The "
                f"slots and the gradient must be shaped like the variable.",
            )
        shape = shape.merge_with(x.shape)
    for name, x in (
        ("alpha", alpha),
        ("one_minus_beta_1", one_minus_beta_1),
        ("one_minus_beta_2", one_minus_beta_2),
        ("epsilon", epsilon),
    ):
        if x.shape.rank not in (None, 0):
            raise InvalidArgumentError(
                None,
                "_KerasAdamUpdate",
                f"{name} is not a scalar: shape {x.shape}. Pass a 0-d tensor or a number.",
            )
    return (Spec(var.dtype, shape),) * 3


_KERAS_ADAM_UPDATE = register(
    "_KerasAdamUpdate",
    kernel=_keras_adam_update_kernel,
    grad=None,
    infer=_keras_adam_update_infer,
    num_outputs=3,
    same_dtype=True,
    allowed=KERAS_ADAM_DTYPES,
)


def keras_adam_update(var, m, v, grad, alpha, one_minus_beta_1, one_minus_beta_2, epsilon):
    """One tf_keras Adam step of a dense variable: the new ``(var, m, v)``.

    ``m + (g - m) * (1 - beta_1)``, ``v + (g*g - v) * (1 - beta_2)`` and
    ``var - (m' * alpha) / (sqrt(v') + epsilon)``, each operation rounded to the
    variable's dtype as the separate ops round it. Python numbers among the
    coefficients are converted to that dtype as a binary operator converts them.

    Args:
        var: the variable's value (float16, float32 or float64).
        m: the first-moment slot, shaped and typed like ``var``.
        v: the second-moment slot, likewise.
        grad: the gradient, likewise.
        alpha: scalar, ``lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)``.
        one_minus_beta_1: scalar ``1 - beta_1``.
        one_minus_beta_2: scalar ``1 - beta_2``.
        epsilon: scalar added to ``sqrt(v')``.

    Returns:
        A tuple of three tensors: the new variable value, ``m`` and ``v``.

    Raises:
        InvalidArgumentError: inputs of different dtypes or shapes, a dtype other than
            float16/32/64, or a coefficient that is not a scalar.

    >>> import numpy as np
    >>> from tensorflux.ops.optimizer_ops import keras_adam_update
    >>> w, m, v = keras_adam_update(
    ...     np.float32([1.0]), np.float32([0.0]), np.float32([0.0]), np.float32([0.5]),
    ...     np.float32(0.1), 0.1, 0.001, 1e-7)
    >>> w.numpy()
    array([0.68377423], dtype=float32)
    >>> m.numpy(), v.numpy()
    (array([0.05], dtype=float32), array([0.00025], dtype=float32))
    """
    return execute(
        _KERAS_ADAM_UPDATE,
        (var, m, v, grad, alpha, one_minus_beta_1, one_minus_beta_2, epsilon),
    )
