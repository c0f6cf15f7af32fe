"""Random crops that keep enough of the given objects: ``tf.image.
sample_distorted_bounding_box`` (SampleDistortedBoundingBoxV2, a stateful Philox stream)
and ``stateless_sample_distorted_bounding_box`` (StatelessSampleDistortedBoundingBox, a
seed pair).

Both are TF's kernel draw for draw. Each of ``max_attempts`` attempts reads 32-bit
words of one Philox stream in order (TF's ``SimplePhilox``): an aspect ratio (a uniform
float), then, when the height has room, ``word % (max_height - height + 1)`` added to
the smallest height, then the top and left offsets as ``word % free rows`` and ``word %
free columns`` when there are any. Sizes follow TF's float32 arithmetic and ``lrintf``
(round half to even). The first crop covering ``min_object_covered`` of one box wins;
none winning gives the whole image. Not differentiable, as in TF.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import philox
from tensorflux.ops.common import to_tensor
from tensorflux.ops.random_seed import Stream, get_seed, stream_for
from tensorflux.ops.stateless_random_ops import _get_key_counter_kernel

__all__ = ["sample_distorted_bounding_box", "stateless_sample_distorted_bounding_box"]

_F32 = np.float32
_STATEFUL = "SampleDistortedBoundingBoxV2"
_STATELESS = "StatelessSampleDistortedBoundingBox"
_SIZE_TYPES = frozenset({dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64})
_INT32_MAX = 2**31 - 1
_EPS = float(_F32(1e-7))


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _float_text(value) -> str:
    """A float32 as TF's ``StrCat`` prints it (6 significant digits when they round
    trip, else 9)."""
    value = _F32(value)
    text = f"{float(value):.6g}"
    return text if _F32(float(text)) == value else f"{float(value):.9g}"


def _lrint(value) -> int:
    return int(np.rint(_F32(value)))


def _check_attrs(op_name, aspect_ratio_range, area_range, max_attempts) -> None:
    if len(aspect_ratio_range) != 2:
        raise _error(op_name, "Aspect ratio range field must specify 2 dimensions")
    low, high = (_F32(v) for v in aspect_ratio_range)
    if not (low > 0 and high > 0):
        raise _error(
            op_name,
            f"Aspect ratio range must be non-negative: [{_float_text(low)}, {_float_text(high)}]",
        )
    if len(area_range) != 2:
        raise _error(op_name, "Area range field must specify 2 dimensions")
    low, high = (_F32(v) for v in area_range)
    text = f"[{_float_text(low)}, {_float_text(high)}]"
    if not (low > 0 and high > 0):
        raise _error(op_name, f"Area range must be non-negative: {text}")
    if not (low <= 1 and high <= 1):
        raise _error(op_name, f"Area range must be less then or equal to 1.0: {text}")
    if max_attempts <= 0:
        raise _error(op_name, f"Max attempts must be non-negative: {max_attempts}")


def _area(rect) -> _F32:
    x0, y0, x1, y1 = rect
    return _F32((x1 - x0) * (y1 - y0))


def _covers(crop, min_covered: _F32, objects) -> bool:
    """TF's ``SatisfiesOverlapConstraints``: the crop has a pixel and keeps
    ``min_covered`` of some object of at least one pixel."""
    if _area(crop) < 1:
        return False
    for obj in objects:
        area = _area(obj)
        if area < 1:
            continue
        inter = (
            max(crop[0], obj[0]),
            max(crop[1], obj[1]),
            min(crop[2], obj[2]),
            min(crop[3], obj[3]),
        )
        if inter[0] > inter[2] or inter[1] > inter[3]:
            inter = (0, 0, 0, 0)
        if _F32(_area(inter) / area) >= min_covered:
            return True
    return False


def _random_crop(width, height, min_rel, max_rel, aspect, words):
    """TF's ``GenerateRandomCrop``: ``(x0, y0, x1, y1)``, or None when the constraints
    cannot be met."""
    if max_rel <= 0 or aspect <= 0 or width <= 0 or height <= 0 or min_rel > max_rel:
        return None
    min_area = _F32(_F32(min_rel * _F32(width)) * _F32(height))
    max_area = _F32(_F32(max_rel * _F32(width)) * _F32(height))
    crop_h = _lrint(np.sqrt(_F32(min_area / aspect)))
    max_h = _lrint(np.sqrt(_F32(max_area / aspect)))
    if _lrint(_F32(max_h) * aspect) > width:
        max_h = int((width + 0.5 - _EPS) / float(aspect))
        if _lrint(_F32(max_h) * aspect) > width:
            max_h -= 1
    max_h = min(max_h, height)
    crop_h = min(crop_h, max_h)
    if crop_h < max_h:
        crop_h += next(words) % (max_h - crop_h + 1)
    crop_w = _lrint(_F32(crop_h) * aspect)
    area = _F32(crop_w * crop_h)
    if area < min_area:
        crop_h += 1
        crop_w = _lrint(_F32(crop_h) * aspect)
        area = _F32(crop_w * crop_h)
    if area > max_area:
        crop_h -= 1
        crop_w = _lrint(_F32(crop_h) * aspect)
        area = _F32(crop_w * crop_h)
    if (
        area < min_area
        or area > max_area
        or crop_w > width
        or crop_h > height
        or crop_w <= 0
        or crop_h <= 0
    ):
        return None
    y = next(words) % (height - crop_h) if crop_h < height else 0
    x = next(words) % (width - crop_w) if crop_w < width else 0
    return x, y, x + crop_w, y + crop_h


def _sample(op_name, image_size, boxes, min_covered, key, counter, attrs):
    if image_size.ndim != 1:
        raise _error(op_name, f"image_size must be 1-dimensional{list(image_size.shape)}")
    if image_size.shape[0] != 3:
        raise _error(op_name, f"image_size must contain 3 elements[{image_size.shape[0]}]")
    raw_h, raw_w = (int(v) & (2**64 - 1) for v in image_size[:2])
    if raw_h >= _INT32_MAX:
        raise _error(op_name, "image height cannot be >= int32 max")
    if raw_w >= _INT32_MAX:
        raise _error(op_name, "image width cannot be >= int32 max")
    height, width = raw_h, raw_w
    if boxes.ndim != 3:
        shape = ",".join(str(d) for d in boxes.shape)
        raise _error(
            op_name, f"input boxes must be 3-dimensional [batch, num_boxes, coords]: [{shape}]"
        )
    if boxes.shape[-1] != 4:
        shape = ",".join(str(d) for d in boxes.shape)
        raise _error(op_name, f"bounding boxes must have shape [4] or [*, 4], got [{shape}]")
    if np.ndim(min_covered) != 0:
        shape = ",".join(str(d) for d in np.shape(min_covered))
        raise _error(op_name, f"min_object_covered must be 0-D, got shape [{shape}]")
    min_covered = _F32(min_covered)
    if not min_covered >= 0:
        raise _error(
            op_name, f"Min object covered must be non-negative: {_float_text(min_covered)}"
        )
    objects = []
    for box in boxes.reshape(-1, 4).astype(_F32):
        for v in box:
            if not (v >= 0 and v <= 1):
                raise _error(
                    op_name, f"All bounding box coordinates must be in [0.0, 1.0]: {_float_text(v)}"
                )
        objects.append(
            (
                int(box[1] * _F32(width)),
                int(box[0] * _F32(height)),
                int(box[3] * _F32(width)),
                int(box[2] * _F32(height)),
            )
        )
    image = (0, 0, width, height)
    if not objects:
        if not attrs["use_image_if_no_bounding_boxes"]:
            raise _error(
                op_name,
                "No bounding boxes provided as input. One must enable "
                "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.",
            )
        objects.append(image)
    min_area, max_area = (_F32(v) for v in attrs["area_range"])
    min_aspect, max_aspect = (_F32(v) for v in attrs["aspect_ratio_range"])
    attempts = attrs["max_attempts"]
    words = iter(philox.words(key, counter, 4 * attempts).tolist())
    crop = image
    for _ in range(attempts):
        unit = philox.uint32_to_float(np.asarray([next(words)], np.uint32))[0]
        aspect = _F32(_F32(unit * (max_aspect - min_aspect)) + min_aspect)
        rect = _random_crop(width, height, min_area, max_area, aspect, words)
        if rect is not None and _covers(rect, min_covered, objects):
            crop = rect
            break
    x0, y0, x1, y1 = crop
    dtype = image_size.dtype
    begin = np.asarray([y0, x0, 0], dtype)
    size = np.asarray([y1 - y0, x1 - x0, -1]).astype(dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        box = np.asarray(
            [_F32(y0) / _F32(height), _F32(x0) / _F32(width)]
            + [_F32(y1) / _F32(height), _F32(x1) / _F32(width)],
            _F32,
        ).reshape(1, 1, 4)
    return begin, size, box


def _stateful_kernel(image_size, boxes, min_covered, stream=None, **attrs):
    _check_attrs(_STATEFUL, attrs["aspect_ratio_range"], attrs["area_range"], attrs["max_attempts"])
    stream = stream or Stream(attrs["seed"], attrs["seed2"])
    counter = stream.reserve(attrs["max_attempts"])
    return _sample(_STATEFUL, image_size, boxes, min_covered, stream.key, counter, attrs)


def _stateless_kernel(image_size, boxes, min_covered, seed, **attrs):
    _check_attrs(
        _STATELESS, attrs["aspect_ratio_range"], attrs["area_range"], attrs["max_attempts"]
    )
    if seed.shape != (2,):
        shape = ",".join(str(d) for d in seed.shape)
        raise _error(_STATELESS, f"seed must have shape [2], not [{shape}]")
    key, counter = _get_key_counter_kernel(seed)
    counter = int(counter[0]) | int(counter[1]) << 64
    return _sample(_STATELESS, image_size, boxes, min_covered, int(key[0]), counter, attrs)


def _infer(image_size: Spec, boxes: Spec, min_covered: Spec, *rest, **attrs) -> tuple:
    return (
        Spec(image_size.dtype, TensorShape([3])),
        Spec(image_size.dtype, TensorShape([3])),
        Spec(dtypes.float32, TensorShape([1, 1, 4])),
    )


_STATEFUL_OP = register(
    _STATEFUL,
    kernel=_stateful_kernel,
    grad=None,
    infer=_infer,
    num_outputs=3,
    allowed=_SIZE_TYPES,
    stateful=True,
)
_STATELESS_OP = register(
    _STATELESS,
    kernel=_stateless_kernel,
    grad=None,
    infer=_infer,
    num_outputs=3,
    allowed=_SIZE_TYPES,
)


def _common_inputs(op_name, image_size, bounding_boxes, min_object_covered):
    image_size = to_tensor(image_size)
    if image_size.dtype not in _SIZE_TYPES:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'T' of {_TYPE_NAMES.get(image_size.dtype, image_size.dtype.name)} "
            "is not in the list of allowed values: uint8, int8, int16, int32, int64"
            f"\n\t; NodeDef: {{{{node {op_name}}}}} [Op:{op_name}]",
        )
    return (
        image_size,
        to_tensor(bounding_boxes, dtypes.float32),
        to_tensor(min_object_covered, dtypes.float32),
    )


_TYPE_NAMES = {dtypes.float32: "float", dtypes.float64: "double", dtypes.float16: "half"}


def _attrs(aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes):
    return {
        "aspect_ratio_range": tuple(
            float(v)
            for v in (aspect_ratio_range if aspect_ratio_range is not None else (0.75, 1.33))
        ),
        "area_range": tuple(
            float(v) for v in (area_range if area_range is not None else (0.05, 1.0))
        ),
        "max_attempts": int(max_attempts if max_attempts is not None else 100),
        "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes),
    }


def sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed=0,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
) -> tuple:
    """A random crop of an image covering at least ``min_object_covered`` of one of
    ``bounding_boxes`` (``SampleDistortedBoundingBoxV2``).

    Successive calls continue one Philox stream; ``seed`` 0 or None draws unseeded
    numbers even under ``tf.random.set_seed``, as in TF.

    Args:
        image_size: integer ``[height, width, channels]``.
        bounding_boxes: float32 ``[batch, N, 4]`` normalized ``[y_min, x_min, y_max,
            x_max]`` boxes in [0, 1].
        seed: the op seed (combined with the global seed).
        min_object_covered: the fraction of some box the crop must keep.
        aspect_ratio_range: ``(low, high)`` width/height ratios, default (0.75, 1.33).
        area_range: ``(low, high)`` fractions of the image area, default (0.05, 1.0).
        max_attempts: crops to try before using the whole image, default 100.
        use_image_if_no_bounding_boxes: treat the whole image as the box when there is
            none.

    Returns:
        ``(begin, size, bboxes)``: ``[3]`` offsets and sizes for ``tf.slice`` (of the
        dtype of ``image_size``) and the crop as a float32 ``[1, 1, 4]`` box.

    Raises:
        InvalidArgumentError: coordinates outside [0, 1], bad ranges, no boxes without
            ``use_image_if_no_bounding_boxes``, bad shapes.

    >>> import tensorflux as tf
    >>> begin, size, box = tf.image.sample_distorted_bounding_box(
    ...     [40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=3)
    >>> begin.shape, size.dtype, box.shape
    (TensorShape([3]), tf.int32, TensorShape([1, 1, 4]))
    """
    inputs = _common_inputs(_STATEFUL, image_size, bounding_boxes, min_object_covered)
    attrs = _attrs(aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes)
    s1, s2 = get_seed(seed) if seed else (0, 0)
    attrs.update(seed=s1, seed2=s2)
    # TF caches one kernel (one stream) per attribute set.
    stream = stream_for(_STATEFUL, (inputs[0].dtype, *attrs.values()), s1, s2)
    before = stream.counter
    out = execute(_STATEFUL_OP, inputs, {**attrs, "stream": stream})
    if context.state.graph is not None:
        stream.rewind(before)
    return tuple(out)


def stateless_sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
) -> tuple:
    """``sample_distorted_bounding_box`` fixed by a shape-``[2]`` integer ``seed``
    (``StatelessSampleDistortedBoundingBox``): the same seed gives the same crop.

    Args:
        image_size: integer ``[height, width, channels]``.
        bounding_boxes: float32 ``[batch, N, 4]`` normalized boxes in [0, 1].
        seed: int32 or int64 ``[2]``.
        min_object_covered, aspect_ratio_range, area_range, max_attempts,
            use_image_if_no_bounding_boxes: as for ``sample_distorted_bounding_box``.

    Returns:
        ``(begin, size, bboxes)`` as for ``sample_distorted_bounding_box``.

    Raises:
        InvalidArgumentError: a seed not of shape [2], and the errors of
            ``sample_distorted_bounding_box``.

    >>> import tensorflux as tf
    >>> out = tf.image.stateless_sample_distorted_bounding_box(
    ...     [40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=[1, 2])
    >>> bool(tf.reduce_all(out[0] == tf.image.stateless_sample_distorted_bounding_box(
    ...     [40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=[1, 2])[0]))
    True
    """
    image_size, boxes, covered = _common_inputs(
        _STATELESS, image_size, bounding_boxes, min_object_covered
    )
    seed = to_tensor(seed)
    attrs = _attrs(aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes)
    return tuple(execute(_STATELESS_OP, (image_size, boxes, covered, seed), attrs))
