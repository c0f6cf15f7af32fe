"""shuffle: buffer semantics, seeds, reshuffling, block path == element path."""

import numpy as np
import pytest

import tensorflux as tf
from tests.data.conftest import as_lists, assert_same_elements, element_by_element


def test_shuffle_is_a_permutation_and_reshuffles():
    ds = tf.data.Dataset.range(100).shuffle(100, seed=1)
    a, b = as_lists(ds), as_lists(ds)
    assert sorted(a) == list(range(100)) and sorted(b) == list(range(100))
    assert a != list(range(100)) and a != b


def test_reshuffle_each_iteration_false_repeats_the_order():
    ds = tf.data.Dataset.range(50).shuffle(50, reshuffle_each_iteration=False)
    assert as_lists(ds) == as_lists(ds)
    epochs = as_lists(ds.repeat(2))
    assert epochs[:50] == epochs[50:]
    fresh = as_lists(tf.data.Dataset.range(50).shuffle(50).repeat(2))
    assert fresh[:50] != fresh[50:]


def test_seeds_are_reproducible():
    def order(global_seed=None, seed=None):
        if global_seed is not None:
            tf.random.set_seed(global_seed)
        return as_lists(tf.data.Dataset.range(30).shuffle(10, seed=seed))

    assert order(seed=5) == order(seed=5)
    assert order(seed=5) != order(seed=6)
    assert order(global_seed=3) == order(global_seed=3)
    assert order(global_seed=3, seed=1) == order(global_seed=3, seed=1)
    assert order(global_seed=3, seed=1) != order(global_seed=4, seed=1)
    tf.random.set_seed(None)


def test_buffer_bounds_how_far_elements_move():
    out = as_lists(tf.data.Dataset.range(200).shuffle(5, seed=2))
    # Output i is chosen among inputs 0 .. i + 4: an element never comes out early by
    # more than the buffer size.
    assert all(v <= i + 4 for i, v in enumerate(out))
    assert sorted(out) == list(range(200))
    assert as_lists(tf.data.Dataset.range(5).shuffle(1)) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "n, buffer, batch", [(1000, 100, 32), (57, 10, 8), (20, 64, 6), (33, 1, 4), (100, 99, 100)]
)
def test_block_path_gives_the_element_path_order(n, buffer, batch):
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n)

    def pipe():
        return (
            tf.data.Dataset.from_tensor_slices((x, y))
            .map(lambda a, b: (a * 2.0, b))
            .shuffle(buffer, seed=7)
            .batch(batch)
            .repeat(2)
        )

    fast = as_lists(pipe())
    with element_by_element():
        slow = as_lists(pipe())
    assert_same_elements(fast, slow)
    labels = np.concatenate([b for _, b in fast])
    assert sorted(labels[:n]) == list(range(n)) and sorted(labels[n:]) == list(range(n))


def test_element_reads_of_a_block_shuffle_match():
    def pipe():
        return tf.data.Dataset.range(300).shuffle(17, seed=4)

    fast = as_lists(pipe())
    with element_by_element():
        slow = as_lists(pipe())
    assert fast == slow


def test_shuffle_strings_and_dicts():
    ds = tf.data.Dataset.from_tensor_slices(
        {"s": [str(i) for i in range(20)], "i": list(range(20))}
    ).shuffle(8, seed=3)
    out = as_lists(ds.batch(5))
    ints = np.concatenate([b["i"] for b in out])
    strs = np.concatenate([b["s"] for b in out])
    assert sorted(ints) == list(range(20))
    assert [int(s) for s in strs] == list(ints)


def test_shuffle_errors_and_unknown_buffer():
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be greater"):
        tf.data.Dataset.range(3).shuffle(0)
    full = as_lists(tf.data.Dataset.range(10).shuffle(tf.data.UNKNOWN_CARDINALITY))
    assert sorted(full) == list(range(10))


def test_shuffle_of_element_only_input():
    gen = tf.data.Dataset.from_generator(
        lambda: iter(range(30)), output_signature=tf.TensorSpec((), tf.int64)
    )
    assert sorted(as_lists(gen.shuffle(7, seed=1))) == list(range(30))
