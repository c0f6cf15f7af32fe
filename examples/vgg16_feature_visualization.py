"""Feature visualisation: an input image grown to excite one VGG16 filter.

Gradient ascent over the input space: starting from a grey image with a little
noise, the program repeatedly adds the gradient of the mean activation of one filter
(filter 0 of ``block3_conv3`` by default) with respect to the pixels, normalised to
unit root-mean-square so that the step size means the same at every iteration. The
image that results shows the pattern the filter responds to.

The convolutional base is ``tf.keras.applications.VGG16(include_top=False)``, with
Keras' ImageNet file (``vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`` in
``~/.keras/models/``) when it is there, else its random initial weights. The
activation is read from a sub-model ending at the chosen layer
(``model.get_layer(name).output``).

Run:  python3 examples/vgg16_feature_visualization.py [--layer block3_conv3]
          [--filter 0] [--size 128] [--steps 80] [--out filter.png]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from PIL import Image

import tensorflux as tf

NOTOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"


def imagenet_weights():
    """``"imagenet"`` when Keras' VGG16 file is in the cache, else None (random)."""
    cache = os.path.join(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")), "models")
    return "imagenet" if os.path.exists(os.path.join(cache, NOTOP_FILE)) else None


def activation_model(layer: str, weights=None):
    """VGG16's base up to ``layer``: inputs of any size, that layer's feature maps."""
    base = tf.keras.applications.VGG16(include_top=False, weights=weights)
    return tf.keras.Model(inputs=base.input, outputs=base.get_layer(layer).output)


def ascend(model, filter_index: int, size: int, steps: int, step: float = 1.0, seed: int = 0):
    """Gradient ascent on the mean activation of one filter; returns the image (float
    pixels in [0, 255]) and the activation after each step."""
    rng = np.random.default_rng(seed)
    image = tf.Variable(rng.random((1, size, size, 3)).astype(np.float32) * 20 + 128.0)
    history = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(image)[..., filter_index])
        grad = tape.gradient(loss, image)
        grad /= tf.sqrt(tf.reduce_mean(tf.square(grad))) + 1e-5
        image.assign_add(grad * step)
        history.append(float(loss.numpy()))
    return np.clip(image.numpy()[0], 0, 255), history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", default="block3_conv3")
    parser.add_argument("--filter", type=int, default=0)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--out", default="filter.png")
    args = parser.parse_args()
    weights = imagenet_weights()
    model = activation_model(args.layer, weights)
    image, history = ascend(model, args.filter, args.size, args.steps)
    Image.fromarray(image.astype(np.uint8), "RGB").save(args.out)
    print(
        f"weights: {weights or 'random'}; {args.layer} filter {args.filter}: mean activation "
        f"{history[0]:.3f} -> {history[-1]:.3f}; image -> {args.out}"
    )


if __name__ == "__main__":
    main()
