"""``tf.keras.applications.mobilenet``: MobileNet (Howard et al., 2017)."""

import warnings

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_SIZES = (128, 160, 192, 224)
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
# (pointwise filters, stride) of the 13 depthwise separable blocks.
_BLOCKS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (1024, 2),
    (1024, 1),
)


def _channel_axis():
    return 1 if backend.image_data_format() == "channels_first" else -1


def _depthwise_block(x, filters, alpha, depth_multiplier, stride, block_id):
    """3x3 depthwise + BN + ReLU6, then 1x1 pointwise + BN + ReLU6; strided blocks
    pad bottom/right explicitly and convolve 'valid', as the original weights need."""
    if stride == 1:
        padding = "same"
    else:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
        padding = "valid"
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding=padding,
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        int(filters * alpha), (1, 1), padding="same", use_bias=False, name=f"conv_pw_{block_id}"
    )(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _default_size(input_shape):
    if input_shape is None:
        return 224
    first = backend.image_data_format() == "channels_first"
    rows, cols = input_shape[1:3] if first else input_shape[0:2]
    return rows if rows == cols and rows in _SIZES else 224


def MobileNet(  # noqa: N802 - Keras' public name
    input_shape=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    **kwargs,
):
    """The MobileNet model (depthwise separable convolutions), optionally with
    Keras' ImageNet weights. Inputs: RGB in [0, 255] through
    ``mobilenet.preprocess_input`` (scaled to [-1, 1]).

    Args:
        input_shape: ``(height, width, channels)``, at least 32x32. ImageNet
            weights exist for square 128, 160, 192 and 224 inputs (others load the
            224 weights).
        alpha: width multiplier of every layer's filters (ImageNet weights: 0.25,
            0.5, 0.75, 1.0).
        depth_multiplier: depthwise channel multiplier (1 with ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top: include the pooling + 1x1 convolution classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "mobilenet_<alpha>_<rows>".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> MobileNet(weights=None, alpha=0.25, input_shape=(32, 32, 3), classes=10).name
    'mobilenet_0.25_32'
    """
    if kwargs:
        raise ValueError(f"Unknown argument(s): {(kwargs,)}")
    imagenet_utils.check_weights_argument(
        weights, include_top, classes, ".  Received weights={}", ".  Received classes={}"
    )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=_default_size(input_shape),
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    first = backend.image_data_format() == "channels_first"
    rows, cols = input_shape[1:3] if first else input_shape[0:2]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(
                "If imagenet weights are being loaded, depth multiplier must be 1.  "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in _ALPHA_TEXT:
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of`0.25`, "
                f"`0.50`, `0.75` or `1.0` only.  Received alpha={alpha}"
            )
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[128, 160, 192, 224]. Weights for input shape (224, 224) will be "
                "loaded as the default.",
                stacklevel=2,
            )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    x = layers.Conv2D(
        int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1"
    )(img_input)
    x = layers.BatchNormalization(axis=_channel_axis(), name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, 1):
        x = _depthwise_block(x, filters, alpha, depth_multiplier, stride, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = imagenet_utils.finish_model(
        img_input, input_tensor, x, f"mobilenet_{alpha:0.2f}_{rows}"
    )
    if weights == "imagenet":
        top = "" if include_top else "_no_top"
        fname = f"mobilenet_{_ALPHA_TEXT[alpha]}_{rows}_tf{top}.h5"
        imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname)
    else:
        imagenet_utils.load_model_weights(model, weights)
    return model


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "tf" mode (scaled to [-1, 1])."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
