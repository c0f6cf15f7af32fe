"""``tf.image`` geometry: flips, rotations by quarter turns, transposes, crops and pads.

Every function takes one image ``[height, width, channels]`` or a batch
``[batch, height, width, channels]`` and composes ``reverse``, ``transpose``, ``slice``
and ``pad``, so gradients come for free. Crops and pads need the height and width known
when the function runs or is traced (as every Keras image model has them); the checks
on offsets and sizes are TF's, with its ValueError messages.
"""

from __future__ import annotations

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.array_ops import pad, reverse
from tensorflux.ops.array_ops import transpose as tf_transpose
from tensorflux.ops.common import to_tensor
from tensorflux.ops.slicing_ops import slice as tf_slice

__all__: list = []


def image_rank(fn: str, image) -> Tensor:
    """``image`` as a tensor after TF's rank check (3-D or 4-D)."""
    x = image if isinstance(image, Tensor) else to_tensor(image)
    rank = x.shape.rank
    if rank is None:
        raise ValueError(f"{fn}: 'image' contains no shape.")
    if rank not in (3, 4):
        raise ValueError(
            f"{fn}: 'image' (shape {tuple(x.shape.as_list())}) must have either 3 or 4 dimensions."
        )
    return x


def spatial_dims(fn: str, x: Tensor) -> tuple:
    """``x``'s (height, width) as ints; they must be known."""
    height, width = x.shape.as_list()[-3:-1]
    if height is None or width is None:
        raise ValueError(
            f"{fn} needs the image's height and width known when it is traced; "
            f"got shape {tuple(x.shape.as_list())}. Resize the images to a fixed "
            f"size first (tf.image.resize) or set the shape with ensure_shape."
        )
    return int(height), int(width)


def flip_left_right(image) -> Tensor:
    """Mirrors images horizontally (reverses the width axis).

    >>> from tensorflux.ops.image_geometry_ops import flip_left_right
    >>> flip_left_right([[[1], [2], [3]]]).numpy().ravel()
    array([3, 2, 1], dtype=int32)
    """
    x = image_rank("flip_left_right", image)
    return reverse(x, [x.shape.rank - 2])


def flip_up_down(image) -> Tensor:
    """Mirrors images vertically (reverses the height axis).

    >>> from tensorflux.ops.image_geometry_ops import flip_up_down
    >>> flip_up_down([[[1]], [[2]]]).numpy().ravel()
    array([2, 1], dtype=int32)
    """
    x = image_rank("flip_up_down", image)
    return reverse(x, [x.shape.rank - 3])


def transpose(image, name=None) -> Tensor:
    """Swaps the height and width axes.

    >>> from tensorflux.ops.image_geometry_ops import transpose
    >>> transpose([[[1], [2]]]).shape
    TensorShape([2, 1, 1])
    """
    x = image_rank("transpose", image)
    perm = [1, 0, 2] if x.shape.rank == 3 else [0, 2, 1, 3]
    return tf_transpose(x, perm)


def rot90(image, k=1, name=None) -> Tensor:
    """Rotates images counter-clockwise by ``k`` quarter turns.

    >>> from tensorflux.ops.image_geometry_ops import rot90
    >>> rot90([[[1], [2]], [[3], [4]]]).numpy()[..., 0]
    array([[2, 4],
           [1, 3]], dtype=int32)
    """
    x = image_rank("rot90", image)
    turns = int(k) % 4
    if turns == 0:
        return x
    if turns == 2:
        return flip_up_down(flip_left_right(x))
    if turns == 1:
        return transpose(flip_left_right(x))
    return flip_left_right(transpose(x))


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width) -> Tensor:
    """The ``target_height x target_width`` window whose top-left corner is at
    (``offset_height``, ``offset_width``).

    >>> from tensorflux.ops.image_geometry_ops import crop_to_bounding_box
    >>> crop_to_bounding_box([[[1], [2]], [[3], [4]]], 1, 0, 1, 2).numpy().ravel()
    array([3, 4], dtype=int32)

    Raises:
        ValueError: negative offsets, empty targets, or a window outside the image.
    """
    fn = "crop_to_bounding_box"
    x = image_rank(fn, image)
    height, width = spatial_dims(fn, x)
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height, target_width))
    for ok, message in (
        (ow >= 0, "offset_width must be >= 0."),
        (oh >= 0, "offset_height must be >= 0."),
        (tw > 0, "target_width must be > 0."),
        (th > 0, "target_height must be > 0."),
        (width >= tw + ow, "width must be >= target + offset."),
        (height >= th + oh, "height must be >= target + offset."),
    ):
        if not ok:
            raise ValueError(
                f"{fn}: {message} (image shape {tuple(x.shape.as_list())}, "
                f"offset ({oh}, {ow}), target ({th}, {tw}))"
            )
    lead = [0] * (x.shape.rank - 3)
    return tf_slice(x, lead + [oh, ow, 0], [-1] * len(lead) + [th, tw, -1])


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width) -> Tensor:
    """Pads images with zeros to ``target_height x target_width``, placing them at
    (``offset_height``, ``offset_width``).

    >>> from tensorflux.ops.image_geometry_ops import pad_to_bounding_box
    >>> pad_to_bounding_box([[[1]]], 1, 0, 2, 2).numpy()[..., 0]
    array([[0, 0],
           [1, 0]], dtype=int32)

    Raises:
        ValueError: negative offsets or a target too small for image plus offset.
    """
    fn = "pad_to_bounding_box"
    x = image_rank(fn, image)
    height, width = spatial_dims(fn, x)
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height, target_width))
    after_h, after_w = th - oh - height, tw - ow - width
    for ok, message in (
        (oh >= 0, "offset_height must be >= 0"),
        (ow >= 0, "offset_width must be >= 0"),
        (after_w >= 0, "width must be <= target - offset"),
        (after_h >= 0, "height must be <= target - offset"),
    ):
        if not ok:
            raise ValueError(
                f"{fn}: {message} (image shape {tuple(x.shape.as_list())}, "
                f"offset ({oh}, {ow}), target ({th}, {tw}))"
            )
    pads = [[0, 0]] * (x.shape.rank - 3) + [[oh, after_h], [ow, after_w], [0, 0]]
    return pad(x, pads)


def central_crop(image, central_fraction) -> Tensor:
    """The centre of images, ``central_fraction`` of their height and width.

    >>> from tensorflux.ops.image_geometry_ops import central_crop
    >>> central_crop([[[1], [2], [3], [4]]] * 4, 0.5).shape
    TensorShape([2, 2, 1])

    Raises:
        ValueError: a fraction outside (0, 1].
    """
    fraction = float(central_fraction)
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError(f"central_fraction must be within (0, 1], got {central_fraction}")
    x = image_rank("central_crop", image)
    if fraction == 1.0:
        return x
    height, width = spatial_dims("central_crop", x)
    top = int((height - height * fraction) / 2)
    left = int((width - width * fraction) / 2)
    return crop_to_bounding_box(x, top, left, height - 2 * top, width - 2 * left)


def resize_with_crop_or_pad(image, target_height, target_width) -> Tensor:
    """Centre-crops and/or zero-pads images to ``target_height x target_width``.

    >>> from tensorflux.ops.image_geometry_ops import resize_with_crop_or_pad
    >>> resize_with_crop_or_pad([[[1], [2], [3]]], 3, 1).numpy().ravel()
    array([0, 2, 0], dtype=int32)

    Raises:
        ValueError: a target that is not positive.
    """
    fn = "resize_with_crop_or_pad"
    x = image_rank(fn, image)
    height, width = spatial_dims(fn, x)
    th, tw = int(target_height), int(target_width)
    if tw <= 0:
        raise ValueError(f"{fn}: target_width must be > 0, got {tw}")
    if th <= 0:
        raise ValueError(f"{fn}: target_height must be > 0, got {th}")
    dw, dh = tw - width, th - height
    cropped = crop_to_bounding_box(
        x, max(-dh // 2, 0), max(-dw // 2, 0), min(th, height), min(tw, width)
    )
    return pad_to_bounding_box(cropped, max(dh // 2, 0), max(dw // 2, 0), th, tw)
