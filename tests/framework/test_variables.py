"""tf.Variable: assignment, dtype/shape checks, naming, printing; checked against TF 2.21."""

import copy

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError


def test_assign_family_returns_the_variable_and_updates_it():
    v = tf.Variable(3.0)
    assert v.assign(5.0) is v and v.numpy() == 5.0
    assert v.assign_add(1.0) is v and v.numpy() == 6.0
    assert v.assign_sub(2.0) is v and v.numpy() == 4.0
    assert v.assign(2).numpy() == 2.0  # a Python int converts to the variable's dtype
    assert v.assign(np.float64(2.5)).numpy() == 2.5
    assert v.assign(tf.constant(7.0)).numpy() == 7.0
    w = tf.Variable([1.0, 2.0])
    assert w.assign_sub(w).numpy().tolist() == [0.0, 0.0]
    assert w.dtype is tf.float32


def test_earlier_reads_keep_their_value():
    v = tf.Variable([1.0, 2.0])
    before = v.read_value()
    v.assign([5.0, 6.0])
    v.assign_add([1.0, 1.0])
    assert before.numpy().tolist() == [1.0, 2.0]
    assert v.numpy().tolist() == [6.0, 7.0]


@pytest.mark.parametrize(
    "method,value,exc,fragment",
    [
        (
            "assign",
            [1.0, 2.0, 3.0],
            ValueError,
            r"Shape mismatch.The variable shape \(2,\), and the assigned value "
            r"shape \(3,\) are incompatible",
        ),
        (
            "assign_add",
            [1.0, 2.0, 3.0],
            InvalidArgumentError,
            r"shape \[2\] using a Tensor with shape \[3\]",
        ),
        ("assign_sub", 1.0, InvalidArgumentError, r"shape \[2\] using a Tensor with shape \[\]"),
        (
            "assign",
            tf.constant([1, 2]),
            ValueError,
            "requested dtype float32 for Tensor with dtype int32",
        ),
        (
            "assign_add",
            tf.constant([1.0, 2.0], tf.float64),
            ValueError,
            "requested dtype float32 for Tensor with dtype float64",
        ),
        ("assign", "a", TypeError, "Cannot convert 'a' to EagerTensor of dtype float"),
        ("assign", [1.5, 2.5j], TypeError, "Cannot convert"),
    ],
)
def test_assign_errors(method, value, exc, fragment):
    w = tf.Variable([1.0, 2.0])
    with pytest.raises(exc, match=fragment):
        getattr(w, method)(value)
    assert w.numpy().tolist() == [1.0, 2.0]


def test_trainable_flag():
    assert tf.Variable(3.0).trainable
    assert not tf.Variable(3.0, trainable=False).trainable
    # The course notes pass a dtype positionally, where TF's second parameter is
    # `trainable`: TF treats the (truthy) dtype as trainable=True and keeps float32.
    v = tf.Variable(3.0, tf.float32)
    assert v.trainable and v.dtype is tf.float32


def test_dtype_argument():
    assert tf.Variable(3, dtype=tf.float32).dtype is tf.float32
    assert tf.Variable(1, dtype=tf.float64).numpy() == 1.0
    assert tf.Variable([1, 2]).dtype is tf.int32
    assert tf.Variable(np.zeros(2)).dtype is tf.float64
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.Variable(1.5, dtype=tf.int32)


def test_names():
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0, name="weights").name == "weights:0"


@pytest.mark.parametrize(
    "make,text",
    [
        (lambda: tf.Variable(3.0), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=3.0>"),
        (
            lambda: tf.Variable([1, 2, 3]),
            "<tf.Variable 'Variable:0' shape=(3,) dtype=int32, numpy=array([1, 2, 3], dtype=int32)>",  # noqa: E501
        ),
        (
            lambda: tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w"),
            "<tf.Variable 'w:0' shape=(2, 2) dtype=float32, numpy=\narray([[1., 2.],\n"
            "       [3., 4.]], dtype=float32)>",
        ),
    ],
)
def test_repr(make, text):
    v = make()
    assert repr(v) == text
    assert str(v) == text


def test_reads():
    v = tf.Variable([1.0, 2.0])
    for t in (v.read_value(), v.value(), tf.convert_to_tensor(v)):
        assert type(t) is tf.Tensor and t.numpy().tolist() == [1.0, 2.0]
    assert np.asarray(v).tolist() == [1.0, 2.0]
    assert type(tf.Variable(2.5).numpy()) is np.float32
    assert float(tf.Variable(2.5)) == 2.5 and int(tf.Variable(2.5)) == 2
    assert not bool(tf.Variable(0.0))


@pytest.mark.parametrize(
    "fn,expected",
    [
        (lambda v: v + 1, 3.5),
        (lambda v: 1 + v, 3.5),
        (lambda v: v * 2.0, 5.0),
        (lambda v: v - 1, 1.5),
        (lambda v: 1 - v, -1.5),
        (lambda v: -v, -2.5),
        (lambda v: v**2, 6.25),
        (lambda v: v / 2, 1.25),
        (lambda v: v * v, 6.25),
    ],
)
def test_operators_on_value(fn, expected):
    v = tf.Variable(2.5)
    out = fn(v)
    assert type(out) is tf.Tensor and out.dtype is tf.float32
    assert out.numpy() == pytest.approx(expected)


def test_matmul_operator():
    out = tf.Variable([[1.0, 2.0]]) @ tf.Variable([[1.0], [1.0]])
    assert out.numpy().tolist() == [[3.0]]


def test_properties():
    v = tf.Variable([[1.0, 2.0]])
    assert v.shape == [1, 2] and v.get_shape() == [1, 2] and v.ndim == 2
    assert v.dtype is tf.float32
    assert v.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert v.constraint is None


def test_unknown_shape_allows_reshaping_assignments():
    v = tf.Variable([1.0], shape=tf.TensorShape(None))
    assert v.shape == tf.TensorShape(None)
    v.assign([1.0, 2.0])
    assert v.numpy().tolist() == [1.0, 2.0]
    w = tf.Variable([1.0], shape=[None])
    w.assign([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="declared with shape"):
        w.assign([[1.0]])


def test_hash_and_ref():
    v = tf.Variable(1.0)
    with pytest.raises(TypeError, match=r"Variable is unhashable. Instead, use variable.ref\(\)"):
        hash(v)
    assert {v.ref(): 1}[v.ref()] == 1 and v.ref().deref() is v


def test_construction_errors():
    with pytest.raises(ValueError, match="initial_value"):
        tf.Variable(None)
    with pytest.raises(ValueError, match="constraint"):
        tf.Variable(1.0, constraint=3)
    with pytest.raises(ValueError, match="not compatible"):
        tf.Variable([1.0, 2.0], shape=[3])


def test_callable_initial_value_and_deepcopy():
    v = tf.Variable(lambda: tf.constant([1.0, 1.0]), name="c")
    assert v.numpy().tolist() == [1.0, 1.0]
    c = copy.deepcopy(v)
    c.assign([2.0, 2.0])
    assert v.numpy().tolist() == [1.0, 1.0] and c.name == "c:0"


def test_scatter_updates():
    v = tf.Variable([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    rows = tf.IndexedSlices(
        tf.constant([[1.0, 1.0], [2.0, 2.0]]), tf.constant([0, 0]), tf.constant([3, 2])
    )
    v.scatter_add(rows)
    assert v.numpy()[0].tolist() == [3.0, 3.0]
    v.scatter_sub(rows)
    assert v.numpy()[0].tolist() == [0.0, 0.0]
    v.scatter_update(
        tf.IndexedSlices(tf.constant([[5.0, 5.0]]), tf.constant([2]), tf.constant([3, 2]))
    )
    assert v.numpy().tolist() == [[0.0, 0.0], [0.0, 0.0], [5.0, 5.0]]
