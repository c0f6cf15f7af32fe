"""``tf.function``: traces Python into graphs, caches them, runs them fast.

Tracing calls the Python function once with ``SymbolicTensor`` arguments that
carry the call's values as examples: every op then validates and infers exactly
as eagerly, while ``execute`` records it into a ``FuncGraph``. Variable reads and
assignments, random ops and ``tf.print`` become ordered nodes, so they happen on
every call; other Python side effects happen only while tracing. The graph is
compiled once by ``executor.compile_graph``.

An ``input_signature`` with ``None`` dimensions (or ``reduce_retracing``, after a
second shape) traces with partly known shapes: one graph then serves every size,
unless tracing found that Python code computed something from the example's sizes
(``partial_shapes``), in which case each new size is traced again.
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref

import numpy as np

from tensorflux.engine import executor, function_mode, function_signature, jit
from tensorflux.engine.composite_args import expand_composites, relax_composites, signature_leaves
from tensorflux.engine.function_arguments import (
    conform,
    conform_structure,
    example_value,
    flat_tensors,
    is_tensor_arg,
    iterator_arguments,
    partial_dims,
    shapeless_key,
    spec_key,
    trace_key,
    traced_argument_spec,
)
from tensorflux.engine.graph import ASSIGN, ASSIGN_ADD, ASSIGN_SUB, READ, FuncGraph
from tensorflux.engine.registry import execute
from tensorflux.framework import context, dtypes, nest
from tensorflux.framework.composite_tensor import CompositeSpec, CompositeTensor
from tensorflux.framework.errors import (
    InvalidArgumentError,
    OpError,
    UnimplementedError,
    kernel_failure,
)
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.variables import Variable

__all__ = ["function", "Function", "ConcreteFunction"]

# Callables given each ConcreteFunction about to run (tf.summary.trace_on collects the
# graphs run while it is on).
call_observers: list = []


# -- concrete functions -------------------------------------------------------

_TENSOR, _CONSTANT, _SLICES, _COMPOSITE = "tensor", "constant", "slices", "composite"


class ConcreteFunction:
    """One traced graph of a ``tf.function``, callable with tensors of its signature."""

    def __init__(
        self,
        graph: FuncGraph,
        input_leaves,
        structured_input_signature,
        structured_outputs,
        name: str,
        traced_shapes=(),
        specialize=None,
        jit_compile=False,
        on_host=False,
    ):
        self.graph = graph
        self._input_leaves = input_leaves
        # A spec with None dims accepts other sizes. When tracing specialised the graph to
        # its example sizes, ``specialize`` gets the graph traced for other ones.
        self._traced_shapes = list(traced_shapes)
        self._specialize = specialize
        self.structured_input_signature = structured_input_signature
        self._name = name
        # Set by the tracing Function: the Python function and the call's arguments
        # (values and specs), for printing the signature.
        self._python_function = None
        self._call_signature = None
        # Filled by the tracing Function: slots for the iterators its calls pass.
        self._argument_slots = []
        flat = nest.flatten(structured_outputs)
        self._leaves = []
        shown = []
        slots = []
        with graph.as_default():
            for leaf in flat:
                if isinstance(leaf, Variable):
                    leaf = leaf.value()
                if isinstance(leaf, IndexedSlices):
                    parts = [
                        convert_to_tensor(p) for p in (leaf.values, leaf.indices, leaf.dense_shape)
                    ]
                    self._leaves.append((_SLICES, len(slots), [p._dtype for p in parts]))
                    slots.extend(graph.slot_of(p) for p in parts)
                elif isinstance(leaf, CompositeTensor):
                    parts = [convert_to_tensor(p) for p in leaf._components()]
                    rebuild = (type(leaf), leaf._static_key(), len(parts))
                    self._leaves.append((_COMPOSITE, len(slots), rebuild))
                    slots.extend(graph.slot_of(p) for p in parts)
                elif isinstance(leaf, Tensor):
                    self._leaves.append((_TENSOR, len(slots), leaf._dtype))
                    slots.append(graph.slot_of(leaf))
                else:
                    leaf = _python_output(leaf, name)
                    self._leaves.append((_CONSTANT, leaf, None))
                shown.append(leaf)
        self._output_template = structured_outputs
        self._single_tensor = (
            not nest.is_nested(structured_outputs) and self._leaves[0][0] == _TENSOR
        )
        self._output_slots = slots
        self._run, self._nodes, self._source = executor.compile_graph(graph, slots)
        # The tf.device scope of the first call places the graph, as TF places the ops a
        # trace creates; a graph kept on the host is placed as under tf.device("/CPU:0").
        self._run = jit.compile_graph(
            graph,
            self._nodes,
            slots,
            name,
            self._run,
            jit_compile=jit_compile,
            device=("CPU", 0) if on_host else context.state.device,
        )
        # What TF shows: Python numbers and strings returned became constant tensors.
        self.structured_outputs = nest.pack_sequence_as(structured_outputs, shown)

    @property
    def name(self) -> str:
        return self._name

    @property
    def inputs(self) -> list:
        return list(self._input_leaves)

    @property
    def outputs(self) -> list:
        """The function's output tensors, flat (Python values returned are not)."""
        return [t for t in nest.flatten(self.structured_outputs) if isinstance(t, Tensor)]

    def pretty_printed_signature(self, verbose=True) -> str:
        """The parameters with their specs, the output type and the captures, as TF
        prints them (``verbose=False``: the one-line form of the repr)."""
        return function_signature.pretty_printed_signature(self, verbose)

    def __str__(self):
        if self._python_function is None:
            return repr(self)
        return f"ConcreteFunction {self.pretty_printed_signature()}"

    def __repr__(self):
        if self._python_function is None:
            return f"<ConcreteFunction {self._name} at 0x{id(self):X}>"
        return f"<ConcreteFunction {function_signature.short_signature(self)} at 0x{id(self):X}>"

    @property
    def variables(self) -> tuple:
        return tuple(self.graph.variables.values())

    @property
    def output_shapes(self):
        """The static shape of each output, in the structure of the outputs."""
        return nest.map_structure(
            lambda t: TensorShape(None) if t is None else t.shape, self.structured_outputs
        )

    @property
    def output_dtypes(self):
        """The dtype of each output (None for a None output), in their structure."""
        return nest.map_structure(lambda t: None if t is None else t.dtype, self.structured_outputs)

    @property
    def trainable_variables(self) -> tuple:
        return tuple(v for v in self.graph.variables.values() if v.trainable)

    def __call__(self, *args, **kwargs):
        """Runs the graph on tensors matching ``structured_input_signature``."""
        if self._argument_slots:
            given = iterator_arguments(args, kwargs)
            for slot, iterator in zip(self._argument_slots, given):
                slot.current = iterator
        flat = [
            x
            for x in expand_composites(nest.flatten((args, kwargs)))
            if isinstance(x, (Tensor, np.ndarray))
            or hasattr(x, "_as_tensor")
            and not isinstance(x, Variable)
        ]
        if len(flat) != len(self._input_leaves):
            raise TypeError(
                f"ConcreteFunction {self._name} takes {len(self._input_leaves)} "
                f"tensor arguments, got {len(flat)}."
            )
        for i, (x, spec) in enumerate(zip(flat, self._input_leaves)):
            if isinstance(x, Tensor) and x._dtype is not spec.dtype:
                raise InvalidArgumentError(
                    None,
                    self._name,
                    f"cannot compute {self._name} as input #{i}(zero-based) "
                    f"was expected to be a {spec.dtype.name} tensor but is a {x._dtype.name} "
                    f"tensor. The ConcreteFunction was traced for {spec}: cast the argument "
                    f"or trace another one.",
                )
        tensors = [
            conform(x, spec, f"ConcreteFunction {self._name}", i)
            for i, (x, spec) in enumerate(zip(flat, self._input_leaves))
        ]
        if self._specialize is not None and any(
            t._value.shape != s for t, s in zip(tensors, self._traced_shapes)
        ):
            return self._specialize(tensors)._call_flat(tensors)
        return self._call_flat(tensors)

    def _call_flat(self, tensors):
        if call_observers:
            for observer in call_observers:
                observer(self)
        if context.state.recording_tapes or context.state.graph is not None:
            flat = self._replay(tensors)
        else:
            try:
                arrays = self._run(*[t._value for t in tensors])
            except OpError:
                raise
            except Exception as e:  # noqa: BLE001 - each becomes its tf.errors class
                raise self._run_error(e, tensors) from None
            flat = [Tensor(a, _dtype_of(a)) for a in arrays]
        return self._pack(flat)

    def _run_error(self, error, tensors) -> OpError:
        """A kernel failed on values whose shapes tracing could not check (dimensions left
        unknown by the signature): name the op, the call's shapes and the traced ones."""
        node = executor.failed_node(error)
        op = node.op.name if node is not None else "an op"
        given = ", ".join(str(t.shape) for t in tensors)
        traced = ", ".join(str(spec.shape) for spec in self._input_leaves)
        failure = kernel_failure(
            error,
            op,
            f"{op} failed inside tf.function {self._name!r} on inputs of shapes "
            f"({given}), traced for ({traced})",
        )
        if isinstance(failure, InvalidArgumentError):
            failure.message += (
                " Shapes that the input_signature leaves unknown are checked "
                "only when the graph runs: pass compatible shapes."
            )
        return failure

    def _pack(self, flat):
        if self._single_tensor:
            return flat[0]
        leaves = []
        for kind, where, rebuild in self._leaves:
            if kind == _TENSOR:
                leaves.append(flat[where])
            elif kind == _SLICES:
                leaves.append(IndexedSlices(*flat[where : where + 3]))
            elif kind == _COMPOSITE:
                cls, static_key, n = rebuild
                leaves.append(cls._from_components(flat[where : where + n], static_key))
            else:
                leaves.append(where)
        return nest.pack_sequence_as(self._output_template, leaves)

    def _replay(self, tensors):
        return replay(self.graph, self._nodes, tensors, (), self._output_slots)

    def pretty_printed_source(self) -> str:
        """The generated Python that runs this graph (for debugging and tests)."""
        return self._source


def replay(graph: FuncGraph, nodes, inputs, captures, output_slots) -> list:
    """Runs ``nodes`` one by one through ``execute`` on tensors, so that recording tapes
    and an enclosing trace see every op; returns the tensors in ``output_slots``."""
    env = dict(graph.constants)
    env.update(zip(graph.inputs, inputs))
    env.update(zip((slot for _, slot in graph.captures), captures))
    for node in nodes:
        if node.kind == READ:
            env[node.outputs[0]] = node.var.value()
        elif node.kind in (ASSIGN, ASSIGN_ADD, ASSIGN_SUB):
            getattr(node.var, node.kind)(env[node.inputs[0]])
        else:
            out = execute(node.op, [env[s] for s in node.inputs], node.attrs)
            if node.op.num_outputs == 1:
                env[node.outputs[0]] = out
            elif node.op.num_outputs:
                env.update(zip(node.outputs, out))
    return [env[s] for s in output_slots]


def _python_output(value, name: str):
    """A Python value a traced function returns: None as it is; numbers, arrays and
    strings as constant tensors (as TF converts them); anything else cannot leave a
    graph."""
    if value is None:
        return value
    if isinstance(value, (bool, int, float, complex, np.ndarray, np.generic, str, bytes)):
        return convert_to_tensor(value)
    raise TypeError(
        f"To be compatible with tf.function, Python functions must return zero or "
        f"more Tensors or ExtensionTypes or None values; in compilation of "
        f"{name!r}, found return value of type {type(value).__name__}, which is "
        f"not a Tensor or ExtensionType. Return tensors (e.g. tf.constant(...)) or "
        f"move the Python value out of the function."
    )


def _dtype_of(a):
    return dtypes.from_numpy(a.dtype)


# -- tf.function --------------------------------------------------------------


class Function:
    """A Python function that runs as traced graphs (what ``tf.function`` returns)."""

    def __init__(
        self,
        python_function,
        name=None,
        input_signature=None,
        autograph=True,
        jit_compile=None,
        reduce_retracing=False,
        experimental_attributes=None,
    ):
        if not callable(python_function):
            raise TypeError(
                f"{python_function!r} is not a callable object: tf.function "
                f"compiles a Python function."
            )
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        if input_signature is not None:
            if not isinstance(input_signature, (list, tuple)):
                raise TypeError(
                    f"input_signature must be either a tuple or a list, got "
                    f"{type(input_signature)}."
                )
            bad = [
                x
                for x in nest.flatten(input_signature)
                if not isinstance(x, (TensorSpec, CompositeSpec)) and not traced_argument_spec(x)
            ]
            if bad:
                raise TypeError(
                    f"input_signature must be a possibly nested sequence of "
                    f"TensorSpec objects, got invalid args {bad} with types "
                    f"{[type(x) for x in bad]}."
                )
        self._input_signature = None if input_signature is None else list(input_signature)
        self._autograph = autograph
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        # True for functions that run on the host whatever the tf.device scope (tf.data's).
        self._on_host = False
        self._cache: dict = {}
        # Traces by argument structure (tensors by dtype and rank), see ``_Family``.
        self._families: dict = {}
        # Held while tracing, so that threads calling with one new signature trace it once.
        self._trace_lock = threading.RLock()
        self._trace_count = 0
        # Signatures this function was called with while another function was traced
        # (inlined there): TF traces each of those once, and counts it.
        self._nested_keys: set = set()
        self._converted = None
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        functools.update_wrapper(self, python_function, updated=())

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def experimental_get_compiler_ir(self, *args, **kwargs):
        """The XLA program of a ``jit_compile=True`` function for these arguments, as TF
        gives it: a function of ``stage`` (``"hlo"``, ``"optimized_hlo"``, their
        ``_serialized`` forms, ``"optimized_hlo_dot"``) returning the program's text
        (bytes when serialized).

        Raises:
            ValueError: a function without ``jit_compile=True``.
            UnimplementedError: the function does not compile (it runs on the executor:
                JAX is missing or some op has no XLA kernel).
        """
        if not self._jit_compile:
            raise ValueError(
                "Compiler IR can only be returned for functions marked with 'jit_compile=True'"
            )
        if self._input_signature is not None:
            args, kwargs = self._apply_signature(args, kwargs)
        concrete = self.get_concrete_function(*args, **kwargs)
        run = getattr(concrete._run, "compiler_ir", None)
        if run is None:
            raise UnimplementedError(
                None,
                self._name,
                f"tf.function {self._name!r} has no XLA program: it runs on tensorflux's "
                f"executor (see the warning given when it was traced).",
            )
        arrays = [t._value for t in flat_tensors(args, kwargs)]

        def compiler_ir_generator(stage="hlo", device_name=None, platform_name=None):
            return run(arrays, stage)

        return compiler_ir_generator

    def experimental_get_tracing_count(self) -> int:
        """How many times this function has been traced (counting, as TF does, each new
        signature it was called with inside another function's trace)."""
        return self._trace_count + sum(1 for k in self._nested_keys if k not in self._cache)

    def __get__(self, instance, owner):
        # A decorated method: one Function (and trace cache) per instance, as in TF.
        if instance is None:
            return self
        bound = self._bound.get(instance)
        if bound is None:
            method = self._python_function.__get__(instance, owner)
            bound = Function(
                method,
                self._name,
                self._input_signature,
                self._autograph,
                self._jit_compile,
                self._reduce_retracing,
            )
            bound._on_host = self._on_host
            self._bound[instance] = bound
        return bound

    def _placed(self, key):
        """``key`` with the device of the ``tf.device`` scope, if any: each device gets its
        own graph, as in TF (tf.data's functions, kept on the host, need none)."""
        device = context.state.device
        return key if device is None or self._on_host else (key, device)

    def _callable(self):
        if not self._autograph:
            return self._python_function
        if self._converted is None:
            from tensorflux.engine.autograph import convert

            self._converted = convert(self._python_function)
        return self._converted

    def __call__(self, *args, **kwargs):
        if function_mode.enabled:
            return self._python_function(*args, **kwargs)
        if context.state.graph is not None:
            # Called while tracing another function: inlined there.
            self._nested_keys.add(
                (trace_key(args), trace_key(kwargs)) if kwargs else trace_key(args)
            )
            return self._callable()(*args, **kwargs)
        if self._input_signature is not None:
            args, kwargs = self._apply_signature(args, kwargs)
        key = self._placed((trace_key(args), trace_key(kwargs)) if kwargs else trace_key(args))
        concrete = self._cache.get(key)
        flat = flat_tensors(args, kwargs)
        if concrete is None:
            with self._trace_lock:
                concrete = self._cache.get(key)
                if concrete is None:
                    concrete = self._cache[key] = self._concrete_for(args, kwargs, flat)
        if concrete._argument_slots:
            concrete = self._bind_arguments(concrete, key, args, kwargs)
        return concrete._call_flat(flat)

    def _bind_arguments(self, concrete, key, args, kwargs) -> ConcreteFunction:
        """Gives the graph's iterator slots this call's iterators. A graph whose Python
        ``for`` loop ran over an iterator while tracing holds that iterator's elements,
        so another iterator is traced again."""
        given = [x for x in nest.flatten((args, kwargs)) if getattr(x, "_as_traced_argument", None)]
        slots = concrete._argument_slots
        if any(s.unrolled and s.current is not x for s, x in zip(slots, given)):
            with self._trace_lock:
                concrete = self._cache[key] = self._trace(args, kwargs)
            slots = concrete._argument_slots
        for slot, iterator in zip(slots, given):
            slot.current = iterator
        return concrete

    def _concrete_for(self, args, kwargs, flat) -> ConcreteFunction:
        """The graph for a call whose exact key is not cached yet.

        A graph traced for partly known shapes (an ``input_signature`` with ``None``
        dimensions, or shapes relaxed by ``reduce_retracing``) serves every call it fits,
        unless tracing found it specialised to its example shapes; then each new shape
        is traced again.
        """
        shapes = [t._value.shape for t in flat]
        family_key = self._placed(shapeless_key((args, kwargs)))
        family = self._families.get(family_key)
        if family is None:
            family = self._families[family_key] = _Family()
        for partial, concrete in family.relaxed:
            if all(p.is_compatible_with(s) for p, s in zip(partial, shapes)):
                if concrete.graph.specialized_at is None:
                    return concrete
                return self._trace(args, kwargs, partial)
        if self._input_signature is not None:
            specs = signature_leaves(self._input_signature)
            partial = [TensorShape(partial_dims(spec, len(s))) for spec, s in zip(specs, shapes)]
        elif self._reduce_retracing and family.last is not None:
            partial = [p.most_specific_compatible_shape(s) for p, s in zip(family.last, shapes)]
        else:
            partial = relax_composites(args, kwargs, [TensorShape(s) for s in shapes])
        concrete = self._trace(args, kwargs, partial)
        family.add(partial, concrete)
        return concrete

    def _apply_signature(self, args, kwargs):
        if kwargs:
            params = list(inspect.signature(self._python_function).parameters)
            bound = list(args) + [kwargs.pop(p) for p in params[len(args) :] if p in kwargs]
            if kwargs:
                raise TypeError(f"{self._name}: unexpected keyword arguments {sorted(kwargs)}.")
            args = tuple(bound)
        sig = self._input_signature
        if len(args) != len(sig):
            reason = (
                "too many positional arguments"
                if len(args) > len(sig)
                else (
                    f"missing a required argument: "
                    f"'{list(inspect.signature(self._python_function).parameters)[len(args)]}'"
                )
            )
            raise TypeError(
                f"Binding inputs to tf.function failed due to `{reason}`. ({self._name} was "
                f"defined with an input_signature of {len(sig)} argument(s) but was called "
                f"with {len(args)}.)"
            )
        return tuple(
            conform_structure(x, spec, self._name, i) for i, (x, spec) in enumerate(zip(args, sig))
        ), {}

    def _trace(self, args, kwargs, partial_shapes=None, specialize=None) -> ConcreteFunction:
        """Traces the function on ``args``/``kwargs`` (tensors, whose static shapes are
        ``partial_shapes`` when given, and TensorSpecs).

        As in TF, a first trace that creates variables is followed by a second one,
        which is the function's graph and must not create any: a variable made on
        every call (rather than once) is refused at once.
        """
        graph, outputs, input_leaves, traced_shapes = self._trace_graph(
            args, kwargs, partial_shapes
        )
        if graph.created_variables and self._trace_count == 0:
            graph, outputs, input_leaves, traced_shapes = self._trace_graph(
                args, kwargs, partial_shapes
            )
        if graph.created_variables:
            raise ValueError(
                "tf.function only supports singleton tf.Variables created on the first "
                "call. Make sure the tf.Variable is only created once or created outside "
                "tf.function. See https://www.tensorflow.org/guide/function"
                f"#creating_tfvariables for more information. (tf.function {self._name!r}: "
                "guard the creation, e.g. `if self.v is None:`.)"
            )
        self._trace_count += 1
        specs = iter(input_leaves)

        def spec_of(x):
            if isinstance(x, (CompositeTensor, CompositeSpec)):
                value = x._example() if isinstance(x, CompositeSpec) else x
                for _ in value._components():
                    next(specs)
                return x if isinstance(x, CompositeSpec) else x._type_spec
            if getattr(x, "_as_traced_argument", None) is not None:
                return x._type_spec
            return next(specs) if isinstance(x, TensorSpec) or is_tensor_arg(x) else x

        signature = (nest.map_structure(spec_of, args), nest.map_structure(spec_of, kwargs))
        concrete = ConcreteFunction(
            graph,
            input_leaves,
            signature,
            outputs,
            self._name,
            traced_shapes,
            specialize,
            jit_compile=bool(self._jit_compile),
            on_host=self._on_host,
        )
        concrete._python_function = self._python_function
        concrete._call_signature = signature
        concrete._argument_slots = graph.argument_slots
        return concrete

    def _trace_graph(self, args, kwargs, partial_shapes):
        """One run of the Python function on symbolic arguments: its graph, outputs,
        input specs and the traced example shapes."""
        graph = FuncGraph(self._name)
        graph.argument_slots = []
        input_leaves, traced_shapes = [], []
        partial = iter(partial_shapes or ())

        def to_symbolic(x):
            as_traced = getattr(x, "_as_traced_argument", None)
            traced = as_traced() if as_traced is not None else None
            if traced is not None:
                # An iterator: the graph pulls from the one each call passes.
                stand_in, slot = traced
                graph.argument_slots.append(slot)
                return stand_in
            spec_shapes = None
            if isinstance(x, CompositeSpec):
                spec_shapes = iter(x._relaxed_shapes())
                x = x._example()
            if isinstance(x, CompositeTensor):
                # Its components are traced at the call's partial shapes (relaxed as the
                # type or the input_signature allows: any number of a SparseTensor's
                # entries), its static key is baked into the graph.
                parts = []
                for c, relaxed in zip(x._components(), x._relaxed_shapes()):
                    t = convert_to_tensor(c)
                    given = next(spec_shapes if spec_shapes is not None else partial, None)
                    shape = TensorShape(relaxed if given is None else given)
                    input_leaves.append(TensorSpec(shape, t._dtype))
                    traced_shapes.append(t._value.shape)
                    parts.append(graph.placeholder(t._value, t._dtype, "x", shape=shape))
                return type(x)._from_components(parts, x._static_key())
            if isinstance(x, TensorSpec):
                example = example_value(x)
                input_leaves.append(x)
                traced_shapes.append(example.shape)
                shape = TensorShape(partial_dims(x, example.ndim))
                return graph.placeholder(example, x.dtype, x.name or "x", shape=shape)
            if is_tensor_arg(x):
                t = convert_to_tensor(x)
                shape = TensorShape(next(partial, t._value.shape))
                input_leaves.append(TensorSpec(shape, t._dtype))
                traced_shapes.append(t._value.shape)
                return graph.placeholder(t._value, t._dtype, "x", shape=shape)
            return x

        sym_args = nest.map_structure(to_symbolic, args)
        sym_kwargs = nest.map_structure(to_symbolic, kwargs)
        saved_tapes = context.state.recording_tapes[:]
        context.state.recording_tapes.clear()
        try:
            with graph.as_default(), np.errstate(all="ignore"):
                outputs = self._callable()(*sym_args, **sym_kwargs)
        except InvalidArgumentError as e:
            if e.op is None or getattr(e, "_depends_on_values", False):
                raise
            # Caught by shapes and constant arguments alone: TF's graph construction
            # refuses it with a ValueError, before anything runs.
            raise ValueError(
                f"{e.message} (raised while tracing tf.function {self._name!r}, for node {e.op})"
            ) from None
        finally:
            context.state.recording_tapes[:] = saved_tapes
        return graph, outputs, input_leaves, traced_shapes

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The ConcreteFunction for these arguments (tensors or ``tf.TensorSpec`` s)."""
        if not args and not kwargs and self._input_signature is not None:
            args = tuple(self._input_signature)
        key = self._placed(("concrete", spec_key((args, kwargs))))
        concrete = self._cache.get(key)
        if concrete is None:
            with self._trace_lock:
                concrete = self._cache.get(key)
                if concrete is None:
                    concrete = self._trace(
                        args, kwargs, specialize=functools.partial(self._specialize, args, kwargs)
                    )
                    if concrete.graph.specialized_at is None:
                        concrete._specialize = None
                    self._cache[key] = concrete
        return concrete

    def _specialize(self, args, kwargs, tensors) -> ConcreteFunction:
        """The ConcreteFunction for ``args``/``kwargs`` with their tensors' leaves given the
        exact shapes of ``tensors``."""
        flat = iter(tensors)

        def exact(x):
            if isinstance(x, (CompositeSpec, CompositeTensor)):
                value = x._example() if isinstance(x, CompositeSpec) else x
                for _ in value._components():
                    next(flat)
                return x
            if isinstance(x, TensorSpec) or is_tensor_arg(x):
                t = next(flat)
                return TensorSpec(t.shape, t._dtype)
            return x

        args, kwargs = nest.map_structure(exact, (args, kwargs))
        return self.get_concrete_function(*args, **kwargs)

    def __repr__(self):
        return f"<tensorflux.function {self._name}>"


class _Family:
    """The traces of one argument structure (tensors by dtype and rank).

    Only traces whose shapes have unknown dimensions are scanned for a call that fits
    them, and there are few: a trace for fully known shapes serves only calls of exactly
    those shapes, which the exact-key cache finds by hashing.
    """

    __slots__ = ("traces", "relaxed")

    def __init__(self):
        # (TensorShapes of the tensor arguments, ConcreteFunction), in tracing order.
        self.traces: list = []
        self.relaxed: list = []

    def add(self, partial: list, concrete: ConcreteFunction) -> None:
        self.traces.append((partial, concrete))
        if not all(p.is_fully_defined() for p in partial):
            self.relaxed.append((partial, concrete))

    @property
    def last(self):
        """The TensorShapes of the latest trace (which ``reduce_retracing`` relaxes)."""
        return self.traces[-1][0] if self.traces else None

    def __iter__(self):
        return iter(self.traces)


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
    name=None,
):
    """Compiles a Python function into graphs (``tf.function``), as decorator or call.

    >>> import tensorflux as tf
    >>> @tf.function
    ... def affine(x):
    ...     return 2.0 * x + 1.0
    >>> affine(tf.constant([1.0, 2.0])).numpy()
    array([3., 5.], dtype=float32)

    Args:
        func: the function (or method) to compile.
        input_signature: a list of ``tf.TensorSpec``; ``None`` dimensions accept any size.
        autograph: convert Python ``if``/``while``/``for`` on tensors into graph control flow.
        jit_compile: compile each traced graph with XLA through JAX (the ``xla``
            extra); where JAX or an op's XLA kernel is missing, the executor runs it,
            after one warning.
        reduce_retracing: after a call with new shapes, trace once more with the
            dimensions that differed left unknown, and reuse that graph for any size.
    """
    reduce_retracing = reduce_retracing or bool(experimental_relax_shapes)

    def decorate(f):
        return Function(
            f,
            name=name,
            input_signature=input_signature,
            autograph=autograph,
            jit_compile=jit_compile or experimental_compile,
            reduce_retracing=reduce_retracing,
        )

    return decorate if func is None else decorate(func)
