"""ImageDataGenerator.flow_from_dataframe: the same batches as flow_from_directory over
the same files, each class mode, weights, filename validation, class filtering,
subsets, Keras 2's messages and errors. pandas is optional: most tests pass a small
column-access frame; the pandas test runs only where pandas is installed."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stdout

import numpy as np
import pytest
from PIL import Image

from tensorflux.keras.preprocessing.image import ImageDataGenerator
from tests.ops.record_image_fixtures import make_image_folder


class Frame:
    """The column access flow_from_dataframe uses, without pandas."""

    def __init__(self, **columns):
        self._columns = columns

    @property
    def columns(self):
        return list(self._columns)

    def __getitem__(self, name):
        return self._columns[name]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("frame"))
    make_image_folder(root, Image)
    return root


def _quiet(call):
    out = io.StringIO()
    with redirect_stdout(out):
        result = call()
    return result, out.getvalue()


def _listing(folder):
    it, _ = _quiet(
        lambda: ImageDataGenerator().flow_from_directory(folder, target_size=(5, 6), shuffle=False)
    )
    labels = [name.split(os.sep)[0] for name in it.filenames]
    return it, it.filenames, labels


def test_same_batches_as_flow_from_directory(folder):
    directory_it, names, labels = _listing(folder)
    it, printed = _quiet(
        lambda: ImageDataGenerator().flow_from_dataframe(
            Frame(filename=names, label=labels),
            folder,
            y_col="label",
            # The directory listing counts the empty ".hidden" folder as a class, as Keras.
            classes=list(directory_it.class_indices),
            target_size=(5, 6),
            batch_size=32,
            shuffle=False,
        )
    )
    assert printed == "Found 12 validated image filenames belonging to 4 classes.\n"
    assert it.class_indices == directory_it.class_indices
    assert it.filenames == names and it.classes == directory_it.classes.tolist()
    x, y = next(it)
    want_x, want_y = next(directory_it)
    np.testing.assert_array_equal(x, want_x)
    np.testing.assert_array_equal(y, want_y)


def test_class_modes_and_weights(folder):
    _, names, labels = _listing(folder)
    paths = [os.path.join(folder, n) for n in names]
    frame = Frame(
        path=paths,
        label=labels,
        score=[float(i) for i in range(12)],
        tags=[[lab, "any"] for lab in labels],
        w=[0.5] * 12,
    )
    gen = ImageDataGenerator(rescale=1 / 255)

    def flow(**kwargs):
        args = {"x_col": "path", "target_size": (4, 4), "shuffle": False, "batch_size": 4}
        return _quiet(lambda: gen.flow_from_dataframe(frame, **{**args, **kwargs}))

    it, printed = flow(y_col="score", class_mode="raw", weight_col="w")
    assert printed == "Found 12 validated image filenames.\n"
    x, y, w = next(it)
    assert x.shape == (4, 4, 4, 3) and x.max() <= 1.0
    assert y.tolist() == [0.0, 1.0, 2.0, 3.0] and w.tolist() == [0.5] * 4
    it, _ = flow(y_col="label", class_mode="sparse")
    assert next(it)[1].tolist() == [0.0, 0.0, 0.0, 0.0]
    it, _ = flow(y_col=["score", "w"], class_mode="multi_output")
    y = next(it)[1]
    assert [t.tolist() for t in y] == [[0.0, 1.0, 2.0, 3.0], [0.5] * 4]
    it, printed = flow(y_col="tags", class_mode="categorical")
    assert it.class_indices == {"ants": 0, "any": 1, "bees": 2, "cats": 3}
    assert next(it)[1][0].tolist() == [1.0, 1.0, 0.0, 0.0]
    it, _ = flow(class_mode="input")
    x, y = next(it)
    np.testing.assert_array_equal(x, y)
    it, _ = flow(class_mode=None)
    assert next(it).shape == (4, 4, 4, 3)


@pytest.mark.filterwarnings("ignore:Found 2 invalid image filename")
def test_classes_filter_invalid_files_and_subsets(folder):
    _, names, labels = _listing(folder)
    frame = Frame(
        filename=names + ["missing.png", "ants/readme.txt"], label=labels + ["ants", "ants"]
    )
    with pytest.warns(
        UserWarning, match=r'Found 2 invalid image filename\(s\) in x_col="filename"'
    ):
        it, printed = _quiet(
            lambda: ImageDataGenerator().flow_from_dataframe(
                frame, folder, y_col="label", classes=["cats", "bees"], class_mode="binary"
            )
        )
    assert printed == "Found 8 validated image filenames belonging to 2 classes.\n"
    assert it.class_indices == {"cats": 0, "bees": 1}
    gen = ImageDataGenerator(validation_split=0.25)
    valid, _ = _quiet(
        lambda: gen.flow_from_dataframe(frame, folder, y_col="label", subset="validation")
    )
    training, _ = _quiet(
        lambda: gen.flow_from_dataframe(frame, folder, y_col="label", subset="training")
    )
    assert valid.filenames == names[:3] and training.filenames == names[3:]
    unchecked, printed = _quiet(
        lambda: ImageDataGenerator().flow_from_dataframe(
            frame, folder, y_col="label", validate_filenames=False
        )
    )
    assert printed == "Found 14 non-validated image filenames belonging to 3 classes.\n"


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"class_mode": "other"}, ValueError, "Invalid class_mode: other"),
        ({"class_mode": "multi_output"}, TypeError, "y_col must be a list. Received str"),
        ({"class_mode": "binary"}, ValueError, "there must be 2 classes. Found 3 classes"),
        ({"class_mode": "sparse", "y_col": "n"}, TypeError, "column values must be strings"),
        ({"weight_col": "label"}, TypeError, "Column weight_col=label must be numeric"),
        ({"x_col": "n"}, TypeError, "All values in column x_col=n must be strings"),
        ({"color_mode": "cmyk"}, ValueError, "Invalid color mode: cmyk"),
    ],
)
def test_bad_arguments(folder, kwargs, error, message):
    frame = Frame(filename=["a.png", "b.png", "c.png"], label=["x", "y", "z"], n=[1, 2, 3])
    with pytest.raises(error, match=message):
        ImageDataGenerator().flow_from_dataframe(frame, folder, **{"y_col": "label", **kwargs})


def test_a_list_is_not_a_dataframe():
    with pytest.raises(TypeError, match="flow_from_dataframe expects a DataFrame, got list"):
        ImageDataGenerator().flow_from_dataframe([["a.png", "x"]])


def test_pandas_dataframe(folder):
    pandas = pytest.importorskip(
        "pandas", reason="pandas is optional and not installed here: the Frame tests cover it"
    )
    _, names, labels = _listing(folder)
    it, printed = _quiet(
        lambda: ImageDataGenerator().flow_from_dataframe(
            pandas.DataFrame({"filename": names, "class": labels}), folder, target_size=(5, 6)
        )
    )
    assert printed == "Found 12 validated image filenames belonging to 3 classes.\n"
    assert next(it)[0].shape == (12, 5, 6, 3)
