"""Shared pieces of the image preprocessing layers: input conversion, the training
switch, Keras 2's factor checks, and the projective transforms of the geometric
augmentations (rotation, zoom, translation)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.array_ops import concat, expand_dims, shape, squeeze, zeros
from tensorflux.ops.image_transform_ops import image_projective_transform_v3
from tensorflux.ops.math_ops import cast
from tensorflux.ops.unary_math_ops import cos, sin

__all__: list = []

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def convert_inputs(inputs, dtype) -> Tensor:
    """The inputs as a tensor of the layer's compute dtype."""
    x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
    return x if x.dtype is dtypes.as_dtype(dtype) else cast(x, dtype)


def is_training(training) -> bool:
    """Keras 2's rule: a layer called outside fit/evaluate/predict without ``training``
    uses its call signature's default, True, so augmentations are active then."""
    return True if training is None else bool(training)


def dataset_batches(dataset) -> list:
    """The batches of a Dataset given to ``adapt``, as NumPy arrays.

    Keras' ``adapt`` opens an iterator over the dataset before the one it reads (as
    ``fit`` does), so a shuffled dataset reshuffles once more than it is read.
    """
    iter(dataset)
    return [np.asarray(b.numpy() if isinstance(b, Tensor) else b) for b in dataset]


def layer_generator(layer):
    """The ``tf.random.Generator`` a random augmentation layer draws from.

    As tf_keras' layers do, it is made on the layer's first draw, outside any function
    being traced, from the layer's ``seed``, else from a seed of the generator that
    ``tf.keras.utils.set_random_seed`` seeded (Python's ``random`` before that). It is
    kept out of the layer's weights, as in Keras.
    """
    generator = layer.__dict__.get("_augmentation_generator")
    if generator is None:
        import random

        from tensorflux.framework.context import eager_scope
        from tensorflux.keras.utils import random_seed
        from tensorflux.ops.stateful_random_ops import Generator

        seed = getattr(layer, "seed", None)
        if seed is None:
            seed = (random_seed.seed_generator() or random).randint(1, int(1e9))
        with eager_scope():
            generator = Generator.from_seed(seed)
        object.__setattr__(layer, "_augmentation_generator", generator)
    return generator


def stateless_seed(layer) -> Tensor:
    """A seed for one stateless random op, drawn from the layer's generator."""
    return layer_generator(layer).make_seeds()[:, 0]


def check_fill_and_interpolation(fill_mode: str, interpolation: str) -> None:
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(
            f"Unknown `fill_mode` {fill_mode}. Only `reflect`, `wrap`, "
            f"`constant` and `nearest` are supported."
        )
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(
            f"Unknown `interpolation` {interpolation}. Only `nearest` and `bilinear` are supported."
        )


def bounds(factor, name: str, low: float = -1.0, high: float = 1.0) -> tuple:
    """``(lower, upper)`` from a factor that is a number ``f`` (``(-f, f)``) or a pair,
    both within [low, high] (Keras 2's checks and messages)."""
    if isinstance(factor, (tuple, list)):
        lower, upper = factor[0], factor[1]
    else:
        lower, upper = -factor, factor
    if upper < lower:
        raise ValueError(f"`{name}` cannot have upper bound less than lower bound, got {factor}")
    if abs(lower) > 1.0 or abs(upper) > 1.0:
        raise ValueError(
            f"`{name}` argument must have values between [-1, 1]. Received: {name}={factor}"
        )
    return lower, upper


def batched(inputs: Tensor) -> tuple:
    """The inputs as a 4-D batch, and whether they were one 3-D image."""
    single = inputs.shape.rank == 3
    return (expand_dims(inputs, 0) if single else inputs), single


def unbatched(outputs: Tensor, single: bool) -> Tensor:
    return squeeze(outputs, [0]) if single else outputs


def batch_size(images: Tensor):
    return shape(images)[:1]


def image_size(images: Tensor) -> tuple:
    """(height, width) as Python ints (the geometric layers need them known)."""
    height, width = images.shape.as_list()[1:3]
    if height is None or width is None:
        raise ValueError(
            f"This layer needs the image height and width known, got shape "
            f"{tuple(images.shape.as_list())}; resize images to a fixed size "
            f"first."
        )
    return int(height), int(width)


def rotation_matrices(angles: Tensor, height: int, width: int) -> Tensor:
    """``[n, 8]`` transforms rotating each image by ``angles`` (radians) about its
    centre."""
    h, w = np.float32(height - 1), np.float32(width - 1)
    c, s = cos(angles), sin(angles)
    x_offset = (w - (c * w - s * h)) / 2.0
    y_offset = (h - (s * w + c * h)) / 2.0
    n = shape(angles)[:1]
    zero = zeros(concat([n, [2]], 0), dtypes.float32)
    return concat(
        [
            c[:, None],
            -s[:, None],
            x_offset[:, None],
            s[:, None],
            c[:, None],
            y_offset[:, None],
            zero,
        ],
        axis=1,
    )


def zoom_matrices(zooms: Tensor, height: int, width: int) -> Tensor:
    """``[n, 8]`` transforms from ``[n, 2]`` zooms ``(x, y)`` about the centre."""
    x_zoom, y_zoom = zooms[:, :1], zooms[:, 1:]
    x_offset = (np.float32(width - 1) / 2.0) * (1.0 - x_zoom)
    y_offset = (np.float32(height - 1) / 2.0) * (1.0 - y_zoom)
    zero = 0.0 * x_zoom
    return concat([x_zoom, zero, x_offset, zero, y_zoom, y_offset, zero, zero], axis=1)


def translation_matrices(translations: Tensor) -> Tensor:
    """``[n, 8]`` transforms shifting by ``[n, 2]`` pixels ``(dx, dy)``."""
    dx, dy = translations[:, :1], translations[:, 1:]
    one, zero = 1.0 + 0.0 * dx, 0.0 * dx
    return concat([one, zero, -dx, zero, one, -dy, zero, zero], axis=1)


def transform(
    images: Tensor, transforms: Tensor, fill_mode: str, fill_value: float, interpolation: str
) -> Tensor:
    height, width = image_size(images)
    return image_projective_transform_v3(
        images,
        transforms,
        [height, width],
        fill_value=fill_value,
        interpolation=interpolation.upper(),
        fill_mode=fill_mode.upper(),
    )
