"""``examples/vgg16_saliency.py`` and ``examples/vgg16_feature_visualization.py`` on
small settings (VGG16 with its random initial weights: nothing is downloaded)."""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tests.example_runner import load_example


def test_saliency_is_the_gradient_of_the_predicted_logit():
    example = load_example("vgg16_saliency")
    tf.keras.utils.set_random_seed(0)
    # The VGG16 base (random weights) under a small linear-softmax classifier, which
    # logit_model turns back into logits, as it does with VGG16's own top.
    base = tf.keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
    head = tf.keras.layers.Dense(4, activation="softmax")
    model = tf.keras.Model(base.input, head(tf.keras.layers.Flatten()(base.output)))
    image = example.generated_image(32)
    x = tf.keras.applications.vgg16.preprocess_input(image[np.newaxis].astype(np.float32))
    probs = model(x).numpy()[0]
    logits = example.logit_model(model)
    np.testing.assert_allclose(tf.nn.softmax(logits(x)).numpy()[0], probs, rtol=1e-4, atol=1e-6)
    label, grad = example.saliency(logits, image)
    assert label == int(np.argmax(probs))
    assert grad.shape == (32, 32, 3) and grad.min() == 0.0 and grad.max() == 1.0


def test_gradient_ascent_raises_the_filter_activation():
    example = load_example("vgg16_feature_visualization")
    tf.keras.utils.set_random_seed(0)
    model = example.activation_model("block2_conv2")
    # With random weights many filters are silent (ReLU) on a grey image: ascend on
    # the one most active at the start.
    start = model(np.full((1, 24, 24, 3), 128.0, np.float32)).numpy()
    active = int(np.argmax(start.mean(axis=(0, 1, 2))))
    image, history = example.ascend(model, filter_index=active, size=24, steps=4)
    assert image.shape == (24, 24, 3)
    assert history[-1] > history[0]
