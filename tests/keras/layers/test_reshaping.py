"""Flatten, Reshape, Permute, RepeatVector: the harness, shapes with unknown sizes,
errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import run_layer_test

HARNESS = [
    (layers.Flatten, {}, (2, 28, 28), (2, 784)),
    (layers.Flatten, {}, (3,), (3, 1)),
    (layers.Flatten, {"data_format": "channels_first"}, (2, 3, 4, 5), (2, 60)),
    (layers.Reshape, {"target_shape": (7, 7, 32)}, (2, 1568), (2, 7, 7, 32)),
    (layers.Reshape, {"target_shape": (-1, 2)}, (2, 3, 4), (2, 6, 2)),
    (layers.Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3)),
    (layers.Permute, {"dims": (3, 1, 2)}, (2, 3, 4, 5), (2, 5, 3, 4)),
    (layers.RepeatVector, {"n": 3}, (2, 4), (2, 3, 4)),
]


@pytest.mark.parametrize("cls, kwargs, shape, expected", HARNESS)
def test_harness(cls, kwargs, shape, expected):
    run_layer_test(
        cls,
        kwargs,
        shape,
        expected,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize(
    "layer, input_shape, expected",
    [
        (layers.Flatten(), (None, None, 3), [None, None]),
        (layers.Flatten(), (None,), [None, 1]),
        (layers.Reshape((-1, 2)), (None, 4, 3), [None, 6, 2]),
        (layers.Reshape((-1, 2)), (None, None, 3), [None, None, 2]),
        (layers.Permute((2, 1)), (None, None, 5), [None, 5, None]),
        (layers.RepeatVector(3), (None, 4), [None, 3, 4]),
    ],
)
def test_compute_output_shape_with_unknown_sizes(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape).as_list() == expected


def test_flatten_input_shape_and_values():
    layer = layers.Flatten(input_shape=(28, 28))
    assert layer.get_config()["batch_input_shape"] == (None, 28, 28)
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    np.testing.assert_array_equal(layer(x).numpy(), x.reshape(2, 12))


def test_reshape_incompatible_target_names_layer_and_sizes():
    layer = layers.Reshape((3, 2), name="reshape")
    with pytest.raises(
        ValueError,
        match=r'Reshape layer "reshape" cannot reshape inputs of '
        r"shape \(4,\).*total size of new array must be unchanged, "
        r"input_shape = \[4\], output_shape = \[3, 2\]",
    ):
        layer(tf.ones((2, 4)))
    with pytest.raises(ValueError, match="total size of new array must be unchanged"):
        layers.Reshape((-1, 3)).compute_output_shape((None, 4))
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        layers.Reshape((-1, -1))


def test_permute_and_repeat_vector_errors():
    with pytest.raises(
        ValueError,
        match="Invalid permutation argument `dims` for Permute "
        r"Layer.*Received dims=\(1, 3\)",
    ):
        layers.Permute((1, 3))
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "repeat_vector.*" is incompatible '
        r"with the layer: expected ndim=2, found ndim=3. Full shape received: "
        r"\(2, 3, 4\)",
    ):
        layers.RepeatVector(2)(tf.ones((2, 3, 4)))
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        layers.RepeatVector(2.5)
    with pytest.raises(ValueError, match="data_format"):
        layers.Flatten(data_format="channels_middle")
