"""``run_layer_test``: the checks every Keras layer must pass, in one call.

It builds the layer on sample inputs and checks the output shape and dtype against
what was expected and against ``compute_output_shape``, the number of weights,
masking support, the config round trip (``from_config(get_config())`` and
``layers.deserialize(layers.serialize(...))`` give a layer with the same outputs
once given the same weights; the config is JSON-serializable), that calling the
layer inside ``tf.function`` gives the eager result, and that one gradient step on
the trainable weights lowers a squared-error loss. ``check_layer_gradients``
compares a layer's tape gradients (inputs and weights) with finite differences.
"""

from __future__ import annotations

import json

import numpy as np

from tensorflux.engine.function import function
from tensorflux.engine.tape import GradientTape
from tensorflux.framework import dtypes, nest
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor

__all__ = ["check_layer_gradients", "run_layer_test"]


def _sample(shape, dtype, rng):
    dtype = dtypes.as_dtype(dtype)
    if dtype.is_integer:
        return Tensor(rng.integers(0, 10, size=shape).astype(dtype.as_numpy_dtype), dtype)
    return Tensor(rng.normal(size=shape).astype(dtype.as_numpy_dtype), dtype)


def _is_shape_list(shapes) -> bool:
    return isinstance(shapes, list) and all(
        isinstance(s, (list, tuple, TensorShape)) for s in shapes
    )


def _assert_shape(actual, expected, what) -> None:
    actual = TensorShape(actual).as_list()
    expected = TensorShape(expected).as_list()
    ok = len(actual) == len(expected) and all(e is None or a == e for a, e in zip(actual, expected))
    assert ok, f"{what}: expected shape {tuple(expected)}, got {tuple(actual)}"


def _none_batch(shape):
    return TensorShape([None] + TensorShape(shape).as_list()[1:])


def _call(layer, inputs, training):
    if "training" in layer._call_spec:
        return layer(inputs, training=training)
    return layer(inputs)


def _numpy(outputs):
    return [np.asarray(o.numpy()) for o in nest.flatten(outputs)]


def _assert_same_outputs(a, b, what, rtol=1e-5, atol=1e-6) -> None:
    for x, y in zip(_numpy(a), _numpy(b)):
        np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=what)


def _check_round_trip(layer, layer_cls, inputs, outputs, custom_objects) -> None:
    from tensorflux.keras import layers as keras_layers

    config = layer.get_config()
    json.dumps(config)
    clones = [
        layer_cls.from_config(config),
        keras_layers.deserialize(keras_layers.serialize(layer), custom_objects),
    ]
    for clone in clones:
        assert type(clone) is type(layer)
        assert clone.get_config() == config, (
            f"config changed by a round trip:\n{clone.get_config()}\n!=\n{config}"
        )
        _call(clone, inputs, False)
        clone.set_weights(layer.get_weights())
        _assert_same_outputs(
            _call(clone, inputs, False),
            outputs,
            f"{layer_cls.__name__}: outputs differ after a config round trip",
        )


def _check_training_step(layer, inputs, rng, learning_rate) -> None:
    params = layer.trainable_weights
    first = _call(layer, inputs, False)
    targets = [
        Tensor(rng.normal(size=o.shape.as_list()).astype(o.dtype.as_numpy_dtype), o.dtype)
        for o in nest.flatten(first)
    ]

    def loss_value():
        from tensorflux.ops.math_ops import square
        from tensorflux.ops.reduction_ops import reduce_mean

        outputs = nest.flatten(_call(layer, inputs, False))
        return sum(reduce_mean(square(o - t)) for o, t in zip(outputs, targets))

    with GradientTape() as tape:
        before = loss_value()
    grads = tape.gradient(before, params)
    for p, g in zip(params, grads):
        assert g is not None, f"{layer.name}: no gradient reaches weight {p.name}"
        if isinstance(g, IndexedSlices):
            g = convert_to_tensor(g)
        p.assign_sub(learning_rate * g)
    after = loss_value()
    assert float(after) < float(before), (
        f"{layer.name}: a gradient step did not lower the loss ({float(before)} -> {float(after)})"
    )


def run_layer_test(
    layer_cls,
    kwargs=None,
    input_shape=None,
    expected_output_shape=None,
    *,
    input_data=None,
    input_dtype="float32",
    expected_output_dtype=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    expected_num_losses=None,
    supports_masking=None,
    check_training=True,
    check_function=True,
    custom_objects=None,
    learning_rate=1e-2,
    seed=0,
):
    """Builds ``layer_cls(**kwargs)`` on sample inputs and runs the standard checks.

    Args:
        layer_cls: the layer class.
        kwargs: its constructor arguments.
        input_shape: a concrete input shape (batch included), or a list of them for
            layers with several inputs; ignored when ``input_data`` is given.
        expected_output_shape: the output shape; ``None`` entries match anything.
        input_data: inputs to use instead of random ones (a tensor, array or list).
        input_dtype: the dtype of random inputs (integers are drawn from ``[0, 10)``).
        expected_output_dtype: the output dtype (default: not checked).
        expected_num_trainable_weights / expected_num_non_trainable_weights /
        expected_num_losses: counts checked after the first call.
        supports_masking: the expected ``layer.supports_masking``.
        check_training: whether to check that a gradient step lowers a loss (when the
            layer has trainable weights).
        check_function: whether to compare a call inside ``tf.function`` with eager.
        custom_objects: for ``layers.deserialize``.
        seed: seeds the sample inputs and ``tf.random.set_seed`` (weight initializers).

    Returns:
        The layer's outputs on the inputs (inference mode), as a tensor or list.

    Raises:
        AssertionError: naming the check that failed.
    """
    from tensorflux.ops.random_ops import set_seed

    set_seed(seed)
    rng = np.random.default_rng(seed)
    if input_data is None:
        shapes = input_shape if _is_shape_list(input_shape) else [input_shape]
        data = [_sample(tuple(s), input_dtype, rng) for s in shapes]
        input_data = data if _is_shape_list(input_shape) else data[0]
    elif isinstance(input_data, (list, tuple)):
        input_data = [convert_to_tensor(x) for x in input_data]
    else:
        input_data = convert_to_tensor(input_data)
    shapes = nest.map_structure(lambda x: TensorShape(x.shape), input_data)

    layer = layer_cls(**(kwargs or {}))
    outputs = _call(layer, input_data, False)
    name = layer_cls.__name__
    if expected_output_shape is not None:
        _assert_shape(outputs.shape, expected_output_shape, f"{name} output")
    if expected_output_dtype is not None:
        assert outputs.dtype == dtypes.as_dtype(expected_output_dtype), (
            f"{name}: expected output dtype {expected_output_dtype}, got {outputs.dtype.name}"
        )
    _assert_shape(layer.compute_output_shape(shapes), outputs.shape, f"{name}.compute_output_shape")
    symbolic = (
        nest.map_structure(_none_batch, shapes) if isinstance(shapes, list) else _none_batch(shapes)
    )
    _assert_shape(
        layer.compute_output_shape(symbolic),
        _none_batch(outputs.shape),
        f"{name}.compute_output_shape with an unknown batch size",
    )
    for expected, actual, what in (
        (expected_num_trainable_weights, len(layer.trainable_weights), "trainable"),
        (expected_num_non_trainable_weights, len(layer.non_trainable_weights), "non-trainable"),
        (expected_num_losses, len(layer.losses), "loss"),
    ):
        assert expected is None or expected == actual, (
            f"{name}: expected {expected} {what} weight(s)/loss(es), got {actual}"
        )
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking, (
            f"{name}: expected supports_masking={supports_masking}"
        )
    _check_round_trip(layer, layer_cls, input_data, outputs, custom_objects)
    if check_function:
        traced = function(lambda x: _call(layer, x, False))(input_data)
        _assert_same_outputs(traced, outputs, f"{name}: tf.function result differs from eager")
    if check_training and layer.trainable_weights:
        _check_training_step(layer, input_data, rng, learning_rate)
    return outputs


def check_layer_gradients(layer, inputs, training=False, rtol=1e-5, atol=1e-6, eps=1e-6, seed=0):
    """Asserts that a float64 layer's gradients with respect to its input and to each
    trainable weight match central finite differences.

    Args:
        layer: a layer created with ``dtype="float64"``.
        inputs: one input (array or tensor).
        training: the ``training`` argument of the calls.

    Raises:
        AssertionError: naming the weight whose gradient differs.
    """
    from tensorflux.ops.math_ops import multiply
    from tensorflux.ops.reduction_ops import reduce_sum
    from tensorflux.testing.gradient_check import check_gradients

    x = Tensor(np.asarray(inputs, dtype=np.float64), dtypes.float64)
    check_gradients(lambda t: _call(layer, t, training), [x], rtol=rtol, atol=atol, eps=eps)
    rng = np.random.default_rng(seed)
    weights = Tensor(
        rng.uniform(0.5, 1.5, size=_call(layer, x, training).shape.as_list()), dtypes.float64
    )

    def scalar():
        return reduce_sum(multiply(_call(layer, x, training), weights))

    with GradientTape() as tape:
        value = scalar()
    grads = tape.gradient(value, layer.trainable_weights)
    for variable, grad in zip(layer.trainable_weights, grads):
        base = np.array(variable.numpy())
        numeric = np.zeros_like(base)
        for index in np.ndindex(*base.shape):
            for sign in (1, -1):
                moved = base.copy()
                moved[index] += sign * eps
                variable.assign(moved)
                numeric[index] += sign * float(scalar()) / (2 * eps)
        variable.assign(base)
        np.testing.assert_allclose(
            np.asarray(convert_to_tensor(grad).numpy()),
            numeric,
            rtol=rtol,
            atol=atol,
            err_msg=f"gradient of {variable.name} differs",
        )
