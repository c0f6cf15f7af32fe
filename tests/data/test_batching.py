"""batch, padded_batch, unbatch, rebatch."""

import numpy as np
import pytest

import tensorflux as tf
from tests.data.conftest import as_lists, assert_same_elements, element_by_element

Spec = tf.TensorSpec


def _ragged():
    return tf.data.Dataset.from_generator(
        lambda: ([1] * i for i in range(1, 4)), output_signature=Spec((None,), tf.int32)
    )


def test_batch_contents_and_spec():
    d = tf.data.Dataset.range(10)
    assert [b.tolist() for b in as_lists(d.batch(4))] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [b.tolist() for b in as_lists(d.batch(4, drop_remainder=True))] == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
    ]
    pairs = tf.data.Dataset.from_tensor_slices((np.zeros((5, 2, 3)), ["a"] * 5)).batch(2)
    assert pairs.element_spec == (Spec((None, 2, 3), tf.float64), Spec((None,), tf.string))
    assert as_lists(pairs)[2][1].tolist() == [b"a"]
    d = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]}).batch(2)
    assert d.element_spec == {"a": Spec((None,), tf.int32), "b": Spec((None,), tf.int32)}


def test_batch_of_batches_and_across_blocks():
    d = tf.data.Dataset.range(10).batch(2).batch(2)
    assert d.element_spec == Spec((None, None), tf.int64)
    assert as_lists(d)[0].tolist() == [[0, 1], [2, 3]]
    chained = tf.data.Dataset.range(5).concatenate(tf.data.Dataset.range(5, 9)).batch(3)
    assert [b.tolist() for b in as_lists(chained)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]


def test_batch_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Batch size must be greater"):
        tf.data.Dataset.range(3).batch(0)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Cannot batch tensors with different shapes in component 0. "
        r"First element had shape \[1\] and element 1 had shape \[2\]",
    ):
        as_lists(_ragged().batch(2))


def test_batch_block_path_matches_element_path():
    x = np.arange(60, dtype=np.float32).reshape(20, 3)

    def pipe():
        return tf.data.Dataset.from_tensor_slices(x).skip(1).take(17).batch(5, True)

    fast = as_lists(pipe())
    with element_by_element():
        slow = as_lists(pipe())
    assert_same_elements(fast, slow)


def test_padded_batch():
    assert [b.tolist() for b in as_lists(_ragged().padded_batch(2))] == [
        [[1, 0], [1, 1]],
        [[1, 1, 1]],
    ]
    padded = _ragged().padded_batch(2, padded_shapes=[4], padding_values=-1)
    assert padded.element_spec == Spec((None, 4), tf.int32)
    assert as_lists(padded)[1].tolist() == [[1, 1, 1, -1]]
    assert _ragged().padded_batch(2, drop_remainder=True).element_spec == Spec((2, None), tf.int32)
    z = tf.data.Dataset.zip((_ragged(), tf.data.Dataset.range(3)))
    out = z.padded_batch(
        2, padded_shapes=([None], []), padding_values=(-1, tf.constant(7, tf.int64))
    )
    assert out.element_spec == (Spec((None, None), tf.int32), Spec((None,), tf.int64))
    first = as_lists(out)[0]
    assert first[0].tolist() == [[1, -1], [1, 1]] and first[1].tolist() == [0, 1]


def test_padded_batch_errors():
    with pytest.raises(
        ValueError,
        match=r"The padded shape \(3,\) is not compatible with "
        r"the shape \(\) of the corresponding input",
    ):
        tf.data.Dataset.range(3).padded_batch(2, padded_shapes=[3])
    with pytest.raises(tf.errors.DataLossError, match="pad to a smaller size"):
        as_lists(_ragged().padded_batch(3, padded_shapes=[2]))
    z = tf.data.Dataset.zip((_ragged(), tf.data.Dataset.range(3)))
    with pytest.raises(TypeError, match="does not match type"):
        z.padded_batch(2, padding_values=-1)


def test_unbatch():
    d = tf.data.Dataset.range(10).batch(3).unbatch()
    assert d.element_spec == Spec((), tf.int64) and as_lists(d) == list(range(10))
    pairs = tf.data.Dataset.from_tensors((np.arange(6).reshape(3, 2), ["a", "b", "c"]))
    assert as_lists(pairs.unbatch())[2][1] == b"c"
    assert [x.tolist() for x in as_lists(_ragged().unbatch())] == [1] * 6
    with pytest.raises(ValueError, match="Cannot unbatch an input with scalar components"):
        tf.data.Dataset.range(3).unbatch()
    with pytest.raises(ValueError, match="matching leading dimension. Encountered both 2 and 3"):
        tf.data.Dataset.from_tensors(([1, 2], [1, 2, 3])).unbatch()
    bad = tf.data.Dataset.from_generator(
        lambda: [([1, 2], [1, 2, 3])], output_signature=(Spec([None], tf.int32),) * 2
    ).unbatch()
    with pytest.raises(tf.errors.InvalidArgumentError, match="same batch size"):
        as_lists(bad)


def test_unbatch_then_batch_blocks_match_elements():
    def pipe():
        return tf.data.Dataset.range(23).batch(5).unbatch().batch(4)

    fast = as_lists(pipe())
    with element_by_element():
        slow = as_lists(pipe())
    assert_same_elements(fast, slow)


def test_rebatch():
    d = tf.data.Dataset.range(10).batch(4).rebatch(3)
    assert repr(d).startswith("<_RebatchDataset")
    assert [b.tolist() for b in as_lists(d)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert tf.data.Dataset.range(10).batch(4).rebatch(3, True).element_spec == Spec((3,), tf.int64)
