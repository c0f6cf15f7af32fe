"""``tf.image.random_*``: the colour and geometry functions with random parameters.

Each draws its parameters with ``tf.random.uniform`` (seeded like every stateful
random op: global seed plus ``seed``) and applies the deterministic function. Flips of
a batch choose per image, as TF does. The random streams are tensorflux's, so seeded
results repeat between runs but are not TF's numbers.
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.array_ops import gather, reshape, where
from tensorflux.ops.array_ops import range as tf_range
from tensorflux.ops.common import to_tensor
from tensorflux.ops.image_color_ops import (
    adjust_brightness,
    adjust_contrast,
    adjust_hue,
    adjust_saturation,
)
from tensorflux.ops.image_geometry_ops import flip_left_right, flip_up_down, image_rank
from tensorflux.ops.logic_ops import less
from tensorflux.ops.random_ops import uniform

__all__: list = []


def _random_flip(fn: str, flip, image, seed) -> Tensor:
    x = image_rank(fn, image)
    if x.shape.rank == 3:
        return where(less(uniform([], seed=seed), 0.5), flip(x), x)
    batch = x.shape[0]
    if batch is None:
        from tensorflux.ops.array_ops import shape

        batch = shape(x)[:1]
    chosen = less(uniform(batch if isinstance(batch, Tensor) else [batch], seed=seed), 0.5)
    return where(reshape(chosen, [-1, 1, 1, 1]), flip(x), x)


def random_flip_left_right(image, seed=None) -> Tensor:
    """Mirrors each image horizontally with probability 1/2.

    >>> from tensorflux.ops.image_random_ops import random_flip_left_right
    >>> random_flip_left_right([[[1], [2]]], seed=3).shape
    TensorShape([1, 2, 1])
    """
    return _random_flip("random_flip_left_right", flip_left_right, image, seed)


def random_flip_up_down(image, seed=None) -> Tensor:
    """Mirrors each image vertically with probability 1/2.

    >>> from tensorflux.ops.image_random_ops import random_flip_up_down
    >>> random_flip_up_down([[[1]], [[2]]], seed=3).shape
    TensorShape([2, 1, 1])
    """
    return _random_flip("random_flip_up_down", flip_up_down, image, seed)


def random_brightness(image, max_delta, seed=None) -> Tensor:
    """``adjust_brightness`` by a delta drawn from [-max_delta, max_delta).

    >>> from tensorflux.ops.image_random_ops import random_brightness
    >>> random_brightness([[[0.5]]], 0.1, seed=1).shape
    TensorShape([1, 1, 1])

    Raises:
        ValueError: a negative ``max_delta``.
    """
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, uniform([], -max_delta, max_delta, seed=seed))


def random_contrast(image, lower, upper, seed=None) -> Tensor:
    """``adjust_contrast`` by a factor drawn from [lower, upper).

    >>> from tensorflux.ops.image_random_ops import random_contrast
    >>> random_contrast([[[0.5]]], 0.5, 1.5, seed=1).shape
    TensorShape([1, 1, 1])

    Raises:
        ValueError: ``upper <= lower`` or a negative ``lower``.
    """
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_contrast(image, uniform([], lower, upper, seed=seed))


def random_saturation(image, lower, upper, seed=None) -> Tensor:
    """``adjust_saturation`` by a factor drawn from [lower, upper).

    >>> from tensorflux.ops.image_random_ops import random_saturation
    >>> random_saturation([[[0.5, 0.2, 0.1]]], 0.5, 1.5, seed=1).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: ``upper <= lower`` or a negative ``lower``.
    """
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_saturation(image, uniform([], lower, upper, seed=seed))


def random_hue(image, max_delta, seed=None) -> Tensor:
    """``adjust_hue`` by a delta drawn from [-max_delta, max_delta), max_delta <= 0.5.

    >>> from tensorflux.ops.image_random_ops import random_hue
    >>> random_hue([[[0.5, 0.2, 0.1]]], 0.2, seed=1).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: ``max_delta`` outside [0, 0.5].
    """
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, uniform([], -max_delta, max_delta, seed=seed))


def random_crop(value, size, seed=None, name=None) -> Tensor:
    """A window of shape ``size`` at a random offset in ``value`` (any rank).

    >>> from tensorflux.ops.image_random_ops import random_crop
    >>> random_crop([[1, 2, 3], [4, 5, 6]], [2, 2], seed=1).shape
    TensorShape([2, 2])

    Raises:
        InvalidArgumentError: ``size`` larger than ``value`` in some dimension.
    """
    x = value if isinstance(value, Tensor) else to_tensor(value)
    dims = x.shape.as_list()
    size = [int(s) for s in (size.numpy() if isinstance(size, Tensor) else size)]
    if len(size) != len(dims) or any(d is None for d in dims):
        raise ValueError(
            f"random_crop: size {size} must have one entry per dimension of the "
            f"value, whose shape {tuple(dims)} must be known"
        )
    if any(s > d for s, d in zip(size, dims)):
        raise InvalidArgumentError(
            None, "RandomCrop", f"Need value.shape >= size, got {dims} and {size} [Op:RandomCrop]"
        )
    # Gathers with drawn offsets rather than a slice: the offsets stay tensors, so the
    # crop changes on every call of a traced function.
    for axis, (dim, extent) in enumerate(zip(dims, size)):
        if extent == dim:
            continue
        offset = uniform([], 0, dim - extent + 1, dtype=dtypes.int32, seed=seed)
        x = gather(x, tf_range(extent) + offset, axis=axis)
    return x
