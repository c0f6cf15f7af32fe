"""Graph control flow: ``tf.cond``, ``tf.while_loop``, ``tf.case``, ``tf.switch_case``.

Eagerly (a concrete predicate) they are plain Python control flow, so tapes see
the ops of the branch that ran. While tracing, each branch or loop body is traced
into its own ``FuncGraph`` (closing over the enclosing graph's tensors as
captures), compiled, and run by an ``If`` or ``While`` node.

Static shapes follow TF: branch and loop-body placeholders carry the partly known
shapes of what they stand for; a ``cond`` output's shape is the most specific shape
both branches' shapes fit; a loop variable keeps its static shape (or its shape
invariant), and the body must return values that fit it.

Gradients: ``If`` differentiates by a ``cond`` over the branches' gradients (so it
is differentiable again); ``While`` by ``WhileGrad``, whose kernel reruns the loop
eagerly under tapes when the graph runs. ``WhileGrad`` is differentiable in the same
way (its gradient is a ``WhileGrad`` of one more order), so gradients of any order
flow through a traced loop.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tensorflux.engine import executor, loop_carried, registry
from tensorflux.engine.graph import ASSIGN, ASSIGN_ADD, ASSIGN_SUB, FuncGraph
from tensorflux.engine.partial_shapes import as_plain, output_shapes
from tensorflux.engine.registry import Spec, execute, register
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
        raise TypeError(
            f"{where} must return tensors (or values convertible to tensors), got {x!r}: {e}"
        ) from None


def _trace(
    fn,
    args,
    outer: FuncGraph,
    name: str,
    where: str,
    in_place: bool = True,
    keep_reads: set | None = None,
    shapes=None,
):
    """Traces ``fn(*placeholders)`` into a subgraph of ``outer``.

    Each placeholder stands for one of ``args``, with its static shape (or the one in
    ``shapes``, e.g. a loop variable's shape invariant), so that the subgraph holds for
    every value the enclosing graph may pass. Unless ``keep_reads`` is None, reads of
    variables neither in it nor assigned by ``fn`` become inputs of the node (see
    ``FuncGraph.lift_variable_reads``).
    """
    sub = FuncGraph(name, outer=outer)
    saved_tapes = context.state.recording_tapes[:]
    context.state.recording_tapes.clear()
    if shapes is None:
        shapes = [a.shape for a in args]
    try:
        with sub.as_default():
            phs = [_placeholder(sub, a, shape, f"{name}_in") for a, shape in zip(args, shapes)]
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


def _placeholder(graph: FuncGraph, a: Tensor, shape: TensorShape, name: str) -> SymbolicTensor:
    """A subgraph input standing for ``a`` whose static shape is ``shape``."""
    dynamic = type(a) is SymbolicTensor and a._dynamic_shape
    if shape.rank is None:
        # An invariant of unknown rank: keep the rank, let every size change.
        shape, dynamic = TensorShape([None] * a._value.ndim), True
    return graph.placeholder(a._value, a._dtype, name, dynamic, shape=shape)


def _example_shape(t: Tensor) -> tuple:
    """The shape of the example value tracing computes ``t`` on, read for bookkeeping
    whose graph is the same whatever it is (so the read does not specialise the trace)."""
    state = context.state
    saved, state.reading_examples = state.reading_examples, True
    try:
        return np.shape(t._value)
    finally:
        state.reading_examples = saved


def _add_node(op, inputs: list, attrs: dict, parts, fallback, out_dtypes, dynamic: bool) -> tuple:
    """Appends an If/While node running the traced ``parts``.

    Its outputs' examples come from running the kernel on the inputs' examples, as for
    any op, when that changes nothing else (no effects, no random draws); otherwise they
    are ``fallback``, examples from tracing. Unlike ``registry.trace_call``, the outputs'
    static shapes always come from the op's rule: branches may disagree on sizes even
    when every input's shape is known. ``dynamic``: the outputs' shapes depend on data.
    """
    if all(_repeatable(part.nodes) for part in parts):
        with context.eager_scope():
            fallback = op.kernel(*[t._value for t in inputs], **attrs)
    values = tuple(as_plain(np.asarray(v)) for v in fallback)
    shapes = output_shapes(op, inputs, attrs, values)
    results = tuple(context.state.graph.add_op(op, inputs, attrs, values, out_dtypes, shapes))
    if dynamic or any(type(t) is SymbolicTensor and t._dynamic_shape for t in inputs):
        for r in results:
            r._dynamic_shape = True
    if context.state.recording_tapes:
        registry._record(op, inputs, results, attrs)
    return results


def _repeatable(nodes) -> bool:
    """Whether running ``nodes`` once more changes nothing but their outputs: no effects
    and no random draws, in the branches and loops they run either."""
    if executor.has_effects(nodes):
        return False
    for node in nodes:
        if node.op is None:
            continue
        if node.op.stateful:
            return False
        for value in node.attrs.values():
            for part in value if isinstance(value, tuple) else (value,):
                if isinstance(part, _Loop):
                    part = (part.cond, part.body)
                if isinstance(part, tuple) and all(isinstance(p, _Traced) for p in part):
                    if not all(_repeatable(p.nodes) for p in part):
                        return False
                elif isinstance(part, _Traced) and not _repeatable(part.nodes):
                    return False
    return True


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
    """Each output's shape is the most specific one every branch's shape fits (TF's)."""
    out = []
    for specs in zip(*(b.specs for b in branches)):
        shape = specs[0].shape
        for spec in specs[1:]:
            shape = shape.most_specific_compatible_shape(spec.shape)
        out.append(Spec(specs[0].dtype, shape))
    return tuple(out)


def _replay_outputs(branch: _Traced, captured: list) -> list:
    from tensorflux.engine.function import replay

    return replay(
        branch.graph,
        branch.nodes,
        [],
        [captured[i] for i in branch.capture_index],
        branch.output_slots,
    )


def _if_grad(call, *dys):
    """cond(pred, grad of the true branch, grad of the false branch), per captured input."""
    pred, captured = call.inputs[0], list(call.inputs[1:])
    for branch in call.attrs["branches"]:
        _check_rerunnable(branch.nodes, "tf.cond")

    def branch_grad(branch):
        def compute():
            with GradientTape() as tape:
                tape.watch(captured)
                outs = _replay_outputs(branch, captured)
            grads = tape.gradient(
                outs, captured, output_gradients=list(dys), unconnected_gradients="zero"
            )
            return [convert_to_tensor(g) for g in grads]

        return compute

    grads = cond(
        pred, branch_grad(call.attrs["branches"][0]), branch_grad(call.attrs["branches"][1])
    )
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
            # Eagerly TF takes any scalar's truth value (a float too), as Python's `if` does.
            _check_pred(pred, dtype=False)
        return true_fn() if bool(pred) else false_fn()
    _check_pred(pred)
    graph = context.state.graph
    true_t, true_out = _trace(
        true_fn, [], graph, "cond_true", "tf.cond's true_fn", keep_reads=set()
    )
    false_t, false_out = _trace(
        false_fn, [], graph, "cond_false", "tf.cond's false_fn", keep_reads=set()
    )
    _check_same(true_t, false_t, "tf.cond", "true_fn", "false_fn")
    captured, (true_t, false_t) = _union_captures([true_t, false_t])
    effects = executor.has_effects(true_t.nodes) or executor.has_effects(false_t.nodes)
    outs = _add_node(
        _IF,
        [pred] + captured,
        {"branches": (true_t, false_t), "has_effects": effects},
        (true_t, false_t),
        [t._value for t in true_out],
        [spec.dtype for spec in true_t.specs],
        any(type(t) is SymbolicTensor and t._dynamic_shape for t in true_out + false_out),
    )
    if true_t.structure is None:
        return None
    return nest.pack_sequence_as(true_t.structure, list(outs))


def _check_pred(pred: Tensor, dtype: bool = True) -> None:
    if pred._value.ndim != 0 or (dtype and pred._dtype is not dtypes.bool):
        cls = ValueError if pred._value.ndim != 0 else TypeError
        raise cls(
            f"tf.cond: pred must be a scalar bool tensor, got dtype "
            f"{pred._dtype.name} and shape {pred.shape}. Reduce it first, e.g. "
            f"tf.reduce_all(x > 0)."
        )


def _check_same(a: _Traced, b: _Traced, op: str, name_a: str, name_b: str) -> None:
    if (a.structure is None) != (b.structure is None) or len(a.specs) != len(b.specs):
        raise ValueError(
            f"{op}: {name_a} and {name_b} must return the same structure, got "
            f"{a.structure!r} and {b.structure!r}."
        )
    try:
        nest.assert_same_structure(a.structure, b.structure, check_types=False)
    except (TypeError, ValueError) as e:
        raise ValueError(
            f"{op}: {name_a} and {name_b} must return the same structure: {e}"
        ) from None
    # Sizes may differ (the output's shape then leaves them unknown); ranks may not.
    for i, (sa, sb) in enumerate(zip(a.specs, b.specs)):
        if sa.dtype is not sb.dtype or sa.shape.rank != sb.shape.rank:
            raise ValueError(
                f"{op}: output {i} of {name_a} has dtype {sa.dtype.name} and shape "
                f"{sa.shape}, but {name_b} gives dtype {sb.dtype.name} and shape {sb.shape}. "
                f"Both branches must return tensors of the same dtype and rank."
            )


# -- While --------------------------------------------------------------------


class _Loop(NamedTuple):
    cond: _Traced
    body: _Traced
    n_vars: int
    dtypes: tuple
    # The loop variables' static shapes (from their shape invariants where given).
    shapes: tuple
    # The capture holding ``maximum_iterations`` when only the running graph knows it.
    limit_index: int | None


def _limit(loop: _Loop, caps, maximum_iterations):
    if loop.limit_index is None:
        return maximum_iterations
    limit = caps[loop.limit_index]
    return int(limit._value if isinstance(limit, Tensor) else limit)


def _while_kernel(*arrays, loop, maximum_iterations, has_effects):
    n = loop.n_vars
    vals, caps = arrays[:n], arrays[n:]
    limit = _limit(loop, caps, maximum_iterations)
    cond_caps = [caps[i] for i in loop.cond.capture_index]
    body_caps = [caps[i] for i in loop.body.capture_index]
    i = 0
    while limit is None or i < limit:
        if not loop.cond.run(*vals, *cond_caps)[0]:
            break
        vals = loop.body.run(*vals, *body_caps)
        i += 1
    return tuple(vals)


def _while_infer(*specs: Spec, loop, maximum_iterations, has_effects):
    return tuple(Spec(d, s) for d, s in zip(loop.dtypes, loop.shapes))


def _eager_loop(loop: _Loop, vals: list, caps: list, maximum_iterations):
    from tensorflux.engine.function import replay

    limit = _limit(loop, caps, maximum_iterations)
    cond_caps = [caps[i] for i in loop.cond.capture_index]
    body_caps = [caps[i] for i in loop.body.capture_index]
    i = 0
    while limit is None or i < limit:
        (c,) = replay(loop.cond.graph, loop.cond.nodes, vals, cond_caps, loop.cond.output_slots)
        if not bool(c):
            break
        vals = replay(loop.body.graph, loop.body.nodes, vals, body_caps, loop.body.output_slots)
        i += 1
    return vals


def _loop_vjp(loop: _Loop, arities: tuple, args: list, maximum_iterations) -> list:
    """Evaluates, eagerly and differentiably (outer tapes see every op), the loop's final
    variables (``arities`` empty: ``args`` are the While node's inputs) or the
    vector-Jacobian product of the level below: for ``arities`` ``(..., n)``, ``args``
    are that level's ``n`` inputs followed by cotangents of its outputs."""
    if not arities:
        n = loop.n_vars
        return _eager_loop(loop, args[:n], args[n:], maximum_iterations)
    n = arities[-1]
    inputs, cotangents = args[:n], args[n:]
    with GradientTape() as tape:
        tape.watch(inputs)
        outs = _loop_vjp(loop, arities[:-1], inputs, maximum_iterations)
    return tape.gradient(outs, inputs, output_gradients=cotangents, unconnected_gradients="zero")


def _while_grad_kernel(*arrays, loop, maximum_iterations, arities, input_dtypes):
    # Runs when the graph runs: reruns the loop eagerly, on this call's values, under
    # tapes; nothing here may be recorded into a graph being traced.
    with context.eager_scope():
        args = [Tensor(np.asarray(a), d) for a, d in zip(arrays, input_dtypes)]
        grads = _loop_vjp(loop, arities, args, maximum_iterations)
        return tuple(np.asarray(convert_to_tensor(g)._value) for g in grads)


def _while_grad_infer(*specs: Spec, loop, maximum_iterations, arities, input_dtypes):
    return specs[: arities[-1]]


def _vjp(loop: _Loop, maximum_iterations, arities: tuple, inputs, dys) -> list:
    """A ``WhileGrad`` node: the gradients of ``inputs`` (of the level ``arities``
    describes) given the gradients ``dys`` of its outputs."""
    args = list(inputs) + list(dys)
    return list(
        execute(
            _WHILE_GRAD,
            args,
            {
                "loop": loop,
                "maximum_iterations": maximum_iterations,
                "arities": arities + (len(inputs),),
                "input_dtypes": tuple(t._dtype for t in args),
            },
        )
    )


def _while_grad_grad(call, *dys):
    """A gradient is itself differentiable: ``WhileGrad`` of one more order."""
    return _vjp(
        call.attrs["loop"],
        call.attrs["maximum_iterations"],
        call.attrs["arities"],
        call.inputs,
        dys,
    )


_WHILE_GRAD = register(
    "WhileGrad",
    kernel=_while_grad_kernel,
    grad=_while_grad_grad,
    infer=_while_grad_infer,
    num_outputs=-1,
)


def _any_node(nodes, test) -> bool:
    """Whether ``test`` holds for a node of ``nodes`` or of a branch or loop nested in them."""
    for node in nodes:
        if test(node):
            return True
        for value in node.attrs.values() if node.op is not None else ():
            for part in value if isinstance(value, tuple) else (value,):
                if isinstance(part, _Traced) and _any_node(part.nodes, test):
                    return True
                if isinstance(part, _Loop) and _any_node(part.cond.nodes + part.body.nodes, test):
                    return True
    return False


def _draws_random(node) -> bool:
    return node.op is not None and node.op.stateful and node.op.num_outputs != 0


def _assigns(node) -> bool:
    return node.kind in (ASSIGN, ASSIGN_ADD, ASSIGN_SUB)


def _check_rerunnable(nodes, what: str) -> None:
    """Gradients of If/While rerun the construct's graphs: refuse those whose rerun would
    differ from the forward run (new random numbers) or repeat its variable updates."""
    if _any_node(nodes, _draws_random):
        raise NotImplementedError(
            f"{what}: gradients through a construct that draws random numbers are not "
            f"supported inside tf.function (the gradient would draw others); draw them "
            f"before it and pass them in."
        )
    if _any_node(nodes, _assigns):
        raise NotImplementedError(
            f"{what}: gradients through a construct that assigns variables are not "
            f"supported inside tf.function; move the assignments out of it."
        )


def _while_grad(call, *dys):
    """Gradients of all loop inputs and captures, by rerunning the loop under a tape."""
    loop = call.attrs["loop"]
    if call.attrs["has_effects"]:
        raise NotImplementedError(
            "tf.while_loop: gradients through a loop whose body assigns variables or prints "
            "are not supported; move the side effects out of the differentiated loop."
        )
    _check_rerunnable(loop.cond.nodes + loop.body.nodes, "tf.while_loop")
    return _vjp(loop, call.attrs["maximum_iterations"], (), call.inputs, dys)


_WHILE = register(
    "While", kernel=_while_kernel, grad=_while_grad, infer=_while_infer, num_outputs=-1
)


def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    maximum_iterations=None,
    name=None,
):
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (``tf.while_loop``).

    >>> import tensorflux as tf
    >>> tf.while_loop(lambda i: i < 10, lambda i: (i * 2,), [tf.constant(1)])
    [<tf.Tensor: shape=(), dtype=int32, numpy=16>]

    Inside ``tf.function`` a loop variable keeps its static shape: the body must return a
    value whose shape fits it (``None`` dimensions may change from one iteration to the
    next), or fits the variable's entry in ``shape_invariants``.

    Args:
        cond: callable returning a scalar bool tensor.
        body: callable returning loop variables of the same structure, dtypes and shapes
            (shapes may change only where ``shape_invariants`` allows it).
        loop_vars: a tensor, or a (nested) list/tuple of tensors.
        shape_invariants: ``TensorShape`` s, in the structure of ``loop_vars``.
        maximum_iterations: stop after this many iterations at most (a number or a
            scalar integer tensor).

    Returns:
        The final loop variables, in the structure of ``loop_vars``.
    """
    if not callable(cond) or not callable(body):
        raise TypeError("tf.while_loop: cond and body must be callable.")
    if loop_carried.has_loop_carried(loop_vars):
        # The loop carries each TensorArray as one buffer tensor (see loop_carried.py).
        return loop_carried.while_loop_with_carried(
            while_loop, cond, body, loop_vars, shape_invariants, maximum_iterations
        )
    single = not isinstance(loop_vars, (list, tuple))
    packed = [loop_vars] if single else loop_vars
    flat = [_to_tensor(v, "tf.while_loop's loop_vars") for v in nest.flatten(packed)]
    limit = None
    if maximum_iterations is not None:
        limit = _to_tensor(maximum_iterations, "tf.while_loop's maximum_iterations")
        # A limit computed by the graph (e.g. from tf.shape) stays a tensor input.
        maximum_iterations = None if type(limit) is SymbolicTensor else int(limit._value)

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
                raise ValueError(
                    f"tf.while_loop: body returned {len(vals)} values for "
                    f"{len(flat)} loop variables."
                )
            i += 1
        return nest.pack_sequence_as(loop_vars, vals)

    invariants = _invariants(shape_invariants, flat)
    shapes = (
        [t.shape for t in flat]
        if invariants is None
        else [_invariant_shape(s, t.shape) for s, t in zip(invariants, flat)]
    )
    cond_t, _ = _trace(
        lambda *v: call_with(cond, list(v)),
        flat,
        graph,
        "while_cond",
        "tf.while_loop's cond",
        shapes=shapes,
    )
    if len(cond_t.specs) != 1 or cond_t.specs[0].dtype is not dtypes.bool:
        raise TypeError("tf.while_loop: cond must return a scalar bool tensor.")

    def body_flat(*v):
        out = call_with(body, list(v))
        out = [out] if single or not isinstance(out, (list, tuple)) else out
        return nest.flatten(out)

    # The condition keeps its reads: the body may assign what it reads.
    body_t, body_out = _trace(
        body_flat,
        flat,
        graph,
        "while_body",
        "tf.while_loop's body",
        shapes=shapes,
        in_place=shape_invariants is None,
        keep_reads=cond_t.graph.assigned,
    )
    _check_loop_vars(flat, body_out, invariants)
    captured, (cond_t, body_t) = _union_captures([cond_t, body_t])
    limit_index = None
    if maximum_iterations is None and limit is not None:
        limit_index = len(captured)
        captured.append(limit)
    loop = _Loop(
        cond_t, body_t, len(flat), tuple(t._dtype for t in flat), tuple(shapes), limit_index
    )
    effects = executor.has_effects(cond_t.nodes) or executor.has_effects(body_t.nodes)
    # Where running the loop now would run its effects, the results' examples are the
    # initial values', except for empty stand-ins (a TensorArray buffer, a variable first
    # assigned in the loop) that one iteration fills: then the body's results.
    examples = [
        b._value if 0 in _example_shape(a) and 0 not in _example_shape(b) else a._value
        for a, b in zip(flat, body_out)
    ]
    outs = _add_node(
        _WHILE,
        flat + captured,
        {"loop": loop, "maximum_iterations": maximum_iterations, "has_effects": effects},
        (cond_t, body_t),
        examples,
        loop.dtypes,
        any(s.rank is None for s in shapes),
    )
    return nest.pack_sequence_as(loop_vars, list(outs))


def _invariants(shape_invariants, flat) -> list | None:
    """The shape invariants, one ``TensorShape`` per flat loop variable, checked against
    the variables' shapes before the loop."""
    if shape_invariants is None:
        return None
    if not isinstance(shape_invariants, (list, tuple)):
        shape_invariants = [shape_invariants]
    invariants = [TensorShape(s) for s in nest.flatten(shape_invariants)]
    if len(invariants) != len(flat):
        raise ValueError(
            f"tf.while_loop: got {len(invariants)} shape invariants for {len(flat)} loop variables."
        )
    for i, (s, t) in enumerate(zip(invariants, flat)):
        if not s.is_compatible_with(t.shape):
            raise ValueError(
                f"tf.while_loop: loop variable {i} enters the loop with shape "
                f"{t.shape}, but its shape invariant is {s}."
            )
    return invariants


def _invariant_shape(invariant: TensorShape, before: TensorShape) -> TensorShape:
    """The static shape a loop variable has in the loop: its invariant, with sizes left
    unknown where the value entering the loop does not know them either."""
    if invariant.rank is None:
        return invariant
    return TensorShape(
        [i if b is not None else None for i, b in zip(invariant.as_list(), before.as_list())]
    )


def _fits(shape: TensorShape, allowed: TensorShape) -> bool:
    """Whether ``shape`` is at least as specific as ``allowed`` (TF's rule for a loop
    variable after one iteration: known sizes must stay, unknown ones may be anything)."""
    if allowed.rank is None:
        return True
    if shape.rank != allowed.rank:
        return False
    return all(a is None or a == s for s, a in zip(shape.as_list(), allowed.as_list()))


def _check_loop_vars(before, after, invariants) -> None:
    if len(before) != len(after):
        raise ValueError(
            f"tf.while_loop: body returned {len(after)} values for {len(before)} loop variables."
        )
    for i, (a, b) in enumerate(zip(before, after)):
        if a._dtype is not b._dtype:
            raise TypeError(
                f"tf.while_loop: loop variable {i} enters the loop as "
                f"{a._dtype.name} but the body returns {b._dtype.name}."
            )
        if invariants is None:
            if not _fits(b.shape, a.shape):
                raise ValueError(
                    f"tf.while_loop: loop variable {i} has shape {a.shape} before the loop "
                    f"but {b.shape} after one iteration. Pass shape_invariants (e.g. "
                    f"tf.TensorShape([None])) for variables whose shape changes."
                )
        elif not _fits(b.shape, invariants[i]):
            raise ValueError(
                f"tf.while_loop: loop variable {i} has shape {b.shape} after one iteration, "
                f"which does not fit its shape invariant {invariants[i]}."
            )


# -- case / switch_case ---------------------------------------------------------


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Runs the callable of the first true predicate, else ``default`` (``tf.case``).

    Without ``default`` the last pair's callable is the default, as in TF.
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    if not pairs:
        raise ValueError("tf.case: pred_fn_pairs must not be empty.")
    for _, f in pairs:
        if not callable(f):
            raise TypeError(f"tf.case: {f!r} is not callable.")
    if default is None:
        *pairs, (_, default) = pairs
    result = default
    for p, f in reversed(pairs):
        result = lambda p=p, f=f, rest=result: cond(p, f, rest)
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
    if not isinstance(branch_index, (Tensor, Variable)):
        raise TypeError(
            f"'branch_index' must be a Tensor, got {type(branch_index)}: pass "
            f"tf.constant({branch_index!r}), or pick the branch in Python."
        )
    index = convert_to_tensor(branch_index)
    if not index._dtype.is_integer or index._value.ndim != 0:
        raise TypeError(
            f"tf.switch_case: branch_index must be a scalar integer tensor, got "
            f"dtype {index._dtype.name} and shape {index.shape}."
        )
    if type(index) is not SymbolicTensor:
        chosen = dict(items).get(int(index._value), default)
        return chosen()
    equal = registry.get("Equal")
    result = default
    for k, f in reversed(items):
        result = lambda k=k, f=f, rest=result: cond(registry.execute(equal, (index, k)), f, rest)
    return result()
