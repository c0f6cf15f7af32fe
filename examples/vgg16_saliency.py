"""Attribution: which pixels move VGG16's class logit the most (a saliency map).

VGG16's last layer turns logits into probabilities with a softmax, which couples the
classes: one class's probability can rise only because the others' logits fall. The
program therefore rebuilds the model with that last Dense layer made linear (same
weights), picks the class the model predicts for the image, and takes the gradient
of that class's logit with respect to the input pixels with ``tf.GradientTape``. The
gradient, scaled to [0, 255], is the saliency map: bright where a small change of a
pixel changes the logit most.

The weights are Keras' ImageNet file (``vgg16_weights_tf_dim_ordering_tf_kernels.h5``
in ``~/.keras/models/``) when it is there; without it the model keeps its random
initial weights, and the map shows the mechanics rather than a dog's outline. The
image is ``--image PATH`` (resized to 224x224) or a generated picture.

Run:  python3 examples/vgg16_saliency.py [--image dog.jpg] [--out saliency.png]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from PIL import Image

import tensorflux as tf

TOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels.h5"


def imagenet_weights():
    """``"imagenet"`` when Keras' VGG16 file is in the cache, else None (random)."""
    cache = os.path.join(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")), "models")
    return "imagenet" if os.path.exists(os.path.join(cache, TOP_FILE)) else None


def logit_model(base):
    """``base`` with its last Dense layer's softmax replaced by the identity: a model
    that outputs the class logits, sharing ``base``'s weights."""
    last = base.layers[-1]
    last.activation = tf.keras.activations.linear
    return tf.keras.Model(inputs=base.input, outputs=last(base.layers[-2].output))


def generated_image(size: int, seed: int = 0) -> np.ndarray:
    """A smooth colour picture with a bright disc, uint8 (size, size, 3)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size] / size
    image = np.stack([0.5 + 0.5 * np.sin(6 * xx + c) * np.cos(4 * yy - c) for c in (0, 1, 2)], -1)
    disc = (xx - 0.55) ** 2 + (yy - 0.45) ** 2 < 0.04
    image[disc] = [0.95, 0.8, 0.6]
    image += rng.normal(0, 0.03, image.shape)
    return (np.clip(image, 0, 1) * 255).astype(np.uint8)


def saliency(model, image: np.ndarray):
    """The predicted class of ``image`` (uint8 HxWx3) and the gradient of its logit
    with respect to the pixels, as an (H, W, 3) array scaled to [0, 1]."""
    x = tf.constant(image[np.newaxis].astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        logits = model(tf.keras.applications.vgg16.preprocess_input(x))
        label = int(tf.argmax(logits[0]).numpy())
        target = logits[0, label]
    grad = tape.gradient(target, x)[0].numpy()
    grad -= grad.min()
    grad /= max(float(grad.max()), 1e-12)
    return label, grad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", help="an image file (default: a generated picture)")
    parser.add_argument("--out", default="saliency.png", help="where to save the map")
    args = parser.parse_args()
    weights = imagenet_weights()
    model = logit_model(tf.keras.applications.VGG16(include_top=True, weights=weights))
    if args.image:
        image = np.array(Image.open(args.image).convert("RGB").resize((224, 224)))
    else:
        image = generated_image(224)
    label, grad = saliency(model, image)
    Image.fromarray((255 * grad).astype(np.uint8), "RGB").save(args.out)
    print(f"weights: {weights or 'random'}; predicted class {label}; saliency map -> {args.out}")


if __name__ == "__main__":
    main()
