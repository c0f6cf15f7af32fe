"""AutoGraph: converts Python control flow on tensors into graph control flow.

``convert(func)`` rewrites the function's source (see ``autograph_transform``) so that
every ``if``/``while``/``for`` becomes a call of ``if_stmt``/``while_stmt``/``for_stmt``
below. These run plain Python when the condition (or iterable) is a Python value, so
such statements unroll at trace time, and ``tf.cond``/``tf.while_loop`` when it is a
tensor, carrying the variables the statement assigns (passed by ``get_state``/
``set_state`` closures). As in TF:

* a variable assigned in only one branch of a tensor ``if`` and used afterwards is an
  error (``'y' must also be initialized in the else branch``); Python numbers assigned in
  tensor branches or loops become tensors;
* a variable first assigned inside a tensor loop (and used after it) starts as zeros of
  the type the body gives it, learned by tracing the body once beforehand;
* ``print`` stays a Python call that runs at trace time.

Beyond TF, ``return`` inside a tensor loop and a ``break`` that depends on a tensor inside
a Python ``for`` loop are supported.
"""

from __future__ import annotations
import __future__

import ast
import builtins
import functools
import inspect
import numbers
import sys
import textwrap
import types
import warnings
import weakref

import numpy as np

from tensorflux.engine import autograph_transform as transform
from tensorflux.engine import control_flow, registry
from tensorflux.engine.graph import FuncGraph
from tensorflux.engine.loop_carried import LoopCarried
from tensorflux.framework import context, dtypes, nest
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor, op_hooks
from tensorflux.framework.variables import Variable

_FUTURE_FLAGS = functools.reduce(
    lambda a, b: a | b, (getattr(__future__, f).compiler_flag for f in __future__.all_feature_names)
)
_LIBRARY_ROOTS = {"tensorflux", "numpy", "pytest", "_pytest", "pluggy"}
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# -- markers --------------------------------------------------------------------------


def do_not_convert(func=None):
    """Marks ``func`` so that tf.function runs it as written, without conversion."""
    if func is None:
        return do_not_convert

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    wrapper.__tensorflux_do_not_convert__ = True
    return wrapper


def set_loop_options(
    parallel_iterations=None, swap_memory=None, maximum_iterations=None, shape_invariants=None
):
    """Options for the enclosing converted loop (``tf.autograph.experimental``).

    Only meaningful as a statement directly inside a loop body of a converted function,
    where AutoGraph reads it; ``shape_invariants`` is a list of ``(tensor, shape)`` pairs
    naming loop variables by their value before the loop. Elsewhere it does nothing.
    """


def loop_options(**options) -> dict:
    return options


# -- conversion ---------------------------------------------------------------------


def convert(func):
    """Returns ``func`` with ``if``/``while``/``for`` on tensors turned into graph control flow.

    Functions without readable source (builtins, lambdas, REPL definitions), generators
    and functions marked with ``do_not_convert`` come back unchanged.
    """
    if isinstance(func, types.MethodType):
        converted = convert(func.__func__)
        return func if converted is func.__func__ else types.MethodType(converted, func.__self__)
    if isinstance(func, functools.partial):
        converted = convert(func.func)
        return (
            func
            if converted is func.func
            else functools.partial(converted, *func.args, **func.keywords)
        )
    if type(func) is not types.FunctionType or getattr(
        func, "__tensorflux_do_not_convert__", False
    ):
        return func
    if getattr(func, "__tensorflux_autograph__", False) or "ag__" in func.__code__.co_freevars:
        return func  # converted already (functions defined in converted code are too)
    converted = _cache.get(func)
    if converted is None:
        converted = _convert_function(func)
        _cache[func] = converted
    return converted


def to_graph(func, recursive=True, experimental_optional_features=None):
    """The converted form of ``func`` (``tf.autograph.to_graph``)."""
    return convert(func)


def _convert_function(func):
    code = func.__code__
    if code.co_name == "<lambda>":
        return func
    try:
        source = textwrap.dedent(inspect.getsource(code))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return func
    fdef = tree.body[0] if tree.body else None
    if not isinstance(fdef, ast.FunctionDef) or fdef.name != code.co_name:
        return func
    if transform.has_generator_or_async(fdef):
        return func
    fdef.decorator_list = []
    try:
        return _compile(func, transform.convert_function(fdef))
    except Exception as e:  # noqa: BLE001 - any failure means: run the function as written
        warnings.warn(
            f"AutoGraph could not convert {func.__qualname__} and will run it "
            f"as-is: {type(e).__name__}: {e}",
            stacklevel=3,
        )
        return func


def _compile(func, fdef):
    """Compiles ``fdef`` with ``func``'s globals and closure cells (shared, not copied)."""
    code = func.__code__
    factory = ast.FunctionDef(
        name="ag__factory",
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=a) for a in ("ag__",) + code.co_freevars],
            vararg=None,
            kwonlyargs=[],
            kw_defaults=[],
            kwarg=None,
            defaults=[],
        ),
        body=[fdef, ast.Return(value=ast.Name(id=fdef.name, ctx=ast.Load()))],
        decorator_list=[],
        returns=None,
    )
    if "type_params" in ast.FunctionDef._fields:
        factory.type_params = []
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    ast.increment_lineno(module, code.co_firstlineno - 1)
    compiled = compile(
        module, code.co_filename, "exec", flags=code.co_flags & _FUTURE_FLAGS, dont_inherit=True
    )
    factory_code = _code_named(compiled, "ag__factory")
    inner = _code_named(factory_code, fdef.name)
    cells = dict(zip(code.co_freevars, func.__closure__ or ()))
    cells["ag__"] = types.CellType(sys.modules[__name__])
    closure = tuple(cells[name] for name in inner.co_freevars)
    new = types.FunctionType(inner, func.__globals__, func.__name__, func.__defaults__, closure)
    new.__kwdefaults__ = func.__kwdefaults__
    new.__dict__.update(func.__dict__)
    for attr in ("__doc__", "__qualname__", "__module__", "__annotations__"):
        setattr(new, attr, getattr(func, attr))
    new.__tensorflux_autograph__ = True
    return new


def _code_named(code, name):
    return next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)


def _is_user_function(f) -> bool:
    module = getattr(f, "__module__", None) or ""
    root = module.split(".")[0]
    return root not in _LIBRARY_ROOTS and root not in sys.stdlib_module_names


def converted_call(f):
    """What a call in converted code calls: user functions converted, ``range`` tensor-aware."""
    if f is builtins.range:
        return range_
    if isinstance(f, types.MethodType):
        target = f.__func__
    elif isinstance(f, functools.partial):
        target = f.func
    else:
        target = f
    if type(target) is types.FunctionType and _is_user_function(target):
        return convert(f)
    return f


_GATHER_ROWS = {"axis": 0, "batch_dims": 0}


def range_(*args):
    """``range`` that gives ``tf.range`` when an argument is a tensor (as TF's AutoGraph)."""
    if any(isinstance(a, (Tensor, Variable)) for a in args):
        return op_hooks["range"](*args)
    return range(*args)


# -- variables and expressions -----------------------------------------------------


class Undefined:
    """The value of a variable that has not been assigned yet, in converted code."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return f"<undefined '{self.name}'>"


def ld(value, name: str):
    """A load of a variable that converted code may not have assigned yet."""
    if type(value) is Undefined:
        raise UnboundLocalError(
            f"cannot access local variable '{name}' where it is not associated with a value"
        )
    return value


def retval(value, do_return, falls_off: bool):
    """The converted function's result; ``falls_off``: some path ends without ``return``."""
    if falls_off and isinstance(do_return, Tensor):
        raise ValueError(
            "A tensor-dependent `if` or loop returns a value on some paths while other paths "
            "reach the end of the function without a return statement (returning None). "
            "Inside tf.function every path must return a value: add a return statement in "
            "the else branch or at the end of the function."
        )
    return None if type(value) is Undefined else value


def _tensor_of(x):
    if isinstance(x, Variable):
        return x.value()
    return x if isinstance(x, Tensor) else None


def _check_cond(t: Tensor, what: str) -> None:
    if t._dtype is not dtypes.bool or t._value.ndim != 0:
        raise ValueError(
            f"condition of {what} expected to be `tf.bool` scalar, got {t}; to "
            f"use as boolean Tensor, use `tf.cast`; to check for None, use "
            f"`is not None`"
        )


def _bool_tensor(x) -> Tensor:
    t = _tensor_of(x)
    return convert_to_tensor(x) if t is None else t


def and_(*operands):
    """``a and b and ...`` with each operand a thunk; lazy ``tf.cond`` on tensors."""
    value = operands[0]()
    for fn in operands[1:]:
        t = _tensor_of(value)
        if t is None:
            if not value:
                return value
            value = fn()
        elif t._dtype is dtypes.bool and t._value.ndim == 0:
            value = control_flow.cond(t, lambda fn=fn: _bool_tensor(fn()), lambda t=t: t)
        else:
            value = op_hooks["logical_and"](t, fn())
    return value


def or_(*operands):
    """``a or b or ...`` with each operand a thunk; lazy ``tf.cond`` on tensors."""
    value = operands[0]()
    for fn in operands[1:]:
        t = _tensor_of(value)
        if t is None:
            if value:
                return value
            value = fn()
        elif t._dtype is dtypes.bool and t._value.ndim == 0:
            value = control_flow.cond(t, lambda t=t: t, lambda fn=fn: _bool_tensor(fn()))
        else:
            value = op_hooks["logical_or"](t, fn())
    return value


def not_(x):
    """``not x``: ``tf.logical_not`` on tensors."""
    t = _tensor_of(x)
    if t is None:
        return not x
    return op_hooks["logical_not"](t)


def if_exp(cond, true_fn, false_fn):
    """``a if cond else b``: ``tf.cond`` when ``cond`` is a tensor."""
    t = _tensor_of(cond)
    if t is None:
        return true_fn() if cond else false_fn()
    return control_flow.cond(t, true_fn, false_fn)


# -- if -------------------------------------------------------------------------------


def if_stmt(cond, body, orelse, get_state, set_state, names, live):
    """An ``if`` statement: Python when ``cond`` is a Python value (or an eager tensor),
    ``tf.cond`` over the live variables the branches assign when it is symbolic."""
    t = _tensor_of(cond)
    if t is None:
        if cond:
            body()
        else:
            orelse()
        return
    _check_cond(t, "if statement")
    if type(t) is not SymbolicTensor:
        if bool(t):
            body()
        else:
            orelse()
        return
    try:
        _graph_if(t, body, orelse, get_state, set_state, names, live, swapped=False)
    except _DefineFirst:
        # The else branch defines a value the main branch leaves undefined: trace it first.
        _graph_if(
            op_hooks["logical_not"](t),
            orelse,
            body,
            get_state,
            set_state,
            names,
            live,
            swapped=True,
        )


class _DefineFirst(Exception):
    """Internal: retry a tensor ``if`` tracing the else branch first."""


def _tolerates_undefined(name: str) -> bool:
    # The return value is guarded by the return flag; during a loop's trial trace any
    # undefined value is a placeholder.
    return name == transform.RETVAL or context.state.loop_trial_depth > 0


# Branches that only have effects (variable assignments) still give the If node one
# output: the executor compiles nodes by their outputs.
_NO_OUTPUT = Tensor(np.zeros((), np.bool_), dtypes.bool)


def _graph_if(pred, body, orelse, get_state, set_state, names, live, swapped):
    init = get_state()
    outputs = [k for k, is_live in enumerate(live) if is_live]
    labels = ("else", "main") if swapped else ("main", "else")
    first: dict = {}

    def run_first():
        set_state(init)
        body()
        state = get_state()
        flat = []
        for k in outputs:
            if type(state[k]) is Undefined:
                first[k] = None  # decided by the other branch
                continue
            first[k] = _describe(state[k], names[k], labels[0])
            flat += _leaf_tensors(state[k], first[k])
        return flat or [_NO_OUTPUT]

    def run_second():
        set_state(init)
        orelse()
        state = get_state()
        flat = []
        for k in outputs:
            v, desc = state[k], first[k]
            if desc is None and type(v) is Undefined:
                continue
            if desc is None:
                if _tolerates_undefined(names[k]) and not swapped:
                    raise _DefineFirst()
                raise ValueError(f"'{names[k]}' must also be initialized in the {labels[0]} branch")
            if type(v) is Undefined:
                if not _tolerates_undefined(names[k]):
                    raise ValueError(
                        f"'{names[k]}' must also be initialized in the {labels[1]} branch"
                    )
                flat += [_zeros(s, d) for d, s in _desc_specs(desc)]
                continue
            flat += _match(v, desc, names[k], labels)
        return flat or [_NO_OUTPUT]

    outs = _if_node(pred, run_first, run_second)
    state = list(init)
    for k in outputs:
        if first[k] is not None:
            state[k], outs = _rebuild(first[k], outs)
    set_state(state)


def _if_node(pred, true_fn, false_fn) -> list:
    """``tf.cond`` without its same-rank check: the branches' values were checked by
    ``_match``, which lets a dynamic-size TensorArray grow in one branch only."""
    from tensorflux.engine.executor import has_effects

    graph = context.state.graph
    true_t, true_out = control_flow._trace(
        true_fn, [], graph, "cond_true", "if statement", keep_reads=set()
    )
    false_t, false_out = control_flow._trace(
        false_fn, [], graph, "cond_false", "if statement", keep_reads=set()
    )
    captured, (true_t, false_t) = control_flow._union_captures([true_t, false_t])
    effects = has_effects(true_t.nodes) or has_effects(false_t.nodes)
    outs = control_flow._add_node(
        control_flow._IF,
        [pred] + captured,
        {"branches": (true_t, false_t), "has_effects": effects},
        (true_t, false_t),
        [t._value for t in true_out],
        [spec.dtype for spec in true_t.specs],
        any(type(t) is SymbolicTensor and t._dynamic_shape for t in true_out + false_out),
    )
    return list(outs)


# A description of a branch value: ("tensor", dtype, shape) | ("array", TensorArray, dtype,
# shape) | ("none",) | ("object", obj) per leaf, with the nest structure.


def _describe(value, name: str, label: str):
    leaves = []
    for leaf in nest.flatten(value):
        if isinstance(leaf, LoopCarried):
            leaves.append(("array", leaf))
        elif leaf is None:
            leaves.append(("none",))
        elif _convertible(leaf):
            t = _as_tensor(leaf, name, label)
            leaves.append(("tensor", t._dtype, t.shape))
        else:
            leaves.append(("object", leaf))
    return value, leaves


def _convertible(x) -> bool:
    return isinstance(x, (Tensor, Variable, np.ndarray, np.generic, numbers.Number))


def _as_tensor(x, name: str, label: str, dtype=None) -> Tensor:
    t = _tensor_of(x)
    if t is not None:
        return t
    try:
        return convert_to_tensor(x, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"'{name}' must be a tensor at the end of the {label} branch, got {x!r}: {e}"
        ) from None


def _leaf_tensors(value, desc) -> list:
    out = []
    for leaf, d in zip(nest.flatten(value), desc[1]):
        if d[0] == "array":
            out.append(leaf._loop_flatten())
        elif d[0] == "tensor":
            out.append(_as_tensor(leaf, "", "", d[1]))
    return out


def _desc_specs(desc):
    for leaf, d in zip(nest.flatten(desc[0]), desc[1]):
        if d[0] == "tensor":
            yield d[1], d[2]
        elif d[0] == "array":
            t = leaf._loop_flatten()
            yield t._dtype, t.shape


def _match(value, desc, name: str, labels) -> list:
    """The tensors of the second branch's ``value``, checked against the first's."""
    try:
        nest.assert_same_structure(desc[0], value, check_types=False)
    except (TypeError, ValueError) as e:
        raise ValueError(
            f"'{name}' must have the same nested structure in the main and else branches: {e}"
        ) from None
    main, other = labels
    out = []
    for leaf, d in zip(nest.flatten(value), desc[1]):
        kind = d[0]
        if kind == "none" or leaf is None:
            if kind != "none" or leaf is not None:
                side = other if leaf is None else main
                raise ValueError(f"'{name}' is None at the end of the {side} branch.")
        elif kind == "object":
            if leaf is not d[1]:
                raise TypeError(
                    f"'{name}' must be a tensor, or the same Python object in both branches "
                    f"of a tensor-dependent `if`; got {d[1]!r} in the {main} branch and "
                    f"{leaf!r} in the {other} branch."
                )
        elif kind == "array":
            if not isinstance(leaf, LoopCarried):
                raise TypeError(
                    f"'{name}' is a TensorArray in the {main} branch but "
                    f"{leaf!r} in the {other} branch."
                )
            out.append(leaf._loop_flatten())
        else:
            t = _as_tensor(leaf, name, other)
            if t._dtype is not d[1]:
                raise TypeError(
                    f"'{name}' has dtype {d[1].name} in the {main} branch, but "
                    f"dtype {t._dtype.name} in the {other} branch"
                )
            if t.shape.rank != d[2].rank:
                # Sizes may differ (as in TF, the result leaves them unknown); ranks may not.
                raise ValueError(
                    f"'{name}' has shape {d[2]} in the {main} branch, but shape {t.shape} in "
                    f"the {other} branch; a tensor-dependent `if` must give it the same rank "
                    f"in both branches."
                )
            out.append(t)
    return out


def _rebuild(desc, outs: list):
    leaves = []
    for d in desc[1]:
        if d[0] == "tensor":
            leaves.append(outs.pop(0))
        elif d[0] == "array":
            leaves.append(d[1]._loop_unflatten(outs.pop(0)))
        elif d[0] == "none":
            leaves.append(None)
        else:
            leaves.append(d[1])
    return nest.pack_sequence_as(desc[0], leaves), outs


# -- loops ----------------------------------------------------------------------------


def while_stmt(test, body, get_state, set_state, names, carried, opts):
    """A ``while`` loop: Python while the test gives Python values; once it gives a
    tensor, ``tf.while_loop`` over the carried variables runs the remaining iterations."""
    while True:
        c = test()
        t = _tensor_of(c)
        if t is not None:
            break
        if not c:
            return
        body()
    _check_cond(t, "while loop")
    _graph_loop(test, body, get_state, set_state, names, carried, opts, None, None)


def for_stmt(iterable, extra_test, body, get_state, set_state, names, carried, opts):
    """A ``for`` loop: Python over Python iterables; ``tf.while_loop`` over the first axis
    of a tensor (``tf.range(n)`` included)."""
    t = _tensor_of(iterable)
    if t is None:
        _python_for(iterable, extra_test, body, get_state, set_state, names, carried)
        return
    if t._value.ndim == 0:
        raise TypeError(f"Cannot iterate over a scalar tensor: {t}.")
    _graph_loop(None, body, get_state, set_state, names, carried, opts, t, extra_test)


def _python_for(iterable, extra_test, body, get_state, set_state, names, carried):
    for item in iterable:
        if extra_test is not None:
            keep_going = extra_test()
            t = _tensor_of(keep_going)
            if t is not None and type(t) is SymbolicTensor:
                # A `break`/`return` that depends on a tensor: the remaining iterations
                # run under that condition.
                if_stmt(
                    t,
                    lambda item=item: body(item),
                    lambda: None,
                    get_state,
                    set_state,
                    names,
                    carried,
                )
                continue
            if not keep_going:
                break
        body(item)


def _graph_loop(test, body, get_state, set_state, names, carried, opts, iterate, extra_test):
    if context.state.graph is None:
        _eager_loop(test, body, iterate, extra_test)
        return
    init = list(get_state())
    idx = [k for k, c in enumerate(carried) if c]
    free: dict = {}
    if any(type(init[k]) is Undefined for k in idx):
        init, free = _trial_init(body, get_state, set_state, names, idx, init, iterate)
    idx = [k for k in idx if type(init[k]) is not Undefined]
    loop_init = [_loop_value(init[k], names[k]) for k in idx]
    invariants = _invariants(opts.get("shape_invariants"), init, idx, loop_init, free)
    # Slot 0 counts iterations (it indexes `iterate`); it also keeps a loop that only has
    # effects from having no loop variables.
    loop_init = [convert_to_tensor(0, dtypes.int32)] + loop_init
    if invariants is not None:
        invariants = [TensorShape([])] + invariants
    if iterate is not None:
        n = registry.execute(registry.get("Shape"), (iterate,), {"out_type": dtypes.int32})[0]
        if control_flow._example_shape(iterate)[0] == 0:
            # The body is traced on example values: give it a (never read) zero element.
            # The graph holds for every size either way.
            zero = Tensor(np.zeros((), iterate._dtype.as_numpy_dtype), iterate._dtype)
            pads = ((0, 1),) + ((0, 0),) * (iterate._value.ndim - 1)
            iterate = registry.execute(registry.get("PadV2"), (iterate, zero), {"paddings": pads})
        gather = registry.get("GatherV2")

    def restore(vals):
        state = list(init)
        for k, v in zip(idx, vals):
            state[k] = v
        set_state(state)

    def cond_fn(i, *vals):
        restore(vals)
        if iterate is None:
            value = test()
            c = _tensor_of(value)
            if c is None:
                c = convert_to_tensor(bool(value))
            _check_cond(c, "while loop")
            return c
        c = i < n
        if extra_test is not None:
            c = op_hooks["logical_and"](c, _bool_tensor(extra_test()))
        return c

    def body_fn(i, *vals):
        restore(vals)
        if iterate is None:
            body()
        else:
            body(registry.execute(gather, (iterate, i), _GATHER_ROWS))
        state = get_state()
        return [i + 1] + [
            _loop_output(
                state[k],
                v,
                names[k],
                invariants is not None and (k in free or _has_invariant(opts, init[k])),
            )
            for k, v in zip(idx, vals)
        ]

    final = control_flow.while_loop(
        cond_fn,
        body_fn,
        loop_init,
        shape_invariants=invariants,
        maximum_iterations=opts.get("maximum_iterations"),
    )
    restore(final[1:])


def _has_invariant(opts, value) -> bool:
    return any(t is value for t, _ in opts.get("shape_invariants") or ())


def _eager_loop(test, body, iterate, extra_test):
    """Outside any trace (``tf.autograph.to_graph`` called eagerly): a Python loop."""
    if iterate is None:
        while bool(test()):
            body()
        return
    for item in iterate:
        if extra_test is not None and not bool(extra_test()):
            break
        body(item)


def _trial_init(body, get_state, set_state, names, idx, init, iterate):
    """Initial values for carried variables first assigned in the loop body: zeros of the
    dtype and shape one traced (and discarded) iteration gives them.

    Returns:
        The initial state, and for those of them whose static shape is partly unknown
        that shape (their shape invariant in the loop), by position in the state.
    """
    graph = FuncGraph("loop_trial", outer=context.state.graph)
    saved_tapes = context.state.recording_tapes[:]
    context.state.recording_tapes.clear()
    context.state.loop_trial_depth += 1
    try:
        with graph.as_default():
            # Placeholders, not the initial values: those may be constants that would
            # make conditions in the body Python ones.
            state = list(init)
            for k in idx:
                if type(init[k]) is not Undefined:
                    state[k] = nest.map_structure(
                        lambda v: v if isinstance(v, LoopCarried) else _placeholder(graph, v),
                        _loop_value(init[k], names[k]),
                    )
            set_state(state)
            if iterate is None:
                body()
            else:
                t = iterate
                item = np.zeros(control_flow._example_shape(t)[1:], t._dtype.as_numpy_dtype)
                body(graph.placeholder(item, t._dtype, "loop_trial_item", shape=t.shape[1:]))
            after = get_state()
    finally:
        context.state.loop_trial_depth -= 1
        context.state.recording_tapes[:] = saved_tapes
        set_state(init)
    new, free = list(init), {}
    for k in idx:
        if type(init[k]) is Undefined and type(after[k]) is not Undefined:
            new[k] = nest.map_structure(lambda v, k=k: _zeros_like(v, names[k]), after[k])
            shapes = nest.map_structure(
                lambda v, k=k: _as_tensor(v, names[k], "loop").shape, after[k]
            )
            if not all(s.is_fully_defined() for s in nest.flatten(shapes)):
                # The zeros have no room for the unknown sizes, which the loop sets.
                free[k] = shapes
    return new, free


def _placeholder(graph, t: Tensor):
    return graph.placeholder(t._value, t._dtype, "loop_trial_in", shape=t.shape)


def _zeros(shape: TensorShape, dtype) -> Tensor:
    """Zeros of ``shape``, its unknown sizes taken as 0 (TF's stand-in value for a
    variable that is defined only inside a loop or a branch)."""
    return Tensor(
        np.zeros([0 if d is None else d for d in shape.as_list()], dtype.as_numpy_dtype), dtype
    )


def _zeros_like(v, name: str):
    if v is None or not _convertible(v):
        raise ValueError(
            f"'{name}' must be defined before the loop: it is first assigned "
            f"{v!r} inside a tensor-dependent loop."
        )
    t = _as_tensor(v, name, "loop")
    return _zeros(t.shape, t._dtype)


def _loop_value(v, name: str):
    def leaf(x):
        if isinstance(x, LoopCarried):
            return x
        if x is None or not _convertible(x):
            raise TypeError(
                f"'{name}' is a loop variable of a tensor-dependent loop, so it "
                f"must be a tensor (or a number) before the loop; got {x!r}."
            )
        return _as_tensor(x, name, "loop")

    return nest.map_structure(leaf, v)


def _loop_output(v, before, name: str, free_shape: bool):
    try:
        nest.assert_same_structure(before, v, check_types=False)
    except (TypeError, ValueError) as e:
        raise ValueError(
            f"'{name}' must have the same nested structure before the loop and "
            f"after one iteration: {e}"
        ) from None

    def leaf(b, x):
        if isinstance(b, LoopCarried):
            if not isinstance(x, LoopCarried):
                raise TypeError(
                    f"'{name}' is a TensorArray before the loop but {x!r} after one iteration."
                )
            return x
        if x is None or not _convertible(x):
            raise TypeError(
                f"'{name}' must stay a tensor in a tensor-dependent loop; got "
                f"{x!r} after one iteration."
            )
        t = _tensor_of(x)
        if t is None:
            t = convert_to_tensor(x, dtype_hint=b._dtype)
        if t._dtype is not b._dtype:
            raise TypeError(
                f"'{name}' has dtype {b._dtype.name} before the loop, but dtype "
                f"{t._dtype.name} after one iteration"
            )
        if not free_shape and not control_flow._fits(t.shape, b.shape):
            raise ValueError(
                f"'{name}' has shape {b.shape} before the loop, but shape "
                f"{t.shape} after one iteration. Use "
                f"tf.autograph.experimental.set_loop_options to set shape "
                f"invariants."
            )
        return t

    return nest.map_structure(leaf, before, v)


def _invariants(pairs, init, idx, loop_init, free):
    """``tf.while_loop`` shape invariants from ``set_loop_options(shape_invariants=...)``
    and, for variables first assigned in the loop (``free``), the static shapes the body
    gives them."""
    if not pairs and not free:
        return None
    out = []
    for k, value in zip(idx, loop_init):
        given = next((s for t, s in pairs or () if t is init[k]), None)
        if given is None and k in free:
            out.append(free[k])
            continue
        out.append(
            nest.map_structure(
                lambda x, given=given: (
                    None
                    if isinstance(x, LoopCarried)
                    else (TensorShape(given) if given is not None else x.shape)
                ),
                value,
            )
        )
    return out
