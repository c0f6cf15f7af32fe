"""The op registry and ``execute``, the one door every op goes through.

An ``Op`` bundles, in one place, its NumPy kernel, its gradient (written with
tensorflux ops, so it is itself differentiable and recordable) and its
shape/dtype inference rule. ``execute`` converts the inputs, checks dtypes,
runs the kernel, wraps the outputs and lets recording tapes see the call.

Kernel contract: ``kernel(*arrays, **attrs)`` returns one array, or a tuple of
``num_outputs`` arrays. Gradient contract: ``grad(call, *output_grads)`` returns one
gradient (Tensor, IndexedSlices or None) per input. Inference contract:
``infer(*specs, **attrs)`` takes ``Spec(dtype, shape, value)`` per input and returns one
Spec (or a tuple of them) with a possibly partial ``TensorShape``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from tensorflux.engine.partial_shapes import as_plain, has_unknown_shape, output_shapes
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, OpError, kernel_failure
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import (
    SymbolicTensor,
    Tensor,
    _python_to_dtype,
    convert_to_tensor,
)

__all__ = [
    "Op",
    "Spec",
    "input_specs",
    "OpCall",
    "register",
    "get",
    "registered_ops",
    "execute",
    "when_registered",
    "set_loader",
]

_from_numpy = dtypes.from_numpy
_EMPTY: dict = {}

# Kernels are NumPy calls: inf and nan results stay silent, as in TF (NumPy would warn
# "invalid value encountered"). Only warnings raised from tensorflux code are filtered.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorflux\.")


class Spec(NamedTuple):
    """What inference knows about a value: its dtype, (partial) shape and, for a small
    integer input known before the op runs, its value.

    ``value`` lets one op take a shape, size or multiples as an input and still infer
    static shapes, as TF's shape functions read constant inputs: it is the list (or int)
    of a constant 0-d/1-d integer input, or what tracing knows of a shape tensor
    (``tf.shape(x)``: a list with None for sizes known only when the graph runs);
    None when nothing is known.
    """

    dtype: dtypes.DType
    shape: TensorShape
    value: object = None


def input_specs(inputs) -> list:
    """The ``Spec`` of each input of an op called inside a trace (see ``Spec.value``)."""
    specs = []
    for t in inputs:
        value = None
        if t._dtype.is_integer:
            if type(t) is Tensor:
                if t._value.ndim <= 1:
                    value = t._value.tolist()
            else:
                value = t._graph.shape_values.get(t._slot)
        specs.append(Spec(t._dtype, t.shape, value))
    return specs


class OpCall(NamedTuple):
    """One recorded execution of an op, as a gradient function receives it."""

    op: "Op"
    inputs: tuple
    outputs: tuple
    attrs: dict


FLOATING = frozenset({dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64})
COMPLEX = frozenset({dtypes.complex64, dtypes.complex128})
INTEGER = frozenset(
    {
        dtypes.int8,
        dtypes.int16,
        dtypes.int32,
        dtypes.int64,
        dtypes.uint8,
        dtypes.uint16,
        dtypes.uint32,
        dtypes.uint64,
    }
)
NUMERIC = FLOATING | COMPLEX | INTEGER
REAL = FLOATING | INTEGER


class Op:
    """A registered operation. Create with ``register``, run with ``execute``."""

    __slots__ = (
        "name",
        "kernel",
        "grad",
        "infer",
        "num_outputs",
        "same_dtype",
        "allowed",
        "differentiable",
        "stateful",
        "shape_only",
        "dynamic_shape",
        "shape_inputs",
    )

    def __init__(
        self,
        name,
        kernel,
        grad,
        infer,
        num_outputs,
        same_dtype,
        allowed,
        stateful=False,
        shape_only=False,
        dynamic_shape=False,
        shape_inputs=(),
    ):
        self.name = name
        self.kernel = kernel
        self.grad = grad
        self.infer = infer
        self.num_outputs = num_outputs
        self.same_dtype = same_dtype
        self.allowed = allowed
        self.differentiable = grad is not None
        self.stateful = stateful
        self.shape_only = shape_only
        self.dynamic_shape = dynamic_shape
        self.shape_inputs = shape_inputs

    def __repr__(self):
        return f"<Op {self.name}>"


_REGISTRY: dict[str, Op] = {}
_ON_REGISTER: dict[str, list[Callable[[Op], None]]] = {}
# Imports every module that registers ops: many load on first use of their functions,
# and a name asked for before then (a SavedModel's node, a gradient registration) must
# still find its op. Installed by the package, which knows where the ops live.
_loader: list = []


def set_loader(load_all: Callable[[], None]) -> None:
    """Sets the function that registers every op not registered yet (by importing the
    modules that define them). ``get`` and ``registered_ops(complete=True)`` call it, once,
    when they need an op that is not registered."""
    _loader[:] = [load_all]


def _load_all() -> None:
    if _loader:
        _loader.pop()()


def register(
    name: str,
    *,
    kernel: Callable,
    grad: Callable | None,
    infer: Callable,
    num_outputs: int = 1,
    same_dtype: bool = False,
    allowed: frozenset | None = None,
    stateful: bool = False,
    shape_only: bool = False,
    dynamic_shape: bool = False,
    shape_inputs: tuple = (),
) -> Op:
    """Registers an op under its TF name and returns it.

    Args:
        name: TF's op name ("AddV2", "MatMul", ...).
        kernel: NumPy implementation (see the module docstring for the contract).
        grad: gradient function, or None for an op declared not differentiable.
        infer: shape/dtype inference rule.
        num_outputs: how many outputs the kernel returns (-1: it varies with the attrs).
        same_dtype: whether all inputs must share one dtype (Python scalars and NumPy
            operands are then converted to the dtype of the tensor operands).
        allowed: the dtypes input 0 may have, or None for any.
        stateful: the op has effects or draws random numbers, so a traced graph must run
            it on every call even when its inputs are constants. An op with
            ``num_outputs=0`` is run for its effect alone and never pruned.
        shape_only: the result depends only on the input's shape: inside a trace it is a
            constant when that shape is fully known, else a node computed on every call.
        dynamic_shape: the output's shape depends on input *values* (``tf.range(n)``,
            ``tf.where(c)``, a shape given as a tensor): inside a trace its static shape
            comes from the inference rule, and shapes left unknown stay symbolic in
            everything computed from it.
        shape_inputs: the inputs whose values (a shape, multiples, a depth) set the
            output's shape: inside a trace the op is value-dependent, like a
            ``dynamic_shape`` one, only when tracing does not know those values.
    """
    if name in _REGISTRY:
        raise ValueError(f"Op {name!r} is already registered.")
    op = Op(
        name,
        kernel,
        grad,
        infer,
        num_outputs,
        same_dtype,
        allowed,
        stateful,
        shape_only,
        dynamic_shape,
        shape_inputs,
    )
    _REGISTRY[name] = op
    for callback in _ON_REGISTER.pop(name, ()):
        callback(op)
    return op


def when_registered(name: str, callback: Callable[[Op], None]) -> None:
    """Calls ``callback(op)`` with the op called ``name``: now if it is registered, else
    as soon as it is. Kernel backends attach to ops this way, whichever module loads
    first."""
    op = _REGISTRY.get(name)
    if op is not None:
        callback(op)
    else:
        _ON_REGISTER.setdefault(name, []).append(callback)


def get(name: str) -> Op:
    """The registered op called ``name``."""
    op = _REGISTRY.get(name)
    if op is None:
        _load_all()
        op = _REGISTRY.get(name)
        if op is None:
            raise KeyError(f"No op named {name!r} is registered.")
    return op


def registered_ops(complete: bool = True) -> dict[str, Op]:
    """A copy of the registry: op name -> Op.

    Args:
        complete: first register the ops whose modules have not loaded yet.
    """
    if complete:
        _load_all()
    return dict(_REGISTRY)


def _dtype_mismatch(op: Op, index: int, expected: dtypes.DType, got: dtypes.DType):
    kind = dtypes.tf_type_name

    if context.state.graph is not None:
        # While tracing, as in TF's graph construction: a TypeError before anything runs.
        return TypeError(
            f"Input #{index} of '{op.name}' Op has type {got.name} that does not match type "
            f"{expected.name} of input #0. Both operands must have the same dtype: use "
            f"tf.cast(x, tf.{expected.name}) (or tf.{got.name}) on one of them."
        )
    return InvalidArgumentError(
        None,
        op.name,
        f"cannot compute {op.name} as input #{index}(zero-based) was expected to be a "
        f"{kind(expected)} tensor but is a {kind(got)} tensor [Op:{op.name}]. "
        f"Both operands must have the same dtype: use tf.cast(x, tf.{expected.name}) "
        f"(or tf.{got.name}) on one of them.",
    )


def _disallowed(op: Op, dtype: dtypes.DType):
    names = ", ".join(sorted(d.name for d in op.allowed))
    return InvalidArgumentError(
        None,
        op.name,
        f"Value for attr 'T' of {dtype.name} is not in the list of allowed values: {names} "
        f"[Op:{op.name}]. Cast the input first, e.g. tf.cast(x, tf.float32).",
    )


def _convert_like(value, dtype: dtypes.DType) -> Tensor:
    """Converts a non-tensor operand to ``dtype`` the way TF's binary operators do."""
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind not in "USO":
        return Tensor(np.asarray(value, dtype=dtype._np), dtype)
    if isinstance(value, (float, int)) and not isinstance(value, bool) and dtype.is_floating:
        return Tensor(dtype._np.type(value), dtype)
    try:
        return Tensor(_python_to_dtype(value, dtype), dtype)
    except (TypeError, ValueError):
        # As in TF: convert on its own; the dtype check then names the mismatch.
        return convert_to_tensor(value)


def _leaked(t: SymbolicTensor) -> TypeError:
    return TypeError(
        f"{t!r} is out of scope and cannot be used here: a symbolic tensor leaked out of the "
        f"tf.function that traced it (e.g. stored in a list or attribute), and its value "
        f"exists only inside that function. Return it from the function instead."
    )


def _convert_inputs(op: Op, inputs) -> list:
    tensors = list(inputs)
    pending = []
    like = None
    for i, x in enumerate(tensors):
        if isinstance(x, Tensor):
            if type(x) is SymbolicTensor and context.state.graph is None:
                raise _leaked(x)
            if like is None:
                like = x._dtype
        elif hasattr(x, "_as_tensor"):
            tensors[i] = x = x._as_tensor()
            if like is None:
                like = x._dtype
        else:
            pending.append(i)
    if op.same_dtype and like is None and len(pending) > 1:
        # No tensor among the operands: as TF, the first value sets the dtype and the
        # others are converted to it (tf.pow(3.0, 2) is float32; tf.pow(2, 3.5) cannot
        # convert 3.5 to int32, a TypeError).
        first = tensors[pending[0]] = convert_to_tensor(tensors[pending[0]])
        for i in pending[1:]:
            tensors[i] = convert_to_tensor(tensors[i], dtype=first._dtype)
        return tensors
    for i in pending:
        x = tensors[i]
        tensors[i] = (
            _convert_like(x, like)
            if (op.same_dtype and like is not None)
            else (convert_to_tensor(x))
        )
    return tensors


def execute(op: Op, inputs, attrs: dict = _EMPTY):
    """Runs ``op`` eagerly on ``inputs`` (tensors or convertible values) with ``attrs``.

    Returns:
        A Tensor, or a tuple of Tensors for ops with several outputs.

    Raises:
        InvalidArgumentError: inputs whose dtypes the op does not accept.
    """
    for x in inputs:
        if type(x) is not Tensor:
            inputs = _convert_inputs(op, inputs)
            break
    if op.same_dtype and len(inputs) > 1:
        d0 = inputs[0]._dtype
        for i in range(1, len(inputs)):
            if inputs[i]._dtype is not d0:
                raise _dtype_mismatch(op, i, d0, inputs[i]._dtype)
    if op.allowed is not None and inputs and inputs[0]._dtype not in op.allowed:
        raise _disallowed(op, inputs[0]._dtype)
    if op.num_outputs == 0 and context.state.graph is not None:
        # An effect-only op (tf.print) inside a trace runs when the graph runs, not now.
        context.state.graph.add_op(op, inputs, attrs, (), ())
        return None
    state = context.state
    tracing = state.graph is not None
    if (
        tracing
        and state.graph.abstract
        and (op.stateful or _has_symbolic(inputs))
        and not (op.shape_only and not has_unknown_shape(inputs))
    ):
        return _abstract_call(op, inputs, attrs)
    if tracing:
        # Kernels may read the shapes of examples whose shape is partly unknown.
        reading, state.reading_examples = state.reading_examples, True
    try:
        if attrs:
            out = op.kernel(*[t._value for t in inputs], **attrs)
        else:
            out = op.kernel(*[t._value for t in inputs])
    except OpError as e:
        if tracing:
            e._depends_on_values = _infers(op, inputs, attrs)
        raise
    except (ValueError, IndexError, MemoryError) as e:
        if len(inputs) == 2 and "could not be broadcast" in str(e):
            # An elementwise op on shapes that do not broadcast: TF's words.
            dims = ("[" + ",".join(map(str, np.shape(t._value))) + "]" for t in inputs)
            failure = InvalidArgumentError(
                None, op.name, "Incompatible shapes: {} vs. {} [Op:{}]".format(*dims, op.name)
            )
        else:
            shapes = ", ".join(str(TensorShape._from_tuple(np.shape(t._value))) for t in inputs)
            failure = kernel_failure(e, op.name, f"{op.name} failed on inputs of shapes {shapes}")
        if tracing:
            failure._depends_on_values = _infers(op, inputs, attrs)
        raise failure from None
    finally:
        if tracing:
            state.reading_examples = reading
    if (
        tracing
        and (op.stateful or _has_symbolic(inputs))
        and not (op.shape_only and not has_unknown_shape(inputs))
    ):
        return trace_call(op, inputs, attrs, out)
    if op.num_outputs == 1:
        if type(out) is bytes:
            # A ufunc (AddV2's np.add) on 0-d string arrays returns bare bytes.
            out = np.asarray(out, dtype=object)
        result = Tensor(out, _from_numpy(out.dtype))
        if context.state.recording_tapes and op.grad is not None:
            _record(op, inputs, (result,), attrs)
        return result
    if op.num_outputs == 0:
        return None
    results = tuple(Tensor(o, _from_numpy(o.dtype)) for o in out)
    if context.state.recording_tapes and op.grad is not None:
        _record(op, inputs, results, attrs)
    return results


def _infers(op: Op, inputs, attrs: dict) -> bool:
    """Whether ``op``'s inference rule accepts these inputs' dtypes and static shapes: a
    kernel that fails on them anyway failed on their values, which in TF is an error of
    the running graph rather than of its construction."""
    try:
        op.infer(*[Spec(t._dtype, t.shape) for t in inputs], **attrs)
    except Exception:  # noqa: BLE001 - any refusal by the rule answers the question
        return False
    return True


def _has_symbolic(inputs) -> bool:
    for t in inputs:
        if type(t) is SymbolicTensor:
            return True
    return False


def _shape_from_values(op: Op, inputs) -> bool:
    """Whether ``op``'s output shape depends on values tracing does not know."""
    if op.dynamic_shape:
        return True
    for i in op.shape_inputs:
        t = inputs[i]
        if type(t) is SymbolicTensor:
            known = t._graph.shape_values.get(t._slot)
            if known is None or (type(known) is list and None in known):
                return True
    return False


def trace_call(op: Op, inputs, attrs: dict, out, dynamic_shape: bool = False):
    """Appends a call to the graph being traced; ``out`` are its example outputs.

    ``execute`` computes them by running the kernel; control-flow ops, whose kernels
    would run user code with effects, pass the examples their tracing produced (and
    ``dynamic_shape`` when their outputs' shapes may change from call to call).
    """
    values = (out,) if op.num_outputs == 1 else tuple(out)
    # A ufunc on 0-d string arrays returns bare ``bytes``: strings are object arrays.
    values = tuple(
        as_plain(v)
        if isinstance(v, (np.ndarray, np.generic))
        else np.asarray(v, dtype=object if isinstance(v, bytes) else None)
        for v in values
    )
    # The op itself makes shapes depend on values (its own ``dynamic_shape``, or shape
    # tensors it takes), or passes on inputs' shapes that do.
    source = dynamic_shape or _shape_from_values(op, inputs)
    shapes = (
        output_shapes(op, inputs, attrs, values) if source or has_unknown_shape(inputs) else None
    )
    results = tuple(
        context.state.graph.add_op(
            op, inputs, attrs, values, [_from_numpy(v.dtype) for v in values], shapes
        )
    )
    if source or any(type(t) is SymbolicTensor and t._dynamic_shape for t in inputs):
        for r in results:
            if source or r._shape is not None:
                r._dynamic_shape = True
    if context.state.recording_tapes and op.grad is not None:
        _record(op, inputs, results, attrs)
    return results[0] if op.num_outputs == 1 else results


def _abstract_call(op: Op, inputs, attrs: dict):
    """Appends a call to an abstract graph: its outputs' dtypes and shapes come from the
    op's inference rule alone, and their examples are zeros (no kernel runs)."""
    inferred = op.infer(*input_specs(inputs), **attrs)
    specs = (inferred,) if isinstance(inferred, Spec) else tuple(inferred)
    values, shapes = [], []
    for spec in specs:
        shape = spec.shape
        # Broadcast zeros cost no memory; unknown sizes are 1 in the example.
        dims = () if shape.rank is None else tuple(1 if d is None else d for d in shape.as_list())
        values.append(np.broadcast_to(np.zeros((), spec.dtype.as_numpy_dtype), dims))
        shapes.append(None if shape.is_fully_defined() else shape)
    results = tuple(
        context.state.graph.add_op(op, inputs, attrs, values, [s.dtype for s in specs], shapes)
    )
    source = _shape_from_values(op, inputs)
    inherited = any(type(t) is SymbolicTensor and t._dynamic_shape for t in inputs)
    for r in results:
        if source or (inherited and r._shape is not None):
            r._dynamic_shape = True
    if context.state.recording_tapes and op.grad is not None:
        _record(op, inputs, results, attrs)
    if op.num_outputs == 1:
        return results[0]
    return results


def _record(op: Op, inputs, outputs: tuple, attrs: dict) -> None:
    call = None
    for tape in context.state.recording_tapes:
        watched = tape._watched
        for t in inputs:
            if id(t) in watched:
                if call is None:
                    call = OpCall(op, tuple(inputs), outputs, attrs)
                tape._record(call)
                break
