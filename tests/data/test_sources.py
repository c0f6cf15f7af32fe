"""Sources: from_tensor_slices, from_tensors, range, zip, from_generator."""

import collections

import numpy as np
import pytest

import tensorflux as tf
from tests.data.conftest import as_lists

Spec = tf.TensorSpec


@pytest.mark.parametrize(
    "value, spec",
    [
        ([1, 2, 3], Spec((), tf.int32)),
        ([1.0, 2.0], Spec((), tf.float32)),
        (np.zeros((4, 28, 28, 1), np.uint8), Spec((28, 28, 1), tf.uint8)),
        (np.zeros((2, 3)), Spec((3,), tf.float64)),
        ([[1, 2], [3, 4]], Spec((2,), tf.int32)),
        (["ab", "c"], Spec((), tf.string)),
        (tf.constant([[1.0, 2.0]]), Spec((2,), tf.float32)),
        (([1, 2], [[1.0, 2.0], [3.0, 4.0]]), (Spec((), tf.int32), Spec((2,), tf.float32))),
        (
            {"a": [1, 2], "b": np.zeros((2, 3))},
            {"a": Spec((), tf.int32), "b": Spec((3,), tf.float64)},
        ),
        (([1, 2],), (Spec((), tf.int32),)),
    ],
)
def test_from_tensor_slices_element_spec(value, spec):
    assert tf.data.Dataset.from_tensor_slices(value).element_spec == spec


def test_from_tensor_slices_contents():
    assert as_lists(tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]))[1].tolist() == [3, 4]
    pairs = as_lists(tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4])))
    assert pairs == [(1, 3), (2, 4)]
    assert as_lists(tf.data.Dataset.from_tensor_slices(["ab", "c"])) == [b"ab", b"c"]
    Point = collections.namedtuple("Point", "x y")
    out = as_lists(tf.data.Dataset.from_tensor_slices(Point([1, 2], [3, 4])))
    assert out == [Point(1, 3), Point(2, 4)]


class _FakeFrame:
    """Duck-types a pandas object: converted through __array__, dtype kept."""

    def __init__(self, values):
        self._values = np.asarray(values)

    def __array__(self, dtype=None, copy=None):
        return self._values


def test_from_tensor_slices_array_likes_keep_numpy_dtype():
    ds = tf.data.Dataset.from_tensor_slices((_FakeFrame(np.ones((5, 4))), _FakeFrame(np.arange(5))))
    assert ds.element_spec == (Spec((4,), tf.float64), Spec((), tf.int64))


def test_from_tensor_slices_pandas():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})
    ds = tf.data.Dataset.from_tensor_slices((frame, pd.Series([0, 1, 0])))
    assert ds.element_spec == (Spec((2,), tf.float64), Spec((), tf.int64))
    cols = tf.data.Dataset.from_tensor_slices(dict(frame))
    assert as_lists(cols)[0] == {"a": 1.0, "b": 4.0}


@pytest.mark.parametrize(
    "value, error, match",
    [
        (1, ValueError, "rank >= 1"),
        (([1, 2], [1, 2, 3]), ValueError, "Dimensions 2 and 3 are not compatible"),
        ([[1], [2, 3]], ValueError, "non-rectangular"),
        (None, ValueError, "should not be empty"),
        ((), ValueError, "should not be empty"),
    ],
)
def test_from_tensor_slices_errors(value, error, match):
    with pytest.raises(error, match=match):
        tf.data.Dataset.from_tensor_slices(value)


def test_from_tensors():
    ds = tf.data.Dataset.from_tensors(([1, 2], 3.0))
    assert ds.element_spec == (Spec((2,), tf.int32), Spec((), tf.float32))
    out = as_lists(ds)
    assert len(out) == 1 and out[0][0].tolist() == [1, 2] and out[0][1] == 3.0
    assert as_lists(tf.data.Dataset.from_tensors("a")) == [b"a"]


def test_range():
    assert as_lists(tf.data.Dataset.range(5)) == [0, 1, 2, 3, 4]
    assert as_lists(tf.data.Dataset.range(10, 0, -3)) == [10, 7, 4, 1]
    assert as_lists(tf.data.Dataset.range(3, 10, 2)) == [3, 5, 7, 9]
    ds = tf.data.Dataset.range(3, output_type=tf.float32)
    assert ds.element_spec == Spec((), tf.float32) and as_lists(ds) == [0.0, 1.0, 2.0]
    assert isinstance(as_lists(tf.data.Dataset.range(1))[0], np.int64)
    assert as_lists(tf.data.Dataset.range(10, 3)) == []
    with pytest.raises(tf.errors.InvalidArgumentError, match="step must be a non-zero"):
        tf.data.Dataset.range(1, 2, 0)
    with pytest.raises(ValueError, match="between 1 and 3"):
        tf.data.Dataset.range()


def test_zip():
    a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)
    assert as_lists(tf.data.Dataset.zip((a, b))) == [(0, 10), (1, 11)]
    assert as_lists(tf.data.Dataset.zip(a, b)) == [(0, 10), (1, 11)]
    nested = tf.data.Dataset.zip({"x": a, "y": (b, a)})
    assert nested.element_spec == {
        "x": Spec((), tf.int64),
        "y": (Spec((), tf.int64), Spec((), tf.int64)),
    }
    assert as_lists(nested)[1] == {"x": 1, "y": (11, 1)}
    with pytest.raises(TypeError, match="structures of `tf.data.Dataset` objects"):
        tf.data.Dataset.zip((a, 3))


def test_from_generator_signature_and_reiteration():
    calls = []

    def gen():
        calls.append(1)
        yield from ([1] * i for i in range(1, 4))

    ds = tf.data.Dataset.from_generator(gen, output_signature=Spec((None,), tf.int32))
    assert repr(ds).startswith("<_FlatMapDataset element_spec=TensorSpec(shape=(None,)")
    assert [x.tolist() for x in as_lists(ds)] == [[1], [1, 1], [1, 1, 1]]
    as_lists(ds)
    assert len(calls) == 2 and int(ds.cardinality()) == -2


def test_from_generator_types_shapes_and_args():
    ds = tf.data.Dataset.from_generator(
        lambda: iter([(1, "a"), (2, "b")]), output_types=(tf.int32, tf.string)
    )
    assert ds.element_spec == (Spec(None, tf.int32), Spec(None, tf.string))
    assert as_lists(ds) == [(1, b"a"), (2, b"b")]
    shaped = tf.data.Dataset.from_generator(
        lambda: iter([(1, "a")]), output_types=(tf.int32, tf.string), output_shapes=((), ())
    )
    assert shaped.element_spec == (Spec((), tf.int32), Spec((), tf.string))
    ranged = tf.data.Dataset.from_generator(
        lambda a, b: iter(range(a, b)), args=(2, 5), output_signature=Spec((), tf.int32)
    )
    assert as_lists(ranged) == [2, 3, 4]


def test_from_generator_errors():
    with pytest.raises(TypeError, match="must be a Python callable"):
        tf.data.Dataset.from_generator(3, output_signature=Spec((), tf.int32))
    with pytest.raises(TypeError, match="either the `output_signature` argument or"):
        tf.data.Dataset.from_generator(lambda: iter([1]))

    def gen():
        yield np.array([1, 2, 3])
        yield [4, 5]

    ds = tf.data.Dataset.from_generator(gen, output_signature=Spec((3,), tf.int32))
    it = iter(ds)
    next(it)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"yielded an element of shape \(2,\) where an element of shape "
        r"\(3,\) was expected",
    ):
        next(it)


def test_zip_of_one_dataset_keeps_its_structure():
    d = tf.data.Dataset.range(3)
    assert tf.data.Dataset.zip(d).element_spec == Spec((), tf.int64)
    assert tf.data.Dataset.zip((d,)).element_spec == (Spec((), tf.int64),)
    assert int(tf.data.Dataset.zip(d.repeat(), d).cardinality()) == 3


def test_mixed_object_arrays_are_refused_like_tf():
    mixed = np.array([[1, "x"], [2, "y"]], dtype=object)
    with pytest.raises(ValueError, match="Unsupported object type int"):
        tf.data.Dataset.from_tensor_slices(_FakeFrame(mixed))


def test_labels_passed_as_the_name_are_refused():
    features, labels = np.zeros((4, 2)), np.arange(4)
    with pytest.raises(TypeError, match=r"from_tensor_slices\(\(features, labels\)\)"):
        tf.data.Dataset.from_tensor_slices(features, labels)
    with pytest.raises(ValueError, match="valid identifier"):
        tf.data.Dataset.from_tensors(features, name="two words")
    named = tf.data.Dataset.from_tensor_slices((features, labels), name="pairs")
    assert int(named.cardinality()) == 4
