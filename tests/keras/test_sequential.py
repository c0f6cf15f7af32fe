"""keras.Sequential: the ways to give the input shape, add/pop, calls, config."""

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


def manual(model, x):
    for layer in model.layers:
        kernel, bias = layer.get_weights()
        x = x @ kernel + bias
    return x


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(2)]),
        lambda: keras.Sequential([L.Dense(4, input_dim=3), L.Dense(2)]),
        lambda: keras.Sequential([L.InputLayer(input_shape=(3,)), L.Dense(4), L.Dense(2)]),
        lambda: keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dense(2)]),
    ],
    ids=["input_shape", "input_dim", "InputLayer", "Input"],
)
def test_input_shape_given_up_front(make):
    model = make()
    assert model.built and model.input_shape == (None, 3) and model.output_shape == (None, 2)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense"]
    assert model.layers[0].output.shape.as_list() == [None, 4]
    data = np.random.RandomState(0).rand(5, 3).astype("float32")
    np.testing.assert_allclose(model(data).numpy(), manual(model, data), rtol=1e-5)


def test_deferred_build_on_first_call_keeps_that_batch_like_keras():
    model = keras.Sequential()
    model.add(L.Dense(4))
    model.add(L.Dense(1))
    assert not model.built
    model(np.ones((2, 3)))
    assert model.built and model.input_shape == (2, 3) and model.layers[1].output_shape == (2, 1)
    assert model(np.ones((7, 3))).shape == (7, 1)
    assert model.inputs[0].name == "dense_input"


def test_build_with_input_shape():
    model = keras.Sequential([L.Dense(4), L.Dense(2)])
    model.build((None, 5))
    assert model.count_params() == 5 * 4 + 4 + 4 * 2 + 2 and model.output_shape == (None, 2)
    with pytest.raises(ValueError, match="You must provide an `input_shape` argument"):
        keras.Sequential([L.Dense(1)]).build()


def test_unbuilt_model_errors():
    model = keras.Sequential([L.Dense(4)])
    want = ERRORS["unbuilt_weights"][1]
    for attr in ("weights", "trainable_weights", "get_weights"):
        with pytest.raises(ValueError) as err:
            value = getattr(model, attr)
            value() if callable(value) else None
        assert str(err.value) == want
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer"):
        model.count_params()


def test_add_pop_and_their_errors():
    model = keras.Sequential([L.Dense(4, input_shape=(3,))])
    model.add(L.Dense(2, name="head"))
    assert model.output_shape == (None, 2)
    model.pop()
    assert [layer.name for layer in model.layers] == ["dense"] and model.output_shape == (None, 4)
    with pytest.raises(ValueError) as err:
        keras.Sequential([L.Dense(2, name="d"), L.Dense(2, name="d")])
    assert str(err.value) == ERRORS["sequential_duplicate_name"][1]
    with pytest.raises(TypeError, match=ERRORS["pop_empty"][1]):
        keras.Sequential().pop()
    with pytest.raises(TypeError, match="The added layer must be an instance of class Layer"):
        keras.Sequential().add("dense")
    built = L.Dense(2, name="built")
    built.build((None, 5))
    with pytest.raises(
        ValueError,
        match=r'layer "built" is incompatible with the layer: expected '
        r"axis -1 of input shape to have value 5, but received "
        r"input with shape \(None, 4\)",
    ):
        keras.Sequential([L.Dense(4, input_shape=(3,)), built])


def test_wrong_input_shape_names_the_model():
    model = keras.Sequential([L.Dense(2, input_shape=(3,))])
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "sequential" is incompatible with '
        r"the layer: expected shape=\(None, 3\), found "
        r"shape=\(2, 5\)",
    ):
        model(np.ones((2, 5)))


def test_training_and_masks_flow_through_layers():
    model = keras.Sequential([L.Dropout(0.5, input_shape=(50,))])
    ones = np.ones((2, 50), "float32")
    np.testing.assert_array_equal(model(ones).numpy(), ones)
    assert (model(ones, training=True).numpy() == 0).any()
    masked = keras.Sequential([L.Masking(0.0, input_shape=(3, 1)), L.Dense(1)])
    out = masked(np.array([[[1.0], [0.0], [2.0]]], "float32"))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True]])


def test_layer_outputs_make_new_models_as_in_the_notes():
    model = keras.Sequential(
        [
            L.Dense(4, activation="relu", input_shape=(3,)),
            L.Dense(3),
            L.Dense(2, activation="softmax"),
        ]
    )
    outputs = [layer.output for layer in model.layers[:2]]
    activations = keras.Model(inputs=model.input, outputs=outputs)
    data = np.ones((2, 3), "float32")
    got = activations(data)
    np.testing.assert_allclose(got[0].numpy(), model.layers[0](data).numpy(), rtol=1e-6)
    last = model.layers[-1]
    relinked = keras.Model(inputs=model.input, outputs=last(model.layers[-2].output))
    np.testing.assert_allclose(relinked(data).numpy(), model(data).numpy(), rtol=1e-6)


def test_unbuilt_sequential_called_on_keras_tensor():
    augment = keras.Sequential([L.Dense(3), L.Dense(3)])
    inputs = keras.Input((3,))
    model = keras.Model(inputs, L.Dense(1)(augment(inputs)))
    assert augment.built and augment.input_shape == (None, 3)
    assert [layer.name for layer in model.layers] == ["input_1", "sequential", "dense_2"]
    assert model(np.ones((4, 3))).shape == (4, 1)


def test_config_round_trip():
    model = keras.Sequential(
        [L.Dense(4, activation="relu", input_shape=(3,)), L.Dropout(0.1), L.Dense(2)], name="net"
    )
    config = model.get_config()
    assert config["name"] == "net"
    assert [c["class_name"] for c in config["layers"]] == [
        "InputLayer",
        "Dense",
        "Dropout",
        "Dense",
    ]
    clone = keras.Sequential.from_config(config)
    clone.set_weights(model.get_weights())
    data = np.random.RandomState(1).rand(2, 3)
    np.testing.assert_allclose(clone(data).numpy(), model(data).numpy(), rtol=1e-6)
    again = keras.models.model_from_json(model.to_json())
    assert isinstance(again, keras.Sequential) and again.output_shape == (None, 2)
    deferred = keras.Sequential.from_config(keras.Sequential([L.Dense(2)]).get_config())
    assert not deferred.built
