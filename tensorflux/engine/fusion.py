"""Fusing chains of ops when a traced graph is compiled (TF's grappler remapper, in small).

An op family registers a rule for a (producer, consumer) pair of op names: when the
producer's only output feeds nothing but the consumer's first input, and is no output
of the graph, the rule may replace the two nodes with one (a convolution and the bias
added to it, then the ReLU applied to that, become one oneDNN primitive with post-ops).
The traced graph itself is untouched: gradients, GraphDefs, SavedModels and the XLA
lowering see TF's ops; only the executor's plan runs the fused node.
"""

from __future__ import annotations

from collections.abc import Callable

from tensorflux.engine.graph import Node

__all__ = ["register_fusion", "fuse_chains"]

_RULES: dict[tuple[str, str], Callable[[Node, Node], Node | None]] = {}


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
