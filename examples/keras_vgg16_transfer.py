"""Transfer learning with VGG16: a frozen convolutional base under a new digit classifier.

The 28x28 grey digits are doubled to 56x56 (``UpSampling2D``), copied into three
colour channels and passed through ``vgg16.preprocess_input`` inside the model, so
it takes raw pixels in [0, 255]. ``tf.keras.applications.VGG16`` without its top
(``include_top=False``) is cut after its third block (``get_layer("block3_pool")``),
which turns a 56x56 image into 7x7x256 features; its weights are frozen
(``base.trainable = False``, called with ``training=False``) and only a new head
learns: ``Flatten``, a ``Rescaling`` by the features' standard deviation,
``Dropout(0.2)`` and ``Dense(10, softmax)`` (125,450 weights).

The base's weights come from Keras' own ImageNet file
(``vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`` in ``~/.keras/models/``)
when it is there. Without a network, the program writes a stand-in file in the
same layout from a seeded random VGG16 (He-scaled kernels) and loads that
(``weights=<path>``): frozen random filters still give features a linear head can
separate, less well than ImageNet's.

A frozen base computes the same features every epoch, so ``extract_features``
runs it once and ``train_head`` fits the head on the stored features (far faster
than running the base every epoch); ``build_transfer_model`` then stacks the
pipeline, the base and the trained head into one model that classifies raw
digits, ready for further training of the head (with augmentation, say).

The digits are drawn with Pillow's built-in font at random positions and sizes
(``drawn``, the default, needs no download), or come from
``tf.keras.datasets.mnist`` (``mnist``).

Run:  python3 examples/keras_vgg16_transfer.py [drawn|mnist]
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import tensorflux as tf
from tensorflux.keras import layers

SIZE = 56
CUT = "block3_pool"
NOTOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"


def draw_digits(n: int, seed: int = 0):
    """``n`` digits drawn in white on black, 28x28 uint8 of shape (n, 28, 28, 1), and
    their labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = np.zeros((n, 28, 28, 1), np.uint8)
    for k, label in enumerate(labels):
        size = int(rng.integers(14, 22))
        font = ImageFont.load_default(size=size)
        canvas = Image.new("L", (28, 28))
        x, y = rng.integers(2, 28 - size // 2 - 4, 2)
        ImageDraw.Draw(canvas).text((int(x), int(y) - 2), str(label), fill=255, font=font)
        images[k, ..., 0] = np.asarray(canvas)
    return images, labels.astype(np.int64)


def load_digits(source: str = "drawn", n_train: int = 2000, n_test: int = 500):
    """``(x_train, y_train), (x_test, y_test)`` with images of shape (n, 28, 28, 1)."""
    if source == "mnist":
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        return (x_train[:n_train, ..., None], y_train[:n_train]), (
            x_test[:n_test, ..., None],
            y_test[:n_test],
        )
    return draw_digits(n_train, seed=0), draw_digits(n_test, seed=1)


def base_weights(folder: str | None = None, seed: int = 0) -> str:
    """``"imagenet"`` when Keras' VGG16 file is cached, else the path of a stand-in
    file in Keras' layout written from a seeded random VGG16."""
    home = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    cache = os.path.join(os.path.expanduser(home), "models", NOTOP_FILE)
    if os.path.exists(cache):
        return "imagenet"
    path = os.path.join(folder or tempfile.gettempdir(), "vgg16_random_" + NOTOP_FILE)
    if not os.path.exists(path):
        stand_in = tf.keras.applications.VGG16(
            weights=None, include_top=False, input_shape=(SIZE, SIZE, 3)
        )
        # He-scaled kernels keep the signal's size through 13 ReLU convolutions, so
        # the last block still varies with the image (Glorot's would shrink it).
        rng = np.random.default_rng(seed)
        for layer in stand_in.layers:
            if isinstance(layer, layers.Conv2D):
                shape = layer.kernel.shape.as_list()
                std = np.sqrt(2.0 / np.prod(shape[:-1]))
                layer.kernel.assign(rng.normal(0.0, std, shape).astype("float32"))
        stand_in.save_weights(path)
    return path


def image_pipeline():
    """The layers from raw 28x28 grey digits to VGG16's input: 56x56 BGR, centred."""
    inputs = tf.keras.Input((28, 28, 1))
    x = layers.UpSampling2D(2)(inputs)
    x = layers.Concatenate()([x, x, x])
    x = tf.keras.applications.vgg16.preprocess_input(x)
    return inputs, x


def frozen_base(weights: str):
    """VGG16's first three blocks, frozen: 56x56x3 images to 7x7x256 features.

    Early blocks respond to edges and strokes, which digits are made of; the deep
    ones to ImageNet's object parts (and, with the random stand-in, to nothing
    useful), so the base is cut at ``block3_pool``.
    """
    vgg16 = tf.keras.applications.VGG16(
        weights=weights, include_top=False, input_shape=(SIZE, SIZE, 3)
    )
    base = tf.keras.Model(vgg16.input, vgg16.get_layer(CUT).output, name="vgg16_" + CUT)
    base.trainable = False
    return base


def extract_features(images, weights: str, batch_size: int = 32):
    """The frozen base's 7x7x256 features of each image, computed once."""
    inputs, x = image_pipeline()
    extractor = tf.keras.Model(inputs, frozen_base(weights)(x, training=False))
    return extractor.predict(images.astype("float32"), batch_size=batch_size, verbose=0)


def train_head(features, labels, epochs: int = 20, verbose: int = 0):
    """Fits the new head on stored features; returns the head and its History.

    The base's features are large and unscaled (ImageNet's or random filters), so
    the head first divides them by their overall standard deviation.
    """
    inputs = tf.keras.Input(features.shape[1:])
    scale = 1.0 / float(np.std(features))
    x = layers.Rescaling(scale)(layers.Flatten()(inputs))
    x = layers.Dropout(0.2)(x)
    head = tf.keras.Model(inputs, layers.Dense(10, activation="softmax")(x), name="head")
    head.compile(
        optimizer=tf.keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = head.fit(features, labels, epochs=epochs, batch_size=32, verbose=verbose)
    return head, history


def build_transfer_model(weights: str, head):
    """Digits in, classes out: the pipeline, the frozen base and the trained head, as
    one model to predict with or to train further (the head only)."""
    inputs, x = image_pipeline()
    base = frozen_base(weights)
    # training=False keeps the base in inference mode even when it is unfrozen later.
    model = tf.keras.Model(inputs, head(base(x, training=False)), name="vgg16_digits")
    model.compile(
        optimizer=tf.keras.optimizers.Adam(1e-4),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else "drawn"
    if source not in ("drawn", "mnist"):
        sys.exit("usage: keras_vgg16_transfer.py [drawn|mnist]")
    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_digits(source)
    weights = base_weights()
    print("VGG16 weights:", "Keras' ImageNet file" if weights == "imagenet" else weights)
    head, _ = train_head(extract_features(x_train, weights), y_train, verbose=2)
    model = build_transfer_model(weights, head)
    _, accuracy = model.evaluate(x_test.astype("float32"), y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
