"""keras.utils.get_source_inputs: the Input tensors behind a functional-API tensor, as
tf_keras finds them."""

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
