"""``evaluate``/``predict`` and the single-batch methods against Keras 2 (tf_keras fixtures)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import trainer_scenarios as scenarios

keras = tf.keras
FIXTURES = json.load(open(os.path.join(os.path.dirname(__file__), "fixtures", "trainer.json")))


def test_single_batches_match_keras_2():
    keras.backend.clear_session()
    result = json.loads(json.dumps(scenarios.single_batches(keras, tf)))
    scenarios.assert_matches(result, FIXTURES["single_batches"], "single_batches")


def _compiled(metrics=("accuracy",)):
    model = scenarios.iris_model(keras)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=list(metrics))
    return model


def test_evaluate_return_shapes():
    x, y = scenarios.iris_like()
    model = _compiled()
    values = model.evaluate(x, y, verbose=0)
    assert isinstance(values, list) and len(values) == 2
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == model.metrics_names == ["loss", "accuracy"]
    assert values == [logs["loss"], logs["accuracy"]]
    assert isinstance(_compiled(()).evaluate(x, y, verbose=0), float)


def test_evaluate_batches_average_by_samples():
    x, y = scenarios.iris_like()
    model = _compiled()
    np.testing.assert_allclose(
        model.evaluate(x, y, batch_size=7, verbose=0),
        model.evaluate(x, y, batch_size=40, verbose=0),
        rtol=1e-6,
    )


def test_evaluate_before_compile():
    with pytest.raises(RuntimeError, match="You must compile your model"):
        scenarios.iris_model(keras).evaluate(np.ones((2, 4)), np.zeros(2), verbose=0)


def test_predict_concatenates_batches_without_compile():
    x, _ = scenarios.iris_like()
    model = scenarios.iris_model(keras)
    whole = model.predict(x, batch_size=40, verbose=0)
    assert isinstance(whole, np.ndarray) and whole.shape == (40, 3)
    np.testing.assert_allclose(model.predict(x, batch_size=6, verbose=0), whole, rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:3]), whole[:3], rtol=1e-6)
    np.testing.assert_allclose(model(x[:3]).numpy(), whole[:3], rtol=1e-6)


def test_predict_keeps_the_output_structure():
    keras.backend.clear_session()
    recorded = FIXTURES["multi_output"]
    assert recorded["predict_type"] == "list"
    result = scenarios.multi_output(keras, tf)
    assert result["predict_type"] == "list"
    assert [np.shape(p) for p in result["predict"]] == [(5, 3), (5, 1)]
    assert sorted(FIXTURES["dict_outputs"]["predict"]) == ["size", "species"]


def test_predict_accepts_datasets_and_tensors():
    x, y = scenarios.iris_like()
    model = scenarios.iris_model(keras)
    expected = model.predict(x, verbose=0)
    with_labels = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    inputs_only = tf.data.Dataset.from_tensor_slices(x).batch(16)
    for data in (with_labels, inputs_only, tf.constant(x)):
        np.testing.assert_allclose(model.predict(data, verbose=0), expected, rtol=1e-6)


def test_predict_callbacks_see_batch_outputs():
    x, _ = scenarios.iris_like()
    calls = FIXTURES["callback_order"]["predict"]
    assert calls[0] == ["on_predict_begin", {}] and calls[-1] == ["on_predict_end", {}]
    assert ["on_predict_batch_end", 0, {"outputs": [5, 3]}] in calls


def test_verbose_progress_of_evaluate_and_predict(capsys):
    x, y = scenarios.iris_like()
    model = _compiled()
    model.evaluate(x, y, verbose=1)
    model.predict(x, verbose=1)
    text = scenarios.normalize_progress(capsys.readouterr().out)
    assert text.startswith("2/2 [==============================] - Ts T/step - loss: ")
    assert "\n2/2 [==============================] - Ts T/step\n" in text
