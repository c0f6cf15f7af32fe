"""Merge layers and their functional forms: the harness, broadcasting, masks, errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import run_layer_test

HARNESS = [
    (layers.Add, {}, [(2, 3), (2, 3), (2, 3)], (2, 3)),
    (layers.Add, {}, [(2, 3, 4), (2, 4)], (2, 3, 4)),
    (layers.Subtract, {}, [(2, 3), (2, 3)], (2, 3)),
    (layers.Multiply, {}, [(2, 3), (2, 1)], (2, 3)),
    (layers.Average, {}, [(2, 3), (2, 3)], (2, 3)),
    (layers.Maximum, {}, [(2, 3), (2, 3)], (2, 3)),
    (layers.Minimum, {}, [(2, 3), (2, 3)], (2, 3)),
    (layers.Concatenate, {}, [(2, 3), (2, 4)], (2, 7)),
    (layers.Concatenate, {"axis": 1}, [(2, 1, 4), (2, 3, 4)], (2, 4, 4)),
    (layers.Dot, {"axes": 1}, [(2, 3), (2, 3)], (2, 1)),
    (layers.Dot, {"axes": (1, 2), "normalize": True}, [(2, 3, 4), (2, 5, 3)], (2, 4, 5)),
    (layers.Dot, {"axes": -1}, [(2, 3, 4), (2, 4)], (2, 3)),
]


@pytest.mark.parametrize("cls, kwargs, shapes, expected", HARNESS)
def test_harness(cls, kwargs, shapes, expected):
    run_layer_test(cls, kwargs, shapes, expected, expected_num_trainable_weights=0)


@pytest.mark.parametrize(
    "fn, cls, kwargs",
    [
        (layers.add, layers.Add, {}),
        (layers.subtract, layers.Subtract, {}),
        (layers.multiply, layers.Multiply, {}),
        (layers.average, layers.Average, {}),
        (layers.maximum, layers.Maximum, {}),
        (layers.minimum, layers.Minimum, {}),
        (layers.concatenate, layers.Concatenate, {"axis": 0}),
        (layers.dot, layers.Dot, {"axes": 1}),
    ],
)
def test_functional_forms_match_layers(fn, cls, kwargs):
    a = tf.constant([[1.0, 5.0], [2.0, -1.0]])
    b = tf.constant([[3.0, 2.0], [0.5, 4.0]])
    np.testing.assert_allclose(fn([a, b], **kwargs).numpy(), cls(**kwargs)([a, b]).numpy())


@pytest.mark.parametrize(
    "cls, input_shape, expected",
    [
        (layers.Add, [(None, 3, 4), (None, 4)], [None, 3, 4]),
        (layers.Add, [(None, 3), (2, 3)], [2, 3]),
        (layers.Concatenate, [(None, 3, None), (None, 3, 2)], [None, 3, None]),
        (layers.Dot, [(None, 3), (None, 3)], [None, 1]),
    ],
)
def test_compute_output_shape_with_unknown_sizes(cls, input_shape, expected):
    kwargs = {"axes": 1} if cls is layers.Dot else {}
    assert cls(**kwargs).compute_output_shape(input_shape).as_list() == expected


def test_masks_are_combined():
    embed = layers.Embedding(5, 2, mask_zero=True)
    a = embed(tf.constant([[1, 0, 2]]))
    b = embed(tf.constant([[1, 3, 0]]))
    np.testing.assert_array_equal(layers.Add()([a, b])._keras_mask.numpy(), [[True, False, False]])
    np.testing.assert_array_equal(
        layers.Concatenate()([a, b])._keras_mask.numpy(), [[True, False, False]]
    )
    c = layers.Concatenate(axis=1)([a, tf.ones((1, 2, 2))])
    np.testing.assert_array_equal(c._keras_mask.numpy(), [[True, False, True, True, True]])
    assert getattr(layers.Dot(axes=2)([a, b]), "_keras_mask", None) is None


def test_concatenate_mismatched_shapes():
    with pytest.raises(
        ValueError,
        match=r"A `Concatenate` layer requires inputs with "
        r"matching shapes except for the concatenation axis. Layer "
        r'"concat" \(axis=-1\) received: input_shape=\[\(2, 3, 4\), \(2, 5, 2\)\]',
    ):
        layers.Concatenate(name="concat")([tf.ones((2, 3, 4)), tf.ones((2, 5, 2))])
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        layers.Concatenate()([tf.ones((2, 3)), tf.ones((2, 3, 1))])


def test_merge_errors():
    with pytest.raises(
        ValueError,
        match=r"Inputs have incompatible shapes. Received shapes "
        r"\(3,\) and \(4,\)",
    ):
        layers.Add()([tf.ones((2, 3)), tf.ones((2, 4))])
    with pytest.raises(ValueError, match=r"A merge layer should be called on a list of inputs"):
        layers.Add()(tf.ones((2, 3)))
    with pytest.raises(
        ValueError,
        match=r"A `Subtract` layer should be called on exactly 2 "
        r"inputs",
    ):
        layers.Subtract()([tf.ones((2, 3))] * 3)
    with pytest.raises(
        ValueError,
        match=r"Incompatible input shapes: axis values 3 \(at axis "
        r"1\) != 4 \(at axis 1\). Full input shapes: \(2, 3\), \(2, 4\)",
    ):
        layers.Dot(axes=1)([tf.ones((2, 3)), tf.ones((2, 4))])
    with pytest.raises(ValueError, match="list should contain 2 elements"):
        layers.Dot(axes=[1, 2, 3])
    with pytest.raises(ValueError, match="not a non-batch axis"):
        layers.Dot(axes=0)([tf.ones((2, 3)), tf.ones((2, 3))])
