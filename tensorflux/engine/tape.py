"""Reverse-mode autodiff: ``GradientTape``, ``custom_gradient``, jacobians.

A tape records the op calls whose inputs it watches (``registry.execute`` hands it
each call). ``gradient`` walks those calls backwards, running each op's
gradient function -- itself made of tensorflux ops, so an outer tape records the
backward pass and higher-order gradients work.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.partial_shapes import has_unknown_shape
from tensorflux.framework import context, dtypes, nest
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor, op_hooks
from tensorflux.framework.variables import Variable

__all__ = ["GradientTape", "UnconnectedGradients", "custom_gradient"]


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


def _add(a, b):
    """Sums two gradients; IndexedSlices stay sparse only when both are."""
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        concat = registry.get("ConcatV2")
        return IndexedSlices(
            registry.execute(concat, (a.values, b.values), {"axis": 0}),
            registry.execute(concat, (a.indices, b.indices), {"axis": 0}),
            a.dense_shape,
        )
    if isinstance(a, IndexedSlices):
        a = a._as_tensor()
    if isinstance(b, IndexedSlices):
        b = b._as_tensor()
    return registry.execute(registry.get("AddV2"), (a, b))


def _int32_vector(dims) -> Tensor:
    """A shape as the int32 vector the Reshape op takes."""
    return Tensor(np.array(dims, dtype=np.int32), dtypes.int32)


def _dense(g):
    return g._as_tensor() if isinstance(g, IndexedSlices) else g


def _zeros_like(t: Tensor) -> Tensor:
    if has_unknown_shape((t,)):
        # Traced with a partly unknown shape: the running graph makes the zeros.
        return registry.execute(registry.get("ZerosLike"), (t,), {"dtype": t._dtype})
    return Tensor(np.zeros_like(t._value), t._dtype)


def _ones_like(t: Tensor) -> Tensor:
    if has_unknown_shape((t,)):
        return registry.execute(registry.get("OnesLike"), (t,), {"dtype": t._dtype})
    return Tensor(np.ones_like(t._value), t._dtype)


def _differentiable(t) -> bool:
    return t.dtype.is_floating or t.dtype.is_complex


def _target_tensor(t) -> Tensor:
    """A gradient target as a tensor: numbers convert, strings and other objects do not."""
    t = (
        convert_to_tensor(t)
        if isinstance(t, (Tensor, Variable))
        or hasattr(t, "_as_tensor")
        or isinstance(t, (int, float, np.ndarray, np.generic, list))
        else t
    )
    if not isinstance(t, Tensor) or not (
        t._dtype.is_floating or t._dtype.is_complex or t._dtype.is_integer or t._dtype.is_bool
    ):
        raise TypeError(
            f"GradientTape: the target must be a numeric tensor (the value to "
            f"differentiate), got {t!r}."
        )
    return t


class GradientTape:
    """Records operations for automatic differentiation (``tf.GradientTape``).

    >>> import tensorflux as tf
    >>> x = tf.Variable(3.0)
    >>> with tf.GradientTape() as tape:
    ...     y = x * x
    >>> tape.gradient(y, x).numpy()
    np.float32(6.0)

    Args:
        persistent: allow more than one ``gradient``/``jacobian`` call.
        watch_accessed_variables: watch every trainable variable read while recording.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._watched: set[int] = set()
        self._keep: list = []
        self._records: list = []
        self._var_reads: dict[int, tuple] = {}
        self._watched_vars: dict[int, Variable] = {}
        self._used = False
        self._depth = 0
        self._entered = False

    # -- recording ----------------------------------------------------------

    def __enter__(self):
        self._entered = True
        if self._depth == 0:
            context.state.recording_tapes.append(self)
        self._depth += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self._depth -= 1
        if self._depth == 0:
            self._pop()
        return False

    def _pop(self):
        for i in range(len(context.state.recording_tapes) - 1, -1, -1):
            if context.state.recording_tapes[i] is self:
                del context.state.recording_tapes[i]
                return

    def _record(self, call) -> None:
        self._records.append(call)
        for o in call.outputs:
            self._watched.add(id(o))

    def _variable_accessed(self, var: Variable, t: Tensor) -> None:
        if (self._watch_accessed and var._trainable) or id(var) in self._watched_vars:
            entry = self._var_reads.get(id(var))
            if entry is None:
                entry = self._var_reads[id(var)] = (var, [])
            entry[1].append(t)
            self._watched.add(id(t))

    def watch(self, tensor) -> None:
        """Makes the tape track ``tensor`` (a tensor, variable or nested structure of them)."""
        for t in nest.flatten(tensor):
            if isinstance(t, Variable):
                self._watched_vars.setdefault(id(t), t)
                self._var_reads.setdefault(id(t), (t, []))
            elif isinstance(t, Tensor):
                self._watched.add(id(t))
                self._keep.append(t)
            else:
                raise ValueError(
                    f"GradientTape.watch: can only watch tensors and variables, "
                    f"got {t!r}. Convert it first with tf.convert_to_tensor."
                )

    @contextlib.contextmanager
    def stop_recording(self):
        """A context in which operations are not recorded on this tape."""
        if self not in context.state.recording_tapes:
            raise ValueError("Tape is not recording.")
        self._pop()
        try:
            yield
        finally:
            context.state.recording_tapes.append(self)

    def reset(self) -> None:
        """Forgets everything recorded so far (the tape keeps recording if it was)."""
        self._watched.clear()
        self._keep.clear()
        self._records.clear()
        self._var_reads.clear()
        self._watched_vars.clear()
        self._used = False

    def watched_variables(self) -> tuple:
        """The variables this tape watches, in order of first access."""
        return tuple(var for var, _ in self._var_reads.values())

    # -- differentiation ----------------------------------------------------

    def _check_usable(self, what: str) -> None:
        if not self._entered:
            raise RuntimeError(
                f"GradientTape.{what} was called on a tape that never recorded "
                f"anything: compute the target inside `with tf.GradientTape() "
                f"as tape:` first."
            )
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                f"gradients (or jacobians). Create the tape with "
                f"tf.GradientTape(persistent=True) to call {what} more than once."
            )

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=UnconnectedGradients.NONE,
    ):
        """Gradients of ``target`` (summed over its elements) with respect to ``sources``.

        Args:
            target: a tensor or nested structure of tensors.
            sources: a tensor/variable or nested structure of them.
            output_gradients: gradients of the targets, one per target (default ones).
            unconnected_gradients: "none" (return None) or "zero" for sources the target
                does not depend on.

        Returns:
            Gradients in the structure of ``sources``; IndexedSlices for gathered rows.

        Raises:
            RuntimeError: a second call on a non-persistent tape.
        """
        self._check_usable("gradient")
        self._used = True
        return self._gradient(target, sources, output_gradients, unconnected_gradients)

    def _gradient(self, target, sources, output_gradients, unconnected_gradients):
        try:
            unconnected = UnconnectedGradients(
                unconnected_gradients.value
                if isinstance(unconnected_gradients, enum.Enum)
                else str(unconnected_gradients).lower()
            )
        except ValueError:
            raise ValueError(
                f"Unknown value for unconnected_gradients: "
                f"{unconnected_gradients!r}. Use 'none' or 'zero'."
            ) from None
        flat_sources = nest.flatten(sources)
        for s in flat_sources:
            if not isinstance(s, (Tensor, Variable)):
                raise TypeError(
                    f"GradientTape.gradient: sources must be tensors or variables, got {s!r}."
                )
        targets = [_target_tensor(t) for t in nest.flatten(target)]
        if output_gradients is None:
            out_grads = [None] * len(targets)
        elif not nest.is_nested(target):
            # One target: output_gradients is its gradient, even when given as a list.
            out_grads = [output_gradients]
        else:
            out_grads = nest.flatten(output_gradients)
            if len(out_grads) != len(targets):
                raise ValueError(
                    f"GradientTape.gradient: got {len(out_grads)} output "
                    f"gradients for {len(targets)} targets."
                )

        source_ids: list[list[int]] = []
        for s in flat_sources:
            if isinstance(s, Variable):
                entry = self._var_reads.get(id(s))
                source_ids.append([id(t) for t in entry[1]] if entry else [])
            else:
                source_ids.append([id(s)])
        reachable = {i for ids in source_ids for i in ids}
        for call in self._records:
            for t in call.inputs:
                if id(t) in reachable:
                    reachable.update(id(o) for o in call.outputs)
                    break

        grads: dict[int, object] = {}
        for t, g in zip(targets, out_grads):
            if not _differentiable(t):
                continue
            g = _ones_like(t) if g is None else convert_to_tensor(g, dtype=t._dtype)
            grads[id(t)] = _add(grads[id(t)], g) if id(t) in grads else g

        was_recording = self in context.state.recording_tapes
        if was_recording:
            self._pop()
        try:
            self._backward(grads, reachable)
        finally:
            if was_recording:
                context.state.recording_tapes.append(self)

        results = []
        for s, ids in zip(flat_sources, source_ids):
            g = None
            if _differentiable(s):
                for i in ids:
                    if i in grads:
                        g = grads[i] if g is None else _add(g, grads[i])
            if g is None and unconnected is UnconnectedGradients.ZERO:
                g = _zeros_like(convert_to_tensor(s))
            results.append(g)
        return nest.pack_sequence_as(sources, results)

    def _backward(self, grads: dict, reachable: set) -> None:
        for call in reversed(self._records):
            outputs = call.outputs
            if len(outputs) == 1:
                g = grads.get(id(outputs[0]))
                if g is None:
                    continue
                dys = (_dense(g),)
            else:
                gs = [grads.get(id(o)) for o in outputs]
                if all(g is None for g in gs):
                    continue
                dys = tuple(_zeros_like(o) if g is None else _dense(g) for o, g in zip(outputs, gs))
            if not any(id(t) in reachable for t in call.inputs):
                continue
            in_grads = call.op.grad(call, *dys)
            for t, g in zip(call.inputs, in_grads):
                if g is None or id(t) not in reachable or not _differentiable(t):
                    continue
                k = id(t)
                grads[k] = _add(grads[k], g) if k in grads else g

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """The full jacobian: for each source, shape ``target.shape + source.shape``."""
        self._check_usable("jacobian")
        self._used = True
        target = _target_tensor(target)
        flat_sources = nest.flatten(sources)
        if has_unknown_shape([target, *flat_sources]):
            return nest.pack_sequence_as(
                sources, self._traced_jacobian(target, flat_sources, unconnected_gradients)
            )
        n = int(np.prod(target._value.shape, dtype=np.int64))
        rows: list[list] = [[] for _ in flat_sources]
        for i in range(n):
            seed = np.zeros(n, dtype=target._value.dtype)
            seed[i] = 1
            seed = Tensor(seed.reshape(target._value.shape), target._dtype)
            gs = self._gradient(target, flat_sources, seed, unconnected_gradients)
            for row, g in zip(rows, gs):
                row.append(_dense(g) if g is not None else None)
        pack, reshape = registry.get("Pack"), registry.get("Reshape")
        out = []
        for row, s in zip(rows, flat_sources):
            s_shape = tuple(s.shape.as_list())
            if any(g is None for g in row) or n == 0:
                if unconnected_gradients in ("zero", UnconnectedGradients.ZERO) or n == 0:
                    dt = s.dtype
                    out.append(
                        Tensor(np.zeros(target._value.shape + s_shape, dtype=dt.as_numpy_dtype), dt)
                    )
                else:
                    out.append(None)
                continue
            stacked = registry.execute(pack, row, {"axis": 0})
            out.append(
                registry.execute(reshape, (stacked, _int32_vector(target._value.shape + s_shape)))
            )
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """Per-example jacobians: shape ``[batch] + target.shape[1:] + source.shape[1:]``.

        Assumes example ``i`` of ``target`` depends only on example ``i`` of ``source``.
        """
        self._check_usable("batch_jacobian")
        self._used = True
        target = _target_tensor(target)
        for name, t in (("target", target), ("source", source)):
            if not isinstance(t, (Tensor, Variable)):
                raise TypeError(
                    f"GradientTape.batch_jacobian: the {name} must be a tensor, got {t!r}."
                )
            if t.shape.rank is not None and t.shape.rank < 2:
                raise ValueError(
                    f"Shape {tuple(t.shape.as_list())} must have rank at least 2: "
                    f"batch_jacobian's {name} needs a batch dimension and at "
                    f"least one more (use tape.jacobian otherwise)."
                )
        if has_unknown_shape((target, source)):
            return self._traced_batch_jacobian(target, source, unconnected_gradients)
        t_shape = target._value.shape
        s_shape = tuple(source.shape.as_list())
        if not t_shape or t_shape[0] != s_shape[0]:
            raise ValueError(
                f"batch_jacobian: target shape {t_shape} and source shape "
                f"{s_shape} must share the first (batch) dimension."
            )
        batch = t_shape[0]
        inner = int(np.prod(t_shape[1:], dtype=np.int64))
        cols = []
        for j in range(inner):
            seed = np.zeros((batch, inner), dtype=target._value.dtype)
            seed[:, j] = 1
            seed = Tensor(seed.reshape(t_shape), target._dtype)
            (g,) = self._gradient(target, [source], seed, unconnected_gradients)
            if g is None:
                return None
            cols.append(_dense(g))
        stacked = registry.execute(registry.get("Pack"), cols, {"axis": 1})
        return registry.execute(
            registry.get("Reshape"), (stacked, _int32_vector(t_shape + s_shape[1:]))
        )

    # -- jacobians inside a trace, of tensors whose shapes are partly unknown -----------

    def _traced_jacobian(self, target, flat_sources, unconnected_gradients) -> list:
        n = _op("Size", (target,), _INT32)
        t_shape = _op("Shape", (target,), _INT32)
        count = target.shape.num_elements()
        rows = self._gradient_rows(
            target,
            flat_sources,
            lambda i: _op("Reshape", (_one_hot(i, n, target._dtype), t_shape)),
            n if count is None else count,
            unconnected_gradients,
        )
        return [
            None
            if r is None
            else _op(
                "Reshape", (r, _op("ConcatV2", (t_shape, _op("Shape", (s,), _INT32)), {"axis": 0}))
            )
            for r, s in zip(rows, flat_sources)
        ]

    def _traced_batch_jacobian(self, target, source, unconnected_gradients):
        t_dims, s_dims = target.shape.as_list(), source.shape.as_list()
        if not t_dims or (None not in (t_dims[0], s_dims[0]) and t_dims[0] != s_dims[0]):
            raise ValueError(
                f"batch_jacobian: target shape {target.shape} and source shape "
                f"{source.shape} must share the first (batch) dimension."
            )
        t_shape = _op("Shape", (target,), _INT32)
        inner = TensorShape(t_dims[1:]).num_elements()
        if inner is None:
            inner = _op("Prod", (t_shape[1:],), {"axis": (0,), "keepdims": False})
        rows_shape = _op("Pack", (t_shape[0], inner), {"axis": 0})

        def seed(j):
            hot = _op("ExpandDims", (_one_hot(j, inner, target._dtype),), {"axis": 0})
            return _op("Reshape", (_op("BroadcastTo", (hot, rows_shape)), t_shape))

        (rows,) = self._gradient_rows(target, [source], seed, inner, unconnected_gradients)
        if rows is None:
            return None
        # [inner, batch, *source dims] -> [batch, *target dims, *source dims]
        perm = (1, 0) + tuple(range(2, len(s_dims) + 1))
        return _op(
            "Reshape",
            (
                _op("Transpose", (rows,), {"perm": perm}),
                _op("ConcatV2", (t_shape, _op("Shape", (source,), _INT32)[1:]), {"axis": 0}),
            ),
        )

    def _gradient_rows(self, target, sources, seed, count, unconnected_gradients) -> list:
        """For each source, the gradients of ``target`` seeded by ``seed(i)`` for ``i`` in
        ``range(count)``, stacked (None for a source the target does not reach). ``count``
        known when tracing unrolls the rows; else a graph loop computes them."""
        from tensorflux.engine import control_flow

        if isinstance(count, int) and count > 0:
            rows: list[list] = [[] for _ in sources]
            for i in range(count):
                gs = self._gradient(target, sources, seed(i), unconnected_gradients)
                for row, g in zip(rows, gs):
                    row.append(None if g is None else _dense(g))
            return [
                None if any(g is None for g in row) else _op("Pack", row, {"axis": 0})
                for row in rows
            ]
        connected = [True] * len(sources)

        def body(i, *arrays):
            gs = self._gradient(target, sources, seed(i), unconnected_gradients)
            out = []
            for k, (ta, g, s) in enumerate(zip(arrays, gs, sources)):
                if g is None:
                    connected[k] = False
                    g = _zeros_like(convert_to_tensor(s))
                out.append(ta.write(i, _dense(g)))
            return (i + 1, *out)

        # The TensorArray lives with the ops; ``ops.operators`` installs its class.
        tensor_array = op_hooks["TensorArray"]
        arrays = [tensor_array(s.dtype, size=count, element_shape=s.shape) for s in sources]
        final = control_flow.while_loop(lambda i, *a: i < count, body, (0, *arrays))
        return [ta.stack() if c else None for ta, c in zip(final[1:], connected)]


_INT32 = {"out_type": dtypes.int32}
_NO_ATTRS: dict = {}


def _op(name: str, inputs, attrs: dict = _NO_ATTRS) -> Tensor:
    """Runs the registered op ``name`` (the tape sits below the op library: it reaches
    ops through the registry)."""
    return registry.execute(registry.get(name), inputs, attrs)


def _one_hot(i, n, dtype) -> Tensor:
    """A vector of ``n`` zeros but a one at ``i`` (both may be traced scalars)."""
    np_dtype = dtype.as_numpy_dtype
    return _op(
        "OneHot",
        (i, n, Tensor(np.ones((), np_dtype), dtype), Tensor(np.zeros((), np_dtype), dtype)),
        {"axis": -1},
    )


def _custom_grad_fn(call, *dys):
    return call.attrs["grad"](*dys)


def custom_gradient(f=None):
    """Decorates ``f(*x) -> (y, grad_fn)`` so that tapes use ``grad_fn`` as its gradient.

    ``grad_fn(*dy)`` returns one gradient per input of ``f``. If ``f`` reads
    variables, ``grad_fn(*dy, variables=None)`` must accept ``variables`` and return
    ``(input_grads, variable_grads)``.

    >>> import tensorflux as tf
    >>> @tf.custom_gradient
    ... def clip_grad(x):
    ...     return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        saved = context.state.recording_tapes[:]
        context.state.recording_tapes.clear()
        access = GradientTape(watch_accessed_variables=True)
        try:
            with access:
                result, grad_fn = f(*args, **kwargs)
        finally:
            context.state.recording_tapes[:] = saved
        if not saved:
            return result
        flat_args = [x for x in nest.flatten(args) if isinstance(x, (Tensor, Variable))]
        # A variable passed as an argument is an input (one gradient in grad_fn's first
        # result), not one of the captured ``variables``.
        variables = [v for v in access.watched_variables() if not any(v is a for a in flat_args)]
        if variables and "variables" not in inspect.signature(grad_fn).parameters:
            raise TypeError(
                "If using @custom_gradient with a function that uses variables, then "
                "grad_fn must accept a keyword argument 'variables'."
            )
        inputs = [x.value() if isinstance(x, Variable) else x for x in flat_args]
        inputs += [v.value() for v in variables]
        n_args = len(inputs) - len(variables)
        flat_out = nest.flatten(result)
        outputs = tuple(
            Tensor(convert_to_tensor(o)._value, convert_to_tensor(o)._dtype) for o in flat_out
        )

        def grad(*dys):
            if variables:
                in_grads, var_grads = grad_fn(*dys, variables=list(variables))
            else:
                in_grads, var_grads = grad_fn(*dys), []
            in_grads = nest.flatten(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
            if len(in_grads) != n_args:
                raise ValueError(
                    f"custom_gradient: grad_fn returned {len(in_grads)} input "
                    f"gradients for {n_args} tensor inputs."
                )
            return list(in_grads) + list(var_grads)

        registry._record(_CUSTOM_OP, inputs, outputs, {"grad": grad})
        return nest.pack_sequence_as(result, list(outputs))

    return wrapper


_CUSTOM_OP = registry.Op(
    "CustomGradient",
    kernel=None,
    grad=_custom_grad_fn,
    infer=None,
    num_outputs=-1,
    same_dtype=False,
    allowed=None,
)
