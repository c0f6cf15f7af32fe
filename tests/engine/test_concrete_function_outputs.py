"""A concrete function's outputs as TF 2.21 describes them: Python numbers and strings
returned become constant tensors, and ``output_shapes``/``output_dtypes`` follow the
output structure (values checked against TF 2.21's, printed by hand from TF)."""

import numpy as np

import tensorflux as tf


def _mixed(x, y=2):
    return {"a": x * y, "b": [x], "c": 3, "d": None, "e": "txt", "f": 1.5}


def test_python_values_returned_become_tensors():
    out = tf.function(_mixed)(tf.ones([1, 3]))
    assert isinstance(out["c"], tf.Tensor) and out["c"].dtype == tf.int32 and int(out["c"]) == 3
    assert out["f"].dtype == tf.float32
    assert out["e"].numpy() == b"txt"
    assert out["d"] is None
    np.testing.assert_array_equal(out["a"].numpy(), [[2.0, 2.0, 2.0]])


def test_output_shapes_and_dtypes():
    concrete = tf.function(_mixed).get_concrete_function(tf.TensorSpec([None, 3]))
    assert concrete.output_shapes == {
        "a": tf.TensorShape([None, 3]),
        "b": [tf.TensorShape([None, 3])],
        "c": tf.TensorShape([]),
        "d": tf.TensorShape(None),
        "e": tf.TensorShape([]),
        "f": tf.TensorShape([]),
    }
    assert concrete.output_dtypes == {
        "a": tf.float32,
        "b": [tf.float32],
        "c": tf.int32,
        "d": None,
        "e": tf.string,
        "f": tf.float32,
    }
    assert isinstance(concrete.structured_outputs["c"], tf.Tensor)


def test_nested_functions_count_their_traces_as_tf():
    @tf.function
    def inner(x):
        return x * 2

    @tf.function
    def outer(x):
        return inner(x) + 1

    outer(tf.constant(1.0))
    outer(tf.constant(2.0))
    outer(tf.constant([1.0, 2.0]))
    inner(tf.constant(3.0))
    # TF 2.21: outer traced for a scalar and a vector, inner for both inside them; the
    # direct scalar call reuses inner's scalar trace.
    assert outer.experimental_get_tracing_count() == 2
    assert inner.experimental_get_tracing_count() == 2
