"""Fusing ops when a traced graph is compiled (TF's grappler remapper, in small).

An op family registers a rule for a (producer, consumer) pair of op names: when the
producer's only output feeds nothing but the consumer's first input, and is no output
of the graph, the rule may replace the two nodes with one (a convolution and the bias
added to it, then the ReLU applied to that, become one oneDNN primitive with post-ops).
The traced graph itself is untouched: gradients, GraphDefs, SavedModels and the XLA
lowering see TF's ops; only the executor's plan runs the fused node.

An op can also be registered as a sibling: two of its nodes neither of which needs the
other (a bidirectional layer's two directions, forward or backward) run as one node
that hands both calls to the op's runner, which may run them at once, each with its
share of the threads, as TF's executor runs independent nodes in parallel. On 2
cores, a Bidirectional(LSTM(64)) text model (bench_rnn.py) trained an epoch in 372 ms
with its directions' oneDNN kernels side by side, one thread each, against 454 ms one
after the other on both threads. Its NumPy kernels, whose time steps hold the GIL
between small products, took 1.69 s side by side and 1.27 s in turn: the runner
decides per call.
"""

from __future__ import annotations

from collections.abc import Callable

from tensorflux.engine.graph import Node
from tensorflux.engine.registry import Op

__all__ = ["register_fusion", "register_siblings", "fuse_chains", "pair_siblings"]

_RULES: dict[tuple[str, str], Callable[[Node, Node], Node | None]] = {}
_SIBLINGS: dict[str, Callable[[Callable, list], list]] = {}


def register_fusion(producer: str, consumer: str, rule: Callable[[Node, Node], Node | None]):
    """Registers ``rule(producer_node, consumer_node) -> fused node or None`` for a
    ``producer`` op whose single output feeds only input 0 of a ``consumer`` op. The
    fused node must read the producer's inputs and the consumer's other inputs, and
    write the consumer's outputs with the same values (up to float rounding)."""
    _RULES[(producer, consumer)] = rule


def fuse_chains(nodes: list[Node], output_slots) -> list[Node]:
    """The nodes to run, with every chain a registered rule accepts fused (a fused node
    may fuse again with its own consumer)."""
    if not _RULES:
        return nodes
    producers = {p for p, _ in _RULES}
    uses: dict[int, list[int]] = {}
    for i, node in enumerate(nodes):
        for s in node.inputs:
            uses.setdefault(s, []).append(i)
    outputs = set(output_slots)
    plan: list[Node | None] = list(nodes)
    for i in range(len(plan)):
        node = plan[i]
        if node is None or node.op is None or node.op.name not in producers:
            continue
        if len(node.outputs) != 1 or node.outputs[0] in outputs:
            continue
        readers = uses.get(node.outputs[0], [])
        if len(readers) != 1:
            continue
        j = readers[0]
        consumer = plan[j]
        if consumer is None or consumer.op is None or consumer.inputs.index(node.outputs[0]):
            continue
        rule = _RULES.get((node.op.name, consumer.op.name))
        fused = rule(node, consumer) if rule is not None else None
        if fused is not None:
            plan[j], plan[i] = fused, None
    return [node for node in plan if node is not None]


def register_siblings(op_name: str, run: Callable[[Callable, list], list]) -> None:
    """Pairs independent nodes of ``op_name`` (see the module docstring). A pair calls
    ``run(kernel, [(arrays, attrs), (arrays, attrs)])`` with the op's kernel and the two
    calls, and gets their results in order: ``run`` chooses whether to make the calls at
    once (kernels that keep fewer threads busy than the budget has, and are safe to call
    from two threads) or one after the other."""
    _SIBLINGS[op_name] = run


def _must_stay(node: Node) -> bool:
    """Whether moving ``node`` past others could change what the graph does: it has an
    effect, or it draws from a random generator's state, whose order fixes its values."""
    return node.has_effect() or (node.op is not None and node.op.stateful)


def _paired_node(first: Node, second: Node) -> Node:
    """One node that hands ``first`` and ``second``'s calls to their op's runner; it reads
    both nodes' inputs and writes both nodes' outputs."""
    op = first.op
    run = _SIBLINGS[op.name]
    split = len(first.inputs)
    kernel, first_attrs, second_attrs = op.kernel, dict(first.attrs), dict(second.attrs)

    def pair(*arrays):
        parts = run(kernel, [(arrays[:split], first_attrs), (arrays[split:], second_attrs)])
        return tuple(parts[0]) + tuple(parts[1]) if op.num_outputs > 1 else tuple(parts)

    outputs = [*first.outputs, *second.outputs]
    paired = Op(op.name, pair, None, None, len(outputs), op.same_dtype, op.allowed)
    return Node(
        "op",
        paired,
        [*first.inputs, *second.inputs],
        {},
        outputs,
        out_values=(*first.out_values, *second.out_values),
    )


def pair_siblings(nodes: list[Node]) -> list[Node]:
    """The nodes to run, with each node of a sibling op paired with the next node of the
    same op that does not depend on it. The pair runs where the second node stood; the
    nodes between the two that read the first one's outputs, directly or not, move after
    it (none of them may have an effect or draw random numbers)."""
    if not _SIBLINGS:
        return nodes
    plan = list(nodes)
    i = 0
    while i < len(plan):
        node = plan[i]
        if node.op is None or node.op.name not in _SIBLINGS:
            i += 1
            continue
        later = _independent_sibling(plan, i)
        if later is None:
            i += 1
            continue
        j, after = later
        between = [n for k, n in enumerate(plan[i + 1 : j], i + 1) if k not in after]
        moved = [plan[k] for k in sorted(after)]
        plan[i:] = [*between, _paired_node(node, plan[j]), *moved, *plan[j + 1 :]]
        i += len(between) + 1
    return plan


def _independent_sibling(plan: list[Node], i: int):
    """(j, the indices between i and j that depend on node i) for the first later node j
    of node i's op that does not depend on it, or None. A node that depends on node i
    reads its outputs or those of a node that does, so j depends on it only if it reads
    one of those."""
    node = plan[i]
    tainted = set(node.outputs)
    after: set = set()
    for j in range(i + 1, len(plan)):
        other = plan[j]
        reads_first = any(s in tainted for s in other.inputs)
        if other.op is node.op and not reads_first:
            return j, after
        if reads_first:
            if _must_stay(other):
                return None
            after.add(j)
            tainted.update(other.outputs)
    return None
