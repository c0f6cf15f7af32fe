"""Identity, GaussianDropout, AlphaDropout, Wrapper, AbstractRNNCell: the layer
harness, training-only noise, gradients through the noise, wrapper and cell
protocols."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.gradient_check import check_gradients
from tensorflux.testing.layer_test import run_layer_test


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (layers.Identity, {}),
        (layers.GaussianDropout, {"rate": 0.3}),
        (layers.GaussianDropout, {"rate": 0.5, "seed": 4}),
        (layers.AlphaDropout, {"rate": 0.2}),
        (layers.AlphaDropout, {"rate": 0.2, "noise_shape": (2, 1, 4), "seed": 1}),
    ],
)
def test_harness(cls, kwargs):
    supports = cls is not layers.Identity
    out = run_layer_test(
        cls,
        kwargs,
        (2, 3, 4),
        (2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=supports,
    )
    assert out.shape.as_list() == [2, 3, 4]


def test_identity_passes_nests_through():
    a, b = tf.constant([1.0]), tf.constant([[2, 3]])
    out = layers.Identity()({"a": a, "b": [b]})
    np.testing.assert_array_equal(out["a"].numpy(), [1.0])
    np.testing.assert_array_equal(out["b"][0].numpy(), [[2, 3]])


@pytest.mark.parametrize("cls", [layers.GaussianDropout, layers.AlphaDropout])
def test_noise_only_while_training(cls):
    x = tf.ones((40, 5))
    layer = cls(0.4)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x.numpy())
    assert not np.allclose(layer(x, training=True).numpy(), x.numpy())
    for rate in (0.0, 1.0):
        np.testing.assert_array_equal(cls(rate)(x, training=True).numpy(), x.numpy())


def test_alpha_dropout_keeps_selu_statistics():
    x = np.random.default_rng(0).normal(size=(200, 200)).astype("float32")
    y = layers.AlphaDropout(0.3, seed=1)(tf.constant(x), training=True).numpy()
    assert abs(y.mean()) < 0.03 and abs(y.std() - 1) < 0.03


def test_gaussian_dropout_noise_statistics():
    y = layers.GaussianDropout(0.5, seed=3)(tf.ones((200, 200)), training=True).numpy()
    assert abs(y.mean() - 1) < 0.02 and abs(y.std() - 1) < 0.02


def test_noise_layers_in_tf_function():
    layer = layers.GaussianDropout(0.5)
    traced = tf.function(lambda v: layer(v, training=True))(tf.ones((50,))).numpy()
    assert not np.allclose(traced, 1.0)
    tf.keras.utils.set_random_seed(2)
    eager = layers.AlphaDropout(0.5, seed=7)(tf.ones((3, 4)), training=True).numpy()
    tf.keras.utils.set_random_seed(2)
    alpha = layers.AlphaDropout(0.5, seed=7)
    traced = tf.function(lambda v: alpha(v, training=True))(tf.ones((3, 4))).numpy()
    np.testing.assert_allclose(traced, eager, rtol=1e-6)


@pytest.mark.parametrize(
    "cls, kwargs",
    [(layers.GaussianDropout, {"rate": 0.4}), (layers.AlphaDropout, {"rate": 0.4})],
)
def test_gradients_through_the_noise(cls, kwargs):
    layer = cls(seed=3, dtype="float64", **kwargs)

    def call(x):
        # The same draw for every evaluation: a fresh global seed restarts the streams.
        tf.random.set_seed(1)
        layer._next_seed = layer.seed
        return layer(x, training=True)

    x = tf.constant(np.random.default_rng(0).normal(size=(2, 3)))
    check_gradients(call, [x])


def test_identity_gradient():
    check_gradients(
        lambda x: layers.Identity(dtype="float64")(x) * 2.0,
        [tf.constant([[1.0, -2.0]], tf.float64)],
    )


class _Twice(layers.Wrapper):
    def call(self, x):
        return self.layer(self.layer(x))


def test_wrapper_builds_serializes_and_round_trips():
    wrapper = _Twice(layers.Dense(3, kernel_initializer="ones", use_bias=False), name="twice")
    out = wrapper(tf.ones((1, 3)))
    np.testing.assert_array_equal(out.numpy(), [[9.0, 9.0, 9.0]])
    assert [w.name for w in wrapper.weights] == ["twice/kernel:0"]
    config = wrapper.get_config()
    assert config["layer"]["class_name"] == "Dense" and config["layer"]["config"]["units"] == 3
    clone = _Twice.from_config(config)
    assert isinstance(clone.layer, layers.Dense) and clone.get_config() == config


def test_wrapper_rejects_non_layers():
    with pytest.raises(ValueError, match="Layer 3 supplied to wrapper is not a supported"):
        _Twice(3)


def test_wrapper_reports_the_wrapped_activity_regularizer():
    inner = layers.Dense(2, activity_regularizer="l2")
    wrapper = layers.TimeDistributed(inner, activity_regularizer="l1")
    assert wrapper.activity_regularizer is inner.activity_regularizer
    wrapper(tf.ones((1, 3, 2)))
    assert len(wrapper.losses) == 2


def test_builtin_wrappers_subclass_wrapper():
    assert isinstance(layers.TimeDistributed(layers.Dense(2)), layers.Wrapper)
    bi = layers.Bidirectional(layers.LSTM(2))
    assert isinstance(bi, layers.Wrapper) and isinstance(bi.layer, layers.LSTM)
    bi(tf.ones((1, 3, 2)))
    assert [w.name for w in bi.weights][:1] == [
        "bidirectional/forward_lstm/lstm_cell/kernel:0"
    ] and len(bi.weights) == 6
    assert bi.activity_regularizer is None


class _Accumulate(layers.AbstractRNNCell):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer="ones"
        )
        self.built = True

    def call(self, inputs, states):
        total = tf.matmul(inputs, self.kernel) + states[0]
        return total, [total]


def test_abstract_rnn_cell_in_rnn():
    rnn = layers.RNN(_Accumulate(2), return_sequences=True)
    out = rnn(tf.ones((1, 3, 2))).numpy()
    np.testing.assert_array_equal(out, [[[2, 2], [4, 4], [6, 6]]])
    traced = tf.function(lambda v: rnn(v))(tf.ones((1, 3, 2))).numpy()
    np.testing.assert_array_equal(traced, out)


def test_abstract_rnn_cell_initial_state():
    class Nested(layers.AbstractRNNCell):
        state_size = [2, tf.TensorShape([3, 1])]
        output_size = 2

    states = Nested().get_initial_state(batch_size=4, dtype=tf.float32)
    assert [s.shape.as_list() for s in states] == [[4, 2], [4, 3, 1]]
    single = _Accumulate(3).get_initial_state(inputs=tf.ones((5, 2), tf.float64))
    assert single.shape.as_list() == [5, 3] and single.dtype == tf.float64
    with pytest.raises(ValueError, match="batch_size and dtype cannot be None"):
        Nested().get_initial_state()


def test_abstract_rnn_cell_requires_the_protocol():
    cell = layers.AbstractRNNCell()
    for name in ("state_size", "output_size"):
        with pytest.raises(NotImplementedError):
            getattr(cell, name)
