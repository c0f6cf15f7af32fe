"""Training scenarios replayed on Keras 2 (by record_trainer_fixtures.py) and on tensorflux.

Each scenario takes ``(keras, tf)`` -- ``tf_keras`` and TensorFlow, or ``tensorflux.keras``
and ``tensorflux`` -- and returns JSON-able results. Weights are set from a seeded NumPy
generator and nothing is shuffled unless the result does not depend on the order, so
both libraries compute the same numbers.
"""

import contextlib
import io
import re

import numpy as np

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], np.float32)


def _rng(seed=0):
    return np.random.default_rng(seed)


def iris_like(n=40):
    rng = _rng(1)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0.5).astype(np.int64)
    return x, y


def set_weights(model, seed=0):
    rng = _rng(seed)
    model.set_weights(
        [(rng.normal(size=w.shape) * 0.5).astype(np.float32) for w in model.get_weights()]
    )
    return model


def xor_model(keras):
    model = keras.Sequential(
        [
            keras.layers.Dense(2, activation="sigmoid", input_shape=(2,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    return set_weights(model)


def iris_model(keras, **dense_kwargs):
    model = keras.Sequential(
        [
            keras.layers.Dense(10, activation="relu", input_shape=(4,), **dense_kwargs),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    return set_weights(model)


def _floats(values):
    return [float(v) for v in values]


def _history(history) -> dict:
    return {
        "epoch": list(history.epoch),
        "keys": list(history.history),
        "history": {k: _floats(v) for k, v in history.history.items()},
        "params": dict(history.params),
    }


def xor_sgd(keras, tf):
    model = xor_model(keras)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse", metrics=["accuracy"])
    history = model.fit(XOR_X, XOR_Y, batch_size=4, epochs=5, verbose=0)
    return {
        "fit": _history(history),
        "evaluate": model.evaluate(XOR_X, XOR_Y, verbose=0),
        "predict": model.predict(XOR_X, verbose=0).tolist(),
    }


def iris_rmsprop_split(keras, tf):
    x, y = iris_like()
    model = iris_model(keras)
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x, y, batch_size=8, epochs=3, validation_split=0.2, shuffle=False, verbose=0
    )
    return {
        "fit": _history(history),
        "evaluate": model.evaluate(x, y, verbose=0, return_dict=True),
        "predict": model.predict(x[:3], verbose=0).tolist(),
    }


def shuffled_split_with_frozen_weights(keras, tf):
    # lr 0: the epoch's loss does not depend on the shuffled order, and val_loss shows
    # which samples were held out (the last 25%, taken before shuffling).
    x, y = iris_like()
    model = iris_model(keras)
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
    history = model.fit(
        x, y, batch_size=7, epochs=2, validation_split=0.25, shuffle=True, verbose=0
    )
    return _history(history)


def metric_names(keras, tf):
    x, y = iris_like()
    one_hot = np.eye(3, dtype=np.float32)[y]
    runs = {
        "accuracy": ("sparse_categorical_crossentropy", ["accuracy"], y),
        "acc": ("sparse_categorical_crossentropy", ["acc"], y),
        "sparse_name": ("sparse_categorical_crossentropy", ["sparse_categorical_accuracy"], y),
        "object": (
            "sparse_categorical_crossentropy",
            [keras.metrics.SparseCategoricalAccuracy()],
            y,
        ),
        "two": ("sparse_categorical_crossentropy", ["accuracy", "mse"], y),
        "categorical": (
            "categorical_crossentropy",
            ["accuracy", "categorical_crossentropy"],
            one_hot,
        ),
        "loss_object": (keras.losses.CategoricalCrossentropy(), ["accuracy"], one_hot),
    }
    out = {}
    for name, (loss, metrics, labels) in runs.items():
        model = iris_model(keras)
        model.compile("sgd", loss, metrics=metrics)
        before = list(model.metrics_names)
        history = model.fit(
            x,
            labels,
            batch_size=16,
            epochs=2,
            shuffle=False,
            verbose=0,
            validation_data=(x[:8], labels[:8]),
        )
        out[name] = {"before": before, "after": list(model.metrics_names), "fit": _history(history)}
    return out


def _two_outputs(keras):
    inputs = keras.Input(shape=(4,))
    hidden = keras.layers.Dense(6, activation="tanh")(inputs)
    classes = keras.layers.Dense(3, activation="softmax")(hidden)
    value = keras.layers.Dense(1)(hidden)
    return set_weights(keras.Model(inputs, [classes, value]))


def multi_output(keras, tf):
    keras.backend.clear_session()
    x, y = iris_like()
    target = [y, x[:, :1] * 2.0]
    model = _two_outputs(keras)
    model.compile(
        "adam",
        ["sparse_categorical_crossentropy", "mse"],
        metrics=["accuracy"],
        loss_weights=[1.0, 0.5],
    )
    history = model.fit(
        x,
        target,
        batch_size=10,
        epochs=2,
        shuffle=False,
        verbose=0,
        validation_data=(x[:10], [t[:10] for t in target]),
    )
    predictions = model.predict(x[:5], batch_size=2, verbose=0)
    return {
        "fit": _history(history),
        "names": list(model.metrics_names),
        "evaluate": model.evaluate(x, target, verbose=0),
        "evaluate_dict": model.evaluate(x, target, verbose=0, return_dict=True),
        "predict_type": type(predictions).__name__,
        "predict": [p.tolist() for p in predictions],
    }


def dict_outputs(keras, tf):
    x, y = iris_like()
    inputs = keras.Input(shape=(4,), name="features")
    hidden = keras.layers.Dense(6, activation="tanh", name="hidden")(inputs)
    outputs = {
        "species": keras.layers.Dense(3, activation="softmax", name="species")(hidden),
        "size": keras.layers.Dense(1, name="size")(hidden),
    }
    model = set_weights(keras.Model(inputs, outputs))
    model.compile(
        "sgd",
        {"species": "sparse_categorical_crossentropy", "size": "mae"},
        metrics={"species": ["accuracy"]},
        loss_weights={"species": 2.0, "size": 1.0},
    )
    targets = {"species": y, "size": x[:, 1:2]}
    history = model.fit({"features": x}, targets, batch_size=16, epochs=2, shuffle=False, verbose=0)
    predictions = model.predict(x[:3], verbose=0)
    return {
        "fit": _history(history),
        "names": list(model.metrics_names),
        "evaluate": model.evaluate(x, targets, verbose=0),
        "predict": {k: v.tolist() for k, v in sorted(predictions.items())},
    }


def weighted(keras, tf):
    x, y = iris_like()
    out = {}
    model = iris_model(keras)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    out["class_weight"] = _history(
        model.fit(
            x,
            y,
            batch_size=8,
            epochs=2,
            shuffle=False,
            verbose=0,
            class_weight={0: 1.0, 1: 3.0, 2: 0.5},
        )
    )
    model = iris_model(keras)
    model.compile(
        "sgd",
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    sample_weight = np.linspace(0.1, 2.0, len(x)).astype(np.float32)
    out["sample_weight"] = _history(
        model.fit(
            x, y, sample_weight=sample_weight, batch_size=8, epochs=2, shuffle=False, verbose=0
        )
    )
    out["evaluate_weighted"] = model.evaluate(x, y, sample_weight=sample_weight, verbose=0)
    return out


def regularization(keras, tf):
    x, y = iris_like()

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
    set_weights(model)
    model.compile("sgd", "sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return {
        "fit": _history(history),
        "evaluate": model.evaluate(x, y, verbose=0),
        "test_on_batch": model.test_on_batch(x, y),
    }


def single_batches(keras, tf):
    x, y = iris_like()
    model = iris_model(keras)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    out = {
        "train": [
            model.train_on_batch(x[:10], y[:10]),
            model.train_on_batch(x[10:20], y[10:20], reset_metrics=False),
            model.train_on_batch(x[:10], y[:10], return_dict=True),
            model.train_on_batch(x[:10], y[:10], class_weight={0: 2.0, 1: 1.0, 2: 1.0}),
        ],
        "test": [
            model.test_on_batch(x[:10], y[:10]),
            model.test_on_batch(x[10:20], y[10:20], reset_metrics=False),
            model.test_on_batch(x[:10], y[:10], return_dict=True),
        ],
        "predict": model.predict_on_batch(x[:2]).tolist(),
    }
    plain = iris_model(keras)
    plain.compile("sgd", "sparse_categorical_crossentropy")
    out["loss_only"] = [
        plain.train_on_batch(x, y),
        plain.test_on_batch(x, y),
        plain.evaluate(x, y, verbose=0),
        plain.evaluate(x, y, verbose=0, return_dict=True),
    ]
    return out


def steps(keras, tf):
    """steps_per_epoch cutting one stream of data; generators running out."""
    x, y = iris_like(20)
    out = {}

    def run(name, data, **kwargs):
        model = iris_model(keras)
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        out[name] = _history(model.fit(data, verbose=0, **kwargs))

    def generator():
        for i in range(5):
            yield x[4 * i : 4 * i + 4], y[4 * i : 4 * i + 4]

    run("generator_runs_out", generator(), epochs=3)
    run("generator_steps", generator(), epochs=3, steps_per_epoch=2)
    run("arrays_fewer_steps", x, y=y, batch_size=4, epochs=3, steps_per_epoch=2, shuffle=False)
    run("arrays_more_steps", x, y=y, batch_size=4, epochs=3, steps_per_epoch=7, shuffle=False)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    run("dataset", dataset, epochs=2)
    run("dataset_repeat", dataset.repeat(), epochs=2, steps_per_epoch=3)
    run("dataset_runs_out", dataset, epochs=3, steps_per_epoch=3)
    run("initial_epoch", x, y=y, batch_size=8, epochs=3, initial_epoch=1, shuffle=False)
    run(
        "validation",
        x,
        y=y,
        batch_size=4,
        epochs=4,
        shuffle=False,
        validation_data=(x, y),
        validation_steps=2,
        validation_freq=2,
        validation_batch_size=3,
    )
    run(
        "validation_dataset", x, y=y, batch_size=4, epochs=2, shuffle=False, validation_data=dataset
    )
    model = iris_model(keras)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    out["evaluate_steps"] = model.evaluate(x, y, batch_size=4, steps=2, verbose=0)
    out["evaluate_dataset"] = model.evaluate(dataset, verbose=0)
    out["predict_steps"] = list(model.predict(x, batch_size=4, steps=2, verbose=0).shape)
    out["predict_dataset"] = model.predict(dataset, verbose=0).tolist()
    return out


def _recording_callback(keras, calls):
    def rounded(logs):
        if logs is None:
            return None
        return {
            k: list(v) if k == "outputs" else round(float(v), 5) for k, v in sorted(logs.items())
        }

    class Recorder(keras.callbacks.Callback):
        pass

    hooks = [
        "on_train_begin",
        "on_train_end",
        "on_epoch_begin",
        "on_epoch_end",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_test_begin",
        "on_test_end",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_predict_begin",
        "on_predict_end",
        "on_predict_batch_begin",
        "on_predict_batch_end",
    ]
    for hook in hooks:

        def method(self, *args, _hook=hook):
            *index, logs = args if args else (None,)
            if isinstance(logs, dict) and "outputs" in logs:
                logs = {"outputs": np.shape(logs["outputs"])}
            calls.append([_hook, *index, rounded(logs)])

        setattr(Recorder, hook, method)
    return Recorder()


def callback_order(keras, tf):
    x, y = iris_like(8)
    model = iris_model(keras)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    calls = []
    recorder = _recording_callback(keras, calls)
    model.fit(
        x,
        y,
        batch_size=4,
        epochs=2,
        shuffle=False,
        verbose=0,
        validation_data=(x[:6], y[:6]),
        validation_batch_size=3,
        callbacks=[recorder],
    )
    fit_calls = calls[:]
    calls.clear()
    model.evaluate(x, y, batch_size=5, verbose=0, callbacks=[recorder])
    evaluate_calls = calls[:]
    calls.clear()
    model.predict(x, batch_size=5, verbose=0, callbacks=[recorder])
    return {
        "fit": fit_calls,
        "evaluate": evaluate_calls,
        "predict": calls,
        "params": dict(recorder.params),
    }


def custom_steps(keras, tf):
    x, y = iris_like()
    out = {}

    class CompiledParts(keras.Sequential):
        def train_step(self, data):
            inputs, labels = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = self.compiled_loss(labels, predictions, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(labels, predictions)
            return {m.name: m.result() for m in self.metrics}

    class ComputeLoss(keras.Sequential):
        def train_step(self, data):
            inputs, labels = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = self.compute_loss(inputs, labels, predictions)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return self.compute_metrics(inputs, labels, predictions, None)

        def test_step(self, data):
            inputs, labels = data
            predictions = self(inputs, training=False)
            return {
                "mean_prediction": tf.reduce_mean(predictions[:, 0]),
                "loss": self.compute_loss(inputs, labels, predictions),
            }

    class OwnDict(keras.Sequential):
        def train_step(self, data):
            inputs, labels = data
            with tf.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = tf.reduce_mean(
                    keras.losses.sparse_categorical_crossentropy(labels, predictions)
                )
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"my_loss": loss, "scaled": 2.0 * loss}

    for name, cls, metrics in (
        ("compiled_parts", CompiledParts, ["accuracy"]),
        ("compute_loss", ComputeLoss, ["accuracy"]),
        ("own_dict", OwnDict, None),
    ):
        model = cls(
            [
                keras.layers.Dense(10, activation="relu", input_shape=(4,)),
                keras.layers.Dense(3, activation="softmax"),
            ]
        )
        set_weights(model)
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=metrics)
        history = model.fit(
            x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, validation_data=(x[:8], y[:8])
        )
        out[name] = {"fit": _history(history)}
        if name == "compute_loss":
            out[name]["evaluate"] = model.evaluate(x, y, verbose=0, return_dict=True)
            out[name]["evaluate_list"] = model.evaluate(x, y, verbose=0)
    return out


def normalize_progress(text: str) -> str:
    """The last redraw of each line, with the parts that depend on timing masked."""
    lines = [line.split("\r")[-1].replace("\b", "") for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"ETA: [0-9:]+s?", "ETA: T", text)
    text = re.sub(r"\d+(\.\d+)?(s|ms|us)/(step|epoch|sample)", r"T/\3", text)
    return re.sub(r" - \d+s", " - Ts", text)


def progress_output(keras, tf):
    x, y = iris_like(30)
    out = {}
    for verbose in (1, 2):
        model = iris_model(keras)
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            model.fit(
                x, y, batch_size=8, epochs=2, shuffle=False, verbose=verbose, validation_split=0.2
            )
            model.evaluate(x, y, verbose=verbose)
            model.predict(x, verbose=verbose)
        out[f"verbose_{verbose}"] = normalize_progress(buffer.getvalue())
    model = iris_model(keras)
    model.compile("sgd", "sparse_categorical_crossentropy")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        model.fit(x, y, batch_size=8, epochs=1, verbose=1, shuffle=False)
    out["one_epoch"] = normalize_progress(buffer.getvalue())
    return out


SCENARIOS = {
    fn.__name__: fn
    for fn in (
        xor_sgd,
        iris_rmsprop_split,
        shuffled_split_with_frozen_weights,
        metric_names,
        multi_output,
        dict_outputs,
        weighted,
        regularization,
        single_batches,
        steps,
        callback_order,
        custom_steps,
        progress_output,
    )
}


def assert_matches(actual, expected, path="result", rel=1e-4):
    """``actual`` equals the recorded ``expected``: same structure, keys, list lengths and
    strings; floats within ``rel`` (float32 arithmetic in another order)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not a dict"
        assert sorted(actual) == sorted(expected), f"{path}: keys {sorted(actual)}"
        for key in expected:
            assert_matches(actual[key], expected[key], f"{path}[{key!r}]", rel)
    elif isinstance(expected, list):
        assert isinstance(actual, (list, tuple)), f"{path}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{path}: {actual!r} vs {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_matches(a, e, f"{path}[{i}]", rel)
    elif isinstance(expected, float):
        assert isinstance(actual, (float, int)), f"{path}: {actual!r} is not a number"
        assert abs(actual - expected) <= rel * max(1.0, abs(expected)), (
            f"{path}: {actual!r} vs {expected!r}"
        )
    else:
        assert actual == expected, f"{path}: {actual!r} vs {expected!r}"
