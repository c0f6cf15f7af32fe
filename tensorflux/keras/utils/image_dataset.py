"""``keras.utils.image_dataset_from_directory``: a labelled ``tf.data`` pipeline over a
folder of image files, with Keras 2's indexing, ordering, splitting and messages.

Files are listed as Keras lists them: class folders in sorted order (or the order of
``class_names``), files in each walked folder sorted, extensions .bmp .gif .jpeg .jpg
.png in any case; other files are ignored. With ``shuffle`` the list is permuted by
NumPy's ``RandomState(seed)`` exactly as Keras does, so the same seed puts the same
files in the training and validation subsets as in TensorFlow. Then each epoch the
images are shuffled again in a buffer of ``8 * batch_size`` (tf.data's own stream).
"""

from __future__ import annotations

import collections
import functools
import os

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import BlockPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.keras.utils.dataset_utils import (
    check_validation_split_arg,
    encode_labels,
    get_training_or_validation_split,
    index_directory,
)
from tensorflux.keras.utils.image_utils import get_interpolation, smart_resize
from tensorflux.kernels import threads
from tensorflux.ops.file_io_ops import read_file, read_file_bytes
from tensorflux.ops.image_codec_ops import decode_image
from tensorflux.ops.image_resizing import resize
from tensorflux.ops.jpeg_pixels import plain_jpegs_together

__all__ = ["image_dataset_from_directory"]

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def _check_arguments(
    labels, label_mode, class_names, color_mode, validation_split, subset, shuffle, seed
) -> None:
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same "
                "size as the number of image files in the target directory. If you wish to "
                "infer the labels from the subdirectory names in the target directory, pass "
                '`labels="inferred"`. If you wish to get a dataset that only contains images '
                f"(no labels), pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                f'You can only pass `class_names` if `labels="inferred"`. '
                f"Received: labels={labels}, and class_names={class_names}"
            )
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", '
            f'"binary", or None. Received: label_mode={label_mode}'
        )
    if color_mode not in _CHANNELS:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
            f"Received: color_mode={color_mode}"
        )
    check_validation_split_arg(validation_split, subset, shuffle, seed)


def _load_file(path: str, image_size, channels: int, method: str, crop: bool) -> np.ndarray:
    """One file decoded (first frame) and resized to ``image_size``: float32, or uint8
    for "nearest" (which keeps the decoded dtype, as in TF)."""
    try:
        image = decode_image(read_file(path), channels=channels, expand_animations=False)
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(None, exc.op, f"{path}: {exc.message}") from exc
    if crop:
        return np.asarray(smart_resize(image, image_size, interpolation=method))
    return np.asarray(resize(image, image_size, method=method))


def _resize_kernel(method: str):
    """The kernel of the resize op of ``method`` (a backend's where one runs the call)."""
    from tensorflux.ops import image_ops

    if method == "bilinear":
        return image_ops._RESIZE_BILINEAR.kernel
    return image_ops._RESIZE_NEAREST.kernel


_DIRECT_RESIZE = ("bilinear", "nearest")
# Decoded images up to this size wait to be resized with the others of their chunk and
# size; larger ones are resized at once, so that a chunk never holds many large images.
_BATCHED_RESIZE_BYTES = 1 << 20


def _decode_file(path: str, data: bytes, image_size, channels: int, method: str):
    """A file's bytes decoded (first frame) on the kernel of DecodeImage, and resized at
    once if it is large: (pixels, whether resized)."""
    from tensorflux.ops import image_codec_ops

    try:
        pixels = image_codec_ops._decode("DecodeImage", data, channels, dtypes.uint8, gif="first")
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(None, exc.op, f"{path}: {exc.message}") from exc
    if pixels.nbytes <= _BATCHED_RESIZE_BYTES:
        return pixels, False
    size = np.asarray(image_size, np.int32)
    return _resize_kernel(method)(pixels[None], size, False, True)[0], True


def _resized_together(decoded: list, image_size, method: str) -> list:
    """The images of ``_decode_file`` results, those not resized yet resized together
    with the others of their size on the kernel of ResizeBilinear /
    ResizeNearestNeighbor, which computes each image on its own: the op's pixels, in
    one call instead of one per image, each of whose NumPy calls held the GIL."""
    waiting: dict = {}
    for i, (pixels, resized) in enumerate(decoded):
        if not resized:
            waiting.setdefault(pixels.shape, []).append(i)
    images = [pixels for pixels, _ in decoded]
    size = np.asarray(image_size, np.int32)
    for rows in waiting.values():
        batch = _resize_kernel(method)(np.stack([images[i] for i in rows]), size, False, True)
        for i, image in zip(rows, batch):
            images[i] = image
    return images


def _load_chunk(paths, image_size, channels: int, method: str, crop: bool) -> np.ndarray:
    """The files ``paths`` decoded and resized, stacked. For the plain bilinear and
    nearest resizes, the plain JPEGs of each size are decoded into one array
    (``plain_jpegs_together``) and resized as one batch; the other files are decoded one
    by one, then resized together (``_resized_together``)."""
    if crop or method not in _DIRECT_RESIZE:
        return np.stack([_load_file(p, image_size, channels, method, crop) for p in paths])
    datas = [read_file_bytes("ReadFile", path) for path in paths]
    groups, others = plain_jpegs_together(datas, channels, _BATCHED_RESIZE_BYTES)
    size = np.asarray(image_size, np.int32)
    if not others and len(groups) == 1:
        return _resize_kernel(method)(groups[0][1], size, False, True)
    dtype = np.uint8 if method == "nearest" else np.float32
    images = np.empty((len(paths), *image_size, channels), dtype)
    for positions, pixels in groups:
        images[positions] = _resize_kernel(method)(pixels, size, False, True)
    decoded = [_decode_file(paths[i], datas[i], image_size, channels, method) for i in others]
    for i, image in zip(others, _resized_together(decoded, image_size, method)):
        images[i] = image
    return images


# The unit of work of a decoding thread is a chunk of files: as many as the reader asks
# for at a time (a batch, which then needs no copy to join chunks), at least 16 small
# images, so that a thread's hand-off costs little beside its decoding, and at most
# 4 MB of resized images, which bounds the memory of the chunks decoded ahead.
_CHUNK_BYTES = 4 << 20
_CHUNK_FILES = 16


class _FilesPull(BlockPull):
    """Chunks of files decoded in order on the decoding threads, up to two a thread
    ahead of the reader, each returned whole (with its labels). A thread moves on to
    its next chunk as soon as it is done, instead of waiting for the others at the end
    of each batch: 2,000 96x128 JPEGs on two threads, as a batch of 32 at a time,
    decoded only 1.25x faster than on one thread, and 1.55x faster as two long runs.
    A damaged file raises its error in its place; the next read goes on after it."""

    def __init__(self, paths, labels, load_chunk, most: int):
        self._paths, self._labels, self._load_chunk = paths, labels, load_chunk
        self._most = most  # files of a chunk, at most
        self._chunk = 0  # files of a chunk, once the reader first asks
        self._ahead = 2 * _decoding_threads()
        self._submitted = 0
        self._pending: collections.deque = collections.deque()
        self._rest = None  # (images, labels) of a chunk partly read

    def _submit(self) -> None:
        pool = _thread_pool()
        while len(self._pending) < self._ahead and self._submitted < len(self._paths):
            start = self._submitted
            stop = min(start + self._chunk, len(self._paths))
            self._submitted = stop
            future = pool.submit(self._load_chunk, self._paths[start:stop])
            self._pending.append((start, stop, future))

    def _redo_file_by_file(self, start: int, stop: int) -> None:
        """A chunk that failed is decoded again a file at a time, so that its other
        files still come and the error comes in its file's place, as in TF."""
        pool = _thread_pool()
        again = [
            (i, i + 1, pool.submit(self._load_chunk, self._paths[i : i + 1]))
            for i in range(start, stop)
        ]
        self._pending.extendleft(reversed(again))

    def _chunk_for(self, k: int) -> int:
        chunk = min(self._most, max(k, _CHUNK_FILES))
        # Every thread gets a chunk of a small folder.
        return max(1, min(chunk, -(-len(self._paths) // _decoding_threads())))

    def _produce(self, k: int) -> tuple:
        if self._rest is None:
            self._chunk = self._chunk or self._chunk_for(k)
            self._submit()
            if not self._pending:
                raise StopIteration
            start, stop, future = self._pending.popleft()
            try:
                images = future.result()
            except Exception:
                if stop - start == 1:
                    raise
                self._redo_file_by_file(start, stop)
                return self._produce(k)
            finally:
                self._submit()
            labels = None if self._labels is None else self._labels[start:stop]
            self._rest = (images, labels)
        images, labels = self._rest
        self._rest = None
        if len(images) > k:
            self._rest = (images[k:], None if labels is None else labels[k:])
            images, labels = images[:k], None if labels is None else labels[:k]
        return (images,) if labels is None else (images, labels)

    def close(self) -> None:
        for _, _, future in self._pending:
            future.cancel()
        self._pending.clear()
        self._submitted = len(self._paths)


class _ImageFilesDataset(Dataset):
    """The images of a list of files, decoded and resized in order (with their labels).

    TF builds this as a parallel map over the paths; here chunks of files are decoded
    on a thread pool, which runs in parallel because Pillow and NumPy release the GIL.
    A damaged file raises InvalidArgumentError naming it.
    """

    _tf_name = "_ParallelMapDataset"

    def __init__(self, paths, labels, image_size, channels, method, crop):
        dtype = dtypes.uint8 if method == "nearest" else dtypes.float32
        image_spec = TensorSpec((*image_size, channels), dtype)
        label_spec = (
            None if labels is None else TensorSpec(labels.shape[1:], dtypes.as_dtype(labels.dtype))
        )
        super().__init__(image_spec if labels is None else (image_spec, label_spec))
        self._paths, self._labels = list(paths), labels
        self._load_chunk = functools.partial(
            _load_chunk, image_size=tuple(image_size), channels=channels, method=method, crop=crop
        )
        image_bytes = image_size[0] * image_size[1] * channels * dtype.size
        self._most = max(1, _CHUNK_BYTES // image_bytes)

    def _pull(self):
        return _FilesPull(self._paths, self._labels, self._load_chunk, self._most)

    def _cardinality(self) -> int:
        return len(self._paths)


def _decoding_threads() -> int:
    return max(1, os.cpu_count() or 1)


@functools.lru_cache(maxsize=1)
def _thread_pool():
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(
        max_workers=_decoding_threads(),
        thread_name_prefix="image_dataset",
        initializer=threads.kernels_on_this_thread_only,
    )


def _dataset(
    paths, labels, image_size, channels, label_mode, num_classes, method, crop_to_aspect_ratio
) -> Dataset:
    return _ImageFilesDataset(
        paths,
        encode_labels(labels, label_mode, num_classes),
        image_size,
        channels,
        method,
        crop_to_aspect_ratio,
    )


def _finish(dataset: Dataset, batch_size, shuffle, seed, class_names, paths) -> Dataset:
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        dataset = dataset.batch(batch_size)
    elif shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    dataset = dataset.prefetch(-1)
    dataset.class_names = class_names
    dataset.file_paths = list(paths)
    return dataset


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    **kwargs,
):
    """A ``tf.data.Dataset`` of ``(images, labels)`` batches read from ``directory``,
    whose sub-folders are the classes (``labels="inferred"``).

    Images are decoded (first frame of a GIF), converted to ``color_mode`` and resized
    to ``image_size`` (float32); with ``crop_to_aspect_ratio`` the largest centred window
    of the target's aspect ratio is resized instead. The dataset has ``class_names`` and
    ``file_paths`` attributes. With ``subset="both"`` a (training, validation) pair is
    returned.

    >>> import os, tempfile
    >>> import numpy as np
    >>> from tensorflux.keras.utils.image_utils import save_img
    >>> root = tempfile.mkdtemp()
    >>> for label in ("cats", "dogs"):
    ...     os.makedirs(os.path.join(root, label))
    ...     for i in range(2):
    ...         save_img(os.path.join(root, label, f"{i}.png"), np.zeros((5, 5, 3)))
    >>> data = image_dataset_from_directory(root, image_size=(8, 8), batch_size=4)
    Found 4 files belonging to 2 classes.
    >>> data.class_names, next(iter(data))[0].shape
    (['cats', 'dogs'], TensorShape([4, 8, 8, 3]))

    Args:
        directory: the folder.
        labels: "inferred", None, or a list of ints, one per file in sorted order.
        label_mode: "int", "categorical", "binary" or None.
        class_names: the class folders in the order their labels should have.
        color_mode: "rgb", "rgba" or "grayscale".
        batch_size: images per batch (None: single images).
        image_size: ``(height, width)``.
        shuffle, seed: shuffle the files (and each epoch's order) with ``seed``.
        validation_split, subset: keep the last ``validation_split`` of the shuffled files
            for "validation", the rest for "training", or both.
        interpolation: a ``tf.image.resize`` method.
        follow_links: also walk folders reached through symbolic links.
        crop_to_aspect_ratio: crop instead of distorting the aspect ratio.

    Raises:
        ValueError: bad arguments (Keras' messages), or no images found.
        TypeError: unknown keyword arguments.
    """
    if "smart_resize" in kwargs:
        crop_to_aspect_ratio = kwargs.pop("smart_resize")
    if kwargs:
        raise TypeError(f"Unknown keywords argument(s): {tuple(kwargs.keys())}")
    _check_arguments(
        labels, label_mode, class_names, color_mode, validation_split, subset, shuffle, seed
    )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    image_size = tuple(int(d) for d in image_size)
    if len(image_size) != 2 or min(image_size) <= 0:
        raise ValueError(
            f"`image_size` must be a tuple of 2 positive integers (height, "
            f"width). Received: image_size={image_size}"
        )
    channels = _CHANNELS[color_mode]
    method = get_interpolation(interpolation)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, class_names = index_directory(
        str(directory),
        labels,
        ALLOWLIST_FORMATS,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 '
            f"class_names. Received: class_names={class_names}"
        )

    def build(subset_paths, subset_labels, reshuffle):
        dataset = _dataset(
            subset_paths,
            subset_labels,
            image_size,
            channels,
            label_mode,
            len(class_names),
            method,
            crop_to_aspect_ratio,
        )
        return _finish(dataset, batch_size, reshuffle, seed, class_names, subset_paths)

    allowed = f"Allowed formats: {ALLOWLIST_FORMATS}"
    if subset == "both":
        training = get_training_or_validation_split(
            paths, label_array, validation_split, "training"
        )
        validation = get_training_or_validation_split(
            paths, label_array, validation_split, "validation"
        )
        if not training[0]:
            raise ValueError(f"No training images found in directory {directory}. {allowed}")
        if not validation[0]:
            raise ValueError(f"No validation images found in directory {directory}. {allowed}")
        # As in Keras, only the training half is reshuffled each epoch.
        return [build(*training, shuffle), build(*validation, False)]
    subset_paths, subset_labels = get_training_or_validation_split(
        paths, label_array, validation_split, subset
    )
    if not subset_paths:
        raise ValueError(f"No images found in directory {directory}. {allowed}")
    return build(subset_paths, subset_labels, shuffle)
