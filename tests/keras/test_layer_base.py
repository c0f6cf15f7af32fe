"""keras.layers.Layer: naming, weights and their tracking, calls, specs, connectivity."""

import json

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import record_model_fixtures as cases

keras = tf.keras
L = keras.layers

with open(cases.FIXTURE) as _f:
    ERRORS = json.load(_f)["errors"]


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield
    keras.backend.clear_session()


class Scale(L.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = L.InputSpec(min_ndim=2)

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
        self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

    def call(self, inputs, training=None):
        self.training_seen = training
        return inputs * self.w


class Block(L.Layer):
    _untracked_attributes = frozenset({"peer"})

    def __init__(self, peer=None):
        super().__init__()
        self.inner = [Scale(), {"b": Scale()}]
        self.peer = peer

    def call(self, inputs):
        return self.inner[1]["b"](self.inner[0](inputs))


def test_default_names_are_unique_snake_case():
    assert [Scale().name, Scale().name, L.Dense(1).name] == ["scale", "scale_1", "dense"]
    assert Scale(name="mine").name == "mine"
    keras.backend.clear_session()
    assert Scale().name == "scale"


def test_unknown_keyword_is_rejected():
    with pytest.raises(TypeError, match="Keyword argument not understood: 'unit'"):
        Scale(unit=3)


def test_build_on_first_call_and_weights():
    layer = Scale()
    assert not layer.built and layer.weights == []
    out = layer(np.ones((2, 3), "float32"))
    assert layer.built and out.shape == (2, 3)
    assert [w.name for w in layer.weights] == ["scale/w:0", "scale/count:0"]
    assert layer.trainable_weights == [layer.w] and layer.non_trainable_weights == [layer.count]
    assert layer.count_params() == 4
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_sublayers_found_in_attributes_lists_and_dicts_but_not_untracked():
    peer = Scale()
    block = Block(peer=peer)
    block(np.ones((1, 2), "float32"))
    assert [layer.name for layer in block._layers] == ["scale_1", "scale_2"]
    assert len(block.weights) == 4 and not peer.built
    # Sublayers built by the block's call are named under it, as in TF.
    assert [w.name for w in block.trainable_weights] == ["block/scale_1/w:0", "block/scale_2/w:0"]


def test_set_weights_checks_count_and_shapes():
    layer = Scale()
    layer(np.ones((1, 2), "float32"))
    layer.set_weights([np.array([2.0, 3.0]), np.array(1.0)])
    np.testing.assert_array_equal(layer(np.ones((1, 2), "float32")).numpy(), [[2, 3]])
    with pytest.raises(ValueError, match='Layer "scale" expects 2 weight\\(s\\)'):
        layer.set_weights([np.ones(2)])
    with pytest.raises(
        ValueError,
        match=r"weight shape \(2,\) is not compatible with provided "
        r"weight shape \(3,\)",
    ):
        layer.set_weights([np.ones(3), np.array(0.0)])
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer 'scale_1'"):
        Scale().count_params()


def test_initial_weights_argument():
    layer = L.Dense(1, weights=[np.full((2, 1), 2.0), np.zeros(1)])
    np.testing.assert_array_equal(layer(np.ones((1, 2), "float32")).numpy(), [[4.0]])


def test_inputs_are_converted_and_autocast():
    layer = Scale()
    assert layer([[1.0, 2.0]]).dtype == tf.float32
    assert layer(np.ones((1, 2), "float64")).dtype == tf.float32
    assert Scale(dtype="float64")(np.ones((1, 2), "float32")).dtype == tf.float64


def test_input_spec_errors_name_layer_and_shape():
    with pytest.raises(
        ValueError,
        match='Input 0 of layer "scale" is incompatible with the '
        "layer: expected min_ndim=2, found ndim=1. Full shape "
        r"received: \(3,\)",
    ):
        Scale()(np.ones(3, "float32"))


def test_training_is_inherited_by_nested_calls():
    class Outer(L.Layer):
        def __init__(self):
            super().__init__()
            self.scale = Scale()

        def call(self, inputs):
            return self.scale(inputs)

    outer = Outer()
    outer(np.ones((1, 2)), training=True)
    assert outer.scale.training_seen is True
    outer(np.ones((1, 2)))
    assert outer.scale.training_seen is None


def test_losses_regularizers_and_add_loss():
    class Penalized(L.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_mean(inputs))
            return inputs

    layer = Penalized(activity_regularizer="l1")
    layer(np.full((2, 2), -1.0, "float32"))
    assert len(layer.losses) == 2
    np.testing.assert_allclose([loss.numpy() for loss in layer.losses], [-1.0, 0.02], rtol=1e-5)
    layer(np.ones((2, 2), "float32"))
    assert len(layer.losses) == 2
    dense = L.Dense(1, kernel_regularizer="l2")
    dense.build((None, 2))
    assert len(dense.losses) == 1


def test_compute_output_shape_by_probing():
    assert Scale().compute_output_shape((None, 3)).as_list() == [None, 3]
    assert L.Dense(2).compute_output_shape((None, None, 4)).as_list() == [None, None, 2]


def test_config_round_trip():
    layer = Scale(name="s", trainable=False, dtype="float64")
    config = layer.get_config()
    assert config == {"name": "s", "trainable": False, "dtype": "float64"}
    clone = Scale.from_config(config)
    assert (clone.name, clone.trainable, clone.dtype) == ("s", False, "float64")
    assert L.deserialize(L.serialize(L.Dense(3, name="d"))).units == 3


def test_connectivity_properties_match_keras_messages():
    dense = L.Dense(2, name="unused")
    for attr, key in (
        ("output", "never_called_output"),
        ("output_shape", "never_called_output_shape"),
    ):
        with pytest.raises(AttributeError) as err:
            getattr(dense, attr)
        assert str(err.value) == ERRORS[key][1]
    with pytest.raises(AttributeError, match="Layer unused is not connected, no input to return"):
        _ = dense.input
    with pytest.raises(
        AttributeError,
        match="`input_shape` property is only available for Functional and Sequential models",
    ):
        _ = dense.input_shape
    x = keras.Input((3,))
    y = dense(x)
    assert (dense.input, dense.output, dense.get_output_at(0)) == (x, y, y)
    assert dense.get_output_shape_at(0) == (None, 2)


def test_input_layer():
    layer = L.InputLayer(input_shape=(28, 28, 1))
    assert layer.output.shape.as_list() == [None, 28, 28, 1] and layer.name == "input_1"
    assert layer.output_shape == [(None, 28, 28, 1)] and layer.count_params() == 0
    assert L.InputLayer.from_config(layer.get_config()).output.shape.as_list() == [None, 28, 28, 1]
    with pytest.raises(ValueError, match="Only provide the `input_shape` OR `batch_input_shape`"):
        L.InputLayer(input_shape=(2,), batch_input_shape=(None, 2))
    with pytest.raises(ValueError, match="InputLayer needs an input shape"):
        L.InputLayer()
