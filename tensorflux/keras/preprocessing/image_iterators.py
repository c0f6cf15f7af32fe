"""The batch iterators of ``ImageDataGenerator``: ``flow`` (arrays) and
``flow_from_directory`` (image files), with Keras 2's ordering, splitting, shuffling
(NumPy's global generator, reseeded per batch when ``seed`` is given) and messages.

Iterators loop over their data forever (``next``); ``len`` is the number of batches in
one pass, which is what ``fit`` takes as an epoch.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from tensorflux.keras import backend
from tensorflux.keras.utils.image_utils import img_to_array, load_img
from tensorflux.keras.utils.io_utils import print_msg

__all__ = ["DirectoryIterator", "Iterator", "NumpyArrayIterator"]

WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")


class Iterator:
    """Index bookkeeping shared by the iterators: shuffling per pass, batching."""

    def __init__(self, n, batch_size, shuffle, seed):
        self.n = n
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(
                f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}"
            )
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        batch = self.index_array[self.batch_size * idx : self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(batch)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            current = 0 if self.n == 0 else (self.batch_index * self.batch_size) % self.n
            if self.n > current + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            self.total_batches_seen += 1
            yield self.index_array[current : current + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self):
        """The next batch (the iterator never ends: it starts a new pass)."""
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(f"{type(self).__name__} must produce batches")


class NumpyArrayIterator(Iterator):
    """Batches of augmented, standardized images from a ``(n, h, w, c)`` array, with
    labels ``y`` and ``sample_weight`` when given."""

    def __init__(
        self,
        x,
        y,
        image_data_generator,
        batch_size=32,
        shuffle=False,
        sample_weight=None,
        seed=None,
        data_format=None,
        subset=None,
        ignore_class_split=False,
        dtype=None,
    ):
        self.dtype = dtype or backend.floatx()
        self.data_format = data_format or backend.image_data_format()
        x = np.asarray(x, dtype=self.dtype)
        if y is not None and len(x) != len(y):
            raise ValueError(
                f"`x` (images tensor) and `y` (labels) should have the same "
                f"length. Found: x.shape = {x.shape}, y.shape = "
                f"{np.asarray(y).shape}"
            )
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                f"`x` (images tensor) and `sample_weight` should have the same "
                f"length. Found: x.shape = {x.shape}, sample_weight.shape = "
                f"{np.asarray(sample_weight).shape}"
            )
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(
                    f'Invalid subset name: {subset}; expected "training" or "validation"'
                )
            split = int(len(x) * image_data_generator._validation_split)
            if (
                y is not None
                and not ignore_class_split
                and not np.array_equal(np.unique(np.asarray(y)[:split]), np.unique(np.asarray(y)))
            ):
                raise ValueError(
                    "Training and validation subsets have different number of "
                    "classes after the split. If your numpy arrays are sorted "
                    "by the label, you might want to shuffle them."
                )
            part = slice(None, split) if subset == "validation" else slice(split, None)
            x = x[part]
            y = None if y is None else np.asarray(y)[part]
            sample_weight = None if sample_weight is None else np.asarray(sample_weight)[part]
        if x.ndim != 4:
            raise ValueError(
                f"Input data in `NumpyArrayIterator` should have rank 4. You "
                f"passed an array with shape {x.shape}"
            )
        self.x = x
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        super().__init__(len(x), batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        generator = self.image_data_generator
        for i, j in enumerate(index_array):
            params = generator.get_random_transform(self.x[j].shape)
            image = generator.apply_transform(self.x[j].astype(self.dtype), params)
            batch_x[i] = generator.standardize(image)
        output = (batch_x,)
        if self.y is None:
            return output[0]
        output += (self.y[index_array],)
        if self.sample_weight is not None:
            output += (self.sample_weight[index_array],)
        return output


def _image_files(directory, follow_links):
    found = []
    for root, _, files in sorted(
        os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0]
    ):
        for name in sorted(files):
            if name.lower().endswith(tuple("." + ext for ext in WHITE_LIST_FORMATS)):
                found.append(os.path.relpath(os.path.join(root, name), directory))
    return found


class DirectoryIterator(Iterator):
    """Batches of images loaded from ``directory/<class>/...`` files, with labels by
    ``class_mode`` ("categorical", "binary", "sparse", "input" or None)."""

    def __init__(
        self,
        directory,
        image_data_generator,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        data_format=None,
        follow_links=False,
        subset=None,
        interpolation="nearest",
        keep_aspect_ratio=False,
        dtype=None,
    ):
        if color_mode not in ("rgb", "rgba", "grayscale"):
            raise ValueError(
                f'Invalid color mode: {color_mode}; expected "rgb", "rgba", or "grayscale".'
            )
        if class_mode not in ("categorical", "binary", "sparse", "input", None):
            raise ValueError(
                f"Invalid class_mode: {class_mode}; expected one of "
                f'"categorical", "binary", "sparse", "input" or None.'
            )
        if subset is not None and subset not in ("training", "validation"):
            raise ValueError(f'Invalid subset name: {subset}; expected "training" or "validation"')
        self.directory = directory
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.color_mode = color_mode
        self.class_mode = class_mode
        self.interpolation = interpolation
        self.keep_aspect_ratio = keep_aspect_ratio
        self.dtype = dtype or backend.floatx()
        self.data_format = data_format or backend.image_data_format()
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}[color_mode]
        self.image_shape = self.target_size + (channels,)
        if not classes:
            classes = [
                name
                for name in sorted(os.listdir(directory))
                if os.path.isdir(os.path.join(directory, name))
            ]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        split = image_data_generator._validation_split
        fraction = (0.0, 1.0)
        if subset is not None and split:
            fraction = (0.0, split) if subset == "validation" else (split, 1.0)
        self.filenames, labels = [], []
        for name in classes:
            files = _image_files(os.path.join(directory, name), follow_links)
            start, stop = int(fraction[0] * len(files)), int(fraction[1] * len(files))
            for relative in files[start:stop]:
                self.filenames.append(os.path.join(name, relative))
                labels.append(self.class_indices[name])
        self.classes = np.asarray(labels, dtype="int32")
        self.samples = len(self.filenames)
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        print_msg(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        generator = self.image_data_generator
        for i, j in enumerate(index_array):
            img = load_img(
                self._filepaths[j],
                color_mode=self.color_mode,
                target_size=self.target_size,
                interpolation=self.interpolation,
                keep_aspect_ratio=self.keep_aspect_ratio,
            )
            x = img_to_array(img, data_format=self.data_format)
            img.close()
            params = generator.get_random_transform(x.shape)
            batch_x[i] = generator.standardize(generator.apply_transform(x, params))
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("sparse", "binary"):
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x
