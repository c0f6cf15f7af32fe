"""TrackableObjectGraph: TF's graphs decode and re-encode to the same bytes."""

from pathlib import Path

import pytest

from tensorflux.train.object_graph import (
    OBJECT_GRAPH_KEY,
    ObjectReference,
    SlotVariableReference,
    TrackableObject,
    TrackableObjectGraph,
    checkpoint_key,
    escape_local_name,
)
from tensorflux.train.tensor_bundle import read_bundle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checkpoints"


@pytest.mark.parametrize("prefix", ["dense_adam.ckpt", "keras_ckpt/ckpt-1", "module", "dtypes"])
def test_tensorflow_graphs_round_trip_byte_for_byte(prefix):
    data = read_bundle(FIXTURES / prefix).get(OBJECT_GRAPH_KEY).item()
    graph = TrackableObjectGraph.decode(data)
    assert graph.encode() == data


def test_decoded_keras_graph_names_layers_and_optimizer():
    data = read_bundle(FIXTURES / "dense_adam.ckpt").get(OBJECT_GRAPH_KEY).item()
    graph = TrackableObjectGraph.decode(data)
    root = graph.nodes[0]
    assert [c.local_name for c in root.children][:5] == [
        "layer_with_weights-0",
        "layer-0",
        "layer_with_weights-1",
        "layer-1",
        "optimizer",
    ]
    assert root.children[0].node_id == root.children[1].node_id
    kernel = graph.nodes[graph.nodes[root.children[0].node_id].children[0].node_id]
    assert kernel.attributes[0].full_name == "dense/kernel"
    assert kernel.attributes[0].checkpoint_key == (
        "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"
    )
    keys = {a.checkpoint_key for n in graph.nodes for a in n.attributes}
    assert keys == set(read_bundle(FIXTURES / "dense_adam.ckpt").keys()) - {OBJECT_GRAPH_KEY}


def test_slot_variables_and_false_flags_round_trip():
    graph = TrackableObjectGraph(
        [
            TrackableObject(
                children=[ObjectReference(0, "root"), ObjectReference(2, "opt")],
                slot_variables=[SlotVariableReference(1, "m", 3)],
                has_checkpoint_values=True,
            ),
            TrackableObject(),
        ]
    )
    assert TrackableObjectGraph.decode(graph.encode()) == graph


def test_key_escaping():
    assert escape_local_name("plain") == "plain"
    assert checkpoint_key(["a.b", "c/d"]) == "a..b/c.Sd/.ATTRIBUTES/VARIABLE_VALUE"
