"""``tf.summary.graph`` and ``trace_on``/``trace_export``/``trace_off``: the GraphDef of a
traced function, read back by the tests' own decoding (and by TensorBoard when it is
installed)."""

from __future__ import annotations

import pytest

import tensorflux as tf
from tensorflux.framework.proto_wire import Message
from tests.summary.event_reader import read_events


def _nodes(graph_def: bytes) -> list:
    """``(name, op, inputs)`` of each NodeDef."""
    return [
        (n.string(1), n.string(2), [i.decode() for i in n.all(3)])
        for n in Message(graph_def).messages(1)
    ]


def _attrs(graph_def: bytes, name: str) -> dict:
    (node,) = [n for n in Message(graph_def).messages(1) if n.string(1) == name]
    return {e.string(1): Message(e.bytes(2)) for e in node.messages(5)}


def _function():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        v.assign_add(1.0)
        return tf.nn.relu(x) * 2.0 + v

    return f


EXPECTED = [
    ("input", "Placeholder", []),
    ("Const", "Const", []),
    ("Const_1", "Const", []),
    ("Variable_resource", "Placeholder", []),
    ("AssignAddVariableOp", "AssignAddVariableOp", ["Variable_resource", "Const"]),
    ("Relu", "Relu", ["input"]),
    ("Mul", "Mul", ["Relu", "Const_1"]),
    ("ReadVariableOp", "ReadVariableOp", ["Variable_resource"]),
    ("AddV2", "AddV2", ["Mul", "ReadVariableOp"]),
]


def test_graph_writes_a_graph_def_event(tmp_path):
    f = _function()
    concrete = f.get_concrete_function(tf.TensorSpec([2], tf.float32))
    writer = tf.summary.create_file_writer(str(tmp_path))
    assert not bool(tf.summary.graph(concrete.graph))  # no default writer
    with writer.as_default():
        assert bool(tf.summary.graph(concrete.graph))
    writer.close()
    (event,) = [e for e in read_events(str(tmp_path)) if "graph_def" in e]
    assert event["step"] == 0
    graph_def = event["graph_def"]
    assert _nodes(graph_def) == EXPECTED
    placeholder = _attrs(graph_def, "input")
    assert placeholder["dtype"].varint(6) == tf.float32.as_datatype_enum
    shape = placeholder["shape"].message(7)
    assert [d.int64(1) for d in shape.messages(2)] == [2]
    assert _attrs(graph_def, "Relu")["T"].varint(6) == tf.float32.as_datatype_enum
    assert _attrs(graph_def, "Variable_resource")["dtype"].varint(6) == 20  # DT_RESOURCE


def test_graph_errors(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        with pytest.raises(ValueError, match="is not tf.Graph or tf.compat.v1.GraphDef"):
            tf.summary.graph("not a graph")
    writer.close()

    @tf.function
    def inside():
        tf.summary.graph(None)

    with pytest.raises(ValueError, match="graph\\(\\) cannot be invoked inside a graph context"):
        inside()


def test_trace_export_writes_the_functions_run(tmp_path):
    f = _function()
    writer = tf.summary.create_file_writer(str(tmp_path))
    tf.summary.trace_on(graph=True, profiler=False)
    f(tf.constant([1.0, -1.0]))
    f(tf.constant([3.0, 4.0]))
    with writer.as_default():
        assert tf.summary.trace_export("my_trace", step=3) is None
    writer.close()
    (event,) = [e for e in read_events(str(tmp_path)) if e["values"]]
    value = event["values"][0]
    assert (value["tag"], value["plugin"], value["content"], event["step"]) == (
        "my_trace",
        "graph_run_metadata_graph",
        b"1",
        3,
    )
    run_metadata = Message(value["tensor"].item())
    (function_graphs,) = run_metadata.messages(4)
    assert _nodes(function_graphs.bytes(2)) == EXPECTED
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("again", step=1)


def test_trace_off_discards_and_profiler_warns():
    with pytest.warns(UserWarning, match="no profiler"):
        tf.summary.trace_on(graph=True, profiler=True)
    tf.summary.trace_off()
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("t", step=0)
