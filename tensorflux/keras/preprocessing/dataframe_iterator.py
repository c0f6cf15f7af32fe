"""``ImageDataGenerator.flow_from_dataframe``'s iterator: image files named in a column
of a pandas DataFrame, labels from other columns, with Keras 2's class modes, filename
validation, splitting and messages.

pandas stays optional: the frame is read through column access alone
(``frame[column]``), each column turned into a Python list once, so nothing here
imports pandas.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from tensorflux.keras import backend
from tensorflux.keras.preprocessing.image_iterators import WHITE_LIST_FORMATS, Iterator
from tensorflux.keras.utils.image_utils import img_to_array, load_img
from tensorflux.keras.utils.io_utils import print_msg

__all__ = ["DataFrameIterator"]

_CLASS_MODES = ("binary", "categorical", "input", "multi_output", "raw", "sparse", None)
_NO_CLASSES = ("input", "multi_output", "raw", None)


def _column(frame, name) -> list:
    if not hasattr(frame, "columns"):
        try:
            import pandas  # noqa: F401
        except ImportError:
            hint = "pandas is not installed: `pip install pandas`, then pass a pandas.DataFrame"
        else:
            hint = "pass a pandas.DataFrame"
        raise TypeError(
            f"flow_from_dataframe expects a DataFrame, got {type(frame).__name__}: {hint}."
        )
    if name not in list(frame.columns):
        raise KeyError(f"{name!r} is not a column of the dataframe: {list(frame.columns)}")
    return list(frame[name])


def _valid_file(path: str) -> bool:
    return path.lower().endswith(tuple("." + e for e in WHITE_LIST_FORMATS)) and os.path.isfile(
        path
    )


class DataFrameIterator(Iterator):
    """Batches of images whose paths are in ``x_col`` (relative to ``directory``, or
    absolute when it is None) with targets by ``class_mode``: "categorical" (one- or
    multi-hot from strings or lists of strings), "binary", "sparse", "raw" (the column's
    values), "multi_output" (one array per column of ``y_col``), "input" or None; and
    per-sample weights from ``weight_col``."""

    def __init__(
        self,
        dataframe,
        directory=None,
        image_data_generator=None,
        x_col="filename",
        y_col="class",
        weight_col=None,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        data_format=None,
        subset=None,
        interpolation="nearest",
        keep_aspect_ratio=False,
        dtype=None,
        validate_filenames=True,
    ):
        if color_mode not in ("rgb", "rgba", "grayscale"):
            raise ValueError(
                f'Invalid color mode: {color_mode}; expected "rgb", "rgba", or "grayscale".'
            )
        if class_mode not in _CLASS_MODES:
            raise ValueError(f"Invalid class_mode: {class_mode}; expected one of: {_CLASS_MODES}")
        if subset is not None and subset not in ("training", "validation"):
            raise ValueError(f'Invalid subset name: {subset}; expected "training" or "validation"')
        if class_mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(
                f'If class_mode="{class_mode}", y_col must be a list. '
                f"Received {type(y_col).__name__}."
            )
        self.image_data_generator = image_data_generator
        self.directory = directory or ""
        self.target_size = tuple(target_size)
        self.color_mode, self.class_mode = color_mode, class_mode
        self.interpolation, self.keep_aspect_ratio = interpolation, keep_aspect_ratio
        self.dtype = dtype or backend.floatx()
        self.data_format = data_format or backend.image_data_format()
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}[color_mode]
        self.image_shape = self.target_size + (channels,)

        names = _column(dataframe, x_col)
        if not all(isinstance(n, str) for n in names):
            raise TypeError(f"All values in column x_col={x_col} must be strings.")
        rows = list(range(len(names)))
        columns = {}
        if class_mode not in (None, "input"):
            for col in y_col if class_mode == "multi_output" else [y_col]:
                columns[col] = _column(dataframe, col)
        weights = _column(dataframe, weight_col) if weight_col else None
        self._check_labels(
            columns.get(y_col) if class_mode != "multi_output" else None, y_col, classes
        )
        if weights is not None and np.asarray(weights).dtype.kind not in "iuf":
            raise TypeError(f"Column weight_col={weight_col} must be numeric.")
        if classes and class_mode in _NO_CLASSES:
            warnings.warn(
                f'`classes` will be ignored given the class_mode="{class_mode}"', stacklevel=2
            )

        if validate_filenames:
            valid = [_valid_file(os.path.join(self.directory, names[r])) for r in rows]
            if not all(valid):
                warnings.warn(
                    f'Found {valid.count(False)} invalid image filename(s) in x_col="{x_col}". '
                    "These filename(s) will be ignored.",
                    stacklevel=2,
                )
            rows = [r for r, ok in zip(rows, valid) if ok]
        labels = None
        if class_mode not in _NO_CLASSES:
            rows, labels, classes = self._keep_classes(rows, columns[y_col], y_col, classes)
            self.class_indices = dict(zip(classes, range(len(classes))))
        split = image_data_generator._validation_split if image_data_generator else 0.0
        if subset is not None and split:
            lo, hi = (0.0, split) if subset == "validation" else (split, 1.0)
            rows = rows[int(lo * len(rows)) : int(hi * len(rows))]
        if labels is not None:
            self.classes = [self._indices(labels[r]) for r in rows]
        self.filenames = [names[r] for r in rows]
        self._sample_weight = None if weights is None else np.asarray([weights[r] for r in rows])
        if class_mode == "multi_output":
            self._targets = [np.array([columns[c][r] for r in rows]) for c in y_col]
        if class_mode == "raw":
            self._targets = np.asarray([columns[y_col][r] for r in rows])
        self.samples = len(self.filenames)
        validated = "validated" if validate_filenames else "non-validated"
        found = f"Found {self.samples} {validated} image filenames"
        if class_mode in _NO_CLASSES:
            print_msg(f"{found}.")
        else:
            print_msg(f"{found} belonging to {len(classes)} classes.")
        self._filepaths = [os.path.join(self.directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _check_labels(self, labels, y_col, classes) -> None:
        mode = self.class_mode
        if mode in ("binary", "sparse") and not all(isinstance(v, str) for v in labels):
            raise TypeError(
                f'If class_mode="{mode}", y_col="{y_col}" column values must be strings.'
            )
        if mode == "binary":
            count = len(set(classes)) if classes else len(set(labels))
            if count != 2:
                given = f"{count} class/es were given" if classes else f"Found {count} classes"
                raise ValueError(f'If class_mode="binary" there must be 2 classes. {given}.')
        if mode == "categorical" and not all(isinstance(v, (str, list, tuple)) for v in labels):
            raise TypeError(
                f'If class_mode="{mode}", y_col="{y_col}" column values must be type string, '
                "list or tuple."
            )

    @staticmethod
    def _keep_classes(rows, labels, y_col, classes) -> tuple:
        """Rows whose labels are among ``classes`` (labels outside them dropped; a row
        left with none dropped), and the class list (sorted labels when not given)."""
        if not classes:
            found = set()
            for r in rows:
                v = labels[r]
                found.update(v) if isinstance(v, (list, tuple)) else found.add(v)
            return rows, labels, sorted(found)
        classes = list(dict.fromkeys(classes))
        wanted = set(classes)
        kept, filtered = [], list(labels)
        for r in rows:
            v = labels[r]
            if isinstance(v, (list, tuple)):
                v = [c for c in v if c in wanted] or None
            elif isinstance(v, str):
                v = v if v in wanted else None
            else:
                raise TypeError(
                    f"Expect string, list or tuple but found {type(v)} in {y_col} column "
                )
            if v is not None:
                filtered[r] = v
                kept.append(r)
        return kept, filtered, classes

    def _indices(self, label):
        if isinstance(label, (list, tuple)):
            return [self.class_indices[c] for c in label]
        return self.class_indices[label]

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        if self.class_mode in ("multi_output", "raw"):
            return self._targets
        return self.classes

    @property
    def sample_weight(self):
        return self._sample_weight

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
            if generator is not None:
                params = generator.get_random_transform(x.shape)
                x = generator.standardize(generator.apply_transform(x, params))
            batch_x[i] = x
        mode = self.class_mode
        if mode is None:
            return batch_x
        if mode == "input":
            batch_y = batch_x.copy()
        elif mode in ("binary", "sparse"):
            batch_y = np.asarray([self.classes[j] for j in index_array], dtype=self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            for i, j in enumerate(index_array):
                batch_y[i, self.classes[j]] = 1.0
        elif mode == "multi_output":
            batch_y = [target[index_array] for target in self._targets]
        else:
            batch_y = self._targets[index_array]
        if self._sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self._sample_weight[index_array]
