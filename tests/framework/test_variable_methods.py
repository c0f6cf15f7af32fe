"""``tf.Variable``'s sparse reads and updates against TF's recorded results
(``tests/framework/record_variable_method_fixtures.py``), eagerly and in tf.function,
and the TF 1 members that TF 2 refuses."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "variable_methods.json"),
    encoding="utf-8",
) as _f:
    FIXTURE = json.load(_f)


def _argument(value):
    if isinstance(value, dict):
        return tf.IndexedSlices(tf.constant(value["values"]), tf.constant(value["indices"]))
    return value


@pytest.mark.parametrize("traced", [False, True])
def test_update_sequence_matches_tf(traced):
    variable = tf.Variable(FIXTURE["initial"])
    for step in FIXTURE["steps"]:
        args = [_argument(a) for a in step["args"]]

        def update(args=args, method=step["method"]):
            return getattr(variable, method)(*args)

        result = tf.function(update)() if traced else update()
        if not traced:
            assert result is variable
        np.testing.assert_array_equal(variable.numpy(), step["value"], err_msg=step["method"])


def test_reads_match_tf():
    variable = tf.Variable(FIXTURE["initial"])
    for read in FIXTURE["reads"]:
        assert getattr(variable, read["method"])(*read["args"]).numpy().tolist() == read["out"]


def test_batch_scatter_update_matches_tf():
    batch = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    batch.batch_scatter_update(tf.IndexedSlices([[10.0, 20.0], [30.0, 40.0]], [[0, 2], [1, 1]]))
    assert batch.numpy().tolist() == FIXTURE["batch_scatter_update"]


def test_updates_are_differentiable_reads_after_assignment():
    variable = tf.Variable([1.0, 2.0, 3.0])
    variable.scatter_nd_update([[1]], [5.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(variable.sparse_read([1, 1]) ** 2)
    assert tape.gradient(loss, variable).numpy().tolist() == [0.0, 20.0, 0.0]


def test_errors_and_refused_members_as_tf():
    variable = tf.Variable([[1.0, 2.0]])
    with pytest.raises(TypeError, match="not IndexedSlices"):
        variable.scatter_max([1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into shape"):
        variable.scatter_nd_update([[5, 0]], [1.0])
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        variable.eval()
    with pytest.raises(AttributeError, match="Tensor.op is undefined"):
        variable.op  # noqa: B018
    assert variable.initializer is None
    variable.set_shape([1, 2])
    with pytest.raises(ValueError):
        variable.set_shape([2, 2])
    counter = tf.Variable(3)
    assert int(counter.count_up_to(5)) == 3 and int(counter.count_up_to(5)) == 4
    with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 5"):
        counter.count_up_to(5)
    variable.load([[7.0, 8.0]])
    assert variable.numpy().tolist() == [[7.0, 8.0]]
