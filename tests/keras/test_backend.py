"""keras.backend: settings, name counters, tensor helpers (behaviour as tf_keras 2.21)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import backend as K


@pytest.fixture(autouse=True)
def restore_settings():
    yield
    K.set_floatx("float32")
    K.set_epsilon(1e-7)
    K.set_image_data_format("channels_last")
    K.clear_session()


def test_settings():
    assert (K.floatx(), K.epsilon(), K.image_data_format(), K.backend()) == (
        "float32",
        1e-7,
        "channels_last",
        "tensorflow",
    )
    K.set_floatx("float64")
    K.set_epsilon(1e-5)
    assert (K.floatx(), K.epsilon()) == ("float64", 1e-5)
    assert K.constant(1).dtype == tf.float64 and K.variable([1]).dtype == tf.float64
    assert K.random_normal((2,)).dtype == tf.float64
    with pytest.raises(
        ValueError,
        match="Unknown `floatx` value: int32. Expected one of {'float16', 'float32', 'float64'}",
    ):
        K.set_floatx("int32")
    with pytest.raises(ValueError, match="Unknown `data_format`: nhwc"):
        K.set_image_data_format("nhwc")


def test_learning_phase():
    assert K.learning_phase() == 0
    K.set_learning_phase(1)
    assert K.learning_phase() == 1
    with pytest.raises(ValueError, match="Expected learning phase to be 0 or 1."):
        K.set_learning_phase(2)
    K.clear_session()
    assert K.learning_phase() == 0


def test_names_and_uids_reset_by_clear_session():
    assert [K.unique_object_name("dense") for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert K.unique_object_name("sequential") == "sequential"
    assert K.unique_object_name("conv", zero_based=False) == "conv_1"
    assert K.unique_object_name("x", avoid_names={"x", "x_1"}) == "x_2"
    assert (K.get_uid("a"), K.get_uid("a"), K.get_uid("b")) == (1, 2, 1)
    K.clear_session()
    assert (K.unique_object_name("dense"), K.get_uid("a")) == ("dense", 1)
    K.reset_uids()
    assert K.get_uid("a") == 1


def test_shapes_and_values():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert K.shape(x).numpy().tolist() == [2, 3] and K.shape(x).dtype == tf.int32
    assert K.int_shape(x) == (2, 3) and K.int_shape(np.zeros((2, 3))) == (2, 3)
    assert K.ndim(x) == 2 and K.dtype(x) == "float32" and K.count_params(x) == 6
    v = K.variable(np.array([1, 2]), name="v")
    assert v.dtype == tf.float32 and v.name == "v:0"
    K.set_value(v, [3, 4])
    np.testing.assert_array_equal(K.get_value(v), [3.0, 4.0])
    K.batch_set_value([(v, [5, 6])])
    assert K.batch_get_value([v])[0].tolist() == [5.0, 6.0]
    assert K.get_value(1.5) == 1.5 and K.eval(x).shape == (2, 3)
    assert isinstance(K.zeros((2, 2)), tf.Variable) and K.ones((1,)).numpy().tolist() == [1.0]
    assert K.constant([1, 2], dtype="int32", shape=(2, 1)).shape == (2, 1)
    assert K.cast(x, "int32").dtype == tf.int32
    assert K.zeros_like(x).shape == (2, 3) and K.ones_like(x).numpy().sum() == 6


def test_math_as_keras_2():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert K.mean(tf.constant([1, 2])).dtype == tf.int32
    assert K.mean(tf.constant([True, False])).numpy() == np.float32(0.5)
    np.testing.assert_allclose(K.sum(x, axis=1, keepdims=True).numpy(), [[6.0], [15.0]])
    np.testing.assert_allclose(K.sqrt(tf.constant([-1.0, 4.0])).numpy(), [0.0, 2.0])
    assert K.square(tf.constant([2])).numpy().tolist() == [4]
    np.testing.assert_allclose(K.std(x).numpy(), 1.7078251838684082)
    np.testing.assert_allclose(K.var(x, axis=0).numpy(), [2.25, 2.25, 2.25])
    np.testing.assert_allclose(K.clip(x, 2, 5).numpy(), [[2, 2, 3], [4, 5, 5]])
    np.testing.assert_allclose(K.clip(x, 3, 1).numpy(), np.full((2, 3), 3.0))
    assert K.argmax(x).dtype == tf.int64 and K.argmin(x).numpy().tolist() == [0, 0]
    assert K.max(x).numpy() == 6 and K.min(x, axis=0).numpy().tolist() == [1, 2, 3]
    np.testing.assert_allclose(K.exp(K.log(x)).numpy(), x.numpy(), rtol=1e-6)
    np.testing.assert_allclose(K.maximum(x, 3.0).numpy().min(), 3.0)
    np.testing.assert_allclose(K.minimum(x, 3.0).numpy().max(), 3.0)
    assert K.abs(-x).numpy().sum() == 21 and K.pow(x, 2).numpy()[1, 2] == 36
    assert K.sign(-x).numpy()[0, 0] == -1 and K.round(x / 4).numpy()[0, 1] == 0
    assert K.equal(x, 1.0).numpy()[0, 0] and K.not_equal(x, 1.0).numpy()[0, 1]
    assert K.greater(x, 5.0).numpy().sum() == 1 and K.less(x, 2.0).numpy().sum() == 1
    np.testing.assert_allclose(K.softmax(x).numpy().sum(axis=-1), [1.0, 1.0], rtol=1e-6)
    assert K.relu(-x).numpy().max() == 0 and 0 < K.sigmoid(x).numpy().min() < 1
    assert K.tanh(x).numpy().max() < 1
    np.testing.assert_allclose(
        np.linalg.norm(K.l2_normalize(x, axis=1).numpy(), axis=1), 1, rtol=1e-6
    )
    assert K.stop_gradient(x).shape == (2, 3)


def test_gradients_inside_a_function_and_tf_error_eagerly():
    v = tf.Variable(2.0)

    @tf.function
    def slopes():
        y = 3.0 * v * v
        return K.gradients(y, [v]), K.gradients(y, v)

    as_list, single = slopes()
    assert float(as_list[0]) == 12.0 and float(single[0]) == 12.0
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        K.gradients(v * v, [v])


def test_shape_functions():
    x = tf.ones((2, 3, 4))
    assert K.dot(x, tf.ones((4, 5))).shape == (2, 3, 5)
    assert K.dot(tf.ones((2, 3)), tf.ones((3, 4))).numpy()[0, 0] == 3
    assert K.batch_flatten(x).shape == (2, 12) and K.flatten(x).shape == (24,)
    assert K.transpose(tf.ones((2, 3))).shape == (3, 2)
    assert K.reshape(x, (4, 6)).shape == (4, 6)
    assert K.expand_dims(x).shape == (2, 3, 4, 1) and K.squeeze(tf.ones((2, 1)), 1).shape == (2,)
    assert K.concatenate([x, x]).shape == (2, 3, 8)
    assert K.stack([tf.ones(2), tf.ones(2)]).shape == (2, 2)


def test_random():
    z = K.random_normal(shape=(4000,), mean=1.0, stddev=0.5).numpy()
    assert z.dtype == np.float32 and abs(z.mean() - 1.0) < 0.05 and abs(z.std() - 0.5) < 0.05
    u = K.random_uniform((100,), minval=2.0, maxval=3.0, seed=1).numpy()
    assert u.min() >= 2.0 and u.max() < 3.0


def test_notes_vae_sampling():
    mean, logsigma = tf.zeros((4, 2)), tf.zeros((4, 2))
    batch, dim = K.shape(mean)[0], K.int_shape(mean)[1]
    z = mean + K.exp(0.5 * logsigma) * K.random_normal(shape=(batch, dim))
    kl = -0.5 * K.mean(1 + logsigma - K.square(mean) - K.exp(logsigma), axis=-1)
    assert z.shape == (4, 2) and kl.numpy().tolist() == [0.0] * 4
