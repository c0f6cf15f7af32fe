"""What the fused recurrent ops share: activations with derivatives from their outputs,
the input projection of a whole sequence, masks, and inference rules.

The fused ops (``rnn_ops``, ``lstm_ops``, ``gru_ops``) run a whole sequence in one
kernel: the input projection ``x @ kernel + bias`` of every step is one matrix product,
and only the recurrent product ``h @ recurrent_kernel`` runs inside the time loop.
Arrays inside the kernels are time-major and in processing order (reversed when
``go_backwards``), as Keras' ``backend.rnn`` steps through them.
"""

from __future__ import annotations

import functools
import threading
import weakref

import numpy as np

from tensorflux import kernels
from tensorflux.engine.fusion import register_siblings
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.kernels import threads
from tensorflux.kernels.threads import parallel_pieces, small_blas

__all__ = [
    "ACTIVATIONS",
    "project_inputs",
    "step_mask",
    "unproject",
    "sequence_infer",
    "check_activation",
    "time_major",
    "small_blas",
    "matmul_sequence",
    "weight_grads",
    "defer_saved",
    "resolve_saved",
    "directions_side_by_side",
]


def _sigmoid(a):
    # 0.5 * (1 + tanh(a / 2)) is sigmoid without overflow for large |a|.
    np.multiply(a, 0.5, out=a)
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5
    return a


def _hard_sigmoid(a):
    a *= 0.2
    a += 0.5
    return np.clip(a, 0.0, 1.0, out=a)


def _elu(a):
    neg = a < 0
    a[neg] = np.expm1(a[neg])
    return a


def _softplus(a):
    return np.logaddexp(a, 0.0, out=a)


# name -> (activation, its derivative as a function of the activation's OUTPUT y).
# Each activation works in place on its argument and returns it; each derivative returns
# a new array. Keras activations outside this table make the layers fall back to the
# per-step cell loop.
ACTIVATIONS = {
    "tanh": (lambda a: np.tanh(a, out=a), lambda y: 1.0 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1.0 - y)),
    "relu": (lambda a: np.maximum(a, 0.0, out=a), lambda y: (y > 0).astype(y.dtype)),
    "linear": (lambda a: a, lambda y: np.ones_like(y)),
    "hard_sigmoid": (_hard_sigmoid, lambda y: 0.2 * ((y > 0) & (y < 1)).astype(y.dtype)),
    "elu": (_elu, lambda y: np.where(y > 0, 1.0, y + 1.0).astype(y.dtype)),
    "softplus": (_softplus, lambda y: -np.expm1(-y)),
}


def check_activation(name: str, op_name: str) -> None:
    """Raises InvalidArgumentError for an activation the fused kernels do not know."""
    if name not in ACTIVATIONS:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name} has no fused kernel for activation {name!r}; supported: "
            f"{sorted(ACTIVATIONS)} [Op:{op_name}]. Other activations run through "
            f"keras.layers.RNN with the cell.",
        )


def time_major(a, go_backwards: bool):
    """(batch, time, ...) -> (time, batch, ...) in processing order (a view)."""
    a = np.swapaxes(a, 0, 1)
    return a[::-1] if go_backwards else a


def project_inputs(x, kernel, bias, go_backwards: bool):
    """Every step's ``x_t @ kernel + bias`` in one product, time-major in processing
    order, contiguous per step."""
    xt = time_major(x, go_backwards)
    with small_blas(x.size * kernel.shape[1]):
        xw = np.matmul(
            xt.reshape(-1, x.shape[-1])
            if xt.flags.c_contiguous
            else np.ascontiguousarray(xt).reshape(-1, x.shape[-1]),
            kernel,
        )
    xw = xw.reshape(xt.shape[0], xt.shape[1], kernel.shape[1])
    if bias is not None:
        xw += bias
    return xw


def unproject(d_xw, x, kernel, go_backwards: bool):
    """Gradients of ``x @ kernel`` from the time-major, processing-order ``d_xw``:
    (dx in x's layout, d_kernel). Only the narrow arrays (features wide) change layout;
    ``d_xw`` (gates wide) is used as it lies."""
    steps, batch, gates = d_xw.shape
    flat = d_xw.reshape(-1, gates)
    xt = np.ascontiguousarray(time_major(x, go_backwards)).reshape(-1, x.shape[-1])
    with small_blas(x.size * gates):
        dx = np.matmul(flat, kernel.T).reshape(steps, batch, x.shape[-1])
        d_kernel = np.matmul(xt.T, flat)
    if go_backwards:
        dx = dx[::-1]
    return np.ascontiguousarray(np.swapaxes(dx, 0, 1)), d_kernel


def matmul_sequence(a, b):
    """``a.T @ b`` for two (time * batch, n) arrays: a gradient summed over all steps."""
    with small_blas(a.size * b.shape[1]):
        return np.matmul(a.T, b)


def weight_grads(d_gates, x, kernel, previous, go_backwards: bool):
    """A recurrent layer's (dx, d_kernel, d_recurrent_kernel, d_bias) from the gradient of
    its gates' pre-activations ``d_gates`` and the state before each step ``previous``
    (both time-major, in processing order): the inputs' two products on one thread of the
    budget, the recurrent product and the bias sum on another. They read and write
    different arrays, and their products are small (a SimpleRNN(50) over 28 steps of 100
    rows: 0.84 ms in turn, 0.54-0.73 ms side by side)."""
    flat = d_gates.reshape(-1, d_gates.shape[-1])
    grads: dict = {}

    def part(start: int, stop: int) -> None:
        for which in range(start, stop):
            if which == 0:
                grads["x"] = unproject(d_gates, x, kernel, go_backwards)
            else:
                grads["r"] = matmul_sequence(previous.reshape(-1, previous.shape[-1]), flat)
                grads["bias"] = flat.sum(axis=0)

    parallel_pieces(2, 1, part, 1)
    return (*grads["x"], grads["r"], grads["bias"])


def step_mask(mask, go_backwards: bool):
    """A (time, batch, 1) boolean mask in processing order, or None when every step of
    every sequence counts (the kernels then skip the carrying)."""
    m = np.asarray(mask) != 0
    if m.all():
        return None
    return time_major(m, go_backwards)[..., None]


def _dim(*candidates):
    for d in candidates:
        if d is not None:
            return d
    return None


def sequence_infer(op_name, x: Spec, h0: Spec, kernel: Spec, recurrent_kernel: Spec, gate_sizes):
    """Shared inference: x (batch, time, features), h0 (batch, units), kernel
    (features, gates), recurrent_kernel (units, gates). Returns (dtype, batch, time,
    units, [saved-array shapes per ``gate_sizes`` multiple of units])."""

    def dims(spec, rank, what):
        if spec.shape.rank is None:
            return [None] * rank
        if spec.shape.rank != rank:
            raise InvalidArgumentError(
                None,
                op_name,
                f"{op_name}: {what} must be rank {rank}, got shape "
                f"{tuple(spec.shape.as_list())} [Op:{op_name}].",
            )
        return spec.shape.as_list()

    b, t, _ = dims(x, 3, "inputs")
    hb, hu = dims(h0, 2, "initial state")
    _, _ = dims(kernel, 2, "kernel")
    ru, _ = dims(recurrent_kernel, 2, "recurrent kernel")
    batch, units = _dim(b, hb), _dim(ru, hu)
    saved = [TensorShape([t, batch, None if units is None else k * units]) for k in gate_sizes]
    return x.dtype, batch, t, units, saved


def sequence_outputs(dtype, batch, t, units, saved, n_final):
    """The fused forward ops' output specs: (outputs, n_final final states, *saved)."""
    outs = [Spec(dtype, TensorShape([batch, t, units]))]
    outs += [Spec(dtype, TensorShape([batch, units])) for _ in range(n_final)]
    outs += [Spec(dtype, s) for s in saved]
    return tuple(outs)


def same_shapes_infer(*specs) -> tuple:
    """The fused gradient ops' outputs: one gradient per differentiable input, shaped
    like it."""
    return tuple(Spec(s.dtype, s.shape) for s in specs)


_deferred: dict = {}
_deferred_lock = threading.Lock()


def defer_saved(placeholder: np.ndarray, fill) -> None:
    """Records that a backend kernel returned ``placeholder`` instead of a saved array
    the reference gradient reads (its own gradient kernel does not need it):
    ``fill()`` computes the real saved arrays, should the reference gradient run after
    all. The record goes with the placeholder."""
    key = id(placeholder)

    def drop(_):
        with _deferred_lock:
            _deferred.pop(key, None)

    with _deferred_lock:
        _deferred[key] = (weakref.ref(placeholder, drop), fill)


def resolve_saved(placeholder: np.ndarray):
    """What ``fill()`` computes if ``placeholder`` was deferred by ``defer_saved``, else
    None (the saved arrays are real)."""
    with _deferred_lock:
        entry = _deferred.get(id(placeholder))
    if entry is None or entry[0]() is not placeholder:
        return None
    return entry[1]()


def directions_side_by_side(*op_names: str) -> None:
    """Lets two independent calls of each op (a bidirectional layer's directions) run at
    once in a compiled graph when a backend kernel (oneDNN's) runs both, one thread
    each; the NumPy kernels, whose time steps hold the GIL between small products, run
    in turn (see ``engine.fusion``)."""
    for name in op_names:
        register_siblings(name, functools.partial(_run_directions, name))


def _run_directions(op_name: str, kernel, calls: list) -> list:
    if all(kernels.backend_runs(op_name, *arrays, **attrs) for arrays, attrs in calls):
        return threads.side_by_side([functools.partial(kernel, *a, **k) for a, k in calls])
    return [kernel(*arrays, **attrs) for arrays, attrs in calls]
