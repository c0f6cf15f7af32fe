"""keras.utils.get_source_inputs: the Input tensors behind a functional-API tensor, as
tf_keras finds them."""

import numpy as np
import pytest

import tensorflux as tf


def test_sources_of_functional_tensors():
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    summed = tf.keras.layers.Dense(2)(tf.keras.layers.Add()([a, b]))
    only_a = tf.keras.layers.Dense(2)(a)
    get = tf.keras.utils.get_source_inputs
    assert [t is s for t, s in zip(get(summed), [a, b])] == [True, True]
    assert len(get(only_a)) == 1 and get(only_a)[0] is a
    assert get(a)[0] is a
    both = tf.keras.layers.Concatenate()([summed, only_a])
    assert [t.name for t in get(both)] == [a.name, b.name]  # each source once
    assert [t.name for t in get(summed + 1.0)] == [a.name, b.name]


def test_sequential_output_and_plain_tensors():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    (source,) = tf.keras.utils.get_source_inputs(model.output)
    assert source is model.inputs[0]
    x = tf.constant([1.0])
    assert tf.keras.utils.get_source_inputs(x) is x


# -- warmstart_embedding_matrix (expected values as tf_keras 2.21 returns them) ---------

BASE = np.arange(8, dtype="float64").reshape(4, 2)


def test_warmstart_keeps_shared_rows_and_initializes_new_ones():
    out = tf.keras.utils.warmstart_embedding_matrix(
        ["unk", "a", "b", "c"],
        ["unk", "unk", "a", "x", "c"],
        BASE,
        tf.keras.initializers.Constant(-1.0),
    )
    assert out.dtype == tf.float64
    np.testing.assert_array_equal(out.numpy(), [[0, 1], [0, 1], [2, 3], [-1, -1], [6, 7]])


def test_warmstart_vocabulary_forms(tmp_path):
    warm = tf.keras.utils.warmstart_embedding_matrix
    tensor_vocab = tf.constant(["unk", "a", "b", "c"])
    np.testing.assert_array_equal(
        warm(tensor_vocab, tf.constant(["c", "a"]), BASE, "zeros"), [[6, 7], [2, 3]]
    )
    # A tensor's terms are bytes: they never equal a list's strings (as in Keras).
    np.testing.assert_array_equal(warm(tensor_vocab, ["c", "a"], BASE, "zeros"), np.zeros((2, 2)))
    # A repeated base term keeps its last row.
    np.testing.assert_array_equal(warm(["a", "a", "b", "c"], ["a"], BASE, "zeros"), [[2, 3]])
    out = warm(
        np.array(["a", "b", "c", "d"]), np.array(["d"]), tf.constant(BASE, tf.float32), "zeros"
    )
    assert out.dtype == tf.float32
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("a\nb\nc\nd\n")
    np.testing.assert_array_equal(warm(str(vocab_file), ["d", "q"], BASE, "ones"), [[6, 7], [1, 1]])
    uniform = warm(["a"], ["a", "b", "c"], BASE[:1]).numpy()
    assert uniform[0].tolist() == [0.0, 1.0] and np.abs(uniform[1:]).max() <= 0.05


def test_warmstart_errors(tmp_path):
    warm = tf.keras.utils.warmstart_embedding_matrix
    with pytest.raises(ValueError, match="with at least one token. Received 0 instead."):
        warm([], ["a"], BASE)
    with pytest.raises(ValueError, match="Instead type <class 'int'> was received."):
        warm(3, ["a"], BASE)
    missing = str(tmp_path / "missing.txt")
    with pytest.raises(ValueError, match=f"Vocabulary file {missing} does not exist."):
        warm(missing, ["a"], BASE)
