"""tf.errors: TF's exception classes."""

import pytest

import tensorflux as tf

NAMES = [
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "DeadlineExceededError",
    "NotFoundError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "UnauthenticatedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "UnimplementedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
]


@pytest.mark.parametrize("name", NAMES)
def test_error_classes(name):
    cls = getattr(tf.errors, name)
    assert issubclass(cls, tf.errors.OpError)
    assert cls.__name__ == name
    e = cls(None, "MyOp", "went wrong")
    # The message names its op once, in TF's eager form.
    assert e.op == "MyOp" and e.message == "went wrong [Op:MyOp]" and e.node_def is None
    assert str(e) == "went wrong [Op:MyOp]"
    assert str(cls(None, "MyOp", "went wrong [Op:MyOp]")) == "went wrong [Op:MyOp]"
    assert str(cls(None, None, "went wrong")) == "went wrong"
    with pytest.raises(tf.errors.OpError, match="went wrong"):
        raise e


@pytest.mark.parametrize("name", NAMES)
def test_op_errors_are_not_python_value_errors(name):
    # As in TF: ``except ValueError`` does not catch them, ``except tf.errors.X`` does.
    cls = getattr(tf.errors, name)
    assert cls.__mro__[1:] == (tf.errors.OpError, Exception, BaseException, object)


def test_kernel_failures_map_to_tf_error_classes():
    fail = tf.errors.kernel_failure
    assert type(fail(ValueError("bad"), "Op", "Op failed")) is tf.errors.InvalidArgumentError
    assert type(fail(IndexError("bad"), "Op", "Op failed")) is tf.errors.InvalidArgumentError
    assert type(fail(MemoryError(), "Op", "Op failed")) is tf.errors.ResourceExhaustedError
    assert type(fail(ZeroDivisionError("x"), "Op", "Op failed")) is tf.errors.UnknownError
    assert "[Op:Op]" in str(fail(ValueError("bad"), "Op", "Op failed"))


def test_op_errors_surface_from_ops():
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
        tf.constant(1.0) + tf.constant(1)


def test_format_shape():
    assert tf.errors.format_shape(tf.TensorShape([None, 3])) == "(None, 3)"
    assert tf.errors.format_shape([2]) == "(2,)"
