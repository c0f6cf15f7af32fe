"""Keras on SparseTensor inputs: Dense multiplies them, Input(sparse=True), fit/predict,
saving (values against tf_keras are in tests/ops/test_sparse_ops.py)."""

import numpy as np

import tensorflux as tf

keras = tf.keras


def _st():
    return tf.sparse.SparseTensor([[0, 1], [1, 0], [2, 3], [4, 2]], [1.0, 2.0, 3.0, 4.0], [5, 4])


def test_dense_on_sparse_equals_dense_on_its_densified_input():
    layer = keras.layers.Dense(3, activation="relu")
    np.testing.assert_allclose(
        layer(_st()).numpy(), layer(tf.sparse.to_dense(_st())).numpy(), rtol=1e-6
    )


def test_sequential_fits_and_predicts_on_a_sparse_tensor():
    tf.keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    history = model.fit(_st(), np.ones((5, 1)), epochs=3, batch_size=2, verbose=0)
    assert len(history.history["loss"]) == 3
    assert model.predict(_st(), verbose=0).shape == (5, 1)


def test_sparse_input_layer_config_and_saving(tmp_path):
    x = keras.Input((4,), sparse=True)
    model = keras.Model(x, keras.layers.Dense(2)(x))
    assert model.layers[0].get_config()["sparse"] is True
    assert model.inputs[0].type_spec == tf.SparseTensorSpec([None, 4], tf.float32)
    path = str(tmp_path / "sparse.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(_st()).numpy(), model(_st()).numpy())
    assert loaded.layers[0].get_config()["sparse"] is True
