"""``tf.train.experimental.PythonState`` in checkpoints: the key and object-graph
attribute TF writes (``<path>/.ATTRIBUTES/py_state``), saved and restored."""

import pytest

import tensorflux as tf


class _Text(tf.train.experimental.PythonState):
    def __init__(self, text=b""):
        self.text = text

    def serialize(self):
        return self.text

    def deserialize(self, string_value):
        self.text = string_value


def test_python_state_round_trip_and_layout(tmp_path):
    path = tf.train.Checkpoint(state=_Text(b"hello"), x=tf.Variable(1.0)).write(str(tmp_path / "c"))
    names = [name for name, _ in tf.train.list_variables(path)]
    assert "state/.ATTRIBUTES/py_state" in names
    assert tf.train.load_checkpoint(path).get_tensor("state/.ATTRIBUTES/py_state") == b"hello"
    restored = _Text()
    tf.train.Checkpoint(state=restored, x=tf.Variable(0.0)).read(path).assert_consumed()
    assert restored.text == b"hello"


def test_python_state_is_abstract():
    with pytest.raises(TypeError):
        tf.train.experimental.PythonState()
