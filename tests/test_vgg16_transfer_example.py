"""examples/keras_vgg16_transfer.py: a frozen VGG16 base (from a generated weights file
in Keras' layout) under a new digit classifier, on a handful of digits."""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tests.test_keras_examples import _load


def test_frozen_vgg16_base_and_new_head(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    example = _load("keras_vgg16_transfer")
    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), _ = example.load_digits("drawn", n_train=24, n_test=1)
    assert x_train.shape == (24, 28, 28, 1) and x_train.dtype == np.uint8

    weights = example.base_weights(str(tmp_path))
    assert weights.endswith("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
    features = example.extract_features(x_train, weights)
    assert features.shape == (24, 7, 7, 256)

    head, history = example.train_head(features, y_train, epochs=60)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert head.evaluate(features, y_train, verbose=0)[1] >= 0.9

    model = example.build_transfer_model(weights, head)
    base = model.get_layer("vgg16_block3_pool")
    assert not base.trainable and len(model.trainable_weights) == 2
    kernel = base.get_layer("block3_conv3").kernel.numpy()
    np.testing.assert_allclose(
        model.predict(x_train[:8].astype("float32"), verbose=0),
        head.predict(features[:8], verbose=0),
        rtol=1e-4,
        atol=1e-6,
    )
    model.fit(x_train[:8].astype("float32"), y_train[:8], epochs=1, batch_size=8, verbose=0)
    np.testing.assert_array_equal(base.get_layer("block3_conv3").kernel.numpy(), kernel)
