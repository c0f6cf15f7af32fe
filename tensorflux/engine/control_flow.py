"""Graph control flow: ``tf.cond``, ``tf.while_loop``, ``tf.case``, ``tf.switch_case``.

Eagerly (a concrete predicate) they are plain Python control flow, so tapes see
the ops of the branch that ran. While tracing, each branch or loop body is traced
into its own ``FuncGraph`` (closing over the enclosing graph's tensors as
captures), compiled, and run by an ``If`` or ``While`` node.

Gradients: ``If`` differentiates by a ``cond`` over the branches' gradients (so it
is differentiable again); ``While`` by ``WhileGrad``, whose kernel reruns the loop
eagerly under a tape when the graph runs (first-order only).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tensorflux.engine import executor
from tensorflux.engine.graph import FuncGraph
from tensorflux.engine.registry import Spec, execute, register, trace_call
from tensorflux.engine.tape import GradientTape
from tensorflux.framework import context, dtypes, nest
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable

__all__ = ["cond", "while_loop", "case", "switch_case"]


class _Traced(NamedTuple):
    """A traced branch, loop condition or loop body, compiled."""

    graph: FuncGraph
    nodes: list
    run: object
    output_slots: list
    structure: object
    specs: tuple
    capture_index: tuple


def _to_tensor(x, where: str) -> Tensor:
    if isinstance(x, Variable):
        return x.value()
    try:
        return convert_to_tensor(x)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where} must return tensors (or values convertible to tensors), "
                        f"got {x!r}: {e}") from None


def _trace(fn, args, outer: FuncGraph, name: str, where: str, in_place: bool = True,
           keep_reads: set | None = None, dynamic_shapes: bool = False):
    """Traces ``fn(*placeholders)`` into a subgraph of ``outer``; ``dynamic_shapes`` marks
    placeholders whose shapes may change between runs (loop variables with invariants).

    Unless ``keep_reads`` is None, reads of variables neither in it nor assigned by
    ``fn`` become inputs of the node (see ``FuncGraph.lift_variable_reads``).
    """
    sub = FuncGraph(name, outer=outer)
    saved_tapes = context.state.recording_tapes[:]
    context.state.recording_tapes.clear()
    try:
        with sub.as_default():
            phs = [sub.placeholder(a._value, a._dtype, f"{name}_in",
                                   dynamic_shapes or getattr(a, "_dynamic_shape", False))
                   for a in args]
            result = fn(*phs)
            # A branch run only for its effects returns None: no outputs.
            leaves = [] if result is None else nest.flatten(result)
            flat = [_to_tensor(x, where) for x in leaves]
            slots = [sub.slot_of(t) for t in flat]
    finally:
        context.state.recording_tapes[:] = saved_tapes
    if keep_reads is not None:
        sub.lift_variable_reads(keep_reads | sub.assigned)
    run, nodes, _ = executor.compile_graph(sub, slots, name, in_place=in_place)
    specs = tuple(Spec(t._dtype, t.shape) for t in flat)
    return _Traced(sub, nodes, run, slots, result, specs, ()), flat


def _union_captures(traced: list[_Traced]):
    """One input list for all captures; each traced part gets its index into it."""
    union: list[SymbolicTensor] = []
    position: dict[int, int] = {}
    out = []
    for t in traced:
        index = []
        for outer_tensor, _ in t.graph.captures:
            key = id(outer_tensor)
            if key not in position:
                position[key] = len(union)
                union.append(outer_tensor)
            index.append(position[key])
        out.append(t._replace(capture_index=tuple(index)))
    return union, out


# -- If -----------------------------------------------------------------------


def _if_kernel(pred, *captured, branches, has_effects):
    branch = branches[0] if pred else branches[1]
    return branch.run(*[captured[i] for i in branch.capture_index])


def _if_infer(pred: Spec, *captured: Spec, branches, has_effects):
    return branches[0].specs


def _replay_outputs(branch: _Traced, captured: list) -> list:
    from tensorflux.engine.function import replay

    return replay(branch.graph, branch.nodes, [], [captured[i] for i in branch.capture_index],
                  branch.output_slots)


def _if_grad(call, *dys):
    """cond(pred, grad of the true branch, grad of the false branch), per captured input."""
    pred, captured = call.inputs[0], list(call.inputs[1:])

    def branch_grad(branch):
        def compute():
            with GradientTape() as tape:
                tape.watch(captured)
                outs = _replay_outputs(branch, captured)
            grads = tape.gradient(outs, captured, output_gradients=list(dys),
                                  unconnected_gradients="zero")
            return [convert_to_tensor(g) for g in grads]

        return compute

    grads = cond(pred, branch_grad(call.attrs["branches"][0]),
                 branch_grad(call.attrs["branches"][1]))
    return [None] + list(grads)


_IF = register("If", kernel=_if_kernel, grad=_if_grad, infer=_if_infer, num_outputs=-1)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` else ``false_fn()`` (``tf.cond``).

    Eagerly only the chosen branch runs. Inside ``tf.function`` both branches are
    traced and the choice is made each time the graph runs.

    >>> import tensorflux as tf
    >>> tf.cond(tf.constant(3) > 2, lambda: tf.constant("big"), lambda: tf.constant("small"))
    <tf.Tensor: shape=(), dtype=string, numpy=b'big'>

    Raises:
        TypeError: a branch that is not callable.
        ValueError: branches returning different structures, dtypes or shapes.
    """
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    if isinstance(pred, Variable):
        pred = pred.value()
    if type(pred) is not SymbolicTensor:
        if isinstance(pred, Tensor):
            _check_pred(pred)
        return true_fn() if bool(pred) else false_fn()
    _check_pred(pred)
    graph = context.state.graph
    true_t, true_out = _trace(true_fn, [], graph, "cond_true", "tf.cond's true_fn",
                              keep_reads=set())
    false_t, false_out = _trace(false_fn, [], graph, "cond_false", "tf.cond's false_fn",
                        keep_reads=set())
    _check_same(true_t, false_t, "tf.cond", "true_fn", "false_fn")
    captured, (true_t, false_t) = _union_captures([true_t, false_t])
    effects = executor.has_effects(true_t.nodes) or executor.has_effects(false_t.nodes)
    # The examples come from tracing: running the kernel now would run branch effects.
    outs = trace_call(_IF, [pred] + captured, {"branches": (true_t, false_t),
                                               "has_effects": effects},
                      tuple(t._value for t in true_out),
                      dynamic_shape=any(getattr(t, "_dynamic_shape", False)
                                        for t in true_out + false_out))
    if true_t.structure is None:
        return None
    return nest.pack_sequence_as(true_t.structure, list(outs))


def _check_pred(pred: Tensor) -> None:
    if pred._dtype is not dtypes.bool or pred._value.ndim != 0:
        raise TypeError(f"tf.cond: pred must be a scalar bool tensor, got dtype "
                        f"{pred._dtype.name} and shape {pred.shape}. Reduce it first, e.g. "
                        f"tf.reduce_all(x > 0).")


def _check_same(a: _Traced, b: _Traced, op: str, name_a: str, name_b: str) -> None:
    if (a.structure is None) != (b.structure is None) or len(a.specs) != len(b.specs):
        raise ValueError(f"{op}: {name_a} and {name_b} must return the same structure, got "
                         f"{a.structure!r} and {b.structure!r}.")
    try:
        nest.assert_same_structure(a.structure, b.structure, check_types=False)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{op}: {name_a} and {name_b} must return the same structure: "
                         f"{e}") from None
    for i, (sa, sb) in enumerate(zip(a.specs, b.specs)):
        if sa.dtype is not sb.dtype or sa.shape != sb.shape:
            raise ValueError(
                f"{op}: output {i} of {name_a} has dtype {sa.dtype.name} and shape "
                f"{sa.shape}, but {name_b} gives dtype {sb.dtype.name} and shape {sb.shape}. "
                f"Both branches must return tensors of the same dtype and shape.")


# -- While --------------------------------------------------------------------


class _Loop(NamedTuple):
    cond: _Traced
    body: _Traced
    n_vars: int
    dtypes: tuple


def _while_kernel(*arrays, loop, maximum_iterations, has_effects):
    n = loop.n_vars
    vals, caps = arrays[:n], arrays[n:]
    cond_caps = [caps[i] for i in loop.cond.capture_index]
    body_caps = [caps[i] for i in loop.body.capture_index]
    i = 0
    while maximum_iterations is None or i < maximum_iterations:
        if not loop.cond.run(*vals, *cond_caps)[0]:
            break
        vals = loop.body.run(*vals, *body_caps)
        i += 1
    return tuple(vals)


def _while_infer(*specs: Spec, loop, maximum_iterations, has_effects):
    return specs[:loop.n_vars]


def _eager_loop(loop: _Loop, vals: list, caps: list, maximum_iterations):
    from tensorflux.engine.function import replay

    cond_caps = [caps[i] for i in loop.cond.capture_index]
    body_caps = [caps[i] for i in loop.body.capture_index]
    i = 0
    while maximum_iterations is None or i < maximum_iterations:
        (c,) = replay(loop.cond.graph, loop.cond.nodes, vals, cond_caps, loop.cond.output_slots)
        if not bool(c):
            break
        vals = replay(loop.body.graph, loop.body.nodes, vals, body_caps, loop.body.output_slots)
        i += 1
    return vals


def _while_grad_kernel(*arrays, loop, maximum_iterations, input_dtypes):
    # Runs when the graph runs: reruns the loop eagerly, on this call's values, under a
    # tape; nothing here may be recorded into a graph being traced.
    with context.eager_scope():
        n_in = len(input_dtypes)
        inputs = [Tensor(a, d) for a, d in zip(arrays[:n_in], input_dtypes)]
        dys = [Tensor(a, d) for a, d in zip(arrays[n_in:], loop.dtypes)]
        with GradientTape() as tape:
            tape.watch(inputs)
            final = _eager_loop(loop, inputs[:loop.n_vars], inputs[loop.n_vars:],
                                maximum_iterations)
        grads = tape.gradient(final, inputs, output_gradients=dys, unconnected_gradients="zero")
        return tuple(np.asarray(convert_to_tensor(g)._value) for g in grads)


def _while_grad_infer(*specs: Spec, loop, maximum_iterations, input_dtypes):
    return specs[:len(input_dtypes)]


_WHILE_GRAD = register("WhileGrad", kernel=_while_grad_kernel, grad=None,
                       infer=_while_grad_infer, num_outputs=-1)


def _while_grad(call, *dys):
    """Gradients of all loop inputs and captures, by rerunning the loop under a tape."""
    loop = call.attrs["loop"]
    if call.attrs["has_effects"]:
        raise NotImplementedError(
            "tf.while_loop: gradients through a loop whose body assigns variables or prints "
            "are not supported; move the side effects out of the differentiated loop.")
    grads = execute(_WHILE_GRAD, list(call.inputs) + list(dys),
                    {"loop": loop, "maximum_iterations": call.attrs["maximum_iterations"],
                     "input_dtypes": tuple(t._dtype for t in call.inputs)})
    return list(grads)


_WHILE = register("While", kernel=_while_kernel, grad=_while_grad, infer=_while_infer,
                  num_outputs=-1)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (``tf.while_loop``).

    >>> import tensorflux as tf
    >>> tf.while_loop(lambda i: i < 10, lambda i: (i * 2,), [tf.constant(1)])
    [<tf.Tensor: shape=(), dtype=int32, numpy=16>]

    Args:
        cond: callable returning a scalar bool tensor.
        body: callable returning loop variables of the same structure, dtypes and shapes
            (shapes may change only where ``shape_invariants`` allows it).
        loop_vars: a tensor, or a (nested) list/tuple of tensors.
        maximum_iterations: stop after this many iterations at most.

    Returns:
        The final loop variables, in the structure of ``loop_vars``.
    """
    if not callable(cond) or not callable(body):
        raise TypeError("tf.while_loop: cond and body must be callable.")
    from tensorflux.engine import tensor_array

    if tensor_array.has_arrays(loop_vars):
        # The loop carries each TensorArray as one buffer tensor (see tensor_array.py).
        return tensor_array.while_loop_with_arrays(while_loop, cond, body, loop_vars,
                                                   shape_invariants, maximum_iterations)
    single = not isinstance(loop_vars, (list, tuple))
    packed = [loop_vars] if single else loop_vars
    flat = [_to_tensor(v, "tf.while_loop's loop_vars") for v in nest.flatten(packed)]
    if maximum_iterations is not None:
        maximum_iterations = int(convert_to_tensor(maximum_iterations)._value)

    def call_with(fn, flat_vals):
        vals = nest.pack_sequence_as(packed, flat_vals)
        return fn(*vals)

    graph = context.state.graph
    if graph is None:
        vals, i = flat, 0
        while maximum_iterations is None or i < maximum_iterations:
            if not bool(call_with(cond, vals)):
                break
            out = call_with(body, vals)
            out = [out] if single or not isinstance(out, (list, tuple)) else out
            vals = [_to_tensor(v, "tf.while_loop's body") for v in nest.flatten(out)]
            if len(vals) != len(flat):
                raise ValueError(f"tf.while_loop: body returned {len(vals)} values for "
                                 f"{len(flat)} loop variables.")
            i += 1
        return nest.pack_sequence_as(loop_vars, vals)

    dynamic = shape_invariants is not None
    cond_t, _ = _trace(lambda *v: call_with(cond, list(v)), flat, graph, "while_cond",
                       "tf.while_loop's cond", dynamic_shapes=dynamic)
    if len(cond_t.specs) != 1 or cond_t.specs[0].dtype is not dtypes.bool:
        raise TypeError("tf.while_loop: cond must return a scalar bool tensor.")

    def body_flat(*v):
        out = call_with(body, list(v))
        out = [out] if single or not isinstance(out, (list, tuple)) else out
        return nest.flatten(out)

    # The condition keeps its reads: the body may assign what it reads.
    body_t, body_out = _trace(body_flat, flat, graph, "while_body", "tf.while_loop's body",
                              dynamic_shapes=dynamic,
                              in_place=shape_invariants is None,
                              keep_reads=cond_t.graph.assigned)
    _check_loop_vars(flat, body_out, shape_invariants, packed)
    captured, (cond_t, body_t) = _union_captures([cond_t, body_t])
    loop = _Loop(cond_t, body_t, len(flat), tuple(t._dtype for t in flat))
    effects = executor.has_effects(cond_t.nodes) or executor.has_effects(body_t.nodes)
    outs = trace_call(_WHILE, flat + captured, {"loop": loop,
                                                 "maximum_iterations": maximum_iterations,
                                                 "has_effects": effects},
                      tuple(t._value for t in flat), dynamic_shape=dynamic)
    return nest.pack_sequence_as(loop_vars, list(outs))


def _check_loop_vars(before, after, shape_invariants, packed) -> None:
    if len(before) != len(after):
        raise ValueError(f"tf.while_loop: body returned {len(after)} values for "
                         f"{len(before)} loop variables.")
    invariants = (None if shape_invariants is None
                  else [TensorShape(s) for s in nest.flatten(
                      [shape_invariants] if not isinstance(packed, (list, tuple))
                      or not isinstance(shape_invariants, (list, tuple)) else shape_invariants)])
    for i, (a, b) in enumerate(zip(before, after)):
        if a._dtype is not b._dtype:
            raise TypeError(f"tf.while_loop: loop variable {i} enters the loop as "
                            f"{a._dtype.name} but the body returns {b._dtype.name}.")
        allowed = a.shape if invariants is None else invariants[i]
        if not allowed.is_compatible_with(b.shape):
            raise ValueError(
                f"tf.while_loop: loop variable {i} has shape {a.shape} before the loop but "
                f"{b.shape} after one iteration. Pass shape_invariants (e.g. "
                f"tf.TensorShape([None])) for variables whose shape changes.")


# -- case / switch_case ---------------------------------------------------------


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Runs the callable of the first true predicate, else ``default`` (``tf.case``).

    Without ``default`` the last pair's callable is the default, as in TF.
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(
        pred_fn_pairs)
    if not pairs:
        raise ValueError("tf.case: pred_fn_pairs must not be empty.")
    for _, f in pairs:
        if not callable(f):
            raise TypeError(f"tf.case: {f!r} is not callable.")
    if default is None:
        *pairs, (_, default) = pairs
    result = default
    for p, f in reversed(pairs):
        result = (lambda p=p, f=f, rest=result: cond(p, f, rest))
    return result()


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Runs ``branch_fns[branch_index]`` (``tf.switch_case``); out of range runs ``default``
    (the last branch when None)."""
    if isinstance(branch_fns, dict):
        items = sorted(branch_fns.items())
    else:
        items = list(enumerate(branch_fns))
    if not items:
        raise ValueError("tf.switch_case: branch_fns must not be empty.")
    if default is None:
        default = items[-1][1]
    index = convert_to_tensor(branch_index)
    if not index._dtype.is_integer or index._value.ndim != 0:
        raise TypeError(f"tf.switch_case: branch_index must be a scalar integer tensor, got "
                        f"dtype {index._dtype.name} and shape {index.shape}.")
    if type(index) is not SymbolicTensor:
        chosen = dict(items).get(int(index._value), default)
        return chosen()
    from tensorflux.ops.logic_ops import equal

    result = default
    for k, f in reversed(items):
        result = (lambda k=k, f=f, rest=result: cond(equal(index, k), f, rest))
    return result()
