"""ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU and Softmax: values, configs, weight
names and errors as tf_keras, the layer harness, PReLU's gradients against finite
differences, masking, and training inside ``fit``."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test
from tests.keras.layers.image_layer_fixtures import cases_of, check_case, check_error, errors_of

ACTIVATIONS = {"ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax"}


@pytest.mark.parametrize("name", cases_of(ACTIVATIONS))
def test_matches_tf_keras(name):
    check_case(name)


@pytest.mark.parametrize("name", errors_of(ACTIVATIONS))
def test_errors_as_tf_keras(name):
    check_error(name)


@pytest.mark.parametrize(
    "cls, kwargs, trainable",
    [
        (layers.ReLU, {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.2}, 0),
        (layers.LeakyReLU, {"alpha": 0.1}, 0),
        (layers.PReLU, {}, 1),
        (layers.PReLU, {"shared_axes": [1, 2], "alpha_initializer": "ones"}, 1),
        (layers.ELU, {"alpha": 0.7}, 0),
        (layers.ThresholdedReLU, {"theta": 0.5}, 0),
        (layers.Softmax, {"axis": 1}, 0),
        (layers.Softmax, {"axis": [1, 2], "robust_masking": True}, 0),
    ],
)
def test_layer_harness(cls, kwargs, trainable):
    run_layer_test(
        cls,
        kwargs,
        (2, 3, 4, 2),
        (2, 3, 4, 2),
        expected_num_trainable_weights=trainable,
        supports_masking=True,
    )


def test_prelu_gradients_match_finite_differences():
    layer = layers.PReLU(
        alpha_initializer=tf.keras.initializers.RandomUniform(0.1, 0.5),
        shared_axes=[1],
        dtype="float64",
    )
    x = np.random.default_rng(0).normal(size=(3, 4, 2))
    x[np.abs(x) < 0.05] = 0.3  # keep finite differences away from the kink at 0
    check_layer_gradients(layer, x)
    assert layer.alpha.shape == (1, 2)


def test_prelu_weight_shape_and_regularizer_loss():
    tf.keras.backend.clear_session()
    layer = layers.PReLU(
        alpha_regularizer=tf.keras.regularizers.L2(0.5), alpha_initializer="ones", shared_axes=2
    )
    layer(tf.ones((2, 3, 4)))
    assert layer.weights[0].name == "p_re_lu/alpha:0" and layer.alpha.shape == (3, 1)
    np.testing.assert_allclose(float(tf.add_n(layer.losses)), 1.5, rtol=1e-6)


def test_prelu_needs_known_unshared_axes():
    with pytest.raises(ValueError, match="shared_axes"):
        layers.PReLU()(tf.keras.Input((None, 3)))
    out = layers.PReLU(shared_axes=1)(tf.keras.Input((None, 3)))
    assert out.shape.as_list() == [None, None, 3]


def test_softmax_mask_adds_a_large_negative_float16_uses_its_minimum():
    x = tf.constant([[1.0, 2.0, 3.0]], tf.float16)
    out = layers.Softmax(dtype="float16")(x, mask=tf.constant([[True, False, True]]))
    assert out.dtype == tf.float16 and float(out[0, 1]) == 0.0
    np.testing.assert_allclose(out.numpy()[0, [0, 2]], [0.1192, 0.8808], rtol=2e-3)


def test_softmax_takes_the_mask_of_its_inputs():
    inputs = tf.keras.Input((4,))
    scores = layers.Embedding(10, 1, mask_zero=True)(inputs)
    probs = layers.Softmax(axis=1)(layers.Reshape((4,))(scores))
    model = tf.keras.Model(inputs, probs)
    out = model(tf.constant([[3, 5, 0, 0]])).numpy()
    np.testing.assert_allclose(out.sum(), 1.0, rtol=1e-6)


def test_activation_layers_train_in_fit():
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 6)).astype(np.float32)
    y = rng.integers(0, 3, size=(10,))
    model = tf.keras.Sequential(
        [
            tf.keras.Input((6,)),
            layers.Dense(8),
            layers.PReLU(alpha_initializer="ones"),
            layers.Dense(8),
            layers.LeakyReLU(),
            layers.Dense(8),
            layers.ELU(),
            layers.ReLU(max_value=6.0),
            layers.Dense(8),
            layers.ThresholdedReLU(0.1),
            layers.Dense(3),
            layers.Softmax(),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=4, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
