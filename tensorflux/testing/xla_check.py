"""The XLA kernel table checked against the NumPy kernels, on the inference table's rows.

``compare_kernels`` runs every op that has an XLA kernel on each of its rows in
``op_samples``, both ways: the NumPy kernel eagerly, the XLA kernel inside ``jax.jit``
(its non-static inputs traced), and reports per row the largest difference. Many rows
share one jitted function, so the whole table costs a few XLA compiles, not hundreds.
``compare_gradients`` does the same for values and gradients of whole ``tf.function``
graphs (forward op plus our symbolic gradient graph), with and without
``jit_compile=True``. ``tests/kernels/test_xla_kernels.py`` runs both; the script
``tests/kernels/check_xla_table.py`` prints the full report.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from tensorflux.engine import registry
from tensorflux.testing import op_samples

__all__ = ["RowResult", "kernel_rows", "compare_kernels", "compare_gradients", "tolerance"]


class RowResult(NamedTuple):
    """One row's comparison: the largest absolute difference scaled by the tolerance
    (``error`` None), or why the row could not be compared."""

    op: str
    row: int
    max_diff: float
    within: bool
    error: str | None = None


# The table's programs run once: XLA's cheapest code generation compiles them fastest.
_QUICK_COMPILE = {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True}


def tolerance(dtype) -> tuple:
    """(rtol, atol) for comparing results of ``dtype`` computed two ways."""
    name = np.dtype(dtype).name
    if name in ("float16", "bfloat16"):
        return 2e-2, 2e-2
    if name in ("float32", "complex64"):
        return 2e-5, 2e-5
    if name in ("float64", "complex128"):
        return 1e-10, 1e-10
    return 0, 0


def kernel_rows(names=None, rows_per_op: int | None = None) -> list:
    """(op name, row index, Sample) for each row (the first ``rows_per_op``, when given)
    of each op with an XLA kernel."""
    from tensorflux.kernels import xla

    table = xla.kernels()
    ops = registry.registered_ops()
    rows = []
    for name in sorted(table if names is None else names):
        if name in ops:
            samples = op_samples.samples(name)[:rows_per_op]
            rows.extend((name, i, s) for i, s in enumerate(samples))
    return rows


def _as_tuple(out) -> tuple:
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _compare(name, index, expected, got) -> RowResult:
    if len(expected) != len(got):
        return RowResult(name, index, np.inf, False, f"{len(got)} outputs, not {len(expected)}")
    worst, within = 0.0, True
    for e, g in zip(expected, got):
        e, g = np.asarray(e), np.asarray(g)
        if e.dtype != g.dtype or e.shape != g.shape:
            return RowResult(
                name, index, np.inf, False, f"got {g.dtype}{g.shape}, not {e.dtype}{e.shape}"
            )
        if e.size == 0:
            continue
        if e.dtype.kind not in "fc":
            same = np.array_equal(e, g)
            worst = max(worst, 0.0 if same else np.inf)
            within &= same
            continue
        rtol, atol = tolerance(e.dtype)
        wide_e, wide_g = e.astype(np.complex128), g.astype(np.complex128)
        both_nan = np.isnan(wide_e) & np.isnan(wide_g)
        with np.errstate(invalid="ignore"):
            # inf - inf: equal infinities are no difference (set to 0 below).
            diff = np.where(both_nan, 0, np.abs(wide_e - wide_g))
        diff = np.where(np.isinf(wide_e) & (wide_e == wide_g), 0, diff)
        worst = max(worst, float(np.max(diff)))
        within &= bool(np.all(diff <= atol + rtol * np.abs(np.nan_to_num(wide_e))))
    return RowResult(name, index, worst, within)


def compare_kernels(names=None, rows_per_op: int | None = None, rows_per_compile: int = 400):
    """Every row (or the first ``rows_per_op``) of every op with an XLA kernel (or of
    ``names``), NumPy kernel against XLA kernel; returns one RowResult per row."""
    import jax

    from tensorflux.kernels import xla

    table = xla.kernels()
    cases, results = [], []
    for name, index, sample in kernel_rows(names, rows_per_op):
        op = registry.get(name)
        try:
            expected = _as_tuple(op.kernel(*[np.array(x) for x in sample.inputs], **sample.attrs))
        except Exception as e:  # noqa: BLE001 - a row for the error path of the op
            results.append(
                RowResult(name, index, 0.0, True, f"reference raises {type(e).__name__}")
            )
            continue
        cases.append((name, index, sample, expected))
    for start in range(0, len(cases), rows_per_compile):
        chunk = cases[start : start + rows_per_compile]
        failures: dict = {}

        def run_all(traced, lookup, chunk=chunk, failures=failures):
            outs = []
            for (name, index, sample, _), inputs in zip(chunk, traced):
                entry = table[name]
                args = [
                    np.array(x) if i in entry.static else t for i, (x, t) in
                    enumerate(zip(sample.inputs, inputs))
                ]  # fmt: skip
                attrs = dict(sample.attrs)
                if entry.table is not None:
                    attrs["table"] = lookup[name]
                try:
                    outs.append(_as_tuple(entry.fn(*args, **attrs)))
                except Exception as e:  # noqa: BLE001 - reported per row
                    failures[index, name] = f"{type(e).__name__}: {e}"
                    outs.append(())
            return outs

        traced = [[np.array(x) for x in sample.inputs] for _, _, sample, _ in chunk]
        # The kernels' lookup tables, arguments as in the lowering (not constants).
        lookup = {name: table[name].table() for name, *_ in chunk if table[name].table}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lowered = jax.jit(run_all).lower(traced, lookup)
            got = lowered.compile(_QUICK_COMPILE)(traced, lookup)
        for (name, index, _, expected), outs in zip(chunk, got):
            error = failures.get((index, name))
            if error is not None:
                results.append(RowResult(name, index, np.inf, False, error))
            else:
                results.append(_compare(name, index, expected, [np.asarray(o) for o in outs]))
    return sorted(results)


def compare_gradients(names, seed: int = 0) -> list:
    """For each op of ``names`` and each row with floating inputs: the op's outputs and
    the gradients of a fixed random weighting of them with respect to its floating
    inputs, computed by one ``tf.function`` with ``jit_compile=True`` and by the same
    function on our executor. Rows whose graph does not lower are reported so."""
    import tensorflux as tf
    from tensorflux.kernels.xla import lowering

    cases = []
    for name in names:
        for index, sample in enumerate(op_samples.samples(name)):
            floating = [i for i, x in enumerate(sample.inputs) if x.dtype.kind == "f"]
            if floating:
                cases.append((name, index, sample, floating))

    def program(case):
        name, _, sample, floating = case
        op = registry.get(name)
        rng = np.random.default_rng(seed)

        def run(*xs):
            tensors = [tf.constant(x) for x in sample.inputs]
            for i, x in zip(floating, xs):
                tensors[i] = x
            with tf.GradientTape() as tape:
                for i in floating:
                    tape.watch(tensors[i])
                outs = _as_tuple(registry.execute(op, tensors, sample.attrs))
                loss = tf.constant(0.0, tf.float64)
                for o in outs:
                    if o is not None and o.dtype.is_floating:
                        w = tf.constant(rng.normal(size=o.shape), o.dtype)
                        loss += tf.cast(tf.reduce_sum(o * w), tf.float64)
            grads = tape.gradient(loss, [tensors[i] for i in floating])
            return [o for o in outs if o is not None], [
                tf.zeros_like(tensors[i]) if g is None else tf.convert_to_tensor(g)
                for i, g in zip(floating, grads)
            ]

        return run

    lowered, results = [], []
    for case in cases:
        name, index, sample, floating = case
        args = [tf.constant(sample.inputs[i]) for i in floating]
        try:
            concrete = tf.function(program(case)).get_concrete_function(*args)
        except Exception as e:  # noqa: BLE001 - reported per row
            # Nothing to compare: the gradient contract checks the executor's errors.
            results.append(RowResult(name, index, 0.0, True, f"{type(e).__name__}: {e}"))
            continue
        missing = lowering.unlowered_ops(concrete.graph, concrete._nodes)
        # An op TF's XLA refuses makes jit_compile=True raise, as TF does: nothing to
        # compare (the refusal tests check that).
        refused = lowering._refused_op(concrete.graph, concrete._nodes)
        if refused is not None:
            results.append(RowResult(name, index, 0.0, True, f"TF's XLA refuses {refused}"))
        elif missing:
            results.append(RowResult(name, index, 0.0, True, f"gradient needs {missing}"))
        else:
            lowered.append((case, args))

    def all_programs(*flat):
        outs, k = [], 0
        for case, args in lowered:
            outs.append(program(case)(*flat[k : k + len(args)]))
            k += len(args)
        return outs

    flat = [a for _, args in lowered for a in args]
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        jitted = tf.function(all_programs, jit_compile=True)(*flat)
    plain = tf.function(all_programs)(*flat)
    for (case, _), got, expected in zip(lowered, jitted, plain):
        name, index = case[0], case[1]
        got = [t.numpy() for part in got for t in part]
        expected = [t.numpy() for part in expected for t in part]
        results.append(_compare(name, index, expected, got))
    return sorted(results)
