"""``tf.image.random_*`` and ``tf.image.stateless_random_*``: the colour and geometry
functions with random parameters, drawing TensorFlow's numbers.

Each draws its parameters as TF does: the stateful forms with ``tf.random.uniform``
(global seed plus ``seed``), the stateless forms with ``tf.random.stateless_uniform``
for a shape-[2] ``seed``; then the deterministic function applies them. Flips of a
batch choose per image, and crops take ``uniform(maxval=int32 max) % (shape - size +
1)`` as offsets, so the numbers are TF's.
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.array_ops import gather, reshape, where
from tensorflux.ops.array_ops import range as tf_range
from tensorflux.ops.common import to_tensor
from tensorflux.ops.division_ops import floormod
from tensorflux.ops.image_color_ops import (
    adjust_brightness,
    adjust_contrast,
    adjust_hue,
    adjust_saturation,
)
from tensorflux.ops.image_geometry_ops import image_rank
from tensorflux.ops.joining_ops import reverse
from tensorflux.ops.logic_ops import less
from tensorflux.ops.math_ops import add, cast, multiply, subtract
from tensorflux.ops.random_ops import uniform
from tensorflux.ops.shape_ops import shape as tf_shape
from tensorflux.ops.stateless_random_ops import stateless_uniform
from tensorflux.ops.unary_math_ops import round as tf_round

__all__: list = []

_INT32_MAX = 2**31 - 1


def _stateful(seed):
    """Draws ``uniform(shape, minval, maxval)`` as the ``tf.image.random_*`` functions."""
    return lambda shape, minval, maxval, dtype=dtypes.float32: uniform(
        shape, minval, maxval, dtype=dtype, seed=seed
    )


def _stateless(seed):
    """Draws as the ``tf.image.stateless_random_*`` functions, fixed by ``seed``."""
    return lambda shape, minval, maxval, dtype=dtypes.float32: stateless_uniform(
        shape, seed, minval, maxval, dtype=dtype
    )


def _random_flip(fn: str, axis: int, image, draw) -> Tensor:
    x = image_rank(fn, image)
    if x.shape.rank == 3:
        return where(less(draw([], 0, 1.0), 0.5), reverse(x, [axis]), x)
    # A batch blends with rounded draws, as TF does: an image flips when its draw
    # exceeds 0.5 (not below it, as a single image does).
    batch = x.shape[0]
    batch = tf_shape(x)[:1] if batch is None else [batch]
    flips = cast(tf_round(reshape(draw(batch, 0, 1.0), [-1, 1, 1, 1])), x._dtype)
    one = to_tensor(1, x._dtype)
    return add(multiply(flips, reverse(x, [axis + 1])), multiply(subtract(one, flips), x))


def random_flip_left_right(image, seed=None) -> Tensor:
    """Mirrors each image horizontally with probability 1/2.

    Args:
        image: a 3-D ``[height, width, channels]`` image or a 4-D batch of them.
        seed: the op seed (with the global seed, as ``tf.random.uniform``).

    Returns:
        A tensor of ``image``'s dtype and shape.

    Raises:
        ValueError: an image that is not 3-D or 4-D.

    >>> from tensorflux.ops.image_random_ops import random_flip_left_right
    >>> random_flip_left_right([[[1], [2]]], seed=3).shape
    TensorShape([1, 2, 1])
    """
    return _random_flip("random_flip_left_right", 1, image, _stateful(seed))


def random_flip_up_down(image, seed=None) -> Tensor:
    """Mirrors each image vertically with probability 1/2.

    >>> from tensorflux.ops.image_random_ops import random_flip_up_down
    >>> random_flip_up_down([[[1]], [[2]]], seed=3).shape
    TensorShape([2, 1, 1])
    """
    return _random_flip("random_flip_up_down", 0, image, _stateful(seed))


def stateless_random_flip_left_right(image, seed) -> Tensor:
    """Mirrors each image horizontally with probability 1/2, fixed by ``seed``.

    Args:
        image: a 3-D image or a 4-D batch of them.
        seed: a shape-[2] int32/int64 seed.

    Returns:
        A tensor of ``image``'s dtype and shape; equal seeds give equal results.

    Raises:
        ValueError: an image that is not 3-D or 4-D.
        InvalidArgumentError: a seed that is not a pair of integers.

    >>> from tensorflux.ops.image_random_ops import stateless_random_flip_left_right
    >>> stateless_random_flip_left_right([[[1], [2]], [[3], [4]]], (2, 3)).numpy().tolist()
    [[[2], [1]], [[4], [3]]]
    """
    return _random_flip("stateless_random_flip_left_right", 1, image, _stateless(seed))


def stateless_random_flip_up_down(image, seed) -> Tensor:
    """Mirrors each image vertically with probability 1/2, fixed by ``seed``.

    >>> from tensorflux.ops.image_random_ops import stateless_random_flip_up_down
    >>> stateless_random_flip_up_down([[[1], [2]], [[3], [4]]], (2, 3)).numpy().tolist()
    [[[3], [4]], [[1], [2]]]
    """
    return _random_flip("stateless_random_flip_up_down", 0, image, _stateless(seed))


def _brightness(image, max_delta, draw) -> Tensor:
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, draw([], -max_delta, max_delta))


def _factor_range(lower, upper) -> None:
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def _hue(image, max_delta, draw) -> Tensor:
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, draw([], -max_delta, max_delta))


def random_brightness(image, max_delta, seed=None) -> Tensor:
    """``adjust_brightness`` by a delta drawn from [-max_delta, max_delta).

    >>> from tensorflux.ops.image_random_ops import random_brightness
    >>> random_brightness([[[0.5]]], 0.1, seed=1).shape
    TensorShape([1, 1, 1])

    Raises:
        ValueError: a negative ``max_delta``.
    """
    return _brightness(image, max_delta, _stateful(seed))


def stateless_random_brightness(image, max_delta, seed) -> Tensor:
    """``adjust_brightness`` by a delta drawn from [-max_delta, max_delta), fixed by
    the shape-[2] ``seed``.

    >>> from tensorflux.ops.image_random_ops import stateless_random_brightness
    >>> stateless_random_brightness([[[0.5]]], 0.1, seed=(1, 2)).shape
    TensorShape([1, 1, 1])

    Raises:
        ValueError: a negative ``max_delta``.
        InvalidArgumentError: a seed that is not a pair of integers.
    """
    return _brightness(image, max_delta, _stateless(seed))


def random_contrast(image, lower, upper, seed=None) -> Tensor:
    """``adjust_contrast`` by a factor drawn from [lower, upper).

    >>> from tensorflux.ops.image_random_ops import random_contrast
    >>> random_contrast([[[0.5]]], 0.5, 1.5, seed=1).shape
    TensorShape([1, 1, 1])

    Raises:
        ValueError: ``upper <= lower`` or a negative ``lower``.
    """
    _factor_range(lower, upper)
    return adjust_contrast(image, _stateful(seed)([], lower, upper))


def stateless_random_contrast(image, lower, upper, seed) -> Tensor:
    """``adjust_contrast`` by a factor drawn from [lower, upper), fixed by ``seed``.

    >>> from tensorflux.ops.image_random_ops import stateless_random_contrast
    >>> stateless_random_contrast([[[0.5]]], 0.5, 1.5, seed=(1, 2)).shape
    TensorShape([1, 1, 1])

    Raises:
        ValueError: ``upper <= lower`` or a negative ``lower``.
        InvalidArgumentError: a seed that is not a pair of integers.
    """
    _factor_range(lower, upper)
    return adjust_contrast(image, _stateless(seed)([], lower, upper))


def random_saturation(image, lower, upper, seed=None) -> Tensor:
    """``adjust_saturation`` by a factor drawn from [lower, upper).

    >>> from tensorflux.ops.image_random_ops import random_saturation
    >>> random_saturation([[[0.5, 0.2, 0.1]]], 0.5, 1.5, seed=1).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: ``upper <= lower`` or a negative ``lower``.
    """
    _factor_range(lower, upper)
    return adjust_saturation(image, _stateful(seed)([], lower, upper))


def stateless_random_saturation(image, lower, upper, seed=None) -> Tensor:
    """``adjust_saturation`` by a factor drawn from [lower, upper), fixed by ``seed``.

    >>> from tensorflux.ops.image_random_ops import stateless_random_saturation
    >>> stateless_random_saturation([[[0.5, 0.2, 0.1]]], 0.5, 1.5, seed=(1, 2)).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: ``upper <= lower`` or a negative ``lower``.
        InvalidArgumentError: a seed that is not a pair of integers.
    """
    _factor_range(lower, upper)
    return adjust_saturation(image, _stateless(seed)([], lower, upper))


def random_hue(image, max_delta, seed=None) -> Tensor:
    """``adjust_hue`` by a delta drawn from [-max_delta, max_delta), max_delta <= 0.5.

    >>> from tensorflux.ops.image_random_ops import random_hue
    >>> random_hue([[[0.5, 0.2, 0.1]]], 0.2, seed=1).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: ``max_delta`` outside [0, 0.5].
    """
    return _hue(image, max_delta, _stateful(seed))


def stateless_random_hue(image, max_delta, seed) -> Tensor:
    """``adjust_hue`` by a delta drawn from [-max_delta, max_delta), fixed by ``seed``.

    >>> from tensorflux.ops.image_random_ops import stateless_random_hue
    >>> stateless_random_hue([[[0.5, 0.2, 0.1]]], 0.2, seed=(1, 2)).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: ``max_delta`` outside [0, 0.5].
        InvalidArgumentError: a seed that is not a pair of integers.
    """
    return _hue(image, max_delta, _stateless(seed))


def _random_crop(fn: str, value, size, draw) -> Tensor:
    x = value if isinstance(value, Tensor) else to_tensor(value)
    if isinstance(size, SymbolicTensor):
        raise ValueError(
            f"{fn} needs `size` known when the function is traced; pass a list of ints "
            f"(the crop's shape) rather than a tensor computed inside tf.function."
        )
    size = cast(size, dtypes.int32) if isinstance(size, Tensor) else to_tensor(size, dtypes.int32)
    dims, extents = x.shape.as_list(), [int(s) for s in size._value.reshape(-1)]
    if len(extents) != len(dims):
        raise InvalidArgumentError(
            None,
            "GreaterEqual",
            f"Incompatible shapes: [{len(dims)}] vs. [{len(extents)}]; {fn}'s size needs "
            f"one entry per dimension of the value [Op:GreaterEqual]",
        )
    if any(d is not None and e > d for e, d in zip(extents, dims)):
        raise InvalidArgumentError(
            None,
            "Assert",
            f"Need value.shape >= size, got {dims} and {extents}: the crop must fit "
            f"inside the value in every dimension",
        )
    shape = tf_shape(x)
    limit = add(subtract(shape, size), 1)
    # TF's offsets: one draw per dimension, reduced modulo the room left there. They
    # stay tensors (gathers, not a slice) so a traced function crops anew on each call.
    offset = floormod(draw([len(dims)], 0, _INT32_MAX, dtypes.int32), limit)
    for axis, (dim, extent) in enumerate(zip(dims, extents)):
        if extent != dim:
            x = gather(x, add(tf_range(extent), offset[axis]), axis=axis)
    return x


def random_crop(value, size, seed=None, name=None) -> Tensor:
    """A window of shape ``size`` at a random offset in ``value`` (any rank).

    Args:
        value: the tensor to crop.
        size: the window's shape, one entry per dimension of ``value``.
        seed: the op seed (with the global seed, as ``tf.random.uniform``).

    Returns:
        A tensor of ``value``'s dtype and shape ``size``.

    Raises:
        InvalidArgumentError: ``size`` larger than ``value`` in some dimension, or of
            another length than ``value``'s rank.

    >>> from tensorflux.ops.image_random_ops import random_crop
    >>> random_crop([[1, 2, 3], [4, 5, 6]], [2, 2], seed=1).shape
    TensorShape([2, 2])
    """
    return _random_crop("random_crop", value, size, _stateful(seed))


def stateless_random_crop(value, size, seed, name=None) -> Tensor:
    """A window of shape ``size`` at an offset in ``value`` fixed by the shape-[2]
    ``seed``.

    Raises:
        InvalidArgumentError: ``size`` larger than ``value`` in some dimension, of
            another length than ``value``'s rank, or a bad seed.

    >>> from tensorflux.ops.image_random_ops import stateless_random_crop
    >>> stateless_random_crop([[1, 2, 3], [4, 5, 6]], [2, 2], seed=(1, 2)).shape
    TensorShape([2, 2])
    """
    return _random_crop("stateless_random_crop", value, size, _stateless(seed))
