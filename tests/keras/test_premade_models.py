"""tf.keras.experimental's premade models and tf.keras.models.experimental's
sharpness-aware minimization: losses, weights and weight names as tf_keras 2.21 gives
them on the same data (compared by hand with tf_keras)."""

import numpy as np
import pytest

import tensorflux as tf

keras = tf.keras


@pytest.fixture
def regression():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3
    return x, y


def _losses(history):
    return [round(v, 5) for v in history.history["loss"]]


def test_linear_model_trains_as_tf_keras(regression):
    x, y = regression
    model = keras.experimental.LinearModel()
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, shuffle=False)
    assert _losses(history) == [2.71524, 0.68882, 0.18483]
    assert [w.name for w in model.weights] == ["linear_model/kernel:0", "linear_model/bias:0"]
    np.testing.assert_allclose(
        model.weights[0].numpy().ravel(), [0.9314, -1.6952, 0.4565], atol=1e-4
    )


def test_linear_model_over_a_dict_sums_one_kernel_per_key():
    model = keras.experimental.LinearModel(units=2, activation="sigmoid")
    out = model({"b": tf.ones([2, 1]), "a": tf.ones([2, 2])})
    assert out.shape == (2, 2) and np.allclose(out.numpy(), 0.5)
    assert [w.shape.as_list() for w in model.weights] == [[2, 2], [1, 2], [2]]
    with pytest.raises(ValueError, match="Missing keys: {'b'}"):
        model({"a": tf.ones([2, 2]), "c": tf.ones([2, 1])})


def test_wide_deep_model_with_one_optimizer_per_part(regression):
    x, y = regression
    dnn = keras.Sequential(
        [
            keras.layers.Dense(4, activation="relu", kernel_initializer="ones"),
            keras.layers.Dense(1, kernel_initializer="ones"),
        ]
    )
    model = keras.experimental.WideDeepModel(keras.experimental.LinearModel(), dnn)
    model.compile([keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.01)], "mse")
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    assert _losses(history) == [17.16222, 3.93439]


def test_sharpness_aware_minimization_with_batch_splits(regression):
    x, y = regression
    base = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model = keras.models.experimental.SharpnessAwareMinimization(base, rho=0.1, num_batch_splits=2)
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    assert _losses(history) == [3.40106, 0.16221]
    np.testing.assert_allclose(
        base.weights[0].numpy().ravel(), [0.97384, -1.9371, 0.45063], atol=1e-5
    )


def test_configs_rebuild_the_models():
    linear = keras.experimental.LinearModel(units=2, activation="relu")
    again = keras.layers.deserialize(keras.layers.serialize(linear))
    assert (again.units, again.activation.__name__) == (2, "relu")
    wide_deep = keras.experimental.WideDeepModel(
        keras.experimental.LinearModel(), keras.Sequential([keras.layers.Dense(1)]), "sigmoid"
    )
    rebuilt = keras.experimental.WideDeepModel.from_config(wide_deep.get_config())
    assert (
        type(rebuilt.dnn_model).__name__ == "Sequential"
        and rebuilt.activation.__name__ == "sigmoid"
    )
    sam = keras.models.experimental.SharpnessAwareMinimization(keras.Sequential(), rho=0.2)
    assert (
        keras.models.experimental.SharpnessAwareMinimization.from_config(sam.get_config()).rho
        == 0.2
    )


def test_experimental_schedules_are_the_schedules():
    assert keras.experimental.CosineDecay is keras.optimizers.schedules.CosineDecay
    assert keras.experimental.CosineDecayRestarts is keras.optimizers.schedules.CosineDecayRestarts
