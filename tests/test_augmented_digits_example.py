"""examples/keras_cnn_augmented_digits.py runs and learns on small settings: the tf.data
pipeline (tf.image.resize in map, inverted copies), the augmentation layers in front
of the CNN, and training on generated digits and on a Fashion-MNIST subset."""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tests.test_keras_examples import _load, needs_fashion_mnist


def test_pipeline_resizes_and_appends_inverted_images():
    example = _load("keras_cnn_augmented_digits")
    images, labels = example.generated_digits(6, seed=4)
    assert images.shape == (6, 28, 28, 1) and images.dtype == np.uint8
    ds_train, ds_test = example.make_datasets((images, labels), (images, labels), batch_size=12)
    x, y = next(iter(ds_test))
    assert x.shape == (12, 32, 32, 1) and x.dtype == tf.float32
    np.testing.assert_allclose(x[6:].numpy(), 1.0 - x[:6].numpy(), atol=1e-6)
    want = tf.image.resize(images[:1].astype(np.float32) / 255.0, [32, 32])
    np.testing.assert_allclose(x[:1].numpy(), want.numpy(), atol=1e-6)
    assert y.numpy().tolist() == labels.tolist() * 2
    assert sorted(next(iter(ds_train))[1].numpy().tolist()) == sorted(labels.tolist() * 2)


def test_augmentation_acts_in_training_only():
    example = _load("keras_cnn_augmented_digits")
    model = example.build_model()
    x = tf.constant(np.random.default_rng(0).uniform(size=(2, 32, 32, 1)), tf.float32)
    augment = tf.keras.Sequential(model.layers[:2])
    np.testing.assert_array_equal(augment(x, training=False).numpy(), x.numpy())
    assert np.abs(augment(x, training=True).numpy() - x.numpy()).max() > 0.05


def test_learns_generated_digits():
    example = _load("keras_cnn_augmented_digits")
    train = example.generated_digits(600, seed=0)
    test = example.generated_digits(150, seed=1)
    model, history, accuracy = example.train(train, test, epochs=3, verbose=0)
    assert model.count_params() == 79242
    assert history.history["loss"][-1] < history.history["loss"][0]
    # Ten classes, half the test set inverted, 3 short epochs: with this seed tf_keras
    # itself reaches 0.19 (losses 2.296, 2.255, 2.176), so above chance is the claim.
    assert accuracy >= 0.15


@needs_fashion_mnist
def test_learns_fashion_mnist_subset():
    example = _load("keras_cnn_augmented_digits")
    (x_train, y_train), (x_test, y_test) = example.load_data("fashion")
    _, history, accuracy = example.train(
        (x_train[:600], y_train[:600]), (x_test[:150], y_test[:150]), epochs=2, verbose=0
    )
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert accuracy >= 0.3
