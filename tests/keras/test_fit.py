"""``Model.fit`` against Keras 2: history keys and values, callbacks, progress output,
data sources, weights, custom steps (fixtures recorded from tf_keras)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import trainer_scenarios as scenarios

keras = tf.keras
FIXTURES = json.load(open(os.path.join(os.path.dirname(__file__), "fixtures", "trainer.json")))


def _replay(name):
    keras.backend.clear_session()
    tf.random.set_seed(0)
    result = scenarios.SCENARIOS[name](keras, tf)
    return json.loads(json.dumps(result))


@pytest.mark.parametrize(
    "name",
    [
        "xor_sgd",
        "iris_rmsprop_split",
        "shuffled_split_with_frozen_weights",
        "metric_names",
        "multi_output",
        "dict_outputs",
        "weighted",
        "regularization",
        "steps",
        "callback_order",
        "custom_steps",
        "progress_output",
    ],
)
def test_matches_keras_2(name):
    scenarios.assert_matches(_replay(name), FIXTURES[name], name)


def test_history_keys_follow_keras_names():
    names = FIXTURES["metric_names"]
    assert names["acc"]["fit"]["keys"] == ["loss", "acc", "val_loss", "val_acc"]
    assert names["sparse_name"]["after"] == ["loss", "sparse_categorical_accuracy"]
    assert names["accuracy"]["before"] == []
    assert FIXTURES["multi_output"]["names"] == [
        "loss",
        "dense_1_loss",
        "dense_2_loss",
        "dense_1_accuracy",
        "dense_2_accuracy",
    ]
    assert FIXTURES["weighted"]["sample_weight"]["keys"] == [
        "loss",
        "accuracy",
        "weighted_accuracy",
    ]


def test_progress_bar_format():
    text = FIXTURES["progress_output"]["verbose_1"]
    assert text.startswith("Epoch 1/2\n3/3 [==============================] - Ts T/step - loss: ")
    assert "- val_loss: " in text
    assert FIXTURES["progress_output"]["one_epoch"].startswith("4/4 [====")


def _iris(**dense_kwargs):
    return scenarios.iris_model(keras, **dense_kwargs)


def _fit_history(model_kwargs=None, **fit_kwargs):
    x, y = scenarios.iris_like()
    model = _iris()
    model.compile(
        **(
            model_kwargs
            or {
                "optimizer": "sgd",
                "loss": "sparse_categorical_crossentropy",
                "metrics": ["accuracy"],
            }
        )
    )
    fit_kwargs.setdefault("x", x)
    return model.fit(verbose=0, shuffle=False, epochs=2, **fit_kwargs).history


def test_run_eagerly_gives_the_traced_results():
    x, y = scenarios.iris_like()
    traced = _fit_history(y=y, batch_size=8, validation_split=0.25)
    eager = _fit_history(
        {
            "optimizer": "sgd",
            "loss": "sparse_categorical_crossentropy",
            "metrics": ["accuracy"],
            "run_eagerly": True,
        },
        y=y,
        batch_size=8,
        validation_split=0.25,
    )
    assert eager.keys() == traced.keys()
    for key in traced:
        np.testing.assert_allclose(eager[key], traced[key], rtol=1e-6)


def test_run_eagerly_flag_and_steps_per_execution():
    model = _iris()
    model.compile("sgd", "mse", run_eagerly=True, steps_per_execution=4, jit_compile=False)
    assert model.run_eagerly
    model.run_eagerly = False
    assert not model.run_eagerly


def test_optimizer_loss_and_metric_objects_equal_strings():
    x, y = scenarios.iris_like()
    strings = _fit_history(y=y, batch_size=8)
    objects = _fit_history(
        {
            "optimizer": keras.optimizers.SGD(),
            "loss": keras.losses.SparseCategoricalCrossentropy(),
            "metrics": [keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        },
        y=y,
        batch_size=8,
    )
    for key in strings:
        np.testing.assert_allclose(objects[key], strings[key], rtol=1e-6)


@pytest.mark.parametrize("source", ["tensors", "dataset", "generator", "lists"])
def test_data_sources_train_like_arrays(source):
    x, y = scenarios.iris_like()
    expected = _fit_history(y=y, batch_size=8)
    if source == "tensors":
        got = _fit_history(x=tf.constant(x), y=tf.constant(y), batch_size=8)
    elif source == "dataset":
        got = _fit_history(x=tf.data.Dataset.from_tensor_slices((x, y)).batch(8))
    elif source == "lists":
        got = _fit_history(x=x.tolist(), y=y.tolist(), batch_size=8)
    else:

        def batches():
            while True:
                for i in range(0, 40, 8):
                    yield x[i : i + 8], y[i : i + 8]

        got = _fit_history(x=batches(), steps_per_epoch=5)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5)


def test_float64_arrays_are_fed_as_float32():
    x, y = scenarios.iris_like()
    expected = _fit_history(y=y, batch_size=8)
    got = _fit_history(x=x.astype(np.float64), y=y, batch_size=8)
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-6)


def test_custom_loss_function_sees_labels_shaped_like_predictions():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(12, 1)
    y = 3 * x[:, 0]
    seen = []

    def squared_error(y_true, y_pred):
        seen.append((tuple(y_true.shape), y_true.dtype))
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
    model.compile("sgd", squared_error)
    model.fit(x, y.astype(np.float64), batch_size=12, verbose=0)
    assert seen[0] == ((12, 1), tf.float32)


class _Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(epoch)
        if epoch == 1:
            self.model.stop_training = True


def test_stop_training_from_a_callback_ends_fit():
    x, y = scenarios.iris_like()
    recorder = _Recorder()
    model = _iris()
    model.compile("sgd", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[recorder])
    assert recorder.calls == [0, 1] and history.epoch == [0, 1]
    assert model.history is history


def test_shuffle_visits_every_sample_once_per_epoch():
    seen = []

    class Spy(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            seen.append(np.array(data[0])[:, 0].tolist())
            return super().train_step(data)

    x = np.arange(10, dtype=np.float32).reshape(10, 1)
    model = Spy()
    model.compile("sgd", "mse", run_eagerly=True)
    tf.random.set_seed(3)
    model.fit(x, x, batch_size=4, epochs=2, verbose=0, validation_split=0.2)
    first, second = sum(seen[:2], []), sum(seen[2:], [])
    assert sorted(first) == sorted(second) == list(range(8))
    assert first != list(range(8)) or second != list(range(8))


def test_regularization_and_add_loss_are_in_the_loss():
    x, y = scenarios.iris_like()

    class Penalty(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(0.1 * tf.reduce_mean(tf.square(inputs)))
            return inputs

    model = keras.Sequential(
        [
            keras.layers.Dense(
                10,
                activation="relu",
                input_shape=(4,),
                kernel_regularizer=keras.regularizers.l2(0.01),
                activity_regularizer=keras.regularizers.l1(0.01),
            ),
            Penalty(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    scenarios.set_weights(model)
    model.compile("sgd", "sparse_categorical_crossentropy")
    w1, b1, w2, b2 = model.get_weights()
    hidden = np.maximum(x @ w1 + b1, 0)
    logits = hidden @ w2 + b2
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    cross_entropy = -np.log(probs[np.arange(len(y)), y]).mean()
    expected = (
        cross_entropy
        + 0.01 * (w1**2).sum()
        + 0.01 * np.abs(hidden).sum() / len(x)
        + 0.1 * (hidden**2).mean()
    )
    np.testing.assert_allclose(
        model.evaluate(x, y, batch_size=len(x), verbose=0), expected, rtol=1e-5
    )


@pytest.mark.parametrize(
    "compile_kwargs, fit_kwargs, error, fragment",
    [
        ({"loss": "categorical_crossentropy"}, {}, ValueError, "(20, 1) and (20, 3)"),
        (
            {"loss": "mse"},
            {"y": np.ones((20, 2), np.float32)},
            ValueError,
            "labels of shape (20, 2)",
        ),
        (
            {"loss": "sparse_categorical_crossentropy"},
            {"x": np.ones((20, 5), np.float32)},
            ValueError,
            "expected shape=(None, 4), found shape=(20, 5)",
        ),
        (
            {"loss": "sparse_categorical_crossentropy"},
            {"y": np.zeros(19, np.int64)},
            ValueError,
            "x sizes: 20\n  y sizes: 19",
        ),
        ({"loss": "sparse_categorical_crossentropy"}, {"x": None}, TypeError, "x=None"),
        ({}, {}, ValueError, "No loss"),
        (
            {"loss": "sparse_categorical_crossentropy"},
            {"validation_split": 1.0},
            ValueError,
            "not sufficient to split",
        ),
        (
            {"loss": "sparse_categorical_crossentropy"},
            {"class_weight": {0: 1.0, 2: 2.0}},
            ValueError,
            "keys from 0 to one less than the number of classes",
        ),
        (
            {"loss": "sparse_categorical_crossentropy"},
            {"class_weight": {0: 1.0, 1: 2.0}},
            ValueError,
            "no weight for class(es) [2]",
        ),
    ],
)
def test_fit_errors(compile_kwargs, fit_kwargs, error, fragment):
    x, y = scenarios.iris_like(20)
    model = _iris()
    model.compile("sgd", **compile_kwargs)
    kwargs = {"x": x, "y": y, "verbose": 0, **fit_kwargs}
    with pytest.raises(error) as info:
        model.fit(**kwargs)
    assert fragment in str(info.value)


def test_fit_before_compile():
    with pytest.raises(RuntimeError, match="You must compile your model before training"):
        _iris().fit(np.ones((2, 4)), np.zeros(2), verbose=0)


def test_dataset_errors():
    x, y = scenarios.iris_like(20)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    model = _iris()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="`validation_split` is only supported for Tensors"):
        model.fit(dataset, validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="`y` argument is not supported"):
        model.fit(dataset, y, verbose=0)
    with pytest.raises(ValueError, match="infinite dataset"):
        model.fit(dataset.repeat(), verbose=0)


def test_unknown_compile_argument():
    with pytest.raises(TypeError, match="Invalid keyword argument"):
        _iris().compile("sgd", "mse", learning_rate=0.1)


def test_loss_list_must_match_outputs():
    model = _iris()
    with pytest.raises(ValueError, match="one entry per model output"):
        model.compile("sgd", ["mse", "mae"])


def test_steps_per_execution_groups_batch_callbacks():
    seen = []

    class Recorder(tf.keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_train_batch_end(self, batch, logs=None):
            seen.append(("end", batch))

    x, y = np.ones((10, 2), np.float32), np.ones((10, 1), np.float32)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_dim=2)])
    model.compile(loss="mse", optimizer="sgd", steps_per_execution=2)
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[Recorder()])
    assert seen == [("begin", 0), ("end", 1), ("begin", 2), ("end", 3), ("begin", 4), ("end", 4)]
    assert len(history.history["loss"]) == 1
    # TF's checks (2.21): a negative number, and anything but an integer or "auto".
    with pytest.raises(ValueError, match="steps_per_execution to be positive"):
        model.compile(loss="mse", steps_per_execution=-1)
    for bad in ("AUTO", 2.5, "3"):
        with pytest.raises(TypeError, match="to EagerTensor of dtype int64"):
            model.compile(loss="mse", steps_per_execution=bad)


@pytest.mark.parametrize("steps", ["auto", 0, None])
def test_steps_per_execution_auto_and_zero_run_one_batch_an_execution(steps):
    seen = []

    class Recorder(tf.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_dim=2)])
    model.compile(loss="mse", optimizer="sgd", steps_per_execution=steps)
    model.fit(np.ones((6, 2)), np.ones((6, 1)), batch_size=2, verbose=0, callbacks=[Recorder()])
    assert seen == [0, 1, 2]


def test_one_dimensional_arrays_feed_an_input_of_shape_one():
    # The classic first program: Dense(units=1, input_shape=[1]) on 1-D arrays. Keras 2
    # adds the last axis of size 1; one full batch of SGD is checked against NumPy.
    keras.backend.clear_session()
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0])
    model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
    model.set_weights([np.array([[0.5]], "float32"), np.array([0.25], "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mean_squared_error")
    history = model.fit(xs, ys, epochs=3, batch_size=6, verbose=0)
    w, b = 0.5, 0.25
    losses = []
    for _ in range(3):
        err = w * xs + b - ys
        losses.append(np.mean(err**2))
        w, b = w - 0.01 * 2 * np.mean(err * xs), b - 0.01 * 2 * np.mean(err)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
    np.testing.assert_allclose(
        model.predict(np.array([10.0]), verbose=0), [[10 * w + b]], rtol=1e-5
    )
    assert model.predict(xs, verbose=0).shape == (6, 1)
    np.testing.assert_allclose(
        model.evaluate(xs, ys, verbose=0), np.mean((w * xs + b - ys) ** 2), rtol=1e-5
    )
