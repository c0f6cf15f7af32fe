"""``ConcreteFunction.graph.as_graph_def()``: the traced graph as a GraphDef message
with TF's op names, inputs and attributes."""

import tensorflux as tf


def test_graph_def_lists_the_traced_nodes():
    @tf.function
    def affine(x):
        return x * 2.0 + 1.0

    graph_def = affine.get_concrete_function(tf.TensorSpec([2])).graph.as_graph_def()
    nodes = [(n.name, n.op, list(n.input)) for n in graph_def.node]
    assert nodes == [
        ("input", "Placeholder", []),
        ("Const", "Const", []),
        ("Const_1", "Const", []),
        ("Mul", "Mul", ["input", "Const"]),
        ("AddV2", "AddV2", ["Mul", "Const_1"]),
    ]
    assert graph_def.node[3].attr["T"].type == tf.float32.as_datatype_enum
    assert [d.size for d in graph_def.node[0].attr["shape"].shape.dim] == [2]
    again = type(graph_def).FromString(graph_def.SerializeToString())
    assert [n.name for n in again.node] == [n[0] for n in nodes]


def test_graph_def_shows_variable_reads():
    v = tf.Variable(3.0)
    graph_def = tf.function(lambda: v * 2.0).get_concrete_function().graph.as_graph_def()
    assert "ReadVariableOp" in [n.op for n in graph_def.node]
