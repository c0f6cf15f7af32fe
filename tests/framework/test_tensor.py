"""Tensor conversion, dtype rules of binary ops, printing and the Python protocol.

Every expectation here was checked against TF 2.21.
"""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError

# -- conversion of Python and NumPy values ----------------------------------------------

DEFAULT_DTYPES = [
    (1.5, tf.float32),
    (3, tf.int32),
    (2**40, tf.int64),
    (-(2**63), tf.int64),
    ([1, 2**40], tf.int64),
    (True, tf.bool),
    ("hi", tf.string),
    (b"hi", tf.string),
    (1 + 2j, tf.complex128),
    ([[1.0, 2.0], [3.0, 4.0]], tf.float32),
    ([1, 2.5], tf.float32),
    ((1, 2), tf.int32),
    ([], tf.float32),
    (np.array([1.0, 2.0]), tf.float64),
    (np.array([1, 2]), tf.int64),
    (np.array([1, 2], np.uint8), tf.uint8),
    (np.float64(1.0), tf.float64),
    (np.float16(1.5), tf.float16),
    ([np.float64(1.0), 2.0], tf.float64),
    (np.array(["a", "bc"]), tf.string),
]


@pytest.mark.parametrize("value,dtype", DEFAULT_DTYPES)
def test_default_dtype(value, dtype):
    t = tf.constant(value)
    assert t.dtype is dtype
    assert tf.convert_to_tensor(value).dtype is dtype


def test_values():
    np.testing.assert_array_equal(tf.constant([[1, 2], [3, 4]]).numpy(), [[1, 2], [3, 4]])
    assert tf.constant("hi").numpy() == b"hi"
    assert tf.constant(["a", "bc"]).numpy().tolist() == [b"a", b"bc"]
    assert tf.constant(2**40).numpy() == 2**40
    assert tf.constant([]).shape == [0]


def test_numpy_arrays_keep_dtype_and_are_not_copied_needlessly():
    a = np.arange(3, dtype=np.int16)
    t = tf.constant(a)
    assert t.dtype is tf.int16
    np.testing.assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize(
    "value,dtype,expected",
    [
        ([1, 2], tf.float32, [1.0, 2.0]),
        (1, tf.float32, 1.0),
        (True, tf.int32, 1),
        (True, tf.float32, 1.0),
        (np.array([1.7, -2.7]), tf.int32, [1, -2]),  # NumPy floats truncate, as in TF
        (np.array([1, 0]), tf.bool, [True, False]),
        (2**40, tf.int32, 0),  # Python ints wrap into narrower integer dtypes, as in TF
        (-1, tf.uint8, 255),
        ([-1, 2], tf.uint8, [255, 2]),
        (300, tf.int8, 44),
        (2**63, tf.uint64, 2**63),
        (1e40, tf.float32, np.inf),
        (1.5, tf.float64, 1.5),
        (1.5, tf.complex64, 1.5),
    ],
)
def test_explicit_dtype(value, dtype, expected):
    t = tf.constant(value, dtype)
    assert t.dtype is dtype
    np.testing.assert_array_equal(t.numpy(), expected)


@pytest.mark.parametrize(
    "value,dtype,exc,fragment",
    [
        (1.5, tf.int32, TypeError, "Cannot convert 1.5 to EagerTensor of dtype int32"),
        (1.0, tf.int32, TypeError, "Cannot convert 1.0 to EagerTensor of dtype int32"),
        (1 + 2j, tf.float32, TypeError, r"Cannot convert \(1\+2j\) to EagerTensor"),
        (1, tf.bool, TypeError, "Cannot convert 1 to EagerTensor of dtype bool"),
        ([1, 0], tf.bool, TypeError, "dtype bool"),
        ("a", tf.int32, TypeError, "Cannot convert 'a' to EagerTensor of dtype int32"),
        (2**63, tf.int64, ValueError, "int64 range"),
    ],
)
def test_explicit_dtype_errors(value, dtype, exc, fragment):
    with pytest.raises(exc, match=fragment):
        tf.constant(value, dtype)


@pytest.mark.parametrize(
    "value,exc,fragment",
    [
        ([[1, 2], [3]], ValueError, "non-rectangular Python sequence"),
        (2**63, ValueError, "int64 range"),
        (2**64, ValueError, "int64 range"),
        (None, ValueError, r"Attempt to convert a value \(None\)"),
        (object(), ValueError, "unsupported type"),
    ],
)
def test_conversion_errors(value, exc, fragment):
    with pytest.raises(exc, match=fragment):
        tf.constant(value)


def test_constant_shape():
    t = tf.constant(7, shape=[2, 3])
    assert t.dtype is tf.int32 and t.numpy().tolist() == [[7, 7, 7], [7, 7, 7]]
    t = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])
    assert t.numpy().tolist() == [[1, 2, 3], [4, 5, 6]]
    t = tf.constant(0.0, shape=(2,))
    assert t.dtype is tf.float32 and t.numpy().tolist() == [0.0, 0.0]
    t = tf.constant([1.0], tf.float64, [1, 1, 1])
    assert t.shape == [1, 1, 1] and t.dtype is tf.float64
    with pytest.raises(TypeError, match="unsupported shape"):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_convert_to_tensor():
    t = tf.constant(1)
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor(t, tf.int32) is t
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype int32"):
        tf.convert_to_tensor(t, tf.float32)
    assert tf.convert_to_tensor(1, tf.float32).numpy() == 1.0
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        tf.convert_to_tensor(1.5, tf.int32)
    assert tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype is tf.float32
    assert tf.convert_to_tensor(1.5, dtype_hint=tf.int32).dtype is tf.float32
    assert tf.convert_to_tensor(1, dtype="float64").dtype is tf.float64
    v = tf.Variable([1.0, 2.0])
    assert tf.convert_to_tensor(v).numpy().tolist() == [1.0, 2.0]


def test_is_tensor():
    assert tf.is_tensor(tf.constant(1))
    assert tf.is_tensor(tf.Variable(1.0))
    assert not tf.is_tensor(np.ones(2))
    assert not tf.is_tensor(1.0)


# -- dtype rules of binary ops (registry._convert_inputs with same_dtype) --------------

F = [1.0, 2.0]
I = [1, 2]  # noqa: E741


@pytest.mark.parametrize(
    "make,dtype,expected",
    [
        (lambda: tf.constant(F) + 1, tf.float32, [2.0, 3.0]),
        (lambda: 1 + tf.constant(F), tf.float32, [2.0, 3.0]),
        (lambda: tf.constant(F) + 1.5, tf.float32, [2.5, 3.5]),
        (lambda: tf.constant(F) + np.array([1.0, 2.0]), tf.float32, [2.0, 4.0]),
        (lambda: np.array([1.0, 2.0]) + tf.constant(F), tf.float32, [2.0, 4.0]),
        (lambda: tf.constant(I) + np.array([1.5, 2.0]), tf.int32, [2, 4]),
        (lambda: tf.constant(F) + [1, 2], tf.float32, [2.0, 4.0]),
        (lambda: tf.constant(F) + [1.5, 2], tf.float32, [2.5, 4.0]),
        (lambda: tf.constant(I) + True, tf.int32, [2, 3]),
        (lambda: tf.constant(I) + 2**40, tf.int32, [1, 2]),  # wraps, as in TF
        (lambda: tf.constant(1, tf.uint8) + 300, tf.uint8, 45),
        (lambda: tf.constant(1.0, tf.float16) + 1.5, tf.float16, 2.5),
        (lambda: tf.constant(1j, tf.complex64) + 1.5, tf.complex64, 1.5 + 1j),
        (lambda: tf.add(1.5, tf.constant(F)), tf.float32, [2.5, 3.5]),
        (lambda: tf.add(1, 2), tf.int32, 3),
        (lambda: tf.Variable(2.0) + 1, tf.float32, 3.0),
        (lambda: 1 + tf.Variable(2.0), tf.float32, 3.0),
        (lambda: tf.Variable(2.0) * tf.Variable(3.0), tf.float32, 6.0),
        (lambda: tf.Variable(2.0) * tf.constant(3.0), tf.float32, 6.0),
        (lambda: tf.constant(F, tf.float64) * 2, tf.float64, [2.0, 4.0]),
    ],
)
def test_binary_dtype_rules(make, dtype, expected):
    t = make()
    assert t.dtype is dtype
    np.testing.assert_array_equal(t.numpy(), expected)


@pytest.mark.parametrize(
    "make,fragment",
    [
        (
            lambda: tf.constant(I) + 1.5,
            "input #1(zero-based) was expected to be a int32 tensor but is a float tensor",
        ),
        (lambda: tf.constant(I) + 1.0, "expected to be a int32 tensor but is a float tensor"),
        (lambda: tf.constant(I) + [1.5, 2], "expected to be a int32 tensor but is a float tensor"),
        (
            lambda: tf.constant(F) + tf.constant(I),
            "cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is "
            "a int32 tensor",
        ),
        (
            lambda: tf.constant(I) + tf.constant(F),
            "cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor but is "
            "a float tensor",
        ),
        (
            lambda: tf.constant(1.0, tf.float64) + tf.constant(1.0),
            "expected to be a double tensor but is a float tensor",
        ),
        (
            lambda: tf.constant(1, tf.int64) + tf.constant(1),
            "expected to be a int64 tensor but is a int32 tensor",
        ),
        (lambda: tf.Variable(2.0) + tf.constant(I), "expected to be a float tensor but is a int32"),
        (lambda: tf.constant(F) * tf.constant(I), "cannot compute Mul as input #1"),
        (lambda: tf.subtract(tf.constant(F), tf.constant(I)), "cannot compute Sub as input #1"),
        (lambda: tf.add(1, 2.5), "expected to be a int32 tensor but is a float tensor"),
    ],
)
def test_binary_dtype_mismatch(make, fragment):
    with pytest.raises(InvalidArgumentError) as info:
        make()
    assert fragment in str(info.value)
    assert "tf.cast" in str(info.value)


# -- printing --------------------------------------------------------------------------

PRINTS = [
    (
        tf.constant(3.0),
        "<tf.Tensor: shape=(), dtype=float32, numpy=3.0>",
        "tf.Tensor(3.0, shape=(), dtype=float32)",
    ),
    (
        tf.constant(3),
        "<tf.Tensor: shape=(), dtype=int32, numpy=3>",
        "tf.Tensor(3, shape=(), dtype=int32)",
    ),
    (
        tf.constant(True),
        "<tf.Tensor: shape=(), dtype=bool, numpy=True>",
        "tf.Tensor(True, shape=(), dtype=bool)",
    ),
    (
        tf.constant("hi"),
        "<tf.Tensor: shape=(), dtype=string, numpy=b'hi'>",
        "tf.Tensor(b'hi', shape=(), dtype=string)",
    ),
    (
        tf.constant(1e-8),
        "<tf.Tensor: shape=(), dtype=float32, numpy=9.99999993922529e-09>",
        "tf.Tensor(1e-08, shape=(), dtype=float32)",
    ),
    (
        tf.constant(1 + 2j),
        "<tf.Tensor: shape=(), dtype=complex128, numpy=(1+2j)>",
        "tf.Tensor((1+2j), shape=(), dtype=complex128)",
    ),
    (
        tf.constant(np.uint8(7)),
        "<tf.Tensor: shape=(), dtype=uint8, numpy=7>",
        "tf.Tensor(7, shape=(), dtype=uint8)",
    ),
    (
        tf.constant([1, 2, 3]),
        "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>",
        "tf.Tensor([1 2 3], shape=(3,), dtype=int32)",
    ),
    (
        tf.constant([1.5, 2.0]),
        "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.5, 2. ], dtype=float32)>",
        "tf.Tensor([1.5 2. ], shape=(2,), dtype=float32)",
    ),
    (
        tf.constant([True, False]),
        "<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>",
        "tf.Tensor([ True False], shape=(2,), dtype=bool)",
    ),
    (
        tf.constant(["a", "b"]),
        "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'b'], dtype=object)>",
        "tf.Tensor([b'a' b'b'], shape=(2,), dtype=string)",
    ),
    (
        tf.constant([[1, 2], [3, 4]]),
        "<tf.Tensor: shape=(2, 2), dtype=int32, numpy=\narray([[1, 2],\n       [3, 4]], "
        "dtype=int32)>",
        "tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)",
    ),
    (
        tf.constant(np.zeros((2, 0))),
        "<tf.Tensor: shape=(2, 0), dtype=float64, numpy=array([], shape=(2, 0), dtype=float64)>",
        "tf.Tensor([], shape=(2, 0), dtype=float64)",
    ),
    (
        tf.constant(np.arange(8).reshape(2, 2, 2)),
        "<tf.Tensor: shape=(2, 2, 2), dtype=int64, numpy=\narray([[[0, 1],\n        [2, 3]],\n\n"
        "       [[4, 5],\n        [6, 7]]])>",
        "tf.Tensor(\n[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]], shape=(2, 2, 2), dtype=int64)",
    ),
]


@pytest.mark.parametrize("t,rep,text", PRINTS)
def test_repr_and_str(t, rep, text):
    assert repr(t) == rep
    assert str(t) == text


def test_long_vector_wraps_onto_a_new_line():
    t = tf.constant(np.arange(30, dtype=np.float32))
    assert repr(t).startswith("<tf.Tensor: shape=(30,), dtype=float32, numpy=\narray([ 0.,")
    assert str(t).startswith("tf.Tensor(\n[ 0.  1.")


def test_format():
    assert f"{tf.constant(3.5):.2f}" == "3.50"
    assert f"{tf.constant([[1, 2], [3, 4]])}" == "[[1 2]\n [3 4]]"


# -- the Python protocol ---------------------------------------------------------------


def test_numpy():
    s = tf.constant(3.5)
    assert type(s.numpy()) is np.float32 and s.numpy() == 3.5
    assert type(tf.constant(3).numpy()) is np.int32
    assert type(tf.constant(True).numpy()) is np.bool_
    m = tf.constant([[1, 2], [3, 4]])
    assert isinstance(m.numpy(), np.ndarray) and m.numpy().dtype == np.int32


def test_array_protocol():
    m = tf.constant([[1, 2], [3, 4]])
    a = np.asarray(m)
    assert a.dtype == np.int32 and a.tolist() == [[1, 2], [3, 4]]
    assert np.asarray(m, dtype=np.float64).dtype == np.float64
    assert np.array(tf.constant(3.5)).shape == ()
    assert np.sum(m) == 10


def test_not_hashable():
    t = tf.constant([1, 2])
    with pytest.raises(TypeError, match=r"Tensor is unhashable. Instead, use tensor.ref\(\)"):
        hash(t)
    with pytest.raises(TypeError, match="unhashable"):
        {t}  # noqa: B018


def test_ref():
    t = tf.constant([1, 2])
    assert t.ref() == t.ref()
    assert t.ref().deref() is t
    assert {t.ref(): 1}[t.ref()] == 1
    assert t.ref() != tf.constant([1, 2]).ref()
    assert t.experimental_ref() == t.ref()


def test_scalar_conversions():
    s = tf.constant(3.5)
    assert bool(s) and not bool(tf.constant(0.0)) and bool(tf.constant([1]))
    assert float(s) == 3.5 and int(s) == 3
    assert complex(tf.constant(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][tf.constant(1)] == 20
    assert [10, 20, 30][tf.constant(1, tf.int64)] == 20
    assert list(range(tf.constant(3))) == [0, 1, 2]


@pytest.mark.parametrize(
    "fn,exc,fragment",
    [
        (lambda: bool(tf.constant([[1, 2], [3, 4]])), ValueError, "ambiguous"),
        (lambda: float(tf.constant([1.0, 2.0])), TypeError, "0-dimensional"),
        (lambda: [1, 2][tf.constant(1.0)], TypeError, "integer scalar"),
        (lambda: [1, 2][tf.constant([1])], TypeError, "integer scalar"),
        (lambda: len(tf.constant(3.5)), TypeError, r"Scalar tensor has no `len\(\)`"),
        (lambda: iter(tf.constant(3.5)), TypeError, "scalar tensor"),
        (lambda: tf.constant(1).name, AttributeError, "eager execution"),
    ],
)
def test_protocol_errors(fn, exc, fragment):
    with pytest.raises(exc, match=fragment):
        fn()


def test_len_shape_dtype_ndim_device():
    t = tf.constant([[1, 2, 3], [4, 5, 6]])
    assert len(t) == 2
    assert t.shape == tf.TensorShape([2, 3]) and t.get_shape() == [2, 3]
    assert t.dtype is tf.int32 and t.ndim == 2
    assert t.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert tf.constant(1.0).shape.rank == 0


def test_iteration():
    rows = [r.numpy().tolist() for r in tf.constant([[1, 2], [3, 4]])]
    assert rows == [[1, 2], [3, 4]]


def test_set_shape():
    t = tf.constant([[1, 2], [3, 4]])
    t.set_shape([2, None])
    with pytest.raises(ValueError, match=r"shape \(2, 2\) is not compatible with supplied shape"):
        t.set_shape([3, 2])


def test_copy_and_pickle():
    import copy
    import pickle

    t = tf.constant([1.0, 2.0])
    assert copy.copy(t) is t and copy.deepcopy(t) is t
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype is tf.float32 and u.numpy().tolist() == [1.0, 2.0]


def test_numbers_are_not_silently_turned_into_byte_strings():
    with pytest.raises(TypeError, match="not a string"):
        tf.constant(1, dtype=tf.string)
    with pytest.raises(TypeError, match="not a string"):
        tf.constant(np.array([3, 4], dtype=object), dtype=tf.string)
    with pytest.raises(tf.errors.InvalidArgumentError, match="string"):
        tf.constant("a") + 1
