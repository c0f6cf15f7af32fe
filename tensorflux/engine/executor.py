"""Compiles a traced ``FuncGraph`` into one generated Python function.

The plan is fixed at compile time: unused nodes are pruned, every kernel and
attribute is bound once as a global of the generated code, values live in local
variables (the slots), and elementwise ufunc nodes write into a dead operand's
buffer instead of allocating. No per-call conversion or dtype check remains:
tracing already did them on the example values.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.fusion import fuse_chains, pair_siblings
from tensorflux.engine.graph import ASSIGN, ASSIGN_ADD, ASSIGN_SUB, READ, FuncGraph, Node
from tensorflux.engine.partial_shapes import cannot_grow, example_shape

__all__ = ["compile_graph", "live_nodes", "has_effects", "failed_node"]


def live_nodes(graph: FuncGraph, output_slots) -> list[Node]:
    """The nodes needed for ``output_slots`` plus every node run for its effect."""
    needed = set(output_slots)
    keep = []
    for node in reversed(graph.nodes):
        if node.has_effect() or any(o in needed for o in node.outputs):
            keep.append(node)
            needed.update(node.inputs)
    keep.reverse()
    return keep


def has_effects(nodes) -> bool:
    """Whether running ``nodes`` changes anything beyond their outputs."""
    return any(n.has_effect() for n in nodes)


def _in_place_ok(
    node: Node, slot: int, last_use: dict, fresh: set, escaping: set, static_of, examples: dict
) -> bool:
    """Whether ``node`` may write its result into ``slot``'s buffer: the buffer is dead
    after it, and on every call the result has the buffer's shape and dtype (static
    shapes prove it; the other operands cannot broadcast it larger)."""
    if slot not in fresh or slot in escaping or last_use.get(slot) is not node:
        return False
    if examples[slot].dtype != node.out_values[0].dtype:
        return False
    target, out = static_of(slot), static_of(node.outputs[0])
    if not target or target != out:
        return False
    return all(s == slot or cannot_grow(target, static_of(s)) for s in node.inputs)


def compile_graph(
    graph: FuncGraph, output_slots: list[int], name: str = "traced", in_place: bool = True
):
    """Generates ``run(*input_arrays) -> tuple(output_arrays)`` for ``graph``.

    Returns:
        The generated function, the pruned node list it computes (before fusion: what
        the XLA lowering and effect checks read) and its source.
    """
    live = live_nodes(graph, output_slots)
    nodes = pair_siblings(fuse_chains(live, output_slots))
    # A module name under tensorflux, so that NumPy's floating-point warnings raised by
    # the generated code are silenced like the kernels' (see registry).
    env: dict = {"np": np, "__name__": "tensorflux.engine.traced"}
    for slot, tensor in graph.constants.items():
        env[f"s{slot}"] = tensor._value
    # Captures (values of an enclosing graph) are passed after the inputs.
    params = [f"s{s}" for s in graph.inputs] + [f"s{s}" for _, s in graph.captures]

    consumers: dict[int, list[Node]] = {}
    for node in nodes:
        for s in node.inputs:
            consumers.setdefault(s, []).append(node)
    last_use = {s: users[-1] for s, users in consumers.items()}
    # A buffer may be overwritten only if nothing else can still see it: it is no
    # output, no variable's new value, and only ufuncs (which never return views)
    # consume it.
    escaping = set(output_slots)
    for node in nodes:
        if node.kind != "op" or not _is_ufunc_node(node):
            escaping.update(node.inputs)
    examples = {o: v for node in nodes for o, v in zip(node.outputs, node.out_values)}

    def static_of(slot):
        """A slot's static shape as a tuple (None dims unknown), or None if not known."""
        shape = graph.static_shapes.get(slot)
        if shape is not None:
            return shape
        value = examples.get(slot)
        if value is None and slot in graph.constants:
            value = graph.constants[slot]._value
        return None if value is None else example_shape(value)

    fresh: set[int] = set()

    lines = [f"def {name}({', '.join(params)}):"]
    line_nodes: dict[int, Node] = {}
    env["__line_nodes__"] = line_nodes
    for i, node in enumerate(nodes):
        line_nodes[len(lines) + 1] = node
        args = [f"s{s}" for s in node.inputs]
        if node.kind == READ:
            env[f"v{i}"] = node.var
            lines.append(f"    s{node.outputs[0]} = v{i}._value")
            continue
        if node.kind in (ASSIGN, ASSIGN_ADD, ASSIGN_SUB):
            env[f"v{i}"] = node.var
            if node.kind == ASSIGN:
                lines.append(f"    v{i}._value = {args[0]}")
            else:
                # Tracing checked that the operand has the variable's dtype and shape.
                fn = "add" if node.kind == ASSIGN_ADD else "subtract"
                lines.append(f"    v{i}._value = np.{fn}(v{i}._value, {args[0]})")
            continue
        env[f"k{i}"] = node.op.kernel
        call_args = list(args)
        for key, value in node.attrs.items():
            env[f"a{i}_{key}"] = value
            call_args.append(f"{key}=a{i}_{key}")
        outs = node.outputs
        if in_place and _is_ufunc_node(node):
            target = next(
                (
                    s
                    for s in node.inputs
                    if _in_place_ok(node, s, last_use, fresh, escaping, static_of, examples)
                ),
                None,
            )
            if target is not None and node.inputs.count(target) == 1:
                call_args.append(f"out=s{target}")
            fresh.add(outs[0])
        call = f"k{i}({', '.join(call_args)})"
        if _is_ufunc_node(node) and node.out_values[0].dtype == object:
            # A ufunc on 0-d string arrays returns bare ``bytes``, not an array.
            call = f"np.asarray({call}, dtype=object)"
        if node.op.num_outputs == 0 or not outs:
            lines.append(f"    {call}")
        elif node.op.num_outputs == 1:
            lines.append(f"    s{outs[0]} = {call}")
        else:
            lines.append(f"    {', '.join(f's{o}' for o in outs)}, = {call}")
    lines.append(f"    return ({''.join(f's{s}, ' for s in output_slots)})")
    source = "\n".join(lines)
    code = compile(source, f"<tf.function {name}>", "exec")
    exec(code, env)  # noqa: S102 - the source is generated above from the graph
    return env[name], live, source


def failed_node(error: BaseException) -> Node | None:
    """The node of a compiled graph whose kernel raised ``error`` (the innermost one when
    graphs nest, as control-flow branches do), or None if no graph code raised it."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        line_nodes = tb.tb_frame.f_globals.get("__line_nodes__")
        if line_nodes is not None and tb.tb_frame.f_code.co_filename.startswith("<tf.function"):
            found = line_nodes.get(tb.tb_lineno, found)
        tb = tb.tb_next
    return found


def _is_ufunc_node(node: Node) -> bool:
    kernel = node.op.kernel
    return (
        isinstance(kernel, np.ufunc)
        and kernel.nout == 1
        and not node.attrs
        and len(node.outputs) == 1
    )
