"""Subclassed keras.Model and what every model shares: layers, weights, build, config."""

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import record_model_fixtures as cases

keras = tf.keras
L = keras.layers


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield
    keras.backend.clear_session()


class Tower(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = L.Dense(4, activation="relu")
        self.blocks = [L.Dense(3), L.Dropout(0.5)]
        self.heads = {"out": L.Dense(2)}

    def call(self, inputs, training=None):
        x = self.first(inputs)
        for block in self.blocks:
            x = block(x)
        return self.heads["out"](x)


def test_model_constructor_forms():
    x = keras.Input((3,))
    y = L.Dense(2)(x)
    assert type(keras.Model(x, y)).__name__ == "Functional"
    assert type(keras.Model(inputs=x, outputs=y)).__name__ == "Functional"
    assert type(keras.Model(x, outputs=y)).__name__ == "Functional"
    keras.backend.clear_session()
    assert keras.Model(x, y).name == "model" and Tower().name == "tower"
    assert isinstance(keras.Model(x, y), keras.Model)


def test_subclassed_layers_tracked_from_attributes_lists_and_dicts():
    model = Tower()
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dropout", "dense_2"]
    assert model.weights == [] and not model.built
    out = model(np.ones((2, 3), "float32"))
    assert out.shape == (2, 2) and model.built
    # Named under the model, whose call builds them (TF's name scopes).
    assert [w.name for w in model.weights] == [
        "tower/dense/kernel:0",
        "tower/dense/bias:0",
        "tower/dense_1/kernel:0",
        "tower/dense_1/bias:0",
        "tower/dense_2/kernel:0",
        "tower/dense_2/bias:0",
    ]
    assert model.count_params() == 16 + 15 + 8
    model.blocks.append(L.Dense(3, name="late"))
    assert [layer.name for layer in model.layers][2:4] == ["dropout", "late"]


def test_subclassed_values_and_training_propagation():
    model = Tower()
    data = np.random.RandomState(0).rand(4, 3).astype("float32")
    model(data)
    k1, b1 = model.first.get_weights()
    k2, b2 = model.blocks[0].get_weights()
    k3, b3 = model.heads["out"].get_weights()
    want = (np.maximum(data @ k1 + b1, 0) @ k2 + b2) @ k3 + b3
    np.testing.assert_allclose(model(data).numpy(), want, rtol=1e-5)
    assert not np.allclose(model(data, training=True).numpy(), want)


def test_get_and_set_weights_round_trip():
    model = cases.functional_chain(keras)
    weights = [np.full(w.shape, i, "float32") for i, w in enumerate(model.get_weights())]
    model.set_weights(weights)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(
        ValueError,
        match='Layer "model" expects 4 weight\\(s\\), but the provided weights list has 1 element',
    ):
        model.set_weights(weights[:1])


def test_trainable_flag_moves_weights():
    model = cases.functional_chain(keras)
    model.layers[1].trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    # tf_keras keeps listing a model's weights layer by layer, frozen or not.
    assert model.weights[2:] == model.trainable_weights
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    assert len(model.trainable_variables) == 0 and len(model.variables) == 4


def test_build_subclassed_model_from_shape():
    model = Tower()
    model.build((None, 3))
    assert model.built and model.count_params() == 39
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[4].startswith(" dense (Dense)               multiple                  16")
    with pytest.raises(ValueError, match="Input shape must be defined"):
        Tower().build(None)


def test_build_runs_no_kernel(monkeypatch):
    from tensorflux.engine import registry

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel ran while building")

    for name in ("MatMul", "BiasAdd", "Relu"):
        monkeypatch.setattr(registry.get(name), "kernel", refuse)
    model = Tower()
    model.build((None, 3))
    assert [tuple(w.shape) for w in model.weights] == [(3, 4), (4,), (4, 3), (3,), (3, 2), (2,)]


class Pair(keras.Model):
    """Reads its inputs' static shapes in Python, as build lets it (tf_keras 2.21)."""

    def __init__(self):
        super().__init__()
        self.dense = L.Dense(2)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        if isinstance(inputs, dict):
            inputs = [inputs["a"], inputs["b"]]
        if isinstance(inputs, list):
            inputs = tf.concat(inputs, -1)
        if inputs.shape[-1] > 3:
            inputs = inputs[:, :3]
        return self.dense(inputs)


@pytest.mark.parametrize(
    "shape",
    [
        (None, 3),
        [None, 5],
        tf.TensorShape([2, 3]),
        [(None, 1), (None, 2)],
        {"a": (None, 2), "b": (None, 1)},
    ],
)
def test_build_from_a_shape_a_list_or_a_dict(shape):
    model = Pair()
    model.build(shape)
    assert model.built
    assert model._build_input_shape == (tuple(shape) if shape == [None, 5] else shape)
    assert [tuple(w.shape) for w in model.weights] == [(3, 2), (2,)]
    # ``training`` keeps its default, as tf_keras leaves it.
    assert model.seen == [None]
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[4].startswith(" dense (Dense)               multiple                  8")
    with pytest.raises(AttributeError, match="has never been called"):
        _ = model.output_shape


def test_build_passes_a_required_training_flag_and_refuses_other_arguments():
    class Needs(keras.Model):
        def call(self, inputs, training):
            self.training = training
            return inputs

    model = Needs()
    model.build((None, 2))
    assert model.training is False

    class Extra(keras.Model):
        def call(self, inputs, mask):
            return inputs

    with pytest.raises(ValueError, match="you cannot build your model if it has positional"):
        Extra().build((None, 2))

    class NoInputs(keras.Model):
        def call(self):
            return 1

    with pytest.raises(ValueError, match="accepts an `inputs` argument"):
        NoInputs().build((None, 2))


def test_build_refuses_bad_shapes_and_value_dependent_python_control_flow():
    for bad in (3, "abc"):
        with pytest.raises(
            ValueError,
            match="Specified input shape is not one of the valid "
            "types.*User provided input type: <class",
        ):
            Tower().build(bad)

    class ByValue(keras.Model):
        def call(self, inputs):
            return inputs if tf.reduce_sum(inputs) > 0 else -inputs

    with pytest.raises(
        ValueError,
        match="(?s)if your layers do not support float type inputs.*"
        "The actual error from `call` is: Using a symbolic",
    ):
        ByValue().build((None, 2))


def test_subclass_with_its_own_build_reports_unbuilt_weights():
    class Built(keras.Model):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],))
            self.built = True

        def call(self, inputs):
            return inputs * self.w

    with pytest.raises(ValueError, match="Weights for model 'built' have not yet been created"):
        _ = Built().weights
    model = Built()
    model(np.ones((1, 3)))
    assert [w.shape for w in model.weights] == [(3,)]


def test_model_without_call_explains():
    with pytest.raises(NotImplementedError, match="Unimplemented `tf.keras.Model.call\\(\\)`"):
        keras.Model()(np.ones((1, 2)))


def test_subclassed_model_inside_functional_graph():
    inputs = keras.Input((3,))
    tower = Tower()
    model = keras.Model(inputs, tower(inputs))
    assert model.output_shape == (None, 2) and model.layers[1] is tower
    assert tower.output_shape == (None, 2)
    assert model(np.ones((5, 3))).shape == (5, 2)


def test_losses_collected_from_sublayers():
    class WithLoss(L.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs))
            return inputs

    x = keras.Input((2,))
    model = keras.Model(x, L.Dense(1, kernel_regularizer="l2")(WithLoss()(x)))
    model(np.ones((1, 2), "float32"))
    assert len(model.losses) == 2
    np.testing.assert_allclose(model.losses[0].numpy(), 2.0)


class Autoencoder(keras.Model):
    """Two positional constructor arguments, as in TensorFlow's autoencoder tutorial."""

    def __init__(self, latent_dim, shape):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = keras.Sequential([L.Flatten(), L.Dense(latent_dim, activation="relu")])
        self.decoder = keras.Sequential(
            [L.Dense(int(np.prod(shape)), activation="sigmoid"), L.Reshape(shape)]
        )

    def call(self, x):
        return self.decoder(self.encoder(x))


def test_subclass_taking_two_positional_arguments_is_subclassed_not_functional():
    model = Autoencoder(4, (3, 2))
    assert type(model) is Autoencoder and model.latent_dim == 4
    x = np.random.default_rng(0).random((8, 3, 2)).astype("float32")
    assert model(x).shape == (8, 3, 2)
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, x, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_subclass_passing_inputs_and_outputs_to_super_init_is_functional():
    class Wrapped(keras.Model):
        def __init__(self, units, activation):
            inputs = keras.Input((3,))
            super().__init__(inputs, L.Dense(units, activation=activation)(inputs))
            self.units = units

    model = Wrapped(2, "relu")
    assert isinstance(model, Wrapped) and model.units == 2
    assert model.output_shape == (None, 2) and len(model.layers) == 2
    assert model(np.ones((4, 3))).shape == (4, 2)

    class Plain(keras.Model):
        pass

    inputs = keras.Input((3,))
    plain = Plain(inputs, L.Dense(1)(inputs))
    assert isinstance(plain, Plain) and plain.output_shape == (None, 1)


def test_model_weights_are_listed_layer_by_layer_as_in_keras():
    # tf_keras: a model lists each layer's weights in turn (moving statistics beside
    # their layer), while trainable_weights gathers the trainable ones first.
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(3, input_shape=(4,)),
            tf.keras.layers.BatchNormalization(),
            tf.keras.layers.Dense(2),
        ]
    )
    assert [w.name for w in model.weights] == [
        "dense/kernel:0",
        "dense/bias:0",
        "batch_normalization/gamma:0",
        "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0",
        "dense_1/kernel:0",
        "dense_1/bias:0",
    ]
    assert [w.name for w in model.non_trainable_weights] == [
        "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0",
    ]
    values = [np.full(w.shape.as_list(), k, "float32") for k, w in enumerate(model.weights)]
    model.set_weights(values)
    assert model.layers[1].moving_mean.numpy()[0] == 4.0
    assert [v[0].item() if v.ndim == 1 else v[0, 0].item() for v in model.get_weights()] == list(
        range(8)
    )
