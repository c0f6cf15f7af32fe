"""User functions over dataset elements (``map``, ``filter``): traced like tf.function.

``TracedFunction`` traces the Python function once, on symbolic tensors with the
element spec, through ``tensorflux.engine.function.Function``: the function sees
what it sees in TF (``.numpy()`` raises AttributeError, shape errors surface when
``map`` is called) and then runs as compiled code on every element.

When every node of the traced graph is an elementwise op and every constant
broadcasts the same way with a leading batch dimension, the compiled code is also
valid on a *block* of elements stacked along a new first axis; the pipeline then
maps many elements with one call. Elements whose shapes are only partly known are
traced once with those dims unknown (``engine.partial_shapes``); should that graph
turn out specialised to its example sizes, once per concrete shape instead.

Functions whose elements are datasets (``window``), and those of ``flat_map`` and
``interleave`` (which return datasets), run eagerly on every element instead.
"""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.engine.executor import failed_node
from tensorflux.engine.function import Function
from tensorflux.framework import dtypes
from tensorflux.framework.errors import OpError, kernel_failure
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, SparseTensorSpec

__all__: list = []

# Ops whose kernels act elementwise (with NumPy broadcasting) and carry no attribute
# that depends on the input shape: a graph of them maps a block like one element.
ELEMENTWISE_OPS = frozenset(
    {
        "Abs",
        "Acos",
        "Acosh",
        "AddV2",
        "Asin",
        "Asinh",
        "Atan",
        "Atan2",
        "Atanh",
        "BitwiseAnd",
        "BitwiseOr",
        "BitwiseXor",
        "Cast",
        "Ceil",
        "Conj",
        "Cos",
        "Cosh",
        "DivNoNan",
        "Elu",
        "Equal",
        "Erf",
        "Erfc",
        "Exp",
        "Expm1",
        "Floor",
        "FloorDiv",
        "FloorMod",
        "Greater",
        "GreaterEqual",
        "Identity",
        "Imag",
        "Invert",
        "IsFinite",
        "IsInf",
        "IsNan",
        "LeakyRelu",
        "Less",
        "LessEqual",
        "Log",
        "Log1p",
        "LogicalAnd",
        "LogicalNot",
        "LogicalOr",
        "Maximum",
        "Minimum",
        "Mul",
        "MulNoNan",
        "Neg",
        "NotEqual",
        "Pow",
        "Real",
        "RealDiv",
        "Reciprocal",
        "Relu",
        "Relu6",
        "Rint",
        "Round",
        "Rsqrt",
        "SelectV2",
        "Selu",
        "Sigmoid",
        "Sign",
        "Sin",
        "Sinh",
        "Softplus",
        "Softsign",
        "Sqrt",
        "Square",
        "StopGradient",
        "Sub",
        "Tan",
        "Tanh",
        "TruncateDiv",
        "TruncateMod",
        "Xdivy",
        "Xlogy",
    }
)


def call_with_element(fn, element):
    """Calls ``fn`` with an element as TF does: a plain tuple is spread over arguments."""
    if type(element) is tuple:
        return fn(*element)
    return fn(element)


def pack_nested_lists(out):
    """A function's result as tf.data reads it: a returned list is a tuple, and a list
    inside the result is one tensor (``(x, [x, x])`` has a vector as second part)."""
    if isinstance(out, list):
        return tuple(_lists_as_tensors(v) for v in out)
    return _lists_as_tensors(out)


def _lists_as_tensors(out):
    if isinstance(out, list):
        return convert_to_tensor(out)
    if isinstance(out, tuple):
        items = [_lists_as_tensors(v) for v in out]
        return type(out)(*items) if hasattr(type(out), "_fields") else tuple(items)
    if isinstance(out, dict):
        return type(out)((k, _lists_as_tensors(v)) for k, v in out.items())
    return out


def lists_to_tuples(out):
    """The function's result with lists turned into tuples, as tf.data does."""
    if isinstance(out, list):
        return tuple(lists_to_tuples(v) for v in out)
    if isinstance(out, tuple):
        items = [lists_to_tuples(v) for v in out]
        return type(out)(*items) if hasattr(type(out), "_fields") else tuple(items)
    if isinstance(out, dict):
        return {k: lists_to_tuples(v) for k, v in out.items()}
    return out


def _check_result(out, what: str):
    if out is None or (structure.is_structure(out) and not structure.flatten(out)):
        raise ValueError(
            f"The function passed to Dataset.{what} must return at least one "
            f"tensor, but it returned {out!r}."
        )


def _concrete_spec(spec, fill: int) -> TensorSpec:
    if spec.shape.rank is None:
        return TensorSpec((), spec.dtype)  # traced as a scalar; outputs get unknown rank
    return TensorSpec([fill if d is None else d for d in spec.shape.as_list()], spec.dtype)


def _spec_shape(leaf):
    """A traced output's shape for ``element_spec``: its static shape, unknown where it
    depends on data (all of it when the inference rule claims more than the trace knows)."""
    if getattr(leaf, "_dynamic_shape", False) and leaf._shape is None:
        return TensorShape([None] * leaf.shape.rank)
    return leaf.shape


class CompositeOutputs(TypeError):
    """A traced function returns SparseTensors or RaggedTensors, which the compiled
    element path does not carry: ``output_spec`` is their structure's spec from the trace,
    and the caller maps elements eagerly instead."""

    def __init__(self, output_spec):
        super().__init__("the function returns composite tensors")
        self.output_spec = output_spec


class _Plan:
    """One traced graph: its compiled code and how to build the flat outputs."""

    __slots__ = ("run", "items", "out_specs", "elementwise", "template", "generic", "_batched")

    def __init__(self, concrete, in_ranks):
        self.run = concrete._run
        # Whether the graph holds for every element size its input specs admit.
        self.generic = concrete.graph.specialized_at is None
        template = lists_to_tuples(concrete.structured_outputs)
        flat_out = structure.flatten(template)
        self.items = []
        self.out_specs = []
        for (kind, where, _), leaf in zip(concrete._leaves, flat_out):
            if kind == "tensor":
                self.items.append(("slot", where))
                self.out_specs.append(TensorSpec(_spec_shape(leaf), leaf.dtype))
            elif kind == "constant":
                t = structure.to_tensor(leaf)
                self.items.append(("const", t._value))
                self.out_specs.append(TensorSpec(t.shape, t.dtype))
            elif kind == "composite":
                raise CompositeOutputs(
                    structure.pack(template, [structure.spec_of(x) for x in flat_out])
                )
            else:
                raise TypeError(
                    "Dataset functions must return dense tensors, not "
                    "IndexedSlices; convert with tf.convert_to_tensor."
                )
        self.template = structure.pack(template, self.out_specs) if flat_out else template
        self._batched = _batched_outputs(concrete, in_ranks, self.items)
        self.elementwise = self._batched is not None

    def element(self, flat) -> tuple:
        outs = self.run(*flat)
        return tuple(outs[w] if kind == "slot" else w for kind, w in self.items)

    def block(self, flat) -> tuple:
        outs = self.run(*flat)
        m = len(flat[0])
        result = []
        for (kind, w), batched in zip(self.items, self._batched):
            value = outs[w] if kind == "slot" else w
            result.append(value if batched else np.broadcast_to(value, (m,) + np.shape(value)))
        return tuple(result)


def _batched_outputs(concrete, in_ranks, items):
    """None unless the graph maps a block of stacked elements exactly as one element;
    then, per output item, whether it has the block's leading dimension."""
    graph = concrete.graph
    if graph.captures:
        return None
    rank = dict(zip(graph.inputs, in_ranks))
    batched = set(graph.inputs)
    for slot, t in graph.constants.items():
        rank[slot] = np.ndim(t._value)
    for node in concrete._nodes:
        if node.kind != "op" or node.op.stateful or node.op.name not in ELEMENTWISE_OPS:
            return None
        out_rank = np.ndim(node.out_values[0])
        for s in node.inputs:
            # A batched operand must have the output's rank (so its batch axis lines up
            # with the output's); an unbatched one may only be broadcast into it.
            if (s in batched and rank[s] != out_rank) or rank[s] > out_rank:
                return None
        for o in node.outputs:
            rank[o] = out_rank
            batched.add(o)
    slots = concrete._output_slots
    return [kind == "slot" and slots[w] in batched for kind, w in items]


# Set by tf.data.experimental.enable_debug_mode: map functions run eagerly per element.
debug_mode = False


class TracedFunction:
    """``fn`` traced for elements of ``input_spec``; call ``element``/``block`` on flat values.

    Args:
        fn: the user's function.
        input_spec: the element_spec of the dataset it is applied to.
        what: the transformation's name, for error messages ("map", "filter").
    """

    def __init__(self, fn, input_spec, what: str):
        self._input_spec = input_spec
        self._in_leaves = [structure.function_view(s) for s in structure.flatten(input_spec)]
        self._what = what
        from tensorflux.engine.autograph import convert

        converted = convert(fn)

        def packed(*args, **kwargs):
            return pack_nested_lists(converted(*args, **kwargs))

        self._function = Function(packed, name=getattr(fn, "__name__", what), autograph=False)
        # tf.data runs its functions on the host, as TF does, whatever the device scope.
        self._function._on_host = True
        self._plans: dict = {}
        for s in self._in_leaves:
            if not isinstance(s, TensorSpec):
                raise TypeError(
                    f"Dataset.{what} cannot apply a traced function to elements "
                    f"that hold datasets ({s!r})."
                )
        self._generic = None
        if structure.fully_defined(self._in_leaves):
            self._static = self._plan(
                tuple(structure.shape_tuple(s) for s in self._in_leaves), self._in_leaves
            )
            self.output_spec = self._static.template
            self.elementwise = self._static.elementwise
            return
        self.elementwise = False
        if all(s.shape.rank is not None for s in self._in_leaves):
            # One trace with the unknown dims left unknown serves every element, as in TF,
            # unless tracing found the graph specialised to its example sizes.
            plan = self._plan(None, self._in_leaves)
            if plan.generic:
                self._generic = plan
                self.output_spec = plan.template
                return
        # Two traces with different sizes for the unknown dims: the output dims that
        # differ between them are unknown too.
        a = self._plan(None, [_concrete_spec(s, 2) for s in self._in_leaves])
        b = self._plan(None, [_concrete_spec(s, 3) for s in self._in_leaves])
        unknown_rank = any(s.shape.rank is None for s in self._in_leaves)
        leaves = [
            TensorSpec(None, x.dtype) if unknown_rank else structure.relax(x, y)
            for x, y in zip(a.out_specs, b.out_specs)
        ]
        self.output_spec = structure.pack(a.template, leaves)

    def _plan(self, key, specs) -> _Plan:
        args = structure.pack(self._input_spec, list(specs))
        if type(args) is tuple:
            concrete = self._function.get_concrete_function(*args)
        else:
            concrete = self._function.get_concrete_function(args)
        _check_result(concrete.structured_outputs, self._what)
        plan = _Plan(concrete, [s.shape.rank for s in specs])
        if key is not None:
            self._plans[key] = plan
        return plan

    def element(self, flat) -> tuple:
        """The function's flat outputs for one element."""
        if self._generic is not None:
            return self._running(self._generic.element, flat)
        key = tuple(np.shape(v) for v in flat)
        plan = self._plans.get(key)
        if plan is None:
            specs = [TensorSpec(k, s.dtype) for k, s in zip(key, self._in_leaves)]
            plan = self._plan(key, specs)
        return self._running(plan.element, flat)

    def block(self, flat) -> tuple:
        """The flat outputs for a block of elements (only when ``elementwise``)."""
        return self._running(self._static.block, flat)

    def _running(self, run, flat) -> tuple:
        # A kernel that fails while the pipeline runs raises what TF's iterator raises: a
        # tf.errors class (InvalidArgumentError for a bad shape or index), never NumPy's.
        try:
            return run(flat)
        except OpError:
            raise
        except Exception as e:  # noqa: BLE001 - each becomes its tf.errors class
            node = failed_node(e)
            op = node.op.name if node is not None else "the function"
            shapes = ", ".join(str(np.shape(v)) for v in flat)
            raise kernel_failure(
                e,
                op,
                f"{op} failed in the function passed to "
                f"Dataset.{self._what}, on an element of shapes "
                f"({shapes})",
            ) from None


class EagerFunction:
    """``fn`` called eagerly on every element (for functions over or returning datasets)."""

    def __init__(self, fn, input_spec, what: str):
        self._fn = fn
        self._input_spec = input_spec
        self._in_leaves = [structure.function_view(s) for s in structure.flatten(input_spec)]
        self._what = what

    def example_result(self, fill: int = 1):
        """The function's result on a made-up element of the input spec (for specs)."""
        leaves = [_example_leaf(s, fill) for s in self._in_leaves]
        return self.call(leaves)

    def example_spec(self):
        """The spec of the function's results: made-up elements of two sizes, with the
        dims that differ between their results unknown."""
        a = structure.normalize(lists_to_tuples(self.example_result(1)))
        b = structure.normalize(lists_to_tuples(self.example_result(2)))
        specs = [
            structure.relax(structure.spec_of(x), structure.spec_of(y))
            if isinstance(x, Tensor)
            else structure.spec_of(x)
            for x, y in zip(structure.flatten(a), structure.flatten(b))
        ]
        return structure.pack(a, specs)

    def call(self, leaves):
        element = structure.pack(self._input_spec, leaves)
        out = call_with_element(self._fn, element)
        _check_result(out, self._what)
        return out

    def element(self, flat):
        leaves = [structure.leaf_tensor(v, s) for v, s in zip(flat, self._in_leaves)]
        return self.call(leaves)


def _example_leaf(spec, fill: int):
    if isinstance(spec, SparseTensorSpec):
        dims = [fill if d is None else d for d in spec.shape.as_list()]
        values = np.zeros(0, spec.dtype.as_numpy_dtype)
        return SparseTensor(np.zeros((0, len(dims)), np.int64), values, dims)
    if isinstance(spec, TensorSpec):
        shape = tuple(
            fill if d is None else d
            for d in (spec.shape.as_list() if spec.shape.rank is not None else [])
        )
        if spec.dtype is dtypes.string:
            return Tensor(np.full(shape, b"", dtype=object), spec.dtype)
        return Tensor(np.zeros(shape, spec.dtype.as_numpy_dtype), spec.dtype)
    if hasattr(spec, "_example_value"):
        return spec._example_value(fill)
    from tensorflux.data.interleave import VariantDataset

    return VariantDataset([], spec.element_spec)
