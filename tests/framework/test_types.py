"""``tf.types.experimental``: tensorflux's functions and specs are instances of TF's
abstract types, as TF's are."""

import typing

import numpy as np

import tensorflux as tf

E = tf.types.experimental


def test_functions_are_instances_of_the_function_types():
    function = tf.function(lambda x: x * 2)
    concrete = function.get_concrete_function(tf.constant(1.0))
    assert isinstance(function, E.PolymorphicFunction)
    assert isinstance(function, E.GenericFunction)
    assert isinstance(function, E.Callable)
    assert isinstance(concrete, E.ConcreteFunction)
    assert isinstance(concrete, E.Callable)
    assert not isinstance(concrete, E.GenericFunction)
    assert not isinstance(lambda x: x, E.Callable)


def test_specs_are_trace_types():
    assert isinstance(tf.TensorSpec([2], tf.float32), E.TraceType)
    assert isinstance(tf.SparseTensorSpec([2, 3], tf.int64), E.TraceType)
    assert not isinstance(3, E.TraceType)


def test_tracing_protocol_and_tensor_like():
    class Traced:
        def __tf_tracing_type__(self, context):
            return tf.TensorSpec([])

    assert isinstance(Traced(), E.SupportsTracingProtocol)
    assert not isinstance(object(), E.SupportsTracingProtocol)
    members = typing.get_args(E.TensorLike)
    assert tf.Tensor in members and np.ndarray in members and float in members


def test_function_type_is_a_signature():
    signature = E.FunctionType.from_callable(lambda x, y=1: x)
    assert list(signature.parameters) == ["x", "y"]


def test_distributed_value_types_exist_as_abstract_classes():
    class Replicated(E.distributed.Mirrored):
        pass

    assert isinstance(Replicated(), E.distributed.Mirrored)
    assert not isinstance(Replicated(), E.distributed.PerReplica)
