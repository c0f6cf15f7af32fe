"""``jit_compile=True``: a traced graph lowered to one XLA computation through JAX.

The planned node list that our executor runs (``executor.live_nodes``: forward ops,
the symbolic gradient graph a tape recorded, the optimizer's variable updates) becomes
one Python function over ``jax.numpy`` values, with each op's kernel taken from the
second kernel table (``tensorflux.kernels.xla``), and ``jax.jit`` compiles it: once per
input signature, as JAX caches by shapes and dtypes. Variables go in as arguments and
their new values come back as results, written to the variables after the call.

Values that tracing knows (constants, and everything computed from them and from
shapes) stay NumPy arrays and are folded by the NumPy kernels while JAX traces, so
shape arithmetic never reaches XLA. The legacy stateful random ops (``RandomUniform``
under Keras' Dropout, ``RandomUniformInt``, ``RandomStandardNormal``,
``TruncatedNormal``, ``Multinomial``) lower with their Philox streams' counters as
explicit inputs: each call passes every stream's counter in and writes the moved-on
counter back, so the numbers are the executor's, call after call. An op with no XLA
kernel (``Unique`` among them), or one that cannot lower for its attrs, makes the
function run on our executor, with one warning naming the ops.
Ops that TF itself cannot compile (Python functions, strings, printing, sparse
tensors, sorted segment reductions, determinants, gamma, Poisson and binomial draws; see
``_REFUSED_BY_TF``), in the graph or in its branches and loops, raise TF's
``InvalidArgumentError`` on the first call, as TF does. Branches and loops
that change no variables (``If``, ``While``) become ``lax.cond`` and ``lax.while_loop``;
a loop's gradient (``WhileGrad``) still runs on the executor.

With a GPU (``devices.placement``), every graph not kept on the CPU by ``tf.device``
lowers here and runs on the card: ``jit_compile=True`` graphs as above, others softly
(a graph that does not lower runs on the executor without a warning, and ops TF's XLA
refuses are no error). Their assigned variables keep their values on the card.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from tensorflux.engine.graph import ASSIGN, ASSIGN_ADD, ASSIGN_SUB, READ, FuncGraph
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.kernels.xla import devices
from tensorflux.ops import philox

__all__ = ["jit_runner", "unlowered_ops", "XlaFallbackWarning"]

# Ops XLA has no kernel for in TF either: ``jit_compile=True`` refuses them, with TF's
# InvalidArgumentError. Each is an op TF 2.21 registers no XLA_CPU_JIT kernel for (its
# kernel registry, checked) whose public call TF refuses under jit_compile=True (run in
# TF, checked: tf.linalg.det, tf.math.segment_sum, tf.sparse.*, the gradient of
# tf.image.resize(method="nearest"), Keras' RandomRotation; tf.raw_ops where TF has no
# other call) and where ours runs the same op. Ops that take or give strings (decoding,
# encoding, parsing, tf.strings) need no entry: any graph with string values is refused.
# Not listed, so they fall back with a warning: ops TF refuses that we run where TF
# composes compilable ops (our tf.linalg.expm is one MatrixExponential, our
# tf.linalg.lstsq one MatrixSolveLs, also with fast=True).
_REFUSED_BY_TF = frozenset(
    {# Python functions, printing, files, summaries
     "PyFunc", "PyFuncStateless", "EagerPyFunc", "PrintV2", "StringFormat", "ReadFile",
     "WriteFile", "MatchingFiles", "WriteSummary", "WriteRawProtoSummary", "Timestamp",
     "Fingerprint", "IteratorGetNext", "GuaranteeConst",
     # images
     "ImageProjectiveTransformV3", "CropAndResize", "CropAndResizeGradImage",
     "CropAndResizeGradBoxes", "Dilation2D", "Dilation2DBackpropInput",
     "Dilation2DBackpropFilter", "MaxPoolWithArgmax", "MaxPoolGradWithArgmax",
     "MaxPoolGradGradWithArgmax", "FractionalMaxPool", "FractionalMaxPoolGrad",
     "FractionalAvgPool", "FractionalAvgPoolGrad", "NonMaxSuppressionV5",
     "CombinedNonMaxSuppression", "NonMaxSuppressionWithOverlaps", "DrawBoundingBoxesV2",
     "ExtractGlimpseV2", "ResizeBicubic", "ResizeBicubicGrad", "ResizeArea",
     "ResizeNearestNeighborGrad", "ScaleAndTranslate", "ScaleAndTranslateGrad",
     "SampleDistortedBoundingBoxV2", "StatelessSampleDistortedBoundingBox",
     "ExtractVolumePatches",
     # linear algebra, FFTs, special functions
     "MatrixDeterminant", "LogMatrixDeterminant", "Lu", "Eig", "MatrixLogarithm",
     "MatrixSquareRoot", "BandedTriangularSolve", "FFTND", "IFFTND", "RFFTND", "IRFFTND",
     "BesselI0", "BesselI1",
     # sorted segment reductions, sparse tensors, ragged tensors
     "SegmentSum", "SegmentMean", "SegmentMax", "SegmentMin", "SegmentProd",
     "SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN",
     "SparseSegmentSumWithNumSegments", "SparseSegmentMeanWithNumSegments",
     "SparseSegmentSqrtNWithNumSegments", "SparseAdd", "SparseAddGrad",
     "SparseTensorDenseAdd", "SparseConcat", "SparseCross", "SparseDenseCwiseMul",
     "SparseDenseCwiseDiv", "SparseFillEmptyRows", "SparseReduceSum", "SparseReduceMax",
     "SparseReduceSumSparse", "SparseReduceMaxSparse", "SparseReorder", "SparseReshape",
     "SparseSlice", "SparseSoftmax", "SparseSparseMaximum", "SparseSparseMinimum",
     "SparseTensorDenseMatMul", "DenseCountSparseOutput", "SparseCountSparseOutput",
     "RaggedRange", "RaggedFillEmptyRows", "RaggedFillEmptyRowsGrad",
     # sets, lookup tables, counting, indexing
     "DenseToDenseSetOperation", "DenseToSparseSetOperation", "SparseToSparseSetOperation",
     "SetSize", "LookupTableFindV2", "LookupTableInsertV2", "LookupTableRemoveV2",
     "LookupTableSizeV2", "LookupTableExportV2", "UniqueWithCounts", "UnravelIndex",
     "HistogramFixedWidth", "UnicodeScript",
     # random draws and candidate samplers
     "RandomGamma", "RandomPoissonV2", "StatefulRandomBinomial", "StatelessRandomBinomial",
     "StatelessRandomGammaV3", "StatelessRandomPoisson", "StatelessShuffle",
     "RandomIndexShuffle", "UniformCandidateSampler", "LogUniformCandidateSampler",
     "LearnedUnigramCandidateSampler", "FixedUnigramCandidateSampler",
     "AllCandidateSampler", "ComputeAccidentalHits",
     # sequence models, quantization, isotonic regression
     "CTCLoss", "CTCGreedyDecoder", "CTCBeamSearchDecoder", "EditDistance",
     "QuantizeAndDequantizeV4Grad", "IsotonicRegression"}
)  # fmt: skip

# (function name, ops) pairs already warned about: one warning per function.
_warned: set = set()


class XlaFallbackWarning(UserWarning):
    """A ``jit_compile=True`` function runs on the executor: some op did not lower."""


class _NotLowered(Exception):
    """Raised while JAX traces the graph: ``op`` could not lower (``reason``)."""

    def __init__(self, op: str, reason: str):
        super().__init__(f"{op}: {reason}")
        self.op = op
        self.reason = reason


def _is_string(value) -> bool:
    return getattr(value, "dtype", None) is not None and value.dtype.kind in "OSU"


def _refused_op(graph: FuncGraph, nodes) -> str | None:
    """The first op of ``nodes`` (or of the branches and loops among them, which TF
    compiles too) that TF's XLA cannot compile, or None."""
    for slot in graph.inputs:
        dtype = graph.input_dtypes.get(slot)
        if dtype is not None and dtype.name == "string":
            return "_Arg"
    for node in nodes:
        if node.kind != "op":
            continue
        if node.op.name in _REFUSED_BY_TF or any(_is_string(v) for v in node.out_values):
            return node.op.name
        for body in _bodies(node):
            refused = _refused_op(body.graph, body.nodes)
            if refused is not None:
                return refused
    return None


def _bodies(node) -> list:
    """The traced branches of an ``If`` node, the condition and body of a ``While`` node
    (each with ``graph`` and ``nodes``), or none."""
    if node.op.name == "If":
        return list(node.attrs["branches"])
    if node.op.name == "While":
        return [node.attrs["loop"].cond, node.attrs["loop"].body]
    return []


def _static_slots(graph: FuncGraph, nodes) -> set:
    """The slots whose values are known before the graph runs: constants, shapes, and
    what stateless ops compute from them alone."""
    static = set(graph.constants)
    for node in nodes:
        if node.kind != "op" or node.op.stateful or node.op.num_outputs == 0:
            continue
        if node.op.shape_only or all(s in static for s in node.inputs):
            static.update(node.outputs)
    return static


def unlowered_ops(graph: FuncGraph, nodes) -> list[str]:
    """The ops of ``nodes`` (and of the branches and loops among them) that need a
    kernel the XLA tables lack (sorted names)."""
    from tensorflux.kernels import xla

    return sorted(_missing(graph, nodes, xla.kernels(), xla.random_kernels()))


def _random_streams(nodes, random_table) -> list:
    """The Philox streams of the random ops of ``nodes`` that lower (each once)."""
    streams = []
    for node in nodes:
        stream = _drawn_stream(node, random_table)
        if stream is not None and all(stream is not s for s in streams):
            streams.append(stream)
    return streams


def _drawn_stream(node, random_table):
    """The stream ``node`` draws from when it is a random op with an XLA kernel."""
    if node.kind != "op" or node.op.name not in random_table:
        return None
    return node.attrs.get("stream")


def _missing(graph: FuncGraph, nodes, table, random_table=None) -> set:
    static = _static_slots(graph, nodes)
    missing = set()
    for node in nodes:
        if node.kind != "op" or all(o in static for o in node.outputs) and node.outputs:
            continue
        name = node.op.name
        if name == "If" and not node.attrs["has_effects"]:
            for branch in node.attrs["branches"]:
                missing |= _missing(branch.graph, branch.nodes, table)
        elif name == "While" and not node.attrs["has_effects"]:
            loop = node.attrs["loop"]
            missing |= _missing(loop.cond.graph, loop.cond.nodes, table)
            missing |= _missing(loop.body.graph, loop.body.nodes, table)
        elif name not in table and _drawn_stream(node, random_table or {}) is None:
            missing.add(name)
    return missing


def _op_names(nodes) -> set:
    """The names of the ops of ``nodes`` and of the branches and loops among them."""
    names = set()
    for node in nodes:
        if node.kind != "op":
            continue
        names.add(node.op.name)
        for body in _bodies(node):
            names |= _op_names(body.nodes)
    return names


def _with_tables(table, tables):
    """The kernel table with each kernel that reads a lookup table given its traced
    array from ``tables`` (by op name)."""
    bound = dict(table)
    for name, array in tables.items():
        entry = table.get(name)
        if entry is not None:
            bound[name] = entry._replace(fn=functools.partial(entry.fn, table=array))
    return bound


def _warn_once(key, message: str) -> None:
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(
        f"{message} Its results are the same; only the speed differs.",
        XlaFallbackWarning,
        stacklevel=5,
    )


def _fallback_warning(name: str, ops, reason: str) -> None:
    _warn_once(
        (name, tuple(ops)),
        f"tf.function {name!r} was asked for jit_compile=True but runs on tensorflux's "
        f"executor instead of XLA: {reason}.",
    )


def _soft_fallback_warning(name: str, device: str, error: Exception) -> None:
    _warn_once(
        (name, type(error).__name__),
        f"tf.function {name!r} runs on tensorflux's executor on the CPU instead of XLA on "
        f"{device}: XLA failed on it ({type(error).__name__}: {error}).",
    )


def _lowered_function(
    graph: FuncGraph, nodes, output_slots, variables, assigned, table, streams, random_table
):
    """The graph as a function of (input arrays, variable values, stream counters, the
    random kernels' tables by op name) returning (outputs, new values of the assigned
    variables, new stream counters), for ``jax.jit``. A counter is a ``[low, high]``
    uint64 pair."""
    constants = {slot: np.asarray(t._value) for slot, t in graph.constants.items()}
    var_index = {id(v): i for i, v in enumerate(variables)}
    stream_index = {id(s): i for i, s in enumerate(streams)}

    def run(inputs, var_values, counters, tables):
        kernels = _with_tables(table, tables)
        env = dict(constants)
        env.update(zip(graph.inputs, inputs))
        current = list(var_values)
        counters = list(counters)
        for node in nodes:
            stream = _drawn_stream(node, random_table)
            if stream is not None:
                j = stream_index[id(stream)]
                args = [env[s] for s in node.inputs]
                env[node.outputs[0]], counters[j] = _draw(
                    node, args, stream, counters[j], random_table, tables
                )
                continue
            if node.kind == READ:
                env[node.outputs[0]] = current[var_index[id(node.var)]]
                continue
            if node.kind in (ASSIGN, ASSIGN_ADD, ASSIGN_SUB):
                i = var_index[id(node.var)]
                value = env[node.inputs[0]]
                if node.kind == ASSIGN_ADD:
                    value = current[i] + value
                elif node.kind == ASSIGN_SUB:
                    value = current[i] - value
                current[i] = value
                continue
            args = [env[s] for s in node.inputs]
            outs = _run_node(node, args, kernels)
            if node.op.num_outputs == 1:
                env[node.outputs[0]] = outs
            else:
                env.update(zip(node.outputs, outs))
        return [env[s] for s in output_slots], [current[i] for i in assigned], counters

    return run


def _draw(node, args, stream, counter, random_table, tables):
    """A random op's values drawn at ``counter`` (traced), and the counter after them."""
    from tensorflux.kernels.xla import random

    name = node.op.name
    entry = random_table[name]
    if entry.outputs is None and not _is_static(args[0]):
        raise _NotLowered(name, "its shape is known only when the graph runs")
    try:
        if entry.outputs is None:
            size = int(np.prod(np.asarray(args[0]), dtype=np.int64))
        else:
            size = entry.outputs(args, node.attrs)
        values = entry.fn(args, node.attrs, stream.key, counter, size, tables.get(name))
    except Exception as e:  # noqa: BLE001 - any failure means: run on the executor
        raise _NotLowered(node.op.name, f"{type(e).__name__}: {e}") from e
    return values, random.advanced(counter, size)


def _is_static(value) -> bool:
    return isinstance(value, (np.ndarray, np.generic))


def _run_node(node, args, table):
    op = node.op
    if not op.stateful and all(_is_static(a) for a in args):
        # Known while compiling: folded by the NumPy kernel.
        return op.kernel(*args, **node.attrs)
    control_flow = _CONTROL_FLOW.get(op.name)
    if control_flow is not None:
        if node.attrs["has_effects"]:
            raise _NotLowered(op.name, "its body changes variables or has effects")
        return control_flow(args, node.attrs, table)
    entry = table.get(op.name)
    if entry is None:
        raise _NotLowered(op.name, "no XLA kernel")
    for i in entry.static:
        if not _is_static(args[i]):
            raise _NotLowered(op.name, f"input {i} sets a shape known only when the graph runs")
        args[i] = np.asarray(args[i])
    try:
        return entry.fn(*args, **node.attrs)
    except Exception as e:  # noqa: BLE001 - any failure means: run on the executor
        raise _NotLowered(op.name, f"{type(e).__name__}: {e}") from e


def _run_subgraph(traced, inputs, captured, table) -> list:
    """A branch, loop condition or loop body (``control_flow._Traced``) on values:
    ``inputs`` for its placeholders, ``captured`` the enclosing node's captured inputs."""
    graph = traced.graph
    env = {slot: np.asarray(t._value) for slot, t in graph.constants.items()}
    env.update(zip(graph.inputs, inputs))
    env.update(
        zip((slot for _, slot in graph.captures), (captured[i] for i in traced.capture_index))
    )
    for node in traced.nodes:
        if node.kind != "op":
            raise _NotLowered("If/While", "a branch or loop body reads or assigns a variable")
        outs = _run_node(node, [env[s] for s in node.inputs], table)
        if node.op.num_outputs == 1:
            env[node.outputs[0]] = outs
        else:
            env.update(zip(node.outputs, outs))
    return [env[s] for s in traced.output_slots]


def _split_static(values):
    """(the traced values, a function rebuilding the full list from them): values known
    while compiling stay closed over, so branches still see them as constants."""
    dynamic = [i for i, v in enumerate(values) if not _is_static(v)]

    def rebuild(traced):
        full = list(values)
        for i, v in zip(dynamic, traced):
            full[i] = v
        return full

    return [values[i] for i in dynamic], rebuild


def _lower_if(args, attrs, table):
    from jax import lax

    pred, captured = args[0], args[1:]
    branches = attrs["branches"]
    if _is_static(pred):
        return tuple(_run_subgraph(branches[0 if pred else 1], [], captured, table))
    operands, rebuild = _split_static(captured)

    def branch(traced):
        return lambda ops: tuple(_run_subgraph(traced, [], rebuild(ops), table))

    try:
        return lax.cond(pred, branch(branches[0]), branch(branches[1]), operands)
    except _NotLowered:
        raise
    except Exception as e:  # noqa: BLE001 - branches XLA cannot join: the executor runs
        raise _NotLowered("If", f"{type(e).__name__}: {e}") from e


def _lower_while(args, attrs, table):
    import jax.numpy as jnp
    from jax import lax

    loop = attrs["loop"]
    values, caps = list(args[: loop.n_vars]), args[loop.n_vars :]
    limit = attrs["maximum_iterations"]
    if loop.limit_index is not None:
        limit = caps[loop.limit_index]
    operands, rebuild = _split_static(caps)

    def cond(state):
        i, vals, ops = state
        go = jnp.asarray(_run_subgraph(loop.cond, vals, rebuild(ops), table)[0])
        return go if limit is None else go & (i < limit)

    def body(state):
        i, vals, ops = state
        new = _run_subgraph(loop.body, vals, rebuild(ops), table)
        return i + 1, [jnp.asarray(v, dtype=jnp.asarray(o).dtype) for v, o in zip(new, vals)], ops

    init = (jnp.asarray(0, jnp.int64), [jnp.asarray(v) for v in values], operands)
    try:
        return tuple(lax.while_loop(cond, body, init)[1])
    except _NotLowered:
        raise
    except Exception as e:  # noqa: BLE001 - a loop XLA cannot compile: the executor runs
        raise _NotLowered("While", f"{type(e).__name__}: {e}") from e


_CONTROL_FLOW = {"If": _lower_if, "While": _lower_while}

# The stages of ``experimental_get_compiler_ir``, as TF lists them.
_STAGES = (
    "hlo",
    "hlo_serialized",
    "optimized_hlo",
    "optimized_hlo_serialized",
    "optimized_hlo_dot",
)


class _JitRunner:
    """``run(*input_arrays) -> tuple(output_arrays)``, the executor's contract, through
    one ``jax.jit`` function; the executor's ``fallback`` runs once lowering fails.

    On a GPU (``placement.device`` one of ``devices.accelerators()``), the variables the
    graph assigns keep their new values in the GPU's memory (``Variable._device_value``)
    and the next call passes them as they are; the host copies them back only when it
    reads them. The outputs come back to the host."""

    def __init__(
        self, graph, nodes, output_slots, name, fallback, jax, table, random_table, placement
    ):
        self._graph = graph
        self._nodes = nodes
        self._name = name
        self._fallback = fallback
        self._checked = False
        self._lowered = True
        self._jax = jax
        self._device = placement.device
        self._strict = placement.strict
        self._resident = placement.device is not None and any(
            placement.device is d for d in devices.accelerators()
        )
        self._device_name = devices.device_name(placement.device)
        variables = []
        for node in nodes:
            if node.var is not None and all(node.var is not v for v in variables):
                variables.append(node.var)
        assigned_ids = {id(n.var) for n in nodes if n.kind in (ASSIGN, ASSIGN_ADD, ASSIGN_SUB)}
        self._variables = variables
        self._assigned = [i for i, v in enumerate(variables) if id(v) in assigned_ids]
        self._streams = _random_streams(nodes, random_table)
        # The lookup tables the kernels read, made once: arguments of each call.
        drawn = {n.op.name for n in nodes if _drawn_stream(n, random_table) is not None}
        makers = {name: random_table[name].table for name in drawn}
        makers.update((name, table[name].table) for name in _op_names(nodes) if name in table)
        self._tables = {
            name: jax.device_put(make(), self._device) for name, make in makers.items() if make
        }
        self._jitted = jax.jit(
            _lowered_function(
                graph,
                nodes,
                output_slots,
                variables,
                self._assigned,
                table,
                self._streams,
                random_table,
            )
        )

    def _check_refused(self) -> None:
        """Raises TF's error, once, for a graph holding an op TF's XLA refuses."""
        if self._checked:
            return
        refused = _refused_op(self._graph, self._nodes)
        if refused is not None:
            raise InvalidArgumentError(
                None,
                refused,
                f"Detected unsupported operations when trying to compile graph "
                f"{self._name} on XLA_CPU_JIT: {refused} (No registered '{refused}' "
                f"OpKernel for XLA_CPU_JIT devices compatible with node "
                f"{{{{node {refused}}}}}). Remove jit_compile=True to run it.",
            )
        self._checked = True

    def _arguments(self, arrays) -> tuple:
        # reserve(0): the counter now, restarted if set_seed has run since.
        counters = [_counter_pair(s.reserve(0)) for s in self._streams]
        if self._device is None:
            return list(arrays), [v._value for v in self._variables], counters, self._tables
        values = [v._value if v._device_value is None else v._device_value for v in self._variables]
        # Committed to the device, so that the computation runs there (a value already
        # on it is not copied).
        put = self._jax.device_put
        return (
            put(list(arrays), self._device),
            put(values, self._device),
            put(counters, self._device),
            self._tables,
        )

    def compiler_ir(self, arrays, stage: str):
        """The XLA program for inputs ``arrays`` at TF's ``stage``: ``"hlo"`` and
        ``"optimized_hlo"`` (text), their ``_serialized`` HloModuleProto bytes, or
        ``"optimized_hlo_dot"`` (a Graphviz graph).

        Raises:
            ValueError: another stage, or an op TF's XLA refuses (TF's message).
            UnimplementedError: an op that does not lower here (the function runs on the
                executor).
        """
        if stage not in _STAGES:
            raise ValueError(
                f"Invalid stage selected: {stage!r}. Valid values are: "
                f"{', '.join(repr(s) for s in _STAGES)}"
            )
        try:
            self._check_refused()
        except InvalidArgumentError as e:
            raise ValueError(f"Failed getting HLO text: '{e.message}'") from None
        try:
            lowered = self._jitted.lower(*self._arguments(arrays))
        except _NotLowered as e:
            raise UnimplementedError(
                None,
                e.op,
                f"tf.function {self._name!r} has no XLA program: {e.op} does not lower "
                f"({e.reason}); it runs on tensorflux's executor.",
            ) from None
        if stage == "hlo":
            return lowered.as_text(dialect="hlo")
        if stage == "hlo_serialized":
            return lowered.compiler_ir(dialect="hlo").as_serialized_hlo_module_proto()
        compiled = lowered.compile()
        if stage == "optimized_hlo":
            return compiled.as_text()
        module = compiled.runtime_executable().hlo_modules()[0].as_serialized_hlo_module_proto()
        if stage == "optimized_hlo_serialized":
            return module
        # The optimized module's graph, through the class of the unoptimized computation.
        return type(lowered.compiler_ir(dialect="hlo"))(module).as_hlo_dot_graph()

    def __call__(self, *arrays):
        if not self._lowered:
            return self._fallback(*arrays)
        if self._strict:
            self._check_refused()
        try:
            outputs, new_values, new_counters = self._jitted(*self._arguments(arrays))
            # Waits for the computation, so that its errors (a GPU out of memory) surface
            # before any variable changes.
            outputs = tuple(np.array(o) for o in outputs)
        except _NotLowered as e:
            # The executor first: where the values are wrong (a reshape to a bad size), its
            # error is the one to raise, and later calls may still compile.
            outputs = self._fallback(*arrays)
            if self._strict:
                _fallback_warning(self._name, [e.op], f"{e.op} does not lower ({e.reason})")
            self._lowered = False
            return outputs
        except Exception as e:  # noqa: BLE001 - soft placement: the executor runs it instead
            if self._strict:
                raise
            # A graph only placed on the GPU runs on the executor when XLA fails on it, as
            # TF runs ops without a GPU kernel on the CPU; an error of the graph itself is
            # raised by the executor.
            outputs = self._fallback(*arrays)
            _soft_fallback_warning(self._name, self._device_name, e)
            self._lowered = False
            return outputs
        for i, value in zip(self._assigned, new_values):
            if self._resident:
                self._variables[i]._keep_on_device(value, self._device_name)
            else:
                # A writable copy: the rest of the engine may update variables in place.
                self._variables[i]._value = np.array(value)
        for stream, (low, high) in zip(self._streams, np.asarray(new_counters).reshape(-1, 2)):
            stream.rewind(int(low) | int(high) << 64)
        return outputs


def _counter_pair(counter: int) -> np.ndarray:
    """A 128-bit Philox counter as a ``[low, high]`` uint64 pair."""
    return np.array([counter & philox._MASK64, counter >> 64], np.uint64)


def jit_runner(graph: FuncGraph, nodes, output_slots, name: str, fallback, placement):
    """A runner for ``graph`` compiled by XLA for ``placement`` (a ``devices.Placement``),
    or ``fallback`` (the executor's run function) when JAX is missing or some op has no
    XLA kernel: with one warning for ``jit_compile=True``, quietly for a graph only
    placed on a GPU."""
    from tensorflux.kernels import xla

    if not xla.available():
        _fallback_warning(name, ["<jax>"], f"JAX is not installed ({xla.INSTALL_HINT})")
        return fallback
    jax = xla.load()
    refused = _refused_op(graph, nodes)
    if refused is not None and not placement.strict:
        return fallback
    if refused is None:
        missing = unlowered_ops(graph, nodes)
        if missing:
            if placement.strict:
                _fallback_warning(name, missing, f"no XLA kernel for {', '.join(missing)}")
            return fallback
    return _JitRunner(
        graph,
        nodes,
        output_slots,
        name,
        fallback,
        jax,
        xla.kernels(),
        xla.random_kernels(),
        placement,
    )
