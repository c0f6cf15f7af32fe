"""tf.nest: flatten / pack / map in TF's order (dicts by sorted key)."""

import collections

import numpy as np
import pytest

import tensorflux as tf

nest = tf.nest
P = collections.namedtuple("P", ["b", "a"])


@pytest.mark.parametrize(
    "structure,flat",
    [
        ({"b": 2, "a": (1, [3])}, [1, 3, 2]),
        (5, [5]),
        (None, [None]),
        (P(b=1, a=2), [1, 2]),
        ("abc", ["abc"]),
        ([[], ()], []),
        (collections.OrderedDict([("b", 1), ("a", 2)]), [2, 1]),
        ([None, [1, {"z": 2, "y": 3}]], [None, 1, 3, 2]),
    ],
)
def test_flatten(structure, flat):
    assert nest.flatten(structure) == flat


def test_arrays_and_tensors_are_leaves():
    t = tf.constant([1, 2])
    assert len(nest.flatten([t, 3, np.ones(3)])) == 3
    assert nest.flatten(t)[0] is t


def test_is_nested():
    assert nest.is_nested([1]) and nest.is_nested({}) and nest.is_nested((1,))
    assert not nest.is_nested(1)
    assert not nest.is_nested("ab")
    assert not nest.is_nested(np.ones(2))


def test_pack_sequence_as():
    assert nest.pack_sequence_as({"b": 0, "a": (0, [0])}, [1, 3, 2]) == {"b": 2, "a": (1, [3])}
    assert nest.pack_sequence_as(P(0, 0), [5, 6]) == P(b=5, a=6)
    assert nest.pack_sequence_as(0, [7]) == 7
    od = nest.pack_sequence_as(collections.OrderedDict([("b", 1), ("a", 2)]), [8, 9])
    assert isinstance(od, collections.OrderedDict) and list(od.items()) == [("b", 9), ("a", 8)]
    with pytest.raises(ValueError, match="Structure had 2 atoms, but flat_sequence had 1"):
        nest.pack_sequence_as([0, 0], [1])


def test_pack_round_trip():
    s = {"x": [1, (2, 3)], "y": P(4, {"k": 5})}
    assert nest.pack_sequence_as(s, nest.flatten(s)) == s


def test_map_structure():
    out = nest.map_structure(lambda x, y: x + y, {"a": 1, "b": [2]}, {"a": 10, "b": [20]})
    assert out == {"a": 11, "b": [22]}
    assert nest.map_structure(lambda x: x * 2, P(1, 2)) == P(2, 4)
    assert nest.map_structure(lambda x: x, [None, 1]) == [None, 1]
    assert nest.map_structure(lambda x, y: x + y, [1, 2], (1, 2), check_types=False) == [2, 4]


@pytest.mark.parametrize(
    "a,b,exc,fragment",
    [
        ([1, 2], [1], ValueError, "same number of elements"),
        ([1, 2], (1, 2), TypeError, "same sequence type"),
        ([1, (2, 3)], [4, 5], ValueError, "same nested structure"),
        ({"a": 1}, {"b": 1}, ValueError, "same set of keys"),
    ],
)
def test_structure_mismatch(a, b, exc, fragment):
    with pytest.raises(exc, match=fragment):
        nest.assert_same_structure(a, b)
    with pytest.raises(exc, match=fragment):
        nest.map_structure(lambda x, y: x, a, b)


def test_map_structure_errors():
    with pytest.raises(ValueError, match="at least one structure"):
        nest.map_structure(lambda: 0)
    with pytest.raises(ValueError, match="Only valid keyword arguments"):
        nest.map_structure(lambda x: x, [1], bogus=True)


def test_unsortable_keys():
    with pytest.raises(TypeError, match="sortable keys"):
        nest.flatten({1: "a", "b": 2})


def test_defaultdict_keeps_factory():
    d = collections.defaultdict(list, {"b": 1, "a": 2})
    out = nest.map_structure(lambda x: x + 1, d)
    assert isinstance(out, collections.defaultdict) and out.default_factory is list
    assert dict(out) == {"b": 2, "a": 3}


def test_flatten_with_joined_string_paths():
    assert nest.flatten_with_joined_string_paths({"a": [1, 2], "b": 3}) == [
        ("a/0", 1),
        ("a/1", 2),
        ("b", 3),
    ]
