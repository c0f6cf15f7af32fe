"""Keras' convolution argument checks and output lengths (values from tf_keras 2.21)."""

import pytest

from tensorflux.keras.utils import conv_utils
from tensorflux.ops.window_ops_utils import window_dim


def test_normalize_tuple_accepts_ints_and_sequences():
    assert conv_utils.normalize_tuple(3, 2, "strides") == (3, 3)
    assert conv_utils.normalize_tuple([2, 3], 2, "strides") == (2, 3)
    assert conv_utils.normalize_tuple(0, 2, "padding", allow_zero=True) == (0, 0)


@pytest.mark.parametrize(
    "value, tail",
    [
        ((1, 2, 3), "Received: (1, 2, 3)"),
        ("a", "Received: a"),
        (2.5, "Received: 2.5"),
        ((0, 1), "Received: (0, 1) including {0} that does not satisfy the requirement `> 0`."),
        (-1, "Received: -1 including {-1} that does not satisfy the requirement `> 0`."),
    ],
)
def test_normalize_tuple_errors_use_keras_wording(value, tail):
    with pytest.raises(ValueError) as info:
        conv_utils.normalize_tuple(value, 2, "strides")
    assert str(info.value) == "The `strides` argument must be a tuple of 2 integers. " + tail


def test_padding_and_data_format():
    assert conv_utils.normalize_padding("VALID") == "valid"
    assert conv_utils.normalize_padding("causal") == "causal"
    with pytest.raises(ValueError, match='one of "valid", "same"'):
        conv_utils.normalize_padding("full")
    assert conv_utils.normalize_data_format(None) == "channels_last"
    with pytest.raises(ValueError, match="Received: NHWC"):
        conv_utils.normalize_data_format("NHWC")


@pytest.mark.parametrize(
    "length, k, padding, stride, dilation, expected",
    [
        (28, 3, "valid", 1, 1, 26),
        (28, 5, "same", 2, 1, 14),
        (7, 3, "valid", 2, 2, 2),
        (5, 3, "full", 2, 1, 4),
        (9, 4, "causal", 3, 1, 3),
        (None, 3, "same", 1, 1, None),
    ],
)
def test_conv_output_length(length, k, padding, stride, dilation, expected):
    assert conv_utils.conv_output_length(length, k, padding, stride, dilation) == expected


@pytest.mark.parametrize(
    "length, k, padding, output_padding, stride, expected",
    [
        (7, 3, "valid", None, 2, 15),
        (7, 3, "same", None, 2, 14),
        (7, 2, "valid", None, 3, 21),
        (7, 3, "same", 1, 2, 14),
        (7, 3, "valid", 0, 2, 15),
        (5, 3, "full", None, 1, 3),
    ],
)
def test_deconv_output_length(length, k, padding, output_padding, stride, expected):
    got = conv_utils.deconv_output_length(length, k, padding, output_padding, stride)
    assert got == expected


@pytest.mark.parametrize(
    "size, k, stride, dilation, padding, expected",
    [
        (2, 3, 1, 1, "VALID", (0, 0, 0)),
        (2, 5, 2, 1, "VALID", (0, 0, 0)),
        (5, 3, 2, 1, "SAME", (3, 1, 1)),
        (6, 4, 2, 1, "SAME", (3, 1, 1)),
        (6, 3, 1, 2, "SAME", (6, 2, 2)),
        (None, 3, 2, 1, "SAME", (None, 0, 0)),
    ],
)
def test_window_dim_follows_tf(size, k, stride, dilation, padding, expected):
    assert tuple(window_dim(size, k, stride, dilation, padding)) == expected


def test_window_dim_negative_output_is_tf_error():
    from tensorflux.framework.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="Computed output size would be negative: -2"):
        window_dim(2, 5, 1, 1, "VALID")
