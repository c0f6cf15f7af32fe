"""TensorShape: partial shapes, compatibility, merging; expectations checked against TF 2.21."""

import numpy as np
import pytest

import tensorflux as tf

S = tf.TensorShape


def test_unknown_rank():
    s = S(None)
    assert s.rank is None and s.ndims is None and s.dims is None
    assert repr(s) == "TensorShape(None)" and str(s) == "<unknown>"
    assert not s.is_fully_defined() and s.num_elements() is None
    assert s[0] is None and s[1:] == S(None)
    assert not bool(s)
    with pytest.raises(ValueError, match="unknown TensorShape"):
        s.as_list()
    with pytest.raises(ValueError, match="unknown rank"):
        len(s)
    with pytest.raises(ValueError, match="unknown rank"):
        iter(s)


@pytest.mark.parametrize(
    "dims,text,rep",
    [
        ([], "()", "TensorShape([])"),
        ([5], "(5,)", "TensorShape([5])"),
        ([None], "(None,)", "TensorShape([None])"),
        ([None, 3], "(None, 3)", "TensorShape([None, 3])"),
        ((2, 3, 4), "(2, 3, 4)", "TensorShape([2, 3, 4])"),
    ],
)
def test_str_and_repr(dims, text, rep):
    assert str(S(dims)) == text
    assert repr(S(dims)) == rep


def test_construction():
    assert S(3).as_list() == [3]
    assert S((2, 3)).as_list() == [2, 3]
    assert S(np.array([2, 3])).as_list() == [2, 3]
    assert S([tf.constant(2), 3]).as_list() == [2, 3]
    assert S(S([1, None])).as_list() == [1, None]


@pytest.mark.parametrize(
    "dims,exc,fragment",
    [
        ([-1], ValueError, "must be >= 0"),
        ([2.5], TypeError, "Dimension value must be"),
        (["a"], TypeError, "Dimension value must be"),
    ],
)
def test_bad_dimensions(dims, exc, fragment):
    with pytest.raises(exc, match=fragment):
        S(dims)


def test_access():
    s = S([2, None, 4])
    assert s.rank == 3 and len(s) == 3
    assert s[0] == 2 and s[1] is None and s[-1] == 4
    assert s[1:] == S([None, 4])
    assert list(s) == [2, None, 4]
    assert s.as_list() == [2, None, 4]
    assert S([]).as_list() == [] and bool(S([]))


def test_num_elements():
    assert S([2, 3]).num_elements() == 6
    assert S([]).num_elements() == 1
    assert S([2, None]).num_elements() is None
    assert S([0, 5]).num_elements() == 0


@pytest.mark.parametrize(
    "a,b,compatible",
    [
        ([None, 3], [5, 3], True),
        ([None, 3], [5, 3, 1], False),
        (None, [5, 3, 1], True),
        ([2, 3], [2, 4], False),
        ([2, 3], None, True),
        ([], [], True),
        ([], [1], False),
    ],
)
def test_is_compatible_with(a, b, compatible):
    assert S(a).is_compatible_with(b) is compatible
    assert S(b).is_compatible_with(S(a)) is compatible


def test_assert_is_compatible_with():
    S([None, 2]).assert_is_compatible_with([3, 2])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        S([2]).assert_is_compatible_with([3])


def test_merge_with():
    assert S([None, 3]).merge_with([5, None]) == S([5, 3])
    assert S(None).merge_with([5, 3]) == S([5, 3])
    assert S([5, 3]).merge_with(S(None)) == S([5, 3])
    with pytest.raises(ValueError, match=r"Shapes \(2, 3\) and \(5, 3\) are not compatible"):
        S([2, 3]).merge_with([5, 3])
    with pytest.raises(ValueError, match="not compatible"):
        S([2]).merge_with([2, 3])


def test_concatenate():
    assert S([2]).concatenate([3, None]) == S([2, 3, None])
    assert S([2]).concatenate(S(None)) == S(None)
    assert S([2]) + S([3]) == S([2, 3])
    assert [1] + S([2]) == S([1, 2])


def test_equality():
    assert S([2, 3]) == [2, 3]
    assert S([2, 3]) == (2, 3)
    assert S([None, 3]) == [None, 3]
    assert S(None) == S(None)
    assert S([2, 3]) != [2, 4]
    assert S([2, 3]) != "ab"
    assert hash(S([2, 3])) == hash(S([2, 3]))
    assert tf.constant([[1]]).shape == [1, 1]


def test_rank_helpers():
    assert S(None).with_rank(2) == S([None, None])
    assert S([1, 2]).with_rank(2) == S([1, 2])
    with pytest.raises(ValueError, match="must have rank 2"):
        S([2]).with_rank(2)
    S([1]).assert_same_rank([3])
    with pytest.raises(ValueError, match="same rank"):
        S([1]).assert_same_rank([3, 4])


def test_most_specific_compatible_shape():
    assert S([2, 3]).most_specific_compatible_shape([2, 4]) == S([2, None])
    assert S([2]).most_specific_compatible_shape([2, 4]) == S(None)


def test_fully_defined():
    assert S([2, 3]).is_fully_defined()
    assert not S([None]).is_fully_defined()


def test_pickle():
    import pickle

    assert pickle.loads(pickle.dumps(S([None, 3]))) == S([None, 3])
    assert pickle.loads(pickle.dumps(S(None))) == S(None)
