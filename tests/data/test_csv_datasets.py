"""``tf.data.experimental.CsvDataset`` and ``make_csv_dataset`` against TensorFlow's
recorded elements and errors (``tests/data/record_csv_fixtures.py``)."""

import json
import os

import pytest

import tensorflux as tf
from tests.data.csv_cases import CASES, ERRORS, write_files

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "csv_datasets.json"),
    encoding="utf-8",
) as _f:
    FIXTURE = json.load(_f)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("csv")
    write_files(str(path))
    return str(path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_elements_match_tf(name, folder):
    # The fixture was recorded without a global seed (seeded shuffles depend on it).
    tf.random.set_seed(None)
    dataset = CASES[name](tf, folder)
    assert [_plain(e) for e in dataset.as_numpy_iterator()] == FIXTURE["cases"][name]


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_tf(name, folder):
    kind, message = FIXTURE["errors"][name]
    with pytest.raises(getattr(tf.errors, kind)) as raised:
        list(ERRORS[name](tf, folder))
    assert message in str(raised.value)


def test_csv_specs_and_argument_errors(folder):
    path = os.path.join(folder, "a.csv")
    ds = tf.data.experimental.CsvDataset(path, [0, tf.float64, ""])
    assert [s.dtype for s in ds.element_spec] == [tf.int32, tf.float64, tf.string]
    with pytest.raises(ValueError, match="select_cols or exclude_cols"):
        tf.data.experimental.CsvDataset(path, [0], select_cols=[0], exclude_cols=[1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="len\\(select_cols\\)"):
        tf.data.experimental.CsvDataset(path, [0, 0], select_cols=[0])
    with pytest.raises(tf.errors.NotFoundError):
        list(tf.data.experimental.CsvDataset(os.path.join(folder, "missing.csv"), [0]))
    pattern = os.path.join(folder, "p*.csv")
    with pytest.raises(ValueError, match="No files match"):
        tf.data.experimental.make_csv_dataset(os.path.join(folder, "none*.csv"), 2)
    with pytest.raises(ValueError, match="label_name"):
        tf.data.experimental.make_csv_dataset(pattern, 2, label_name="nope")
    with pytest.raises(ValueError, match="select_columns"):
        tf.data.experimental.make_csv_dataset(pattern, 2, select_columns=["age", "nope"])
