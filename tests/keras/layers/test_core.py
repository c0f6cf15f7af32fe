"""Dense, Activation, Lambda, Embedding, Masking: the layer harness, masks, errors,
gradients."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test

HARNESS = [
    (layers.Dense, {"units": 3}, (2, 4), (2, 3), 2),
    (layers.Dense, {"units": 3, "activation": "relu", "use_bias": False}, (6, 4), (6, 3), 1),
    (layers.Dense, {"units": 2, "activation": "tanh"}, (2, 3, 4), (2, 3, 2), 2),
    (layers.Dense, {"units": 2, "kernel_regularizer": "l2", "input_dim": 3}, (2, 3), (2, 2), 2),
    (layers.Activation, {"activation": "softmax"}, (2, 4), (2, 4), 0),
    (layers.Lambda, {"function": lambda x: 2 * x + 1}, (2, 3), (2, 3), 0),
    (
        layers.Lambda,
        {"function": lambda x, k: x[:, :k], "output_shape": (2,), "arguments": {"k": 2}},
        (3, 4),
        (3, 2),
        0,
    ),
    (layers.Masking, {"mask_value": 0.5}, (2, 3, 4), (2, 3, 4), 0),
]


@pytest.mark.parametrize("cls, kwargs, shape, expected, n_trainable", HARNESS)
def test_harness(cls, kwargs, shape, expected, n_trainable):
    run_layer_test(
        cls,
        kwargs,
        shape,
        expected,
        expected_num_trainable_weights=n_trainable,
        expected_num_non_trainable_weights=0,
    )


def test_embedding_harness_and_mask():
    ids = np.array([[0, 3, 5], [1, 0, 0]], dtype="int32")
    out = run_layer_test(
        layers.Embedding,
        {"input_dim": 6, "output_dim": 4, "mask_zero": True},
        input_data=ids,
        expected_output_shape=(2, 3, 4),
        expected_output_dtype="float32",
        expected_num_trainable_weights=1,
    )
    np.testing.assert_array_equal(out._keras_mask.numpy(), ids != 0)


def test_embedding_float_ids_and_sparse_gradient():
    layer = layers.Embedding(5, 2)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(np.array([[1.0, 1.0, 4.0]])))
    grad = tape.gradient(y, layer.embeddings)
    assert isinstance(grad, tf.IndexedSlices)
    np.testing.assert_array_equal(tf.convert_to_tensor(grad).numpy()[:, 0], [0, 2, 0, 0, 1])


def test_embedding_input_length_shapes_like_keras2():
    layer = layers.Embedding(10, 3, input_length=5)
    assert layer.get_config()["batch_input_shape"] == (None, 5)
    assert layers.Embedding(10, 3).get_config()["batch_input_shape"] == (None, None)
    assert layer.compute_output_shape((None, None)).as_list() == [None, 5, 3]
    with pytest.raises(ValueError, match="`input_length` is 5, but received input has shape"):
        layer.compute_output_shape((None, 4))


def test_masking_mask_passes_through_dense():
    x = tf.constant([[[0.0, 0.0], [1.0, 2.0]]])
    y = layers.Dense(3)(layers.Masking()(x))
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[False, True]])


def test_dense_names_weights_and_config_defaults():
    layer = layers.Dense(2, activation=tf.nn.relu, name="out")
    layer(tf.ones((1, 3)))
    assert [w.name for w in layer.weights] == ["out/kernel:0", "out/bias:0"]
    config = layer.get_config()
    assert config["activation"] == "relu" and config["units"] == 2
    assert layers.Dense(1).get_config()["activation"] == "linear"


def sampling(args):
    z_mean, z_log_var = args
    return z_mean + tf.exp(0.5 * z_log_var) * 0.0


def test_lambda_list_inputs_like_vae_sampling():
    layer = layers.Lambda(sampling, output_shape=(2,), name="z")
    z = layer([tf.ones((3, 2)), tf.zeros((3, 2))])
    assert layer.name == "z" and z.shape.as_list() == [3, 2]
    assert layer.compute_output_shape([(None, 2), (None, 2)]).as_list() == [None, 2]
    config = layer.get_config()
    assert config["function_type"] == "function" and config["function"] == "sampling"
    clone = layers.Lambda.from_config(config, custom_objects={"sampling": sampling})
    np.testing.assert_array_equal(clone([tf.ones((1, 2)), tf.ones((1, 2))]).numpy(), [[1, 1]])


def test_lambda_closure_round_trip_and_training_argument():
    scale = 3.0
    layer = layers.Lambda(lambda x, training=None: x * scale if training else x)
    clone = layers.Lambda.from_config(layer.get_config())
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(clone(x, training=True).numpy(), [3.0, 6.0])
    np.testing.assert_array_equal(clone(x).numpy(), [1.0, 2.0])


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4)])
def test_dense_gradients(shape):
    layer = layers.Dense(2, activation="tanh", dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=shape))


def test_dense_wrong_last_dimension_names_layer_and_shapes():
    layer = layers.Dense(3, name="dense")
    layer.build((None, 4))
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "dense" is incompatible with the '
        r"layer: expected axis -1 of input shape to have value 4, but received "
        r"input with shape \(2, 5\)",
    ):
        layer(tf.ones((2, 5)))
    with pytest.raises(ValueError, match=r"expected min_ndim=2, found ndim=1"):
        layers.Dense(3)(tf.ones((5,)))


def test_dense_argument_errors():
    with pytest.raises(ValueError, match="expected a positive integer. Received: units=-1"):
        layers.Dense(-1)
    with pytest.raises(ValueError, match="last dimension of the inputs should be defined"):
        layers.Dense(2).build((None, None))
    with pytest.raises(TypeError, match="Keyword argument not understood: 'unit'"):
        layers.Dense(2, unit=3)


def test_embedding_and_lambda_errors():
    with pytest.raises(ValueError, match="Both `input_dim` and `output_dim` should be positive"):
        layers.Embedding(0, 3)
    with pytest.raises(TypeError, match="Lambda layer expects a callable"):
        layers.Lambda(3)
    with pytest.raises(ValueError, match="Unknown function: 'missing_fn'"):
        layers.Lambda.from_config(
            {"function": "missing_fn", "function_type": "function", "module": __name__}
        )
